"""The missed list built from the per-question state agrees with the one rebuilt from history."""

from __future__ import annotations

import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_review_core import SETS

from gmmp_quiz.missed import missed_entries
from gmmp_quiz.store.progress import Attempt, ProgressStore, UnknownRecordError

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
KEYS = [(s.id, q.id) for s in SETS for q in s.questions] + [("gone", "q")]
ANSWERS = st.one_of(
    st.sampled_from(["Casablanca", "Tanger", "Fès", "1955", "x", ""]),
    st.integers(0, 3),
    st.lists(st.integers(0, 3), max_size=3),
)
OPS = st.lists(
    st.one_of(
        st.tuples(
            st.just("answer"),
            st.sampled_from(KEYS),
            st.sampled_from(["correct", "wrong", "partial", "skipped"]),
            ANSWERS,
        ),
        st.tuples(st.just("override"), st.integers(0, 1000)),
        st.tuples(st.just("undo")),
        st.tuples(st.just("known"), st.sampled_from(KEYS)),
        st.tuples(st.just("later"), st.integers(1, 60 * 24 * 4)),
        st.tuples(st.just("reopen")),
    ),
    max_size=40,
)


def play(
    home: Path, ops: list[tuple[Any, ...]], only: str | None = None
) -> tuple[dict[Any, Any], list[Any], datetime]:
    """Run the ops through the store; its states, its history and the time reached.

    `only`: "now" or "ever" for the store's `missed_states` instead of every state.
    """
    now = T0
    given: list[Attempt] = []
    store = ProgressStore.open(home, backup=False)
    try:
        for op in ops:
            kind = op[0]
            if kind == "answer":
                (set_id, question_id), outcome, answer = op[1], op[2], op[3]
                now += timedelta(seconds=20)
                attempt = Attempt(
                    id=uuid.uuid4().hex,
                    at=now.isoformat(),
                    set_id=set_id,
                    question_id=question_id,
                    answer=None if outcome == "skipped" else answer,
                    outcome=outcome,
                    score={"correct": 1.0, "partial": 0.5}.get(outcome, 0.0),
                    elapsed_s=3.0,
                    mode="quiz",
                    session_id="s",
                )
                store.record(attempt)
                given.append(attempt)
            elif kind == "override" and given:
                store.override(given[op[1] % len(given)].id)
            elif kind == "undo" and given:
                try:
                    store.undo(given[-1].id)
                    given.pop()
                except UnknownRecordError:
                    pass  # answered before a reopen, or no longer the latest
            elif kind == "known":
                now += timedelta(seconds=5)
                store.mark_known(*op[1], now.isoformat())
            elif kind == "later":
                now += timedelta(minutes=op[1])
            elif kind == "reopen":
                store.close()
                store = ProgressStore.open(home, backup=False)
        states = store.states() if only is None else store.missed_states(ever=only == "ever")
        return states, list(store.attempts()), now
    finally:
        store.close()


def view(entries: list[Any]) -> list[tuple[Any, ...]]:
    return [(e.key, e.times_missed, e.last_missed, e.fixed, e.expected) for e in entries]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=OPS, days=st.sampled_from([None, 0, 1, 3, 30]), lang=st.sampled_from(["fr", "en"]))
def test_state_and_history_give_the_same_list(
    ops: list[tuple[Any, ...]], days: int | None, lang: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        states, history, now = play(Path(tmp), ops)
    from_state = missed_entries(SETS, states, None, now, days=days, lang=lang)
    from_history = missed_entries(SETS, states, history, now, days=days, lang=lang)
    assert view(from_state) == view(from_history)
    for fast, slow in zip(from_state, from_history, strict=True):
        # The state keeps the last three wrong answers: what it shows is what the history
        # shows first (the same when no answer repeats among the latest ones).
        assert fast.wrong_answers == slow.wrong_answers[: len(fast.wrong_answers)]
        assert bool(fast.wrong_answers) == bool(slow.wrong_answers)
    # The states the store picks for the missed list are enough to build it.
    with tempfile.TemporaryDirectory() as tmp:
        picked, _history, _now = play(Path(tmp), ops, "now" if days is None else "ever")
    assert set(picked) <= set(states)
    from_picked = missed_entries(SETS, picked, None, now, days=days, lang=lang)
    assert view(from_picked) == view(from_state)
    for search in ("casa", "1956", "x"):
        fast_keys = [e.key for e in missed_entries(SETS, states, None, now, search=search)]
        slow_keys = [e.key for e in missed_entries(SETS, states, history, now, search=search)]
        # A search can also find an older wrong answer that only the history still has.
        assert set(fast_keys) <= set(slow_keys)


def test_lazily_loaded_set_gives_the_same_list(tmp_path: Path) -> None:
    from gmmp_quiz.sets.loading import load_set

    path = Path(__file__).parent / "data" / "ui" / "all-types.yaml"
    lazy = load_set(path, use_cache=False)
    built = load_set(path, use_cache=False)
    questions = tuple(built.questions)  # every question built up front
    assert lazy.questions.pick([3, 0]) == (questions[3], questions[0])  # type: ignore[attr-defined]
    ops = [("answer", ("all-types", q.id), "wrong", "x") for q in questions[::2]]
    states, _history, now = play(tmp_path, ops)
    from_lazy = missed_entries([lazy], states, None, now)
    assert view(from_lazy) == view(missed_entries([built], states, None, now))
    # Each missed once: the latest missed first.
    assert [e.key for e in from_lazy] == [("all-types", q.id) for q in questions[::2]][::-1]
