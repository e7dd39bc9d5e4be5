"""Answer grading: judges a learner's response to a question of any kind and returns a Verdict."""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import IntEnum

from gmmp_quiz.errors import QuizError
from gmmp_quiz.i18n import _
from gmmp_quiz.model import Accepted, Kind, LText, Outcome, Question, parse_cloze
from gmmp_quiz.textmatch import (
    Match,
    char_diff,
    match_typed,
    normalize,
    parse_number,
    typo_threshold,
)

__all__ = [
    "BadResponse",
    "Rating",
    "Response",
    "Verdict",
    "expected_answer",
    "grade",
    "normalize",
    "parse_number",
    "typo_threshold",
    "verdict_from_override",
]


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
_SEP = " / "
_ARROW = " → "
_LIST = "; "


def _lang(question: Question, lang: str | None) -> str:
    return lang or question.prompt.default


def _format_number(value: float, lang: str) -> str:
    text = str(int(value)) if value.is_integer() else repr(value)
    return text.replace(".", ",") if lang.split("-")[0] == "fr" else text


def _truth_word(value: bool, lang: str) -> str:
    words = _TRUTH_WORDS.get(lang.split("-")[0].lower(), _TRUTH_WORDS["en"])
    return words[0] if value else words[1]


def _text(text: LText | None, lang: str | None) -> str:
    return "" if text is None else text.get(lang)


def expected_answer(question: Question, lang: str | None = None) -> str:
    """The right answer to `question` as text in `lang` (or the question's default language)."""
    kind = question.kind
    if kind is Kind.FLASHCARD:
        return _text(question.back, lang)
    if kind in (Kind.CHOICE, Kind.MULTI):
        sep = _SEP if kind is Kind.CHOICE else _LIST
        # In a one-answer question, another choice worth 100% is right too (Moodle's {=a =b}).
        return sep.join(
            c.text.get(lang)
            for c in question.choices
            if c.correct or (kind is Kind.CHOICE and c.weight == 100)
        )
    if kind is Kind.TRUE_FALSE:
        return _truth_word(bool(question.truth), _lang(question, lang))
    if kind is Kind.SHORT:
        return _text(question.answer, lang)
    if kind is Kind.NUMERIC:
        return _expected_number(question, _lang(question, lang), lang)
    if kind is Kind.CLOZE:
        return _SEP.join(g.answers[0] if g.answers else "" for g in question.gaps(lang)[1])
    if kind is Kind.ORDER:
        return _ARROW.join(item.get(lang) for item in question.items)
    if kind is Kind.MATCH:
        return _LIST.join(f"{p.left.get(lang)}{_ARROW}{p.right.get(lang)}" for p in question.pairs)
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
    unit = _text(question.unit, lang)
    return f"{text} {unit}" if unit else text


def grade(question: Question, response: Response, *, lang: str | None = None) -> Verdict:
    """Judge `response` to `question`; BadResponse when it has the wrong shape for the kind."""
    grader = _GRADERS.get(question.kind)
    if grader is None:
        raise QuizError(_("unknown question kind: {question.kind!r}").format(question=question))
    return grader(question, response, lang)


def given_text(question: Question, response: Response, *, lang: str | None = None) -> str:
    """`grade(question, response, lang=lang).given`, without matching typed answers.

    The missed list shows thousands of past answers: a typed one reads as typed, so there is
    no need to match it against every accepted answer again. Raises as `grade` does.
    """
    kind = question.kind
    if kind in (Kind.SHORT, Kind.NUMERIC):
        return _typed(response, f"a {kind.value} question")
    if kind is Kind.CLOZE:
        if question.cloze is None:
            raise QuizError(f"question {question.id} has no cloze text")
        n = len(question.gaps(lang)[1])
        if isinstance(response, str | bytes) or not isinstance(response, Sequence):
            raise BadResponse("a cloze question takes a sequence of str, one per gap")
        if len(response) != n:
            raise BadResponse(f"a cloze question with {n} gaps got {len(response)} answers")
        return _SEP.join(_typed(r, "a cloze gap") for r in response)
    return grade(question, response, lang=lang).given


def verdict_from_override(verdict: Verdict) -> Verdict:
    """The same verdict counted as correct: the learner's "I was right" key."""
    return replace(verdict, outcome=Outcome.CORRECT, score=1.0)


def _outcome(score: float) -> Outcome:
    if score >= 1.0:
        return Outcome.CORRECT
    return Outcome.WRONG if score <= 0.0 else Outcome.PARTIAL


