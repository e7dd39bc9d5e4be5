"""The progress store driven by hypothesis against a plain-dict model, reopened along the way."""

from __future__ import annotations

import copy
import shutil
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import gmmp_quiz.store.progress as progress
from gmmp_quiz.store.progress import Attempt, ProgressStore, QuestionState, UnknownRecordError
from gmmp_quiz.store.transfer import export_data, import_data

KEYS = [("s1", "q1"), ("s1", "q2"), ("s2", "q1")]
MISSED = {"wrong", "partial"}
answers = st.one_of(st.text(max_size=5), st.integers(), st.lists(st.integers(), max_size=3))
# Cards with a due date the store can read back (it refuses others: see test_reliability.py).
dues = st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1), timezones=st.just(UTC))
cards = st.none() | st.fixed_dictionaries(
    {"stability": st.integers(0, 50), "due": dues.map(datetime.isoformat)}
)


def empty(key: tuple[str, str]) -> dict[str, Any]:
    return {
        "attempts": 0,
        "correct": 0,
        "last_answer": None,
        "last_result": None,
        "last_seen": None,
        "times_missed": 0,
        "card": None,
        "known_at": None,
        "wrong": [],
        "first_seen": None,
        "last_id": None,
    }


def adjust(state: dict[str, Any], attempt_id: str, was: str) -> None:
    """The model's rule for an override: counters move, the answer leaves the wrong list."""
    if was != "correct":
        state["correct"] += 1
    if was in MISSED:
        state["times_missed"] -= 1
        state["wrong"] = [w for w in state["wrong"] if w[0] != attempt_id]
    if state["last_id"] == attempt_id:
        state["last_result"] = "correct"


