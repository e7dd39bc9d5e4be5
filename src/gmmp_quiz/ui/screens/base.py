"""A screen that asks the app for what takes the learner elsewhere, by message."""

from __future__ import annotations

from typing import TypeVar

from textual import events, on
from textual.message import Message

from gmmp_quiz.ui.localize import LocalizedScreen

ResultT = TypeVar("ResultT")


class AppScreen(LocalizedScreen[ResultT]):
    """A screen whose requests to the app (start a session...) are messages.

    A message is handled after the keys already typed: until the app has handled the request,
    the screen is `leaving` and takes no more keys, which were meant for the screen to come
    (as when the app was called directly).
    """

    leaving = False
    """Whether a request that may replace this screen is on its way to the app."""

    def request(self, message: Message) -> None:
        """Post `message` to the app; the screen takes no keys until the app has handled it."""
        self.leaving = True
        self.post_message(message)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No key while a request is on its way (see `leaving`)."""
        return not self.leaving

    @on(events.ScreenResume)
    def _back_on_top(self) -> None:
        self.leaving = False