def _index(value: object, size: int, what: str) -> int:
    # bool is an int subclass: True as "choice 1" is always a caller bug.
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadResponse(f"{what} must be an int index, not {type(value).__name__}")
    if not 0 <= value < size:
        raise BadResponse(f"{what} {value} is out of range (0..{size - 1})")
    return value


def _grade_flashcard(question: Question, response: object, lang: str | None) -> Verdict:
    if isinstance(response, bool) or not isinstance(response, int):
        raise BadResponse(f"a flashcard takes a Rating, not {type(response).__name__}")
    try:
        rating = Rating(response)
    except ValueError:
        raise BadResponse(f"no such rating: {response}") from None
    score = FLASHCARD_SCORES[rating]
    outcome = Outcome.WRONG if rating is Rating.AGAIN else Outcome.CORRECT
    return Verdict(outcome, score, expected_answer(question, lang), rating.name.lower())


def _grade_choice(question: Question, response: object, lang: str | None) -> Verdict:
    picked = question.choices[_index(response, len(question.choices), "choice")]
    # A wrong choice may still earn part of the mark (a Moodle weight); never less than nothing.
    score = 1.0 if picked.correct else max(0.0, (picked.weight or 0.0) / 100)
    return Verdict(
        _outcome(score),
        score,
        expected_answer(question, lang),
        picked.text.get(lang),
        feedback=picked.feedback.get(lang) if picked.feedback is not None else None,
    )


def _grade_multi(question: Question, response: object, lang: str | None) -> Verdict:
    if isinstance(response, str | bytes | Mapping) or not isinstance(response, Collection):
        raise BadResponse(f"a multi question takes a collection of indexes, not {response!r}")
    size = len(question.choices)
    picks = sorted({_index(i, size, "choice") for i in response})
    right = sum(1 for c in question.choices if c.correct)
    if right:
        # Each pick adds its weight (percent); without weights a right choice is worth one
        # share and a wrong one takes a share back, so only the exact set earns it all.
        share = 100 / right
        total = sum(
            c.weight if c.weight is not None else (share if c.correct else -share)
            for c in (question.choices[i] for i in picks)
        )
        score = min(1.0, max(0.0, total / 100))
        score = 1.0 if score > 1 - 1e-6 else score
    else:
        # A question with no right choice is answered by picking nothing.
        score = float(not picks)
    exact = score >= 1.0
    outcome = Outcome.CORRECT if exact else (Outcome.WRONG if score <= 0 else Outcome.PARTIAL)
    feedbacks = [fb.get(lang) for i in picks if (fb := question.choices[i].feedback) is not None]
    return Verdict(
        outcome,
        1.0 if exact else score,
        expected_answer(question, lang),
        _LIST.join(question.choices[i].text.get(lang) for i in picks),
        feedback="\n".join(feedbacks) or None,
    )


def _grade_true_false(question: Question, response: object, lang: str | None) -> Verdict:
    if not isinstance(response, bool):
        raise BadResponse(f"a true/false question takes a bool, not {type(response).__name__}")
    if question.truth is None:
        raise QuizError(
            _("question {question.id} has no true/false answer").format(question=question)
        )
    ok = response is question.truth
    return Verdict(
        Outcome.CORRECT if ok else Outcome.WRONG,
        1.0 if ok else 0.0,
        expected_answer(question, lang),
        _truth_word(response, _lang(question, lang)),
        feedback=_text(question.feedback if ok else question.wrong_feedback, lang) or None,
    )


def _typed(response: object, what: str) -> str:
    if not isinstance(response, str):
        raise BadResponse(f"{what} takes a str, not {type(response).__name__}")
    return " ".join(response.split())


def _typed_verdict(
    given: str, accepted: Sequence[str], expected: str, strict: bool, rivals: Sequence[str] = ()
) -> Verdict:
    return _match_verdict(given, match_typed(given, accepted, strict, rivals), expected, strict)


def _match_verdict(given: str, match: Match | None, expected: str, strict: bool) -> Verdict:
    if match is None:
        return Verdict(Outcome.WRONG, 0.0, expected, given)
    return Verdict(
        Outcome.CORRECT,
        1.0,
        expected,
        given,
        typo=match.typo,
        diff=char_diff(given, match.accepted, strict) if match.typo else (),
        matched=match.accepted,
    )


def _shown_texts(question: Question) -> list[str]:
    """The question's choices, items and pairs in every language: right answers of their own."""
    texts = [v for c in question.choices for v in c.text.variants()]
    texts += [v for item in question.items for v in item.variants()]
    texts += [v for p in question.pairs for side in (p.left, p.right) for v in side.variants()]
    return texts


