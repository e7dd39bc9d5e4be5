"""Grading typed answers: short answers, numbers and the gaps of a cloze (typos forgiven)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from gmmp_quiz.errors import QuizError
from gmmp_quiz.grading.verdict import (
    SEP,
    BadResponse,
    Verdict,
    expected_answer,
    outcome_of,
    text_in,
    typed_text,
)
from gmmp_quiz.i18n import _
from gmmp_quiz.model import Accepted, Outcome, Question, parse_cloze
from gmmp_quiz.textmatch import Match, char_diff, match_typed, normalize, parse_number


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


def grade_short(question: Question, response: object, lang: str | None) -> Verdict:
    """A typed answer: any accepted text (typos forgiven), weighted ones, then wildcards."""
    given = typed_text(response, "a short question")
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
        pattern = max(patterns, key=lambda a: a.weight, default=None)
        if pattern is not None:
            score = pattern.weight / 100
            feedback = text_in(pattern.feedback, lang) or None
            return replace(verdict, outcome=outcome_of(score), score=score, feedback=feedback)
        return replace(verdict, feedback=text_in(question.wrong_feedback, lang) or None)
    index = accepted.index(verdict.matched)
    if index < full:
        return replace(verdict, feedback=text_in(question.feedback, lang) or None)
    # An answer with its own weight: a 25% answer earns 25%, and says why with its feedback.
    alt = owner[index - full]
    score = alt.weight / 100
    return replace(
        verdict,
        outcome=outcome_of(score),
        score=score,
        feedback=text_in(alt.feedback, lang) or None,
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


def grade_numeric(question: Question, response: object, lang: str | None) -> Verdict:
    """A typed number: the best-weighted accepted number or range it falls on."""
    given = typed_text(response, "a numeric question")
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
            feedback=text_in(question.wrong_feedback, lang) or None,
        )
    score = best.weight / 100
    return Verdict(
        outcome_of(score), score, expected, given, feedback=text_in(best.feedback, lang) or None
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


def _preferred(i: int, found: dict[int, Match]) -> list[int]:
    """The gaps typed answer `i` is right for: exact matches first, then its own gap first."""
    return sorted(found, key=lambda j: (found[j].typo, j != i))


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


def grade_cloze(question: Question, response: object, lang: str | None) -> Verdict:
    """One typed answer per gap, each placed in the gap it is right for."""
    if question.cloze is None:
        raise QuizError(_("question {question.id} has no cloze text").format(question=question))
    gaps = question.gaps(lang)[1]
    if isinstance(response, str | bytes) or not isinstance(response, Sequence):
        raise BadResponse("a cloze question takes a sequence of str, one per gap")
    n = len(gaps)
    if len(response) != n:
        raise BadResponse(f"a cloze question with {n} gaps got {len(response)} answers")
    given = [typed_text(r, "a cloze gap") for r in response]
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
    options = [_preferred(i, found) for i, found in enumerate(matches)]
    placed = _assign(options)
    taken = set(placed.values())
    free: dict[tuple[int, ...], list[int]] = {}
    parts = []
    for i, typed in enumerate(given):
        spot = placed.get(i)
        if spot is None:
            # Unmatched: the expected answer is one of the group's gaps no typed answer took.
            rest = free.setdefault(tuple(groups[i]), [k for k in groups[i] if k not in taken])
            k = rest.pop(0) if rest else i
            expected = gaps[k].answers[0] if gaps[k].answers else ""
            parts.append(Verdict(Outcome.WRONG, 0.0, expected, typed))
            continue
        expected = gaps[spot].answers[0] if gaps[spot].answers else ""
        parts.append(_match_verdict(typed, matches[i][spot], expected, strict))
    right = sum(1 for p in parts if p.correct)
    score = right / len(parts) if parts else 1.0
    return Verdict(
        outcome_of(score),
        score,
        expected_answer(question, lang),
        SEP.join(given),
        typo=any(p.typo for p in parts),
        parts=tuple(parts),
    )
