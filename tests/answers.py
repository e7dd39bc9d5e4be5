"""An answer as the store records it, for the tests that put one in a store."""

from __future__ import annotations

import uuid

from gmmp_quiz.store.state import Attempt


def answer(
    set_id: str,
    question_id: str,
    outcome: str,
    at: str,
    *,
    score: float | None = None,
    answer_id: str | None = None,
) -> Attempt:
    """An answer "x" in a quiz outside any session; its score 1.0 when correct unless given."""
    if score is None:
        score = 1.0 if outcome == "correct" else 0.0
    return Attempt(
        id=answer_id or uuid.uuid4().hex,
        at=at,
        set_id=set_id,
        question_id=question_id,
        answer="x",
        outcome=outcome,
        score=score,
        elapsed_s=1.0,
        mode="quiz",
        session_id="",
    )
