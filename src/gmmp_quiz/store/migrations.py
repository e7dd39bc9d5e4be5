"""Upgrades of older state files to the current schema, run once at open after a backup."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gmmp_quiz.i18n import _
from gmmp_quiz.model import MISSED
from gmmp_quiz.store.backup import make_backup
from gmmp_quiz.store.journal import fold_history, iter_ops, size_of
from gmmp_quiz.store.state import count_into, empty_doc, hour_key, hour_of, key_of

# 3: the journal's older records may be in sealed, compressed segments (store.journal), which a
# gmmp-quiz of schema 2 would not read: it refuses the store instead of taking them for lost.
SCHEMA_VERSION = 3


def _migrate_0(data: dict[str, dict[str, Any]], journal: Path) -> None:
    # Schema 0 (pre-release) kept neither undo information nor the ids of wrong answers.
    for key, doc in data.get("questions", {}).items():
        fresh = empty_doc(doc.get("set_id", ""), doc.get("question_id", ""))
        wrong = doc.pop("last_wrong_answers", None) or []
        fresh["wrong"] = [[f"migrated-{i}", answer] for i, answer in enumerate(wrong)]
        fresh.update({k: v for k, v in doc.items() if k in fresh and k != "wrong"})
        data["questions"][key] = fresh


def _migrate_1(data: dict[str, dict[str, Any]], journal: Path) -> None:
    # Schema 2 keeps per-hour answer counters and each question's last miss: both are built once
    # from the history the state file has applied (the journal tail is replayed after).
    applied = int(data.get("meta", {}).get("store", {}).get("applied_seq", 0))
    found: dict[str, list[Any]] = {}
    order = 0
    for op in iter_ops(journal, size_of(journal)):
        if op.get("s", 0) > applied:
            continue
        try:
            order = fold_history(found, op, order)
        except (KeyError, TypeError, AttributeError):
            continue
    hours: dict[str, dict[str, Any]] = {}
    attempts = [attempt for _at, _order, attempt in found.values()]
    for attempt in attempts:
        try:
            set_id, outcome = attempt["set_id"], attempt["outcome"]
            hour = hour_of(attempt["at"])
        except (KeyError, TypeError, ValueError):
            continue
        if outcome != "skipped":
            key = hour_key(set_id, hour)
            hours[key] = count_into(hours.get(key), set_id, hour, outcome, 1)
    data["hours"] = hours
    questions = data.get("questions", {})
    last = misses(attempts)
    for key, doc in list(questions.items()):
        questions[key] = with_last_missed(doc, last.get(key, []))


def misses(attempts: list[dict[str, Any]]) -> dict[str, list[tuple[str, str]]]:
    """(time, attempt id) of the misses in a history, per question key."""
    out: dict[str, list[tuple[str, str]]] = {}
    for attempt in attempts:
        try:
            if attempt["outcome"] in MISSED:
                key = key_of(attempt["set_id"], attempt["question_id"])
                out.setdefault(key, []).append((attempt["at"], attempt["id"]))
        except (KeyError, TypeError):
            continue
    return out


def with_last_missed(doc: dict[str, Any], stamps: list[tuple[str, str]]) -> dict[str, Any]:
    """`doc` with its last miss (and that of the state before its latest answer) from `stamps`."""
    new = {**doc, "last_missed": max((at for at, _id in stamps), default=None)}
    prev = doc.get("prev")
    if isinstance(prev, dict):
        latest = (doc.get("last_attempt") or {}).get("id")
        new["prev"] = {
            **prev,
            "last_missed": max((at for at, i in stamps if i != latest), default=None),
        }
    return new


def _migrate_2(data: dict[str, dict[str, Any]], journal: Path) -> None:
    # Nothing to change in the state: the journal is sealed the next time it is long enough.
    return


Migration = Callable[[dict[str, dict[str, Any]], Path], None]
MIGRATIONS: dict[int, Migration] = {0: _migrate_0, 1: _migrate_1, 2: _migrate_2}


def upgrade(
    data: dict[str, dict[str, Any]],
    raw: bytes | None,
    backup_root: Path,
    journal: Path,
    warnings: list[str],
) -> None:
    """Upgrade the state tables `data` (read from `raw`) to SCHEMA_VERSION, after a backup."""
    schema = int(data.get("meta", {}).get("store", {}).get("schema", SCHEMA_VERSION))
    if raw is None:  # an older backup restored: back up what it held
        raw = json.dumps(data, ensure_ascii=False).encode()
    saved = make_backup(backup_root, "migrate", raw, journal, size_of(journal))
    for version in range(schema, SCHEMA_VERSION):
        MIGRATIONS[version](data, journal)
    warnings.append(
        _(
            "Progress store upgraded from schema {old} to {new}; "
            "the old one is backed up in {saved}."
        ).format(old=schema, new=SCHEMA_VERSION, saved=saved)
    )
