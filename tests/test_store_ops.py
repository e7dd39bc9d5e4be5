"""The journal's op reducer on its own: no files, no store, the same state a replay gives."""

from __future__ import annotations

from typing import Any

import pytest

from gmmp_quiz.store.ops import Op, UnknownOpError, apply_op, op_problem, replay
from gmmp_quiz.store.state import key_of


class Table:
    """A keyed table in a dict (what store.tables.KeyedTable does, in memory)."""

    def __init__(self) -> None:
        self.docs: dict[str, dict[str, Any]] = {}

    def put(self, key: str, doc: dict[str, Any]) -> None:
        self.docs[key] = dict(doc)

    def get_key(self, key: str) -> dict[str, Any] | None:
        return self.docs.get(key)

    def drop(self, key: str) -> None:
        self.docs.pop(key, None)

    def raw_items(self) -> list[tuple[str, dict[str, Any]]]:
        return list(self.docs.items())


class Tables:
    def __init__(self) -> None:
        self.tables: dict[str, Table] = {}

    def keyed(self, name: str) -> Table:
        return self.tables.setdefault(name, Table())


def attempt(n: int, outcome: str = "wrong", question: str = "q1") -> dict[str, Any]:
    return {
        "id": f"a{n}",
        "at": f"2026-11-28T14:0{n}:00+00:00",
        "set_id": "s1",
        "question_id": question,
        "answer": "x",
        "outcome": outcome,
        "score": 1.0 if outcome == "correct" else 0.0,
        "elapsed_s": 1.0,
        "mode": "quiz",
        "session_id": "s",
        "typo": False,
        "overridden": False,
    }


def test_the_codes_on_disk_never_change() -> None:
    # Journals written by every earlier version must replay: these are their codes.
    assert {op.value for op in Op} == {
        "a", "undo", "ovr", "known", "card", "ss", "se", "set", "import", "reset", "gap",
    }  # fmt: skip


def test_answer_undo_and_override_update_state_and_hour_counters() -> None:
    tables = Tables()
    key = key_of("s1", "q1")
    apply_op(tables, {"s": 1, "op": Op.ANSWER, "a": attempt(1, "correct")})
    apply_op(tables, {"s": 2, "op": Op.ANSWER, "a": attempt(2)})
    apply_op(tables, {"s": 2, "op": Op.ANSWER, "a": attempt(2)})  # replayed twice: once
    doc = tables.keyed("questions").docs[key]
    assert (doc["attempts"], doc["correct"], doc["times_missed"]) == (2, 1, 1)
    hours = tables.keyed("hours").docs[key_of("s1", "2026-11-28T14")]
    assert (hours["answers"], hours["correct"], hours["missed"]) == (2, 1, 1)

    right = {**attempt(2), "outcome": "correct", "score": 1.0, "overridden": True}
    apply_op(tables, {"s": 3, "op": Op.OVERRIDE, "k": key, "a": right, "was": "wrong"})
    doc = tables.keyed("questions").docs[key]
    assert (doc["correct"], doc["times_missed"], doc["last_result"]) == (2, 0, "correct")
    assert tables.keyed("hours").docs[key_of("s1", "2026-11-28T14")]["missed"] == 0

    apply_op(tables, {"s": 4, "op": Op.UNDO, "id": "a2", "k": key})
    doc = tables.keyed("questions").docs[key]
    assert (doc["attempts"], doc["last_attempt"]["id"]) == (1, "a1")


def test_reset_of_one_set_keeps_the_others() -> None:
    tables = Tables()
    apply_op(tables, {"s": 1, "op": Op.ANSWER, "a": attempt(1)})
    other = {**attempt(2), "set_id": "s2"}
    apply_op(tables, {"s": 2, "op": Op.ANSWER, "a": other})
    apply_op(tables, {"s": 3, "op": Op.RESET, "set_id": "s1"})
    assert list(tables.keyed("questions").docs) == [key_of("s2", "q1")]
    assert [d["set_id"] for d in tables.keyed("hours").docs.values()] == ["s2"]


def test_replay_skips_bad_records_and_refuses_unknown_kinds() -> None:
    tables = Tables()
    ops = [
        {"s": 1, "op": Op.ANSWER, "a": attempt(1)},
        {"s": 2, "op": Op.ANSWER, "a": {**attempt(2), "at": "yesterday"}},
        {"s": 3, "op": Op.SETTING, "k": "theme", "v": "dark"},
    ]
    assert op_problem(ops[1]) is not None
    assert replay(tables, ops, 0) == (3, 1)
    assert tables.keyed("settings").docs == {"theme": {"value": "dark"}}
    assert replay(tables, ops, 3) == (3, 0)  # nothing after the bookmark
    with pytest.raises(UnknownOpError):
        apply_op(tables, {"s": 4, "op": "from-the-future"})
