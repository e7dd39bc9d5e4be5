"""The shared vocabulary: question kinds, outcomes, modes, time stamps, texts, a set's figures.

Light enough for the home screen's first frame, which does not import `model` (the sets and
questions); `model` gives these names too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum


class Kind(StrEnum):
    """The nine question types."""

    FLASHCARD = "flashcard"
    CHOICE = "choice"
    MULTI = "multi"
    TRUE_FALSE = "true_false"
    SHORT = "short"
    NUMERIC = "numeric"
    CLOZE = "cloze"
    ORDER = "order"
    MATCH = "match"


class Outcome(StrEnum):
    """How an answer fared: right, partly right, wrong, or skipped (no answer given)."""

    CORRECT = "correct"
    PARTIAL = "partial"
    WRONG = "wrong"
    SKIPPED = "skipped"


MISSED = frozenset({Outcome.WRONG, Outcome.PARTIAL})
"""The outcomes that make a question missed when they are its latest answer (see is_missed)."""


class Mode(StrEnum):
    """What a session asks: the whole set, what is due for review, or what was missed."""

    QUIZ = "quiz"
    DUE = "due"
    MISSED = "missed"


def parse_stamp(stamp: str) -> datetime:
    """The aware UTC datetime of an ISO time stamp (one without an offset is taken as UTC)."""
    when = datetime.fromisoformat(stamp)
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


@dataclass(frozen=True)
class LText:
    """A text in one or more languages; `default` names the language used when one is missing."""

    values: Mapping[str, str]
    default: str

    @classmethod
    def plain(cls, text: str, lang: str = "und") -> LText:
        """A text in a single language."""
        return cls({lang: text}, lang)

    def get(self, lang: str | None = None) -> str:
        """The text in `lang`, else in the default language, else the first one there is."""
        if lang and lang in self.values:
            return self.values[lang]
        if self.default in self.values:
            return self.values[self.default]
        return next(iter(self.values.values()))

    def variants(self) -> tuple[str, ...]:
        """Every language variant, default language first, without repeats."""
        seen: dict[str, None] = {}
        seen[self.get()] = None
        for value in self.values.values():
            seen[value] = None
        return tuple(seen)

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages this text is written in."""
        return tuple(self.values)

    def to_data(self) -> str | dict[str, str]:
        """The YAML/JSON form: a string for one language, else a language map."""
        if len(self.values) == 1 and self.default in self.values:
            return self.values[self.default]
        return dict(self.values)


@dataclass
class SetFigures:
    """A set's progress as home shows it."""

    questions: int
    mastered: int = 0
    seen: int = 0  # questions answered at least once
    due: int = 0
    missed: int = 0
    next_due: datetime | None = None  # when the next question not yet due falls due
    new: int = 0  # never-seen questions a Review due session would introduce today