class StoreMachine(RuleBasedStateMachine):
    """Every rule changes both the store and the model; the invariant compares them."""

    def __init__(self) -> None:
        super().__init__()
        self.home = Path(tempfile.mkdtemp())
        self.store = ProgressStore.open(self.home, backup=False)
        self.clock = 0
        self.states: dict[tuple[str, str], dict[str, Any]] = {}
        # The state before the latest attempt, while that attempt can be undone (None: no state).
        self.prev: dict[tuple[str, str], dict[str, Any] | None] = {}
        self.history: list[dict[str, Any]] = []
        self.settings: dict[str, Any] = {}
        self.sessions: dict[str, dict[str, Any]] = {}

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.home, ignore_errors=True)

    def tick(self) -> str:
        # 37 minutes a tick: answers fall in many different UTC hours.
        self.clock += 1
        when = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=37 * self.clock)
        return when.isoformat()

    @rule(
        key=st.sampled_from(KEYS),
        outcome=st.sampled_from(["correct", "partial", "wrong", "skipped"]),
        answer=answers,
        card=cards,
    )
    def record(
        self, key: tuple[str, str], outcome: str, answer: Any, card: dict[str, Any] | None
    ) -> None:
        attempt = Attempt(
            id=uuid.uuid4().hex,
            at=self.tick(),
            set_id=key[0],
            question_id=key[1],
            answer=answer,
            outcome=outcome,
            score=1.0 if outcome == "correct" else 0.0,
            elapsed_s=1.0,
            mode="quiz",
            session_id="",
        )
        self.store.record(attempt, card=card)
        old = self.states.get(key)
        self.prev[key] = copy.deepcopy(old)
        new = copy.deepcopy(old) if old else empty(key)
        new["attempts"] += 1
        new["correct"] += outcome == "correct"
        new["last_answer"], new["last_result"], new["last_seen"] = answer, outcome, attempt.at
        if outcome in MISSED:
            new["times_missed"] += 1
            new["wrong"] = [*new["wrong"], [attempt.id, answer]][-3:]
        new["first_seen"] = new["first_seen"] or attempt.at
        if card is not None:
            new["card"] = card
        new["last_id"] = attempt.id
        self.states[key] = new
        self.history.append(attempt.to_dict())

    @precondition(lambda self: self.history)
    @rule(data=st.data())
    def undo(self, data: st.DataObject) -> None:
        attempt = data.draw(st.sampled_from(self.history))
        key = (attempt["set_id"], attempt["question_id"])
        undoable = key in self.prev and self.states[key]["last_id"] == attempt["id"]
        if not undoable:
            with pytest.raises(UnknownRecordError):
                self.store.undo(attempt["id"])
            return
        self.store.undo(attempt["id"])
        before = self.prev.pop(key)
        if before is None:
            del self.states[key]
        else:
            self.states[key] = before
        self.history.remove(attempt)

    @precondition(lambda self: self.history)
    @rule(data=st.data(), card=cards)
    def override(self, data: st.DataObject, card: dict[str, Any] | None) -> None:
        attempt = data.draw(st.sampled_from(self.history))
        key = (attempt["set_id"], attempt["question_id"])
        self.store.override(attempt["id"], score=0.75, card=card)
        state = self.states[key]
        latest = state["last_id"] == attempt["id"]
        adjust(state, attempt["id"], attempt["outcome"])
        if card is not None:
            state["card"] = card
        before = self.prev.get(key)
        if not latest and before is not None:
            adjust(before, attempt["id"], attempt["outcome"])
        attempt.update(outcome="correct", score=0.75, overridden=True)

    @rule(key=st.sampled_from(KEYS))
    def mark_known(self, key: tuple[str, str]) -> None:
        at = self.tick()
        self.store.mark_known(*key, at)
        self.states.setdefault(key, empty(key))["known_at"] = at

    @rule(key=st.sampled_from(KEYS), card=st.fixed_dictionaries({"n": st.integers()}))
    def set_card(self, key: tuple[str, str], card: dict[str, Any]) -> None:
        self.store.set_card(*key, card)
        self.states.setdefault(key, empty(key))["card"] = card

    @rule(key=st.sampled_from(["theme", "last_set"]), value=answers)
    def set_setting(self, key: str, value: Any) -> None:
        self.store.set_setting(key, value)
        self.settings[key] = value

    @rule(set_id=st.sampled_from(["s1", "s2"]))
    def session(self, set_id: str) -> None:
        at = self.tick()
        sid = self.store.start_session(set_id, "quiz", at)
        self.sessions[sid] = {
            "id": sid,
            "set_id": set_id,
            "mode": "quiz",
            "start": at,
            "end": None,
            "answered": 0,
            "correct": 0,
            "score": None,
        }
        if len(self.sessions) % 2:
            end = self.tick()
            self.store.end_session(sid, end, answered=2, correct=1, score=0.5)
            self.sessions[sid].update(end=end, answered=2, correct=1, score=0.5)

    @rule()
    def reopen(self) -> None:
        self.store.close()
        self.store = ProgressStore.open(self.home, backup=False)
        assert self.store.warnings == []
        self.prev.clear()  # undo is for the answers given since the store was opened

    @rule()
    def crash_and_reopen(self) -> None:
        # Like a kill: no compaction at close, the journal tail is replayed.
        self.store._close_files()
        self.store = ProgressStore.open(self.home, backup=False)
        assert self.store.warnings == []
        self.prev.clear()

    @rule()
    def compact(self) -> None:
        self.store.compact()

    @rule()
    def reset_s2(self) -> None:
        self.store.reset("s2")
        self.states = {k: v for k, v in self.states.items() if k[0] != "s2"}
        self.prev = {k: v for k, v in self.prev.items() if k[0] != "s2"}
        self.history = [a for a in self.history if a["set_id"] != "s2"]
        self.sessions = {k: v for k, v in self.sessions.items() if v["set_id"] != "s2"}

    @rule()
    def reimport_own_export(self) -> None:
        summary = import_data(self.store, export_data(self.store))
        assert summary["attempts_added"] == summary["questions_updated"] == 0

    @rule()
    def export_to_a_fresh_profile(self) -> None:
        home = Path(tempfile.mkdtemp())
        try:
            with ProgressStore.open(home, backup=False) as fresh:
                import_data(fresh, export_data(self.store))
                assert fresh.states() == self.store.states()
                assert list(fresh.attempts()) == list(self.store.attempts())
                assert fresh.settings() == self.store.settings()
                assert fresh.hourly_by_set() == self.store.hourly_by_set()
        finally:
            shutil.rmtree(home, ignore_errors=True)

    @invariant()
    def agrees(self) -> None:
        expected = {}
        for key, s in self.states.items():
            expected[key] = QuestionState(
                set_id=key[0],
                question_id=key[1],
                attempts=s["attempts"],
                correct=s["correct"],
                last_answer=s["last_answer"],
                last_result=s["last_result"],
                last_seen=s["last_seen"],
                times_missed=s["times_missed"],
                card=s["card"],
                known_at=s["known_at"],
                last_wrong_answers=[w[1] for w in s["wrong"]],
                first_seen=s["first_seen"],
                last_missed=max(
                    (
                        a["at"]
                        for a in self.history
                        if (a["set_id"], a["question_id"]) == key and a["outcome"] in MISSED
                    ),
                    default=None,
                ),
            )
        assert self.store.states() == expected
        # The per-hour counters are what the history gives, for all sets and for each.
        for only in (None, "s1", "s2"):
            hours: dict[str, tuple[int, int]] = {}
            for a in self.history:
                if a["outcome"] != "skipped" and only in (None, a["set_id"]):
                    n, c = hours.get(a["at"][:13], (0, 0))
                    hours[a["at"][:13]] = (n + 1, c + (a["outcome"] == "correct"))
            assert self.store.hourly(only) == hours
        assert [a.to_dict() for a in self.store.attempts()] == self.history
        assert self.store.settings() == self.settings
        assert self.store.sessions() == sorted(self.sessions.values(), key=lambda s: s["start"])


StoreMachine.TestCase.settings = settings(
    max_examples=50,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def _small_compaction(monkeypatch: pytest.MonkeyPatch) -> None:
    # Compact often so that replay after a crash starts from many different snapshots.
    monkeypatch.setattr(progress, "COMPACT_EVERY", 4)


TestStoreMachine = StoreMachine.TestCase
