"""What keeps memory small with a long history changes nothing the store writes or the stats say."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from gmmp_quiz.sets.loading import LazyQuestions, load_set
from gmmp_quiz.stats import compute_stats
from gmmp_quiz.store.progress import Attempt, ProgressStore
from gmmp_quiz.store.state import QuestionState, apply_attempt, to_state
from gmmp_quiz.store.tables import share_values

GOOD = Path(__file__).parent / "data" / "good"
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def answer(n: int, question: str, outcome: str, value: Any, set_id: str = "s") -> Attempt:
    return Attempt(
        id=f"a{n}",
        at=f"2026-11-{10 + n % 9:02d}T10:00:{n % 60:02d}+00:00",
        set_id=set_id,
        question_id=question,
        answer=value,
        outcome=outcome,
        score=1.0 if outcome == "correct" else 0.0,
        elapsed_s=3.0,
        mode="quiz",
        session_id=f"session-{n // 4}",
    )


def test_shared_values_leave_the_state_file_as_it_was(quiz_home: Path) -> None:
    store = ProgressStore.open(quiz_home)
    values: list[Any] = [1, True, 1.0, -0.0, "x", [0, 1], {"0": 1, "1": 0}, {"1": 0, "0": 1}, None]
    for n in range(40):
        outcome = ("wrong", "correct", "partial", "skipped")[n % 4]
        store.record(answer(n, f"q{n % 7}", outcome, values[n % len(values)]))
    store.close()
    store = ProgressStore.open(quiz_home)
    data = store._db.storage.data  # type: ignore[attr-defined]
    text = json.dumps(data, ensure_ascii=False)
    states = store.states()
    store.share_values()
    assert json.dumps(data, ensure_ascii=False) == text
    assert store.states() == states
    docs = list(data["questions"].values())
    # One object for each repeated set id, and the latest attempt's time is the state's own.
    assert len({id(doc["set_id"]) for doc in docs}) == 1
    assert all(doc["last_attempt"]["at"] is doc["last_seen"] for doc in docs)
    store.record(answer(99, "q1", "wrong", "late"))
    store.close()
    reopened = ProgressStore.open(quiz_home)
    assert reopened.state("s", "q1") is not None
    assert reopened.state("s", "q1").last_answer == "late"  # type: ignore[union-attr]
    reopened.close()


@pytest.mark.parametrize(
    ("one", "other"),
    [(1, True), (0.0, -0.0), (1, 1.0), ({"a": 1, "b": 2}, {"b": 2, "a": 1}), ([1], [True])],
)
def test_equal_values_that_encode_differently_are_not_shared(one: Any, other: Any) -> None:
    doc = {
        "set_id": "s",
        "question_id": "q",
        "last_seen": "t",
        "last_answer": one,
        "wrong": [["a1", one]],
        "last_attempt": {"id": "a1", "at": "t", "answer": other},
    }
    tables = {"questions": {"k": doc}}
    text = json.dumps(tables)
    share_values(tables)
    assert json.dumps(tables) == text
    assert doc["last_attempt"]["answer"] is other


def test_outline_is_what_building_gives() -> None:
    qset = load_set(GOOD / "bilingual.yaml", use_cache=False)
    lazy = qset.questions
    assert isinstance(lazy, LazyQuestions)
    outline = lazy.outline()
    built = [(q.id, q.tags, q.source) for q in qset.questions]
    assert outline == built
    assert lazy.outline() == built  # from the built questions now
    assert len(lazy) == len(built)


def test_stats_are_the_same_whether_sets_are_built_or_not() -> None:
    lazy = load_set(GOOD / "bilingual.yaml", use_cache=False)
    built = load_set(GOOD / "bilingual.yaml", use_cache=False)
    list(built.questions)
    store_states: dict[tuple[str, str], QuestionState] = {}
    ids = built.question_ids()
    for n, qid in enumerate(ids):
        doc = apply_attempt(None, answer(n, qid, "wrong", "x", lazy.id).to_dict(), None)
        store_states[(lazy.id, qid)] = to_state(doc)
    got = [
        compute_stats([s], store_states, None, NOW, UTC, hourly={}, lang="en")
        for s in (lazy, built)
    ]
    assert got[0] == got[1]
    assert got[0].top_missed
