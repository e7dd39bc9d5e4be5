"""The journal's changes (ops): their names, their checks, and the pure reducer that applies one.

Every change to a profile is one op: journaled first, then applied to the state tables by
`apply_op`, at the time it is made and again when the journal is replayed at open. The codes
written on disk are short and never change (old journals must replay); the code names them.

Fields of each op besides `s` (its number) and `op` (its code):

| op | fields |
|---|---|
| ANSWER `a` | `a` the attempt, `card` the scheduler's card after it (optional) |
| UNDO `undo` | `id` the attempt, `k` its question's key |
| OVERRIDE `ovr` | `k`, `a` the attempt as now counted, `was` its first outcome, `card`; |
| | `lm`, `plm`: the latest misses left (`plm`: of the state before the latest answer) |
| KNOWN `known` | `k`, `at` |
| CARD `card` | `k`, `card` |
| SESSION_START `ss` | `id`, `session` |
| SESSION_END `se` | `id`, `end` (end, answered, correct, score) |
| SETTING `set` | `k`, `v` |
| IMPORT `import` | `states` (key -> state), `attempts`, `sessions`, `settings` |
| RESET `reset` | `set_id` (None: every set) |
| GAP `gap` | nothing: marks history lost in a repair |
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any, Protocol

from gmmp_quiz.i18n import _
from gmmp_quiz.model import MISSED
from gmmp_quiz.store.check import (
    OUTCOMES,
    attempt_problem,
    card_problem,
    session_problem,
    setting_problem,
    stamp_problem,
    state_problem,
)
from gmmp_quiz.store.state import (
    apply_attempt,
    can_undo,
    count_into,
    empty_doc,
    hour_key,
    hour_of,
    key_of,
    later,
    override_doc,
)


class Op(StrEnum):
    """The code of each kind of change, as written in the journal."""

    ANSWER = "a"
    UNDO = "undo"
    OVERRIDE = "ovr"
    KNOWN = "known"
    CARD = "card"
    SESSION_START = "ss"
    SESSION_END = "se"
    SETTING = "set"
    IMPORT = "import"
    RESET = "reset"
    GAP = "gap"


class UnknownOpError(Exception):
    """An op of a kind this version does not know (written by a newer gmmp-quiz)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class Table(Protocol):
    """One keyed table of the state (store.tables.KeyedTable is one)."""

    def put(self, key: str, doc: dict[str, Any]) -> None:
        """Insert or replace the document under `key`."""

    def get_key(self, key: str) -> dict[str, Any] | None:
        """The document under `key` (never changed in place), or None."""

    def drop(self, key: str) -> None:
        """Remove the document under `key` if there is one."""

    def raw_items(self) -> list[tuple[str, dict[str, Any]]]:
        """Every (key, document) pair."""


class Tables(Protocol):
    """The state's tables by name: questions, sessions, hours, settings (StateDB is one)."""

    def keyed(self, name: str) -> Table:
        """The table `name`."""


def apply_op(tables: Tables, op: dict[str, Any]) -> None:
    """Apply one journaled change to the state tables; UnknownOpError for an unknown kind.

    Replaying the same journal onto the same tables always gives the same state: the op holds
    every value the change needs (a repeated answer, known by its id, is applied once).
    """
    kind = op["op"]
    questions = tables.keyed("questions")
    if kind == Op.ANSWER:
        attempt = op["a"]
        key = key_of(attempt["set_id"], attempt["question_id"])
        doc = questions.get_key(key)
        if doc is not None and (doc.get("last_attempt") or {}).get("id") == attempt["id"]:
            return
        questions.put(key, apply_attempt(doc, attempt, op.get("card")))
        count(tables, attempt, attempt["outcome"], 1)
    elif kind == Op.UNDO:
        doc = questions.get_key(op["k"])
        if doc is not None and can_undo(doc, op["id"]):
            count(tables, doc["last_attempt"], doc["last_attempt"]["outcome"], -1)
            if doc["prev"] is None:
                questions.drop(op["k"])
            else:
                questions.put(op["k"], doc["prev"])
    elif kind == Op.OVERRIDE:
        doc = questions.get_key(op["k"])
        if doc is not None:
            missed = {
                n: op[f] for n, f in (("last_missed", "lm"), ("prev_missed", "plm")) if f in op
            }
            questions.put(op["k"], override_doc(doc, op["a"], op["was"], op.get("card"), **missed))
            if op["was"] != "correct":
                count(tables, op["a"], op["was"], -1)
                count(tables, op["a"], "correct", 1)
    elif kind in (Op.KNOWN, Op.CARD):
        doc = questions.get_key(op["k"]) or empty_doc(*json.loads(op["k"]))
        field, value = ("known_at", op["at"]) if kind == Op.KNOWN else ("card", op["card"])
        questions.put(op["k"], {**doc, field: value})
    elif kind == Op.SESSION_START:
        tables.keyed("sessions").put(op["id"], op["session"])
    elif kind == Op.SESSION_END:
        sessions = tables.keyed("sessions")
        doc = sessions.get_key(op["id"])
        if doc is not None:
            sessions.put(op["id"], {**doc, **op["end"]})
    elif kind == Op.SETTING:
        tables.keyed("settings").put(op["k"], {"value": op["v"]})
    elif kind == Op.IMPORT:
        _apply_import(tables, op)
    elif kind == Op.GAP:
        return  # marks history lost in a repair: nothing to apply
    elif kind == Op.RESET:
        only = op.get("set_id")
        for name in ("questions", "sessions", "hours"):
            table = tables.keyed(name)
            for key, doc in table.raw_items():
                if only is None or doc.get("set_id") == only:
                    table.drop(key)
    else:
        raise UnknownOpError(kind)


