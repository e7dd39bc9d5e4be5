"""Recovery at open: a damaged state file restored from a backup, a damaged journal repaired,
records no reader could use set aside. Each step says what it did in `warnings`."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from gmmp_quiz.files import atomic_write
from gmmp_quiz.i18n import _, ngettext
from gmmp_quiz.store.backup import (
    backup_journal,
    backup_state,
    backups,
    quarantine,
    quarantine_copy,
    stamp,
)
from gmmp_quiz.store.check import (
    hours_problem,
    session_problem,
    setting_problem,
    stored_state_problem,
    visible,
)
from gmmp_quiz.store.journal import (
    Scan,
    encode,
    read_all,
    read_tail,
    scan,
    sealed_through,
    segment_ops,
    size_of,
)
from gmmp_quiz.store.migrations import SCHEMA_VERSION
from gmmp_quiz.store.ops import Op
from gmmp_quiz.store.state import empty_doc
from gmmp_quiz.store.tables import (
    CorruptFileError,
    StateDB,
    parse_json_object,
)


def _pairs(items: list[Any]) -> bool:
    """Whether every item is a list of two."""
    for item in items:  # noqa: SIM110 (all() would make a generator: this runs per record)
        if not isinstance(item, list) or len(item) != 2:
            return False
    return True


def check_meta(data: dict[str, Any]) -> None:
    """Raise CorruptFileError unless `data` has a store header and records of the right shape."""
    meta = data.get("meta", {}).get("store")
    if not isinstance(meta, dict) or not isinstance(meta.get("schema"), int):
        raise CorruptFileError(_("it has no store header"))
    for name in ("applied_seq", "applied_offset"):
        if not isinstance(meta.get(name, 0), int):
            raise CorruptFileError(_("its header has a bad {name}").format(name=name))
    if meta["schema"] != SCHEMA_VERSION:
        return
    # Valid JSON of the wrong shape would fail later, far from here: check it now.
    template = empty_doc("", "")
    for key, doc in data.get("questions", {}).items():
        if not isinstance(doc, dict) or not template.keys() <= doc.keys():
            raise CorruptFileError(
                _("question record {key} is incomplete").format(key=visible(key))
            )
        # Unrolled, without a generator per record: this runs over every question at each open.
        if not (
            isinstance(doc["attempts"], int)
            and isinstance(doc["correct"], int)
            and isinstance(doc["times_missed"], int)
        ):
            raise CorruptFileError(
                _("question record {key} has bad counters").format(key=visible(key))
            )
        wrong = doc["wrong"]
        if not isinstance(wrong, list) or not _pairs(wrong):
            raise CorruptFileError(
                _("question record {key} has a bad wrong-answer list").format(key=visible(key))
            )
    for key, doc in data.get("hours", {}).items():
        if (
            not isinstance(doc, dict)
            or not isinstance(doc.get("set_id"), str)
            or not isinstance(doc.get("hour"), str)
            or not isinstance(doc.get("answers"), int)
            or not isinstance(doc.get("correct"), int)
            or not isinstance(doc.get("missed"), int)
        ):
            raise CorruptFileError(
                _("answer counters {key} are incomplete").format(key=visible(key))
            )
    for key, doc in data.get("sessions", {}).items():
        if not isinstance(doc, dict) or not {"id", "start", "set_id"} <= doc.keys():
            raise CorruptFileError(_("session record {key} is incomplete").format(key=visible(key)))
    for key, doc in data.get("settings", {}).items():
        if not isinstance(doc, dict) or "value" not in doc:
            raise CorruptFileError(_("setting {key} has no value").format(key=visible(key)))


def load_state(
    state_path: Path, backup_root: Path, warnings: list[str]
) -> tuple[dict[str, Any], bytes | None]:
    """The state tables and the raw bytes they came from (None for a new or restored store).

    A damaged file is moved aside and the newest good backup's state taken instead.
    """
    try:
        raw = state_path.read_bytes()
    except FileNotFoundError:
        return {}, None
    try:
        data = parse_json_object(raw, state_path)
        check_meta(data)
        return data, raw
    except CorruptFileError as exc:
        moved = quarantine(state_path)
        for candidate in backups(backup_root):
            try:
                saved = backup_state(candidate)
                if saved is None:
                    continue
                restored = parse_json_object(saved, candidate)
                check_meta(restored)
            except CorruptFileError:
                continue
            warnings.append(
                _(
                    "The progress file was damaged ({error}). It was moved to {moved}; the "
                    "backup {backup} was restored and the answers recorded since were "
                    "replayed from the journal."
                ).format(error=exc, moved=moved, backup=candidate)
            )
            return restored, None
        warnings.append(
            _(
                "The progress file was damaged ({error}). It was moved to {moved}; there "
                "was no backup, so progress was rebuilt from the answer journal."
            ).format(error=exc, moved=moved)
        )
    return {}, None


def _setting_problem(doc: Any, key: str) -> str | None:
    if not isinstance(doc, dict) or "value" not in doc:
        return _("a setting must have a value")
    return setting_problem(key, doc["value"])


def set_aside_bad_records(db: StateDB, directory: Path, warnings: list[str]) -> bool:
    """Move the records no reader could use to a file beside the store; whether any was.

    Whatever put them there (an old import, a hand edit), a bad date or number must not stop
    every start: the record is kept in `set-aside-<time>.json` and the user is told once
    (the state saved without it, the next open finds nothing to set aside).
    """
    checks = {
        "questions": lambda doc, _key: stored_state_problem(doc),
        "hours": lambda doc, _key: hours_problem(doc),
        "sessions": lambda doc, _key: session_problem(doc),
        "settings": _setting_problem,
    }
    bad: list[dict[str, Any]] = []
    for name, check in checks.items():
        table = db.keyed(name)
        for key, doc in table.raw_items():
            found = check(doc, key)
            if found is not None:
                bad.append({"table": name, "key": key, "problem": found, "record": doc})
    if not bad:
        return False
    target = directory / f"set-aside-{stamp()}.json"
    text = json.dumps(bad, ensure_ascii=False, indent=1, default=repr)
    atomic_write(target, text.encode("utf-8", "surrogatepass"))
    for entry in bad:
        db.keyed(entry["table"]).drop(entry["key"])
    first = bad[0]
    warnings.append(
        ngettext(
            "{n} unusable record in the progress store was set aside in {target} "
            "({table} {key}: {problem}).",
            "{n} unusable records in the progress store were set aside in {target} "
            "(the first: {table} {key}: {problem}).",
            len(bad),
        ).format(
            n=len(bad),
            target=target,
            table=first["table"],
            key=visible(first["key"]),
            problem=first["problem"],
        )
    )
    return True


def read_journal(
    journal_path: Path, backup_root: Path, offset: int, applied: int, warnings: list[str]
) -> tuple[list[dict[str, Any]], int, int, bool]:
    """Ops after `applied`, where good data ends, torn bytes, and whether it was repaired.

    The ops come from the journal and, when the state is older than the last seal (a backup
    restored, a state rebuilt), from the sealed segments too.
    """
    sealed = sealed_through(journal_path.parent)
    tail = read_tail(journal_path, offset, applied, sealed)
    if tail is not None and not tail.bad_lines:
        return tail.ops, tail.good_end, tail.torn, False
    full = read_all(journal_path)
    repaired = False
    if full.bad_lines or max(full.max_seq, sealed) < applied:
        full = _repair_journal(journal_path, backup_root, full, applied, warnings)
        repaired = True
    ops = [op for op in full.ops if op["s"] > max(applied, sealed)]
    if applied < sealed:
        ops = [*segment_ops(journal_path.parent, applied), *ops]
    return ops, full.good_end, full.torn, repaired


def _repair_journal(
    journal_path: Path, backup_root: Path, damaged: Scan, applied: int, warnings: list[str]
) -> Scan:
    # Keep every good line of the damaged file and add what the newest backup holds.
    moved = None
    if size_of(journal_path):
        moved = quarantine_copy(journal_path)
    merged: dict[int, dict[str, Any]] = {op["s"]: op for op in damaged.ops}
    source = None
    sealed = sealed_through(journal_path.parent)  # what the segments hold is not copied back
    for candidate in backups(backup_root):
        found = scan(backup_journal(candidate))
        if found.ops:
            for op in found.ops:
                if op["s"] > sealed:
                    merged.setdefault(op["s"], op)
            source = candidate
            break
    data = b"".join(encode(merged[s]) for s in sorted(merged))
    atomic_write(journal_path, data)
    where = _(" (the damaged file is kept as {moved})").format(moved=moved) if moved else ""
    restored = (
        _("; records from the backup {backup} were restored").format(backup=source)
        if source
        else ""
    )
    warnings.append(
        ngettext(
            "The answer journal {path} was damaged or incomplete{where}: "
            "{n} unreadable record was set aside{restored}.",
            "The answer journal {path} was damaged or incomplete{where}: "
            "{n} unreadable records were set aside{restored}.",
            damaged.bad_lines,
        ).format(path=journal_path, where=where, n=damaged.bad_lines, restored=restored)
    )
    result = read_all(journal_path)
    if max(result.max_seq, sealed) < applied:
        # The state holds changes the journal lost. A marker numbered like the last of
        # them makes the journal end where the state does, so the next open finds the
        # journal whole and does not repair (and copy) it again.
        with open(journal_path, "ab") as f:
            f.write(encode({"s": applied, "op": Op.GAP}))
            f.flush()
            os.fsync(f.fileno())
        warnings.append(
            _("Some answer history could not be recovered; per-question progress is intact.")
        )
        result = read_all(journal_path)
    return result


def _file_id(path: Path) -> list[int]:
    st = os.stat(path)
    return [st.st_ino, st.st_size, st.st_mtime_ns]


def mark_checked(state_path: Path, mark: Path) -> None:
    """Note that the state file as it is now holds only checked records.

    Not synced: if the note is lost, the next open checks the records again.
    """
    with contextlib.suppress(OSError):
        mark.write_text(json.dumps(_file_id(state_path)))


def is_checked(state_path: Path, mark: Path) -> bool:
    """Whether the state file is the very one `mark_checked` noted (not edited, restored)."""
    try:
        return bool(json.loads(mark.read_bytes()) == _file_id(state_path))
    except (OSError, ValueError):
        return False
