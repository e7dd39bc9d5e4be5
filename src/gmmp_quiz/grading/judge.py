"""Grading's entry: the grader of each kind, and what the missed list and the override need."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from gmmp_quiz.errors import QuizError
from gmmp_quiz.grading.picked import (
    grade_choice,
    grade_flashcard,
    grade_match,
    grade_multi,
    grade_order,
    grade_true_false,
)
from gmmp_quiz.grading.typed import grade_cloze, grade_numeric, grade_short
from gmmp_quiz.grading.verdict import SEP, BadResponse, Response, Verdict, typed_text
from gmmp_quiz.i18n import _
from gmmp_quiz.model import Kind, Outcome, Question


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
        return typed_text(response, f"a {kind.value} question")
    if kind is Kind.CLOZE:
        if question.cloze is None:
            raise QuizError(f"question {question.id} has no cloze text")
        n = len(question.gaps(lang)[1])
        if isinstance(response, str | bytes) or not isinstance(response, Sequence):
            raise BadResponse("a cloze question takes a sequence of str, one per gap")
        if len(response) != n:
            raise BadResponse(f"a cloze question with {n} gaps got {len(response)} answers")
        return SEP.join(typed_text(r, "a cloze gap") for r in response)
    return grade(question, response, lang=lang).given


def verdict_from_override(verdict: Verdict) -> Verdict:
    """The same verdict counted as correct: the learner's "I was right" key."""
    return replace(verdict, outcome=Outcome.CORRECT, score=1.0)


_GRADERS = {
    Kind.FLASHCARD: grade_flashcard,
    Kind.CHOICE: grade_choice,
    Kind.MULTI: grade_multi,
    Kind.TRUE_FALSE: grade_true_false,
    Kind.SHORT: grade_short,
    Kind.NUMERIC: grade_numeric,
    Kind.CLOZE: grade_cloze,
    Kind.ORDER: grade_order,
    Kind.MATCH: grade_match,
}