def _apply_import(tables: Tables, op: dict[str, Any]) -> None:
    questions = tables.keyed("questions")
    for key, doc in op["states"].items():
        if "last_missed" not in doc:  # written before schema 2
            missed = [
                a["at"]
                for a in op["attempts"]
                if a["outcome"] in MISSED and key_of(a["set_id"], a["question_id"]) == key
            ]
            doc = {**doc, "last_missed": later(None, max(missed, default=None))}
        questions.put(key, doc)
    for attempt in op["attempts"]:
        count(tables, attempt, attempt["outcome"], 1)
    sessions = tables.keyed("sessions")
    for session in op["sessions"]:
        if sessions.get_key(session["id"]) is None:
            sessions.put(session["id"], session)
    settings = tables.keyed("settings")
    for key, value in op["settings"].items():
        settings.put(key, {"value": value})


def count(tables: Tables, attempt: dict[str, Any], outcome: str, sign: int) -> None:
    """Add (or take away) one answer of `outcome` in its set's counters for its UTC hour."""
    if outcome == "skipped":
        return
    set_id, hour = attempt["set_id"], hour_of(attempt["at"])
    table = tables.keyed("hours")
    key = hour_key(set_id, hour)
    doc = count_into(table.get_key(key), set_id, hour, outcome, sign)
    if doc["answers"] > 0:
        table.put(key, doc)
    else:
        table.drop(key)


def op_problem(op: dict[str, Any], *, deep: bool = True) -> str | None:
    """Why a journal record cannot be applied (None when it can): its values are checked too.

    Without `deep`, NaN and infinity in card fields no reader uses are left to the journal's
    encoder, which refuses them anyway.
    """
    kind = op["op"]
    if kind == Op.ANSWER:
        return attempt_problem(op.get("a")) or card_problem(op.get("card"), deep=deep)
    if kind == Op.OVERRIDE:
        if op.get("was") not in OUTCOMES or not isinstance(op.get("k"), str):
            return _("bad override")
        misses = [op[f] for f in ("lm", "plm") if op.get(f) is not None]
        return (
            attempt_problem(op.get("a"))
            or card_problem(op.get("card"), deep=deep)
            or next(filter(None, map(stamp_problem, misses)), None)
        )
    if kind == Op.KNOWN:
        return stamp_problem(op.get("at"))
    if kind == Op.CARD:
        return card_problem(op.get("card"), deep=deep)
    if kind == Op.SESSION_START:
        return session_problem(op.get("session"))
    if kind == Op.SESSION_END:
        end = op.get("end")
        if not isinstance(end, dict):
            return _("bad session end")
        return stamp_problem(end.get("end"))
    if kind == Op.SETTING:
        return setting_problem(op.get("k"), op.get("v"))
    if kind == Op.IMPORT:
        return _import_problem(op)
    return None


def _import_problem(op: dict[str, Any]) -> str | None:
    states, attempts = op.get("states"), op.get("attempts")
    if not isinstance(states, dict) or not isinstance(attempts, list):
        return _("bad import")
    for key, doc in states.items():
        if "last_missed" not in doc and isinstance(doc, dict):
            doc = {**doc, "last_missed": None}  # written before schema 2
        found = state_problem(doc)
        if found is None and key != key_of(doc["set_id"], doc["question_id"]):
            found = _("its key does not match its set and question ids")
        if found:
            return found
    for attempt in attempts:
        found = attempt_problem(attempt)
        if found:
            return found
    for session in op.get("sessions", []):
        found = session_problem(session)
        if found:
            return found
    for key, value in op.get("settings", {}).items():
        found = setting_problem(key, value)
        if found:
            return found
    return None


def replay(tables: Tables, ops: list[dict[str, Any]], seq: int) -> tuple[int, int]:
    """Apply the journaled `ops` numbered after `seq`; the last number and how many were skipped.

    A record of the wrong shape or with bad values (a hand edit) is skipped, not applied.
    """
    skipped = 0
    for op in ops:
        if op["s"] > seq:
            try:
                if op_problem(op) is None:
                    apply_op(tables, op)
                else:
                    skipped += 1
            except (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError):
                skipped += 1
            seq = op["s"]
    return seq, skipped