def _grade_short(question: Question, response: object, lang: str | None) -> Verdict:
    given = _typed(response, "a short question")
    accepted = [*(question.answer.variants() if question.answer else ()), *question.alternatives]
    full = len(accepted)
    owner: list[Accepted] = []
    for alt in question.weighted:
        if not alt.wildcard:
            accepted.extend(alt.texts)
            owner.extend(alt for _ in alt.texts)
    expected = expected_answer(question, lang)
    rivals = _shown_texts(question)
    verdict = _typed_verdict(given, accepted, expected, question.strict_accents, rivals)
    if verdict.matched is None:
        # Wildcard answers last: an exact answer (or a typo of one) says more than a pattern.
        patterns = [a for a in question.weighted if a.wildcard and _fits(given, a, question)]
        alt = max(patterns, key=lambda a: a.weight, default=None)
        if alt is not None:
            score = alt.weight / 100
            feedback = _text(alt.feedback, lang) or None
            return replace(verdict, outcome=_outcome(score), score=score, feedback=feedback)
        return replace(verdict, feedback=_text(question.wrong_feedback, lang) or None)
    index = accepted.index(verdict.matched)
    if index < full:
        return replace(verdict, feedback=_text(question.feedback, lang) or None)
    # An answer with its own weight: a 25% answer earns 25%, and says why with its feedback.
    alt = owner[index - full]
    score = alt.weight / 100
    return replace(
        verdict, outcome=_outcome(score), score=score, feedback=_text(alt.feedback, lang) or None
    )


def _fits(given: str, alt: Accepted, question: Question) -> bool:
    """Whether a typed answer fits a wildcard answer (`*`: any text), compared as typed ones are."""
    typed = normalize(given, strict_accents=question.strict_accents)
    if not typed:
        return False  # nothing typed fits nothing, not even a lone `*`
    for text in alt.texts:
        parts = [normalize(p, strict_accents=question.strict_accents) for p in text.split("*")]
        if re.fullmatch(".*".join(re.escape(p) for p in parts), typed, re.DOTALL):
            return True
    return False


def _grade_numeric(question: Question, response: object, lang: str | None) -> Verdict:
    given = _typed(response, "a numeric question")
    expected = expected_answer(question, lang)
    value = parse_number(given)
    if value is None or question.number is None:
        return Verdict(Outcome.WRONG, 0.0, expected, given)
    main = Accepted(
        number=question.number,
        to=question.number_to,
        tolerance=question.tolerance,
        feedback=question.feedback,
    )
    # The best-weighted accepted number the value falls on (Moodle's several answers).
    best = max(
        (a for a in (main, *question.weighted) if _near(value, a)),
        key=lambda a: a.weight,
        default=None,
    )
    if best is None:
        return Verdict(
            Outcome.WRONG,
            0.0,
            expected,
            given,
            feedback=_text(question.wrong_feedback, lang) or None,
        )
    score = best.weight / 100
    return Verdict(
        _outcome(score), score, expected, given, feedback=_text(best.feedback, lang) or None
    )


def _near(value: float, accepted: Accepted) -> bool:
    """Whether `value` is the accepted number (or in its range), within its tolerance."""
    if accepted.number is None:
        return False
    low = float(accepted.number)
    high = float(accepted.to) if accepted.to is not None else low
    # A hair of slack so that 0.1 + 0.2 style float noise never fails an exact answer.
    slack = accepted.tolerance + 1e-9 * max(1.0, abs(low), abs(high))
    return low - slack <= value <= high + slack


def _gap_groups(question: Question, n: int) -> list[list[int]]:
    """Each gap's group: the gaps (itself included) whose answers may stand in its place."""
    groups = [[i] for i in range(n)]
    for group in question.any_order:
        members = [i for i in group if i < n]
        for i in members:
            groups[i] = members
    return groups


