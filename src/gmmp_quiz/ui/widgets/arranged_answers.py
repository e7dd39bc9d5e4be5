"""Answer widgets that arrange: put items in order, match the left and right columns."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from gmmp_quiz.i18n import t, typeset
from gmmp_quiz.session import Item
from gmmp_quiz.ui.widgets.answering import DIGIT_BINDINGS, LETTERS, Answered, NotAnAnswer


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
