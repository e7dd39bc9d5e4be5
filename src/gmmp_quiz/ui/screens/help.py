"""The help screen: every key and mode, in the interface language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from gmmp_quiz.i18n import HELP, t
from gmmp_quiz.ui.localize import localize_bindings
from gmmp_quiz.ui.widgets.footer import KeyFooter


class HelpScreen(ModalScreen[None]):
    """Keys and modes; Escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", show=True)]

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        localize_bindings(self, lang)

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        with VerticalScroll(id="help-box") as box:
            box.border_title = t("help_title", self.lang)
            yield Static(Content(HELP.get(self.lang, HELP["en"])), id="help-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Focus the text so that the arrows and Page keys scroll it."""
        self.query_one("#help-box", VerticalScroll).focus()

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss()
