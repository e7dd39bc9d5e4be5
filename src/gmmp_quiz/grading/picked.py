"""Grading the answers picked, not typed: a rating, choices, true/false, an order, pairs."""

from __future__ import annotations

import bisect
from collections.abc import Collection, Mapping, Sequence

from gmmp_quiz.errors import QuizError
from gmmp_quiz.grading.verdict import (
    ARROW,
    FLASHCARD_SCORES,
    LIST,
    BadResponse,
    Rating,
    Verdict,
    expected_answer,
    index_in,
    lang_of,
    outcome_of,
    text_in,
    truth_word,
)
from gmmp_quiz.i18n import _
from gmmp_quiz.model import Outcome, Question


def grade_flashcard(question: Question, response: object, lang: str | None) -> Verdict:
    """A flashcard: the learner's own Rating, AGAIN being a miss."""
    if isinstance(response, bool) or not isinstance(response, int):
        raise BadResponse(f"a flashcard takes a Rating, not {type(response).__name__}")
    try:
        rating = Rating(response)
    except ValueError:
        raise BadResponse(f"no such rating: {response}") from None
    score = FLASHCARD_SCORES[rating]
    outcome = Outcome.WRONG if rating is Rating.AGAIN else Outcome.CORRECT
    return Verdict(outcome, score, expected_answer(question, lang), rating.name.lower())


def grade_choice(question: Question, response: object, lang: str | None) -> Verdict:
    """One choice by its index: right, or worth its weight (never below 0)."""
    picked = question.choices[index_in(response, len(question.choices), "choice")]
    # A wrong choice may still earn part of the mark (a Moodle weight); never less than nothing.
    score = 1.0 if picked.correct else max(0.0, (picked.weight or 0.0) / 100)
    return Verdict(
        outcome_of(score),
        score,
        expected_answer(question, lang),
        picked.text.get(lang),
        feedback=picked.feedback.get(lang) if picked.feedback is not None else None,
    )


def grade_multi(question: Question, response: object, lang: str | None) -> Verdict:
    """Several choices by their indexes: each weighs in, only the exact set earns it all."""
    if isinstance(response, str | bytes | Mapping) or not isinstance(response, Collection):
        raise BadResponse(f"a multi question takes a collection of indexes, not {response!r}")
    size = len(question.choices)
    picks = sorted({index_in(i, size, "choice") for i in response})
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
        LIST.join(question.choices[i].text.get(lang) for i in picks),
        feedback="\n".join(feedbacks) or None,
    )


def grade_true_false(question: Question, response: object, lang: str | None) -> Verdict:
    """True or false, with the feedback for the answer given."""
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
        truth_word(response, lang_of(question, lang)),
        feedback=text_in(question.feedback if ok else question.wrong_feedback, lang) or None,
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


def grade_order(question: Question, response: object, lang: str | None) -> Verdict:
    """Item indexes in the order given: the longest run in the right order scores."""
    if isinstance(response, str | bytes) or not isinstance(response, Sequence):
        raise BadResponse("an order question takes a sequence of item indexes")
    n = len(question.items)
    order = [index_in(i, n, "item") for i in response]
    if sorted(order) != list(range(n)):
        raise BadResponse(f"an order question takes each of the {n} item indexes once")
    run = _longest_increasing(order)
    score = run / n if n else 1.0
    # No two items in the right relative order (a reversed list) is wrong, not partial.
    outcome = outcome_of(score) if n < 2 or run > 1 else Outcome.WRONG
    return Verdict(
        outcome,
        score,
        expected_answer(question, lang),
        ARROW.join(question.items[i].get(lang) for i in order),
    )


def grade_match(question: Question, response: object, lang: str | None) -> Verdict:
    """Left index to right index (past the pairs: a distractor): a share per right pair."""
    if not isinstance(response, Mapping):
        raise BadResponse("a match question takes a mapping of left index to right index")
    pairs = question.pairs
    n = len(pairs)
    # Right indexes past the pairs name the distractors, which are never right.
    rights = [p.right for p in pairs] + list(question.distractors)
    links = sorted(
        (index_in(k, n, "left"), index_in(v, len(rights), "right")) for k, v in response.items()
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
        outcome_of(score),
        score,
        expected_answer(question, lang),
        LIST.join(f"{pairs[k].left.get(lang)}{ARROW}{rights[v].get(lang)}" for k, v in links),
    )
