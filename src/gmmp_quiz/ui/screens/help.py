"""The help screen: every key and mode, in the interface language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from gmmp_quiz.i18n import help_sections, t, typeset
from gmmp_quiz.ui.localize import LocalizedScreen
from gmmp_quiz.ui.widgets.footer import KeyFooter


class HelpScreen(ModalScreen[None], LocalizedScreen[None]):
    """Keys and modes; Escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", show=True, id="help.close")]

    def __init__(self, lang: str, section: int = 0) -> None:
        super().__init__()
        self.lang = lang
        self.section = section
        """The section to show first (the quiz opens the help on its keys)."""

    def compose(self) -> ComposeResult:
        """Lay out the widgets: a heading per section, then one row per key."""
        with VerticalScroll(id="help-box") as box:
            box.border_title = t("help_title", self.lang)
            for number, (title, rows) in enumerate(help_sections(self.lang)):
                yield Static(
                    Content.styled(typeset(title, self.lang), "bold $text-accent"),
                    id=f"help-section-{number}",
                    classes="help-heading",
                )
                for keys, what in rows:
                    with Horizontal(classes="help-row"):
                        yield Static(Content.styled(keys, "bold"), classes="help-keys")
                        yield Static(Content(typeset(what, self.lang)), classes="help-what")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Focus the text so that the arrows and Page keys scroll it, at the section wanted."""
        box = self.query_one("#help-box", VerticalScroll)
        box.focus()
        if self.section:
            heading = self.query_one(f"#help-section-{self.section}")
            self.call_after_refresh(box.scroll_to_widget, heading, animate=False, top=True)

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss()
