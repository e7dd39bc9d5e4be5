"""What the screens are given of the app, typed: the store and the sets once loaded, the clock,
the language."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gmmp_quiz.model import QuestionSet, SetFigures
    from gmmp_quiz.sets.listing import Listing
    from gmmp_quiz.sets.loading import Discovery
    from gmmp_quiz.store.progress import ProgressStore


def setting(store: ProgressStore, name: str) -> Any:
    """A learner setting's value in the store (or its default)."""
    from gmmp_quiz import settings

    return settings.value(store, name)


class Services:
    """The app's services, shared with its screens (the app fills in the store once loaded).

    Screens read them; what they ask of the app (start a session, use new sets) they post as
    messages.
    """

    def __init__(
        self,
        lang: str,
        clock: Callable[[], datetime],
        store: ProgressStore | None,
        discovery: Discovery | None,
        reload: Callable[[], Discovery] | None,
        listing: Listing | None = None,
        prefs: dict[str, Any] | None = None,
    ) -> None:
        self.lang = lang
        """The interface language."""
        self.clock = clock
        """The current time (UTC-aware); tests pass a fixed one."""
        self.opened: ProgressStore | None = store
        """The progress store, None until the loader has opened it."""
        self.discovery = discovery
        """The sets found (and the files that failed), None until they are found."""
        self.reload = reload
        """Finds the sets again (None: the app was given its sets once and for all)."""
        self.listing = listing
        """The sets the last run found, listed by home until these are found (None: unknown)."""
        self.prefs: dict[str, Any] = prefs if prefs is not None else {}
        """The settings mirrored outside the store (theme, last set, mode and count used)."""
        self.mirror: Callable[[str, Any], None] = lambda name, value: None
        """Mirrors a setting outside the store (see `ui.prefs`); the app sets it."""
        # Without a store, the sets are found with it after the first paint.
        self.sets_pending = store is None
        """Whether the sets are still being found."""
        self.ready = store is not None
        """Whether the store is open and the sets found; until then actions needing them wait."""
        self.figures_pending = False
        """Whether the sets' figures are still being computed (after `ready`, when loading)."""

    @property
    def store(self) -> ProgressStore:
        """The progress store (once `ready`: screens that need it open only then)."""
        if self.opened is None:
            raise RuntimeError("the progress store is not open yet")
        return self.opened

    @property
    def sets(self) -> Sequence[QuestionSet]:
        """The sets found (none while they are being found)."""
        return self.discovery.sets if self.discovery is not None else []

    def remember(self, name: str, value: Any) -> None:
        """Store a setting the next start shows in its first frame (the store keeps it too)."""
        self.store.set_setting(name, value)
        self.mirror(name, value)

    def figures(self) -> dict[str, SetFigures]:
        """Questions, mastered, due and missed per set, from the store's question states."""
        from gmmp_quiz.model import SetFigures
        from gmmp_quiz.stats import set_figures

        assert self.discovery is not None
        if self.sets_pending or self.figures_pending:
            # Counts only: the figures come from the loader thread.
            return {s.id: SetFigures(len(s.questions)) for s in self.discovery.sets}
        store = self.store
        return set_figures(
            self.discovery.sets, store.states(), self.clock(), setting(store, "new_per_day")
        )