def _assign(options: list[list[int]]) -> dict[int, int]:
    """A largest matching of typed answers to gaps (Kuhn), each typed answer trying its
    preferred gaps first: `options[i]` lists the gaps typed answer i is right for."""
    owner: dict[int, int] = {}

    def place(i: int, seen: set[int]) -> bool:
        for j in options[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or place(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(options)):
        place(i, set())
    return {i: j for j, i in owner.items()}


def _grade_cloze(question: Question, response: object, lang: str | None) -> Verdict:
    if question.cloze is None:
        raise QuizError(_("question {question.id} has no cloze text").format(question=question))
    gaps = question.gaps(lang)[1]
    if isinstance(response, str | bytes) or not isinstance(response, Sequence):
        raise BadResponse("a cloze question takes a sequence of str, one per gap")
    n = len(gaps)
    if len(response) != n:
        raise BadResponse(f"a cloze question with {n} gaps got {len(response)} answers")
    given = [_typed(r, "a cloze gap") for r in response]
    others = [g for variant in question.cloze.variants() if len(g := parse_cloze(variant)[1]) == n]
    # A gap accepts its answers in every language whose sentence has as many gaps.
    accepted = [
        [*gap.answers, *(a for g in others for a in g[i].answers)] for i, gap in enumerate(gaps)
    ]
    shown = _shown_texts(question)
    strict = question.strict_accents
    groups = _gap_groups(question, n)
    matches: list[dict[int, Match]] = []
    for i, typed in enumerate(given):
        found: dict[int, Match] = {}
        for j in groups[i]:
            # Every other gap's answer is a rival: "migration" in the gap of "immigration" is
            # the other gap's word, never a typo of this one.
            rivals = [a for k in range(n) if k != j for a in accepted[k]] + shown
            match = match_typed(typed, accepted[j], strict, rivals)
            if match is not None:
                found[j] = match
        matches.append(found)
    # Exact matches before typos, and a typed answer's own gap before the others of its group.
    options = [
        sorted(found, key=lambda j, i=i, f=found: (f[j].typo, j != i))
        for i, found in enumerate(matches)
    ]
    placed = _assign(options)
    taken = set(placed.values())
    free: dict[tuple[int, ...], list[int]] = {}
    parts = []
    for i, typed in enumerate(given):
        j = placed.get(i)
        if j is None:
            # Unmatched: the expected answer is one of the group's gaps no typed answer took.
            rest = free.setdefault(tuple(groups[i]), [k for k in groups[i] if k not in taken])
            k = rest.pop(0) if rest else i
            expected = gaps[k].answers[0] if gaps[k].answers else ""
            parts.append(Verdict(Outcome.WRONG, 0.0, expected, typed))
            continue
        expected = gaps[j].answers[0] if gaps[j].answers else ""
        parts.append(_match_verdict(typed, matches[i][j], expected, strict))
    right = sum(1 for p in parts if p.correct)
    score = right / len(parts) if parts else 1.0
    return Verdict(
        _outcome(score),
        score,
        expected_answer(question, lang),
        _SEP.join(given),
        typo=any(p.typo for p in parts),
        parts=tuple(parts),
    )


def _longest_increasing(values: Sequence[int]) -> int:
    tails: list[int] = []
    for v in values:
        pos = bisect.bisect_left(tails, v)
        if pos == len(tails):
            tails.append(v)
        else:
            tails[pos] = v
    return len(tails)


def _grade_order(question: Question, response: object, lang: str | None) -> Verdict:
    if isinstance(response, str | bytes) or not isinstance(response, Sequence):
        raise BadResponse("an order question takes a sequence of item indexes")
    n = len(question.items)
    order = [_index(i, n, "item") for i in response]
    if sorted(order) != list(range(n)):
        raise BadResponse(f"an order question takes each of the {n} item indexes once")
    run = _longest_increasing(order)
    score = run / n if n else 1.0
    # No two items in the right relative order (a reversed list) is wrong, not partial.
    outcome = _outcome(score) if n < 2 or run > 1 else Outcome.WRONG
    return Verdict(
        outcome,
        score,
        expected_answer(question, lang),
        _ARROW.join(question.items[i].get(lang) for i in order),
    )


def _grade_match(question: Question, response: object, lang: str | None) -> Verdict:
    if not isinstance(response, Mapping):
        raise BadResponse("a match question takes a mapping of left index to right index")
    pairs = question.pairs
    n = len(pairs)
    # Right indexes past the pairs name the distractors, which are never right.
    rights = [p.right for p in pairs] + list(question.distractors)
    links = sorted(
        (_index(k, n, "left"), _index(v, len(rights), "right")) for k, v in response.items()
    )
    right = 0
    for left, chosen in links:
        # Two pairs may share a right text: either copy of it is right.
        if chosen == left or (
            chosen < n and pairs[chosen].right.get(lang) == pairs[left].right.get(lang)
        ):
            right += 1
    score = right / n if n else 1.0
    return Verdict(
        _outcome(score),
        score,
        expected_answer(question, lang),
        _LIST.join(f"{pairs[k].left.get(lang)}{_ARROW}{rights[v].get(lang)}" for k, v in links),
    )


_GRADERS = {
    Kind.FLASHCARD: _grade_flashcard,
    Kind.CHOICE: _grade_choice,
    Kind.MULTI: _grade_multi,
    Kind.TRUE_FALSE: _grade_true_false,
    Kind.SHORT: _grade_short,
    Kind.NUMERIC: _grade_numeric,
    Kind.CLOZE: _grade_cloze,
    Kind.ORDER: _grade_order,
    Kind.MATCH: _grade_match,
}
