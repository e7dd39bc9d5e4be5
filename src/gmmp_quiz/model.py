"""The model: frozen dataclasses for sets and questions of nine kinds, with the shared
vocabulary (kinds, outcomes, modes, time stamps, texts) that `vocab` defines."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

# The shared vocabulary lives in `vocab` (the first frame imports it alone); given here too.
from gmmp_quiz.vocab import MISSED as MISSED
from gmmp_quiz.vocab import Kind as Kind
from gmmp_quiz.vocab import LText as LText
from gmmp_quiz.vocab import Mode as Mode
from gmmp_quiz.vocab import Outcome as Outcome
from gmmp_quiz.vocab import SetFigures as SetFigures
from gmmp_quiz.vocab import parse_stamp as parse_stamp


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
