"""One answer widget per question kind; each posts `Answered` with a response for the grader."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from gmmp_quiz.grading import Rating
from gmmp_quiz.i18n import colon, t, typeset
from gmmp_quiz.model import Kind
from gmmp_quiz.session import Item

LETTERS = "abcdefghi"
DIGIT_BINDINGS = [
    Binding(str(n), f"pick({n})", show=False, id=f"answers.pick_{n}") for n in range(1, 10)
]


@dataclass
class NotAnAnswer(Message):
    """Posted when a key would submit nothing the learner chose: says what to do instead."""

    text: str


@dataclass
class Answered(Message):
    """Posted when the learner submits an answer (indexes are the question's own, not shown)."""

    response: Any
    rating: Rating | None = None


class ChoiceAnswer(OptionList):
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

    def action_select(self) -> None:
        """Answer with the highlighted choice, or say how to choose when none is."""
        if self.highlighted is None:
            self.post_message(NotAnAnswer(t("choose_first", self.lang)))
            return
        super().action_select()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(Answered(self.order[event.option_index]))


class TrueFalseAnswer(OptionList):
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

    def action_select(self) -> None:
        """Answer with the highlighted value, or say how to choose when none is."""
        if self.highlighted is None:
            self.post_message(NotAnAnswer(t("choose_first", self.lang)))
            return
        super().action_select()

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
        Binding("space", "toggle", "Tick", show=True, key_display="␣", id="multi.tick"),
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

    def action_toggle(self) -> None:
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


class TypedAnswer(Input):
    """A typed answer (short or numeric): Enter submits."""

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
                yield Input(id=f"gap-{i}", classes="gap")
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


class OrderAnswer(OptionList):
    """Put items in order: arrows select, Shift+arrows (or k/j) move the item, Enter submits."""

    BINDINGS = [
        Binding(
            "shift+up,k", "move(-1)", "Move up", show=True, key_display="⇧↑", id="order.move_up"
        ),
        Binding(
            "shift+down,j",
            "move(1)",
            "Move down",
            show=True,
            key_display="⇧↓",
            id="order.move_down",
        ),
        Binding("enter", "submit", "Submit", show=True, id="order.submit"),
    ]

    def __init__(self, item: Item, lang: str) -> None:
        self.current = list(item.order)
        self.texts = [typeset(text.get(lang), lang) for text in item.question.items]
        self.lang = lang
        self.moved = False
        super().__init__(*self._item_options(), id="answer", markup=False)

    def _item_options(self) -> list[Option]:
        return [
            Option(Content.assemble((f"{pos}. ", "bold"), self.texts[i]))
            for pos, i in enumerate(self.current, 1)
        ]

    def action_move(self, step: int) -> None:
        """Move the highlighted item up (-1) or down (+1)."""
        pos = self.highlighted
        if pos is None or not 0 <= pos + step < len(self.current):
            return
        self.current[pos], self.current[pos + step] = self.current[pos + step], self.current[pos]
        self.set_options(self._item_options())
        self.highlighted = pos + step
        self.moved = True

    def action_submit(self) -> None:
        """Submit the order as shown, once at least one item has been moved."""
        if not self.moved:
            # The items are shown shuffled, never in order: an order submitted untouched is
            # a slip (a stray Enter), never a considered answer.
            self.post_message(NotAnAnswer(t("order_untouched", self.lang)))
            return
        self.post_message(Answered(list(self.current)))


class MatchColumn(OptionList):
    """A column of a match question; Enter submits the pairs (a click still picks)."""

    BINDINGS = [Binding("enter", "submit_pairs", "Submit", show=True, id="match_column.submit")]

    def action_submit_pairs(self) -> None:
        """Submit through the match widget."""
        parent = self.parent
        if isinstance(parent, MatchAnswer):
            parent.action_submit()


class MatchAnswer(Horizontal):
    """Pair left items (digits) with right items (letters); Enter submits."""

    BINDINGS = [
        *DIGIT_BINDINGS,
        *[
            Binding(letter, f"partner({i})", show=False, id=f"match.partner_{i}")
            for i, letter in enumerate(LETTERS)
        ],
        Binding("enter", "submit", "Submit", show=True, id="match.submit"),
    ]

    def __init__(self, item: Item, lang: str) -> None:
        super().__init__(id="answer")
        question = item.question
        self.left_order = item.order
        self.right_order = item.right_order
        self.lefts = [typeset(question.pairs[i].left.get(lang), lang) for i in self.left_order]
        rights = question.match_rights
        self.rights = [typeset(rights[i].get(lang), lang) for i in self.right_order]
        self.pairs: dict[int, int] = {}  # shown left position -> shown right position
        self.chosen: int | None = None
        self.can_focus = True
        self.lang = lang

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield MatchColumn(*self._left_options(), id="match-left", markup=False)
        yield MatchColumn(*self._right_options(), id="match-right", markup=False)

    def _left_options(self) -> list[Option]:
        options = []
        for pos, text in enumerate(self.lefts):
            partner = self.pairs.get(pos)
            tail = (
                ("\u00a0→\u00a0" + LETTERS[partner], "bold $text-success")
                if partner is not None
                else ""
            )
            options.append(Option(Content.assemble((f"{pos + 1}. ", "bold"), text, tail)))
        return options

    def _right_options(self) -> list[Option]:
        taken = set(self.pairs.values())
        return [
            Option(
                Content.assemble(
                    (f"{LETTERS[pos]}. ", "bold"), (text, "dim" if pos in taken else "")
                )
            )
            for pos, text in enumerate(self.rights)
        ]

    def focus(self, scroll_visible: bool = True) -> MatchAnswer:
        """Focus the left column."""
        self.query_one("#match-left", OptionList).focus(scroll_visible)
        return self

    def _refresh_lists(self) -> None:
        left = self.query_one("#match-left", OptionList)
        right = self.query_one("#match-right", OptionList)
        keep_left, keep_right = left.highlighted, right.highlighted
        left.set_options(self._left_options())
        right.set_options(self._right_options())
        left.highlighted, right.highlighted = keep_left, keep_right

    def action_pick(self, n: int) -> None:
        """Choose the left item shown at position n."""
        if 1 <= n <= len(self.lefts):
            self.chosen = n - 1
            left = self.query_one("#match-left", OptionList)
            left.highlighted = n - 1
            self.query_one("#match-right", OptionList).focus()

    def action_partner(self, index: int) -> None:
        """Pair the chosen left item with the right item at `index`."""
        if index >= len(self.rights):
            return
        left = self.chosen
        if left is None:
            left = self.query_one("#match-left", OptionList).highlighted
        if left is None:
            return
        for other, right in list(self.pairs.items()):
            if right == index:
                del self.pairs[other]
        self.pairs[left] = index
        free = [p for p in range(len(self.lefts)) if p not in self.pairs]
        self.chosen = free[0] if free else None
        self._refresh_lists()
        left_list = self.query_one("#match-left", OptionList)
        if self.chosen is not None:
            left_list.highlighted = self.chosen
        left_list.focus()

    @on(OptionList.OptionSelected, "#match-left")
    def _left_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_pick(event.option_index + 1)

    @on(OptionList.OptionSelected, "#match-right")
    def _right_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_partner(event.option_index)

    def action_submit(self) -> None:
        """Submit the pairs made (as the question's own indexes); none made is not an answer."""
        if not self.pairs:
            self.post_message(NotAnAnswer(t("match_none", self.lang)))
            return
        response = {
            self.left_order[left]: self.right_order[right] for left, right in self.pairs.items()
        }
        self.post_message(Answered(response))


class FlashcardAnswer(Vertical):
    """A card: Space flips it, then 1-4 rate (again, hard, good, easy)."""

    BINDINGS = [
        Binding("space", "flip", "Flip", show=True, id="flashcard.flip"),
        Binding("1", "rate(1)", "Rate", show=True, key_display="1-4", id="flashcard.rate"),
        *[Binding(str(n), f"rate({n})", show=False, id=f"flashcard.rate_{n}") for n in range(2, 5)],
    ]

    def __init__(self, item: Item, lang: str) -> None:
        super().__init__(id="answer")
        self.back = item.question.back.get(lang) if item.question.back else ""
        self.lang = lang
        self.flipped = False
        self.can_focus = True

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Static(Content("?"), id="card-back", classes="card-back")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Flip before the card is turned, rate after: the footer shows the step at hand."""
        if action == "flip":
            return not self.flipped
        if action == "rate":
            return self.flipped
        return True

    def action_flip(self) -> None:
        """Show the back of the card and the ratings."""
        if self.flipped:
            return
        self.flipped = True
        # The ratings are said once, in the hint line the screen shows under the question.
        self.query_one("#card-back", Static).update(
            Content.styled(typeset(self.back, self.lang), "bold")
        )
        self.add_class("flipped")
        self.post_message(Flipped())
        self.refresh_bindings()

    def show_back(self) -> None:
        """Once rated: the back alone (the ratings are behind the learner)."""
        self.query_one("#card-back", Static).update(
            Content.styled(typeset(self.back, self.lang), "bold")
        )

    def action_rate(self, n: int) -> None:
        """Rate yourself once the card is flipped."""
        if self.flipped:
            self.post_message(Answered(None, Rating(n)))


@dataclass
class Flipped(Message):
    """Posted when a flashcard is turned over (the screen's hint changes to the ratings)."""


def answer_widget(item: Item, lang: str) -> Widget:
    """The widget that takes an answer to this item's question."""
    kind = item.question.kind
    if kind is Kind.CHOICE:
        return ChoiceAnswer(item, lang)
    if kind is Kind.TRUE_FALSE:
        return TrueFalseAnswer(item, lang)
    if kind is Kind.MULTI:
        return MultiAnswer(item, lang)
    if kind in (Kind.SHORT, Kind.NUMERIC):
        return TypedAnswer(item, lang)
    if kind is Kind.CLOZE:
        return ClozeAnswer(item, lang)
    if kind is Kind.ORDER:
        return OrderAnswer(item, lang)
    if kind is Kind.MATCH:
        return MatchAnswer(item, lang)
    return FlashcardAnswer(item, lang)


HINT_KEYS = {
    Kind.CHOICE: "choice_hint",
    Kind.MULTI: "multi_hint",
    Kind.TRUE_FALSE: "tf_hint",
    Kind.SHORT: "type_answer",
    Kind.NUMERIC: "type_number",
    Kind.CLOZE: "type_answer",
    Kind.ORDER: "order_hint",
    Kind.MATCH: "match_hint",
    Kind.FLASHCARD: "flip_hint",
}
