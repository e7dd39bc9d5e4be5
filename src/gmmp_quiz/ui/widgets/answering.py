"""What every answer widget shares: the messages they post, the digit and letter keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.binding import Binding, BindingType
from textual.message import Message

from gmmp_quiz.grading import Rating

LETTERS = "abcdefghi"


DIGIT_BINDINGS: list[BindingType] = [
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


@dataclass
class Flipped(Message):
    """Posted when a flashcard is turned over (the screen's hint changes to the ratings)."""
