"""Actions that need the progress store and the sets: run at once, or as soon as they are loaded."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial, wraps
from typing import Any, TypeVar, cast

Action = TypeVar("Action", bound=Callable[..., Any])


def when_ready(action: Action) -> Action:
    """Make an action of the app or of a screen wait while the app is still loading its services.

    A key pressed in the first instants (typed ahead, or quick fingers) then does what it says once
    the store is open, instead of reading or recording nothing.
    """

    @wraps(action)
    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        app = self.app
        if getattr(app, "ready", True):
            return action(self, *args, **kwargs)
        app.call_when_ready(partial(action, self, *args, **kwargs))
        return None

    return cast(Action, run)
