"""A small yes/no dialog."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from gmmp_quiz.i18n import t
from gmmp_quiz.ui.localize import LocalizedScreen


class ConfirmModal(ModalScreen[bool], LocalizedScreen[bool]):
    """Asks a question; dismisses with True (yes) or False (no)."""

    BINDINGS = [
        Binding("y,o", "answer(True)", show=False, id="confirm.yes"),
        Binding("n,escape", "answer(False)", show=False, id="confirm.no"),
    ]

    def __init__(self, question: str, lang: str) -> None:
        super().__init__()
        self.question = question
        self.lang = lang

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        with Vertical(id="confirm-box"):
            yield Static(Content(self.question), id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button(Content(t("yes", self.lang)), id="yes", variant="primary")
                yield Button(Content(t("no", self.lang)), id="no")

    def on_mount(self) -> None:
        """Fill in what depends on the app's services."""
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Yes or no by click or Enter on a button."""
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        """Yes or no by key."""
        self.dismiss(value)
