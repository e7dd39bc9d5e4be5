"""Answer grading: judges a learner's response to a question of any kind and returns a Verdict.

The rooms: `verdict` (the Verdict, ratings, the right answer as text), `picked` (choices,
true/false, order, pairs, a flashcard's rating), `typed` (short answers, numbers, cloze gaps) and
`judge` (`grade`, which sends each kind to its grader). Callers take these names from here.
"""

from __future__ import annotations

from gmmp_quiz.grading.judge import given_text, grade, verdict_from_override
from gmmp_quiz.grading.verdict import BadResponse, Rating, Response, Verdict, expected_answer
from gmmp_quiz.textmatch import normalize, parse_number, typo_threshold

__all__ = [
    "BadResponse",
    "Rating",
    "Response",
    "Verdict",
    "expected_answer",
    "given_text",
    "grade",
    "normalize",
    "parse_number",
    "typo_threshold",
    "verdict_from_override",
]
