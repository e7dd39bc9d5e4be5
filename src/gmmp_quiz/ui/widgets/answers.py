"""One answer widget per question kind; each posts `Answered` with a response for the grader.

The widgets live by family (choice_answers, typed_answers, arranged_answers, flashcard_answer);
this module picks one for a question and says which hint goes with it.
"""

from __future__ import annotations

from textual.widget import Widget

from gmmp_quiz.model import Kind
from gmmp_quiz.session import Item
from gmmp_quiz.ui.widgets.answering import Answered, Flipped, NotAnAnswer
from gmmp_quiz.ui.widgets.arranged_answers import MatchAnswer, MatchColumn, OrderAnswer
from gmmp_quiz.ui.widgets.choice_answers import ChoiceAnswer, MultiAnswer, TrueFalseAnswer
from gmmp_quiz.ui.widgets.flashcard_answer import FlashcardAnswer
from gmmp_quiz.ui.widgets.typed_answers import ClozeAnswer, TypedAnswer

__all__ = [
    "HINT_KEYS",
    "Answered",
    "ChoiceAnswer",
    "ClozeAnswer",
    "FlashcardAnswer",
    "Flipped",
    "MatchAnswer",
    "MatchColumn",
    "MultiAnswer",
    "NotAnAnswer",
    "OrderAnswer",
    "TrueFalseAnswer",
    "TypedAnswer",
    "answer_widget",
]


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
