"""The model: frozen dataclasses for sets, questions of nine kinds and texts, and the shared
vocabulary of answers (outcomes, modes, time stamps)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


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


@dataclass(frozen=True)
class Choice:
    """One choice of a `choice` or `multi` question."""

    text: LText
    correct: bool
    feedback: LText | None = None
    # The share of the mark (percent, -100..100) picking it earns; None: the kind's default.
    weight: float | None = None


@dataclass(frozen=True)
class Accepted:
    """Another answer of a short or numeric question, worth `weight` percent, with its feedback."""

    texts: tuple[str, ...] = ()
    number: float | None = None
    to: float | None = None
    tolerance: float = 0.0
    weight: float = 100.0
    feedback: LText | None = None
    # short: `*` in the texts stands for any text
    wildcard: bool = False


@dataclass(frozen=True)
class Pair:
    """One left/right pair of a `match` question."""

    left: LText
    right: LText


GAP_RE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


@dataclass(frozen=True)
class Gap:
    """One gap of a cloze sentence with its accepted answers (first one shown as the answer)."""

    answers: tuple[str, ...]


def parse_cloze(text: str) -> tuple[tuple[str, ...], tuple[Gap, ...]]:
    """Split a cloze sentence into its literal pieces (one more than gaps) and its gaps."""
    pieces: list[str] = []
    gaps: list[Gap] = []
    pos = 0
    for m in GAP_RE.finditer(text):
        pieces.append(text[pos : m.start()])
        answers = tuple(a.strip() for a in m.group(1).split("|") if a.strip())
        gaps.append(Gap(answers))
        pos = m.end()
    pieces.append(text[pos:])
    return tuple(pieces), tuple(gaps)


@dataclass(frozen=True)
class Question:
    """A question of any kind; the fields that a kind does not use stay empty."""

    id: str
    kind: Kind
    prompt: LText
    explanation: LText | None = None
    source: LText | None = None
    tags: tuple[str, ...] = ()
    shuffle: bool = True
    strict_accents: bool = False
    line: int = 0
    # True context the source does not give, shown apart from the explanation ("Good to know")
    background: LText | None = None
    # flashcard
    back: LText | None = None
    # choice / multi
    choices: tuple[Choice, ...] = ()
    # true_false
    truth: bool | None = None
    # short: accepted answers, the first shown as the answer
    answer: LText | None = None
    alternatives: tuple[str, ...] = ()
    # numeric
    number: float | None = None
    tolerance: float = 0.0
    unit: LText | None = None
    # numeric: a range's upper end (`number` is its lower end)
    number_to: float | None = None
    # true_false, short, numeric: shown for the answer, and for any answer not accepted
    feedback: LText | None = None
    wrong_feedback: LText | None = None
    # short, numeric: answers with their own weight or feedback
    weighted: tuple[Accepted, ...] = ()
    # cloze: the sentence with {{answer|alternative}} gaps, per language
    cloze: LText | None = None
    # cloze: groups of gap indexes (0-based) whose answers may be given in any order
    any_order: tuple[tuple[int, ...], ...] = ()
    # cloze: per gap, the choices offered (the gap's answer among them), or None (typed)
    gap_options: tuple[tuple[LText, ...] | None, ...] = ()
    # order: items in the right order
    items: tuple[LText, ...] = ()
    # match
    pairs: tuple[Pair, ...] = ()
    # match: right-hand items with no left partner (never a right answer)
    distractors: tuple[LText, ...] = ()

    def languages(self) -> set[str]:
        """Every language some text of this question is written in."""
        langs: set[str] = set()
        for text in self.texts():
            langs.update(text.languages)
        return langs

    def texts(self) -> Iterator[LText]:
        """Every text of the question, for checks that apply to all of them."""
        for t in (self.prompt, self.explanation, self.background, self.source, self.back):
            if t is not None:
                yield t
        for t in (self.answer, self.unit, self.cloze):
            if t is not None:
                yield t
        for t in (self.feedback, self.wrong_feedback, *(a.feedback for a in self.weighted)):
            if t is not None:
                yield t
        for c in self.choices:
            yield c.text
            if c.feedback is not None:
                yield c.feedback
        yield from self.items
        for p in self.pairs:
            yield p.left
            yield p.right
        yield from self.distractors
        for options in self.gap_options:
            yield from options or ()

    @property
    def match_rights(self) -> tuple[LText, ...]:
        """A match question's right-hand items: the pairs' own, then the distractors."""
        return tuple(p.right for p in self.pairs) + tuple(self.distractors)

    def gaps(self, lang: str | None = None) -> tuple[tuple[str, ...], tuple[Gap, ...]]:
        """The cloze sentence's pieces and gaps in `lang` (or the fallback language)."""
        assert self.cloze is not None
        return parse_cloze(self.cloze.get(lang))


def tag_label(names: Mapping[str, LText], tag: str, lang: str | None = None) -> str:
    """How a tag reads in `lang`: its name in `names` (a set's tag_names), else the tag itself."""
    name = names.get(tag)
    return name.get(lang) if name is not None else tag


@dataclass(frozen=True)
class QuestionSet:
    """A named, sourced set of questions loaded from one file."""

    id: str
    title: LText
    language: str
    questions: tuple[Question, ...]
    description: LText | None = None
    source: LText | None = None
    tags: tuple[str, ...] = ()
    shuffle: bool = True
    strict_accents: bool = False
    path: str = ""
    tag_names: Mapping[str, LText] = field(default_factory=dict)
    shipped: bool = False
    id_at: tuple[int, int] = (1, 1)
    extra: Mapping[str, Any] = field(default_factory=dict)

    def tag_label(self, tag: str, lang: str | None = None) -> str:
        """How a tag reads in `lang`: its name from `tag_names`, else the tag itself."""
        return tag_label(self.tag_names, tag, lang)

    def question(self, question_id: str) -> Question | None:
        """The question with this id, if the set has it."""
        for q in self.questions:
            if q.id == question_id:
                return q
        return None

    def question_ids(self) -> tuple[str, ...]:
        """The ids of the questions (without building them when they are loaded lazily)."""
        ids = getattr(self.questions, "ids", None)
        return ids() if callable(ids) else tuple(q.id for q in self.questions)

    def languages(self) -> list[str]:
        """The languages of the set, its own language first."""
        langs: set[str] = set(self.title.languages)
        for q in self.questions:
            langs |= q.languages()
        langs.discard(self.language)
        return [self.language, *sorted(langs)]


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
