"""Answer widgets that list choices: one right (choice, true/false), or several (multi)."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from gmmp_quiz.i18n import t, typeset
from gmmp_quiz.session import Item
from gmmp_quiz.ui.widgets.answering import DIGIT_BINDINGS, Answered, NotAnAnswer


class PickOne(OptionList):
    """A list answered by picking one option: Enter with none highlighted says how to choose."""

    lang: str

    def action_select(self) -> None:
        """Answer with the highlighted option, or say how to choose when none is."""
        if self.highlighted is None:
            self.post_message(NotAnAnswer(t("choose_first", self.lang)))
            return
        super().action_select()


class ChoiceAnswer(PickOne):
    """One right answer among numbered choices: a digit, or arrows and Enter, answers."""

    BINDINGS = DIGIT_BINDINGS

    def __init__(self, item: Item, lang: str) -> None:
        question = item.question
        self.order = item.order
        options = [
            Option(
                Content.assemble(
                    (f"{pos}. ", "bold"), typeset(question.choices[i].text.get(lang), lang)
                )
            )
            for pos, i in enumerate(self.order, 1)
        ]
        super().__init__(*options, id="answer", markup=False)
        # Nothing is highlighted until the learner moves: a stray Enter must not pick for them.
        self.highlighted = None
        self.lang = lang

    def action_pick(self, n: int) -> None:
        """Answer with the choice shown at position n."""
        if 1 <= n <= len(self.order):
            self.post_message(Answered(self.order[n - 1]))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(Answered(self.order[event.option_index]))


class TrueFalseAnswer(PickOne):
    """True or false: t/v/1 for true, f/2 for false."""

    BINDINGS = [
        Binding("t,v,1", "pick(True)", show=False, id="true_false.true"),
        Binding("f,2", "pick(False)", show=False, id="true_false.false"),
    ]

    def __init__(self, item: Item, lang: str) -> None:
        super().__init__(
            Option(Content.assemble(("1. ", "bold"), t("true", lang))),
            Option(Content.assemble(("2. ", "bold"), t("false", lang))),
            id="answer",
            markup=False,
        )
        self.highlighted = None
        self.lang = lang

    def action_pick(self, value: bool) -> None:
        """Answer true or false."""
        self.post_message(Answered(value))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(Answered(event.option_index == 0))


class MultiAnswer(OptionList):
    """Select all that apply: digits or Space toggle, Enter submits.

    An OptionList rather than Textual's SelectionList, so that long options wrap instead of
    being cut, and each tick reads as text ([x] / [ ]), not by colour alone.
    """

    BINDINGS = [
        *DIGIT_BINDINGS,
        Binding("space", "tick", "Tick", show=True, key_display="␣", id="multi.tick"),
        Binding("enter", "submit", "Submit", show=True, id="multi.submit"),
    ]

    def __init__(self, item: Item, lang: str) -> None:
        question = item.question
        self.order = item.order
        self.texts = [typeset(question.choices[i].text.get(lang), lang) for i in self.order]
        self.ticked: set[int] = set()  # display positions
        self.lang = lang
        super().__init__(*self._tick_options(), id="answer", markup=False)
        self.highlighted = None

    @property
    def selected(self) -> list[int]:
        """The ticked choices, as the question's own indexes."""
        return sorted(self.order[pos] for pos in self.ticked)

    def _tick_options(self) -> list[Option]:
        return [
            Option(
                Content.assemble(
                    ("[x] " if pos in self.ticked else "[ ] ", "bold"),
                    (f"{pos + 1}. ", "bold"),
                    text,
                )
            )
            for pos, text in enumerate(self.texts)
        ]

    def _toggle(self, pos: int) -> None:
        self.ticked ^= {pos}
        self.set_options(self._tick_options())
        self.highlighted = pos

    def action_pick(self, n: int) -> None:
        """Toggle the choice shown at position n."""
        if 1 <= n <= len(self.order):
            self._toggle(n - 1)

    def action_tick(self) -> None:
        """Toggle the highlighted choice."""
        if self.highlighted is not None:
            self._toggle(self.highlighted)

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._toggle(event.option_index)

    def action_submit(self) -> None:
        """Submit the ticked choices (at least one: an empty Enter is a slip, not an answer)."""
        if not self.ticked:
            self.post_message(NotAnAnswer(t("multi_none", self.lang)))
            return
        self.post_message(Answered(self.selected))
