"""What grading says: the Verdict, its outcome and score, and the right answer shown with it."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum

from gmmp_quiz.errors import QuizError
from gmmp_quiz.i18n import _
from gmmp_quiz.model import Kind, LText, Outcome, Question


class BadResponse(QuizError):
    """A response of the wrong shape for the question's kind (a caller bug, not a wrong answer)."""


class Rating(IntEnum):
    """A learner's own rating of a flashcard (the same scale as FSRS)."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


@dataclass(frozen=True)
class Verdict:
    """How an answer was judged."""

    outcome: Outcome
    score: float
    expected: str
    given: str
    typo: bool = False
    # With a typo: (op, text) segments, op in "equal"/"delete"/"insert"; joining the equal and
    # delete texts gives `given`, joining the equal and insert texts gives `matched`.
    diff: tuple[tuple[str, str], ...] = ()
    feedback: str | None = None
    parts: tuple[Verdict, ...] = ()
    # The accepted answer the typed text matched (may be an alternative): what `diff` is against.
    matched: str | None = None

    @property
    def correct(self) -> bool:
        """Whether the outcome is correct."""
        return self.outcome is Outcome.CORRECT


Response = int | bool | str | Sequence[str] | Collection[int] | Mapping[int, int] | Rating

# A flashcard is self-rated: "hard" was recalled (correct), with a lower score for the session.
FLASHCARD_SCORES = {Rating.AGAIN: 0.0, Rating.HARD: 0.6, Rating.GOOD: 1.0, Rating.EASY: 1.0}

_TRUTH_WORDS = {
    "fr": ("Vrai", "Faux"),
    "en": ("True", "False"),
    "es": ("Verdadero", "Falso"),
    "pt": ("Verdadeiro", "Falso"),
    "it": ("Vero", "Falso"),
    "de": ("Wahr", "Falsch"),
}
# How a numeric range reads ("3.141 to 3.142"), by language.
_RANGE_WORDS = {"fr": "à", "en": "to", "es": "a", "pt": "a", "it": "a", "de": "bis"}
SEP = " / "
ARROW = " → "
LIST = "; "


def lang_of(question: Question, lang: str | None) -> str:
    """The language to show the question in: `lang`, else the question's own."""
    return lang or question.prompt.default


def _format_number(value: float, lang: str) -> str:
    text = str(int(value)) if value.is_integer() else repr(value)
    return text.replace(".", ",") if lang.split("-")[0] == "fr" else text


def truth_word(value: bool, lang: str) -> str:
    """True or False as a word of `lang`."""
    words = _TRUTH_WORDS.get(lang.split("-")[0].lower(), _TRUTH_WORDS["en"])
    return words[0] if value else words[1]


def text_in(text: LText | None, lang: str | None) -> str:
    """A text in `lang`, or "" when there is none."""
    return "" if text is None else text.get(lang)


def expected_answer(question: Question, lang: str | None = None) -> str:
    """The right answer to `question` as text in `lang` (or the question's default language)."""
    kind = question.kind
    if kind is Kind.FLASHCARD:
        return text_in(question.back, lang)
    if kind in (Kind.CHOICE, Kind.MULTI):
        sep = SEP if kind is Kind.CHOICE else LIST
        # In a one-answer question, another choice worth 100% is right too (Moodle's {=a =b}).
        return sep.join(
            c.text.get(lang)
            for c in question.choices
            if c.correct or (kind is Kind.CHOICE and c.weight == 100)
        )
    if kind is Kind.TRUE_FALSE:
        return truth_word(bool(question.truth), lang_of(question, lang))
    if kind is Kind.SHORT:
        return text_in(question.answer, lang)
    if kind is Kind.NUMERIC:
        return _expected_number(question, lang_of(question, lang), lang)
    if kind is Kind.CLOZE:
        return SEP.join(g.answers[0] if g.answers else "" for g in question.gaps(lang)[1])
    if kind is Kind.ORDER:
        return ARROW.join(item.get(lang) for item in question.items)
    if kind is Kind.MATCH:
        return LIST.join(f"{p.left.get(lang)}{ARROW}{p.right.get(lang)}" for p in question.pairs)
    raise QuizError(_("unknown question kind: {kind!r}").format(kind=kind))


def _expected_number(question: Question, base_lang: str, lang: str | None) -> str:
    if question.number is None:
        return ""
    text = _format_number(float(question.number), base_lang)
    if question.number_to is not None and question.number_to != question.number:
        word = _RANGE_WORDS.get(base_lang.split("-")[0].lower(), _RANGE_WORDS["en"])
        text += f" {word} {_format_number(float(question.number_to), base_lang)}"
    if question.tolerance > 0:
        text += f" ± {_format_number(float(question.tolerance), base_lang)}"
    unit = text_in(question.unit, lang)
    return f"{text} {unit}" if unit else text


def outcome_of(score: float) -> Outcome:
    """The outcome a score earns: correct at 1, wrong at 0, else partial."""
    if score >= 1.0:
        return Outcome.CORRECT
    return Outcome.WRONG if score <= 0.0 else Outcome.PARTIAL


def index_in(value: object, size: int, what: str) -> int:
    """A response index checked against `size` (BadResponse when it is not one)."""
    # bool is an int subclass: True as "choice 1" is always a caller bug.
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadResponse(f"{what} must be an int index, not {type(value).__name__}")
    if not 0 <= value < size:
        raise BadResponse(f"{what} {value} is out of range (0..{size - 1})")
    return value


def typed_text(response: object, what: str) -> str:
    """A typed response with its runs of spaces made one (BadResponse unless a str)."""
    if not isinstance(response, str):
        raise BadResponse(f"{what} takes a str, not {type(response).__name__}")
    return " ".join(response.split())
