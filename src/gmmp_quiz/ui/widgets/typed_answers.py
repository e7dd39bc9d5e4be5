"""Answer widgets that take typed text: a short or numeric answer, the gaps of a cloze."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Static

from gmmp_quiz.i18n import colon, t, typeset
from gmmp_quiz.model import Kind
from gmmp_quiz.session import Item
from gmmp_quiz.ui.widgets.answering import Answered


class TypedAnswer(Input):
    """A typed answer (short or numeric): Enter submits."""

    # Input's own Enter, with an id: Textual's key panel describes it in the interface language.
    BINDINGS = [Binding("enter", "submit", "Submit", show=False, id="typed.submit")]

    def __init__(self, item: Item, lang: str) -> None:
        numeric = item.question.kind is Kind.NUMERIC
        unit = item.question.unit.get(lang) if item.question.unit else ""
        placeholder = t("type_number" if numeric else "type_answer", lang)
        if unit:
            placeholder += f" ({unit})"
        super().__init__(placeholder=placeholder, id="answer")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(Answered(event.value))


class GapInput(Input):
    """The box of one gap of a cloze."""

    BINDINGS = [Binding("enter", "submit", "Submit", show=False, id="cloze.submit")]


class ClozeAnswer(Vertical):
    """A sentence with gaps: one box per gap, Tab moves between them, Enter submits."""

    def __init__(self, item: Item, lang: str) -> None:
        super().__init__(id="answer")
        self.pieces, self.gap_list = item.question.gaps(lang)
        self.options = item.question.gap_options
        self.lang = lang

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        parts: list[str | tuple[str, str]] = []
        for i, piece in enumerate(self.pieces):
            parts.append(typeset(piece, self.lang))
            if i < len(self.gap_list):
                parts.append((f"[{i + 1}]____", "bold $text-accent"))
        yield Static(Content.assemble(*parts), classes="cloze-text")
        for i in range(len(self.gap_list)):
            with Horizontal(classes="gap-row"):
                yield Static(Content(t("gap", self.lang, n=i + 1)), classes="gap-label")
                yield GapInput(id=f"gap-{i}", classes="gap")
            options = self.options[i] if i < len(self.options) else None
            if options:
                # A gap that offers choices (Moodle's multiple-choice cloze): type one of them.
                words = " · ".join(typeset(o.get(self.lang), self.lang) for o in options)
                label = colon(t("one_of", self.lang), self.lang) + words
                yield Static(Content(label), classes="gap-options")

    def focus(self, scroll_visible: bool = True) -> ClozeAnswer:
        """Focus the first gap."""
        self.query(Input).first().focus(scroll_visible)
        return self

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        values = [box.value for box in self.query(Input)]
        empty = [i for i, v in enumerate(values) if not v.strip()]
        if empty and event.input.id != f"gap-{len(values) - 1}":
            # Enter in an early box moves on, like Tab, so gaps can be filled in one go.
            self.query(Input)[empty[0]].focus()
            return
        self.post_message(Answered(values))
