"""The flashcard: flip it, then rate yourself."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from gmmp_quiz.grading import Rating
from gmmp_quiz.i18n import typeset
from gmmp_quiz.session import Item
from gmmp_quiz.ui.widgets.answering import Answered, Flipped


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
