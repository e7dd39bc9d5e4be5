"""The progress store: per-question state in TinyDB, every change in an fsynced journal."""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import gc
import json
import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import filelock

from gmmp_quiz import paths
from gmmp_quiz.errors import UserError
from gmmp_quiz.files import os_detail, os_reason
from gmmp_quiz.i18n import _, ngettext
from gmmp_quiz.progress_backup import (
    JOURNAL_NAME,
    STATE_NAME,
    backup_journal,
    backups,
    make_backup,
    quarantine,
    quarantine_copy,
    stale_temp_dirs,
    stamp,
)
from gmmp_quiz.progress_check import (
    attempt_problem,
    card_problem,
    history_problem,
    hours_problem,
    session_problem,
    setting_problem,
    stamp_problem,
    state_problem,
    stored_state_problem,
    visible,
)
from gmmp_quiz.progress_journal import Journal, Scan, encode, read_all, read_tail, scan
from gmmp_quiz.progress_state import (
    MISSED,
    OUTCOMES,
    Attempt,
    QuestionState,
    apply_attempt,
    can_undo,
    count_into,
    empty_doc,
    hour_key,
    hour_of,
    key_of,
    later,
    override_doc,
    to_state,
)
from gmmp_quiz.storage import (
    CorruptFileError,
    SnapshotStorage,
    StateDB,
    atomic_write,
    is_temp_name,
    load_json_object,
)

__all__ = [
    "Attempt",
    "ProgressStore",
    "QuestionState",
    "StoreError",
    "StoreLockedError",
    "StoreVersionError",
    "StoreWriteError",
    "UnknownRecordError",
]

SCHEMA_VERSION = 2
# The state file is rewritten after this many journaled changes (and at close), which bounds
# the journal tail replayed at open.
COMPACT_EVERY = 1000
LOCK_TIMEOUT = 0.2
PROFILE_RE = paths.PROFILE_RE
OPS = frozenset({"a", "undo", "ovr", "known", "card", "ss", "se", "set", "import", "reset", "gap"})


class StoreError(UserError):
    """A problem with the progress store, shown to the user as a message."""


class StoreLockedError(StoreError):
    """Another gmmp-quiz has this profile open."""


class StoreWriteError(StoreError):
    """A change could not be saved (disk full, permission denied...); nothing older was lost."""


class StoreVersionError(StoreError):
    """The store was written by a newer gmmp-quiz."""


class UnknownRecordError(StoreError):
    """No such answer or session, or an answer that can no longer be undone."""


def profile_dir(home: Path, profile: str) -> Path:
    """The directory of a profile's store."""
    return home / "progress" / profile


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
    from gmmp_quiz.progress_journal import iter_ops

    found: dict[str, list[Any]] = {}
    order = 0
    for op in iter_ops(journal, _size(journal)):
        if op.get("s", 0) > applied:
            continue
        try:
            order = _fold_history(found, op, order)
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
    misses = _misses(attempts)
    for key, doc in list(questions.items()):
        questions[key] = _with_last_missed(doc, misses.get(key, []))


def _misses(attempts: list[dict[str, Any]]) -> dict[str, list[tuple[str, str]]]:
    """(time, attempt id) of the misses in a history, per question key."""
    misses: dict[str, list[tuple[str, str]]] = {}
    for attempt in attempts:
        try:
            if attempt["outcome"] in MISSED:
                key = key_of(attempt["set_id"], attempt["question_id"])
                misses.setdefault(key, []).append((attempt["at"], attempt["id"]))
        except (KeyError, TypeError):
            continue
    return misses


def _with_last_missed(doc: dict[str, Any], stamps: list[tuple[str, str]]) -> dict[str, Any]:
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


MIGRATIONS = {0: _migrate_0, 1: _migrate_1}


class ProgressStore:
    """One profile's progress: what was answered, per-question state, sessions and settings."""

    def __init__(self, home: Path, profile: str, lock: filelock.BaseFileLock) -> None:
        self.home = home
        self.profile = profile
        self.dir = profile_dir(home, profile)
        self.state_path = self.dir / STATE_NAME
        self.journal_path = self.dir / JOURNAL_NAME
        self.checked_mark = self.dir / f"{STATE_NAME}.checked"
        self.backup_root = home / "backups" / f"progress-{profile}"
        self.warnings: list[str] = []
        # Answers of the history left out by the last full `attempts()` for their bad values.
        self.history_skipped = 0
        self._lock = lock
        self._mutex = threading.RLock()
        # The number given to the last change, and to the last one that reached the journal.
        self._seq = 0
        self._journaled = 0
        self._pending = 0
        self._closed = False
        self._bg: threading.Thread | None = None
        # Compaction runs in its own thread, off the answer path; snapshots are written one at
        # a time, and an older one never replaces a newer one.
        self._compactor: threading.Thread | None = None
        self._write_lock = threading.Lock()
        self._written_seq = -1
        self._db: StateDB
        self._journal: Journal

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(
        cls, home: Path | None = None, profile: str = "default", *, backup: bool = True
    ) -> ProgressStore:
        """Lock the profile, recover from any crash or damage, back it up, and return the store."""
        if not PROFILE_RE.fullmatch(profile):
            raise StoreError(
                _("invalid profile name {name}: use letters, digits, '.', '_' or '-'").format(
                    name=repr(profile)
                )
            )
        home = home if home is not None else paths.home_dir()
        directory = profile_dir(home, profile)
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreWriteError(
                _("cannot create {path}: {why}").format(path=directory, why=os_reason(exc))
            ) from None
        lock = filelock.FileLock(directory / "lock", timeout=LOCK_TIMEOUT, thread_local=False)
        try:
            lock.acquire()
        except filelock.Timeout:
            raise StoreLockedError(
                _(
                    "profile {name} is already open in another gmmp-quiz (lock: {lock}). "
                    "Close it first, or use --profile NAME."
                ).format(name=repr(profile), lock=directory / "lock")
            ) from None
        except OSError as exc:
            raise StoreWriteError(
                _("cannot lock {lock}: {why}").format(lock=directory / "lock", why=os_reason(exc))
            ) from None
        store = cls(home, profile, lock)
        # Reading a long history's state creates a million objects that all stay: the cyclic
        # collector would walk them again and again meanwhile, for nothing.
        collecting = gc.isenabled()
        gc.disable()
        try:
            store._load(backup)
        except OSError as exc:
            store._close_files()
            raise StoreWriteError(
                _(
                    "could not open the progress store in {path}: {why}. Nothing was changed; "
                    "fix the problem (free space, permissions) and try again."
                ).format(path=directory, why=os_reason(exc))
            ) from None
        except BaseException:
            store._close_files()
            raise
        finally:
            if collecting:
                gc.enable()
        return store

    def _load(self, backup: bool) -> None:
        for leftover in [*self.dir.iterdir(), *stale_temp_dirs(self.backup_root)]:
            if is_temp_name(leftover.name):
                _remove(leftover)
        data, raw = self._load_state()
        meta = data.get("meta", {}).get("store", {})
        schema = meta.get("schema", SCHEMA_VERSION)
        if schema > SCHEMA_VERSION:
            raise StoreVersionError(
                _(
                    "the progress store {path} was written by a newer gmmp-quiz (schema "
                    "{schema}; this version reads up to {known}). Upgrade gmmp-quiz to use it; "
                    "it was left untouched."
                ).format(path=self.state_path, schema=schema, known=SCHEMA_VERSION)
            )
        changed = raw is None
        if schema < SCHEMA_VERSION:
            if raw is None:  # an older backup restored: back up what it held
                raw = json.dumps(data, ensure_ascii=False).encode()
            saved = make_backup(
                self.backup_root, "migrate", raw, self.journal_path, _size(self.journal_path)
            )
            for version in range(schema, SCHEMA_VERSION):
                MIGRATIONS[version](data, self.journal_path)
            self.warnings.append(
                _(
                    "Progress store upgraded from schema {old} to {new}; "
                    "the old one is backed up in {saved}."
                ).format(old=schema, new=SCHEMA_VERSION, saved=saved)
            )
            changed = True
        applied = int(meta.get("applied_seq", 0))
        offset = int(meta.get("applied_offset", 0))
        ops, good_end, torn, repaired = self._read_journal(offset, applied)
        self._journal = Journal(self.journal_path)
        if torn:
            self._journal.truncate(good_end)
            self.warnings.append(
                ngettext(
                    "The last record in {path} was incomplete ({n} byte, being "
                    "written when gmmp-quiz stopped, never confirmed) and was discarded.",
                    "The last record in {path} was incomplete ({n} bytes, being "
                    "written when gmmp-quiz stopped, never confirmed) and was discarded.",
                    torn,
                ).format(path=self.journal_path, n=torn)
            )
        self._db = StateDB(self.state_path, data, storage=SnapshotStorage)
        self._seq = applied
        skipped = 0
        for op in ops:
            if op["s"] > self._seq:
                try:
                    if op_problem(op) is None:
                        self._apply(op)
                    else:
                        skipped += 1
                except (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError):
                    # Readable JSON of the wrong shape or with bad values (a hand edit): skip
                    # it, say so.
                    skipped += 1
                self._seq = op["s"]
        if skipped:
            self.warnings.append(
                ngettext(
                    "{n} record of {path} had an unexpected shape and was skipped.",
                    "{n} records of {path} had an unexpected shape and were skipped.",
                    skipped,
                ).format(n=skipped, path=self.journal_path)
            )
        self._journaled = self._seq
        # A state file this code saved (or checked) holds only checked records: every change is
        # checked before it is journaled, replayed ones too. Any other (restored, edited by
        # hand, written by an older version) is checked record by record, once.
        if not (raw is not None and self._is_checked()):
            if self._set_aside_bad_records():
                changed = True
            elif raw is not None and not ops:
                self._mark_checked()  # the file stays as it is: the next open trusts it
        self._forget_undo()
        if schema < 2 and ops:
            # Changes written before schema 2 may not say which miss is the latest left after
            # an override: now that they are applied, take the last misses from the history.
            misses = _misses([a.to_dict() for a in self.attempts()])
            questions = self._db.keyed("questions")
            for key, doc in questions.raw_items():
                questions.put(key, _with_last_missed(doc, misses.get(key, [])))
        if ops or repaired or changed:
            try:
                self._save()
            except OSError:
                # Not fatal: the journal holds every change and is replayed at the next open.
                self._pending = len(ops) or 1
        if backup:
            # The state file is current here; opened now, it stays this version even if a
            # compaction replaces it while the backup thread copies it.
            try:
                state = open(self.state_path, "rb")  # noqa: SIM115 - closed by the thread
            except OSError as exc:
                self.warnings.append(
                    _("Could not back up the progress store: {error}").format(error=os_detail(exc))
                )
                return
            size = self._journal.size
            self._bg = threading.Thread(
                target=self._background_backup, args=(state, size), daemon=True
            )
            self._bg.start()

    def _forget_undo(self) -> None:
        """Drop the undo data of answers given before this open (the journal tail included).

        Undo is for the session in progress; the next snapshot is then half the size.
        """
        questions = self._db.keyed("questions")
        for key, doc in questions.raw_items():
            if "prev" in doc:
                questions._raw()[key] = {k: v for k, v in doc.items() if k != "prev"}

    def _load_state(self) -> tuple[dict[str, Any], bytes | None]:
        """The state tables and the raw bytes they came from (None for a new store)."""
        try:
            data = load_json_object(self.state_path)
            if data is not None:
                _check_meta(data)
                return data, self.state_path.read_bytes()
        except CorruptFileError as exc:
            moved = quarantine(self.state_path)
            for candidate in backups(self.backup_root):
                try:
                    restored = load_json_object(candidate / STATE_NAME)
                    if restored is None:
                        continue
                    _check_meta(restored)
                except CorruptFileError:
                    continue
                self.warnings.append(
                    _(
                        "The progress file was damaged ({error}). It was moved to {moved}; the "
                        "backup {backup} was restored and the answers recorded since were "
                        "replayed from the journal."
                    ).format(error=exc, moved=moved, backup=candidate)
                )
                return restored, None
            self.warnings.append(
                _(
                    "The progress file was damaged ({error}). It was moved to {moved}; there "
                    "was no backup, so progress was rebuilt from the answer journal."
                ).format(error=exc, moved=moved)
            )
        return {}, None

    def _set_aside_bad_records(self) -> bool:
        """Move the records no reader could use to a file beside the store; whether any was.

        Whatever put them there (an old import, a hand edit), a bad date or number must not stop
        every start: the record is kept in `set-aside-<time>.json` and the user is told once
        (the state saved without it, the next open finds nothing to set aside).
        """
        checks = {
            "questions": _question_problem,
            "hours": _hours_problem,
            "sessions": _session_problem,
            "settings": _setting_problem,
        }
        bad: list[dict[str, Any]] = []
        for name, check in checks.items():
            table = self._db.keyed(name)
            for key, doc in table.raw_items():
                found = check(key, doc)
                if found is not None:
                    bad.append({"table": name, "key": key, "problem": found, "record": doc})
        if not bad:
            return False
        target = self.dir / f"set-aside-{stamp()}.json"
        text = json.dumps(bad, ensure_ascii=False, indent=1, default=repr)
        atomic_write(target, text.encode("utf-8", "surrogatepass"))
        for entry in bad:
            self._db.keyed(entry["table"]).drop(entry["key"])
        first = bad[0]
        self.warnings.append(
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

    def _read_journal(
        self, offset: int, applied: int
    ) -> tuple[list[dict[str, Any]], int, int, bool]:
        """Ops after `applied`, where good data ends, torn bytes, and whether it was repaired."""
        tail = read_tail(self.journal_path, offset, applied)
        if tail is not None and not tail.bad_lines:
            return tail.ops, tail.good_end, tail.torn, False
        full = read_all(self.journal_path)
        repaired = False
        if full.bad_lines or full.max_seq < applied:
            full = self._repair_journal(full, applied)
            repaired = True
        ops = [op for op in full.ops if op["s"] > applied]
        return ops, full.good_end, full.torn, repaired

    def _repair_journal(self, damaged: Scan, applied: int) -> Scan:
        # Keep every good line of the damaged file and add what the newest backup holds.
        moved = None
        if _size(self.journal_path):
            moved = quarantine_copy(self.journal_path)
        merged: dict[int, dict[str, Any]] = {op["s"]: op for op in damaged.ops}
        source = None
        for candidate in backups(self.backup_root):
            found = scan(backup_journal(candidate))
            if found.ops:
                for op in found.ops:
                    merged.setdefault(op["s"], op)
                source = candidate
                break
        data = b"".join(encode(merged[s]) for s in sorted(merged))
        atomic_write(self.journal_path, data)
        where = _(" (the damaged file is kept as {moved})").format(moved=moved) if moved else ""
        restored = (
            _("; records from the backup {backup} were restored").format(backup=source)
            if source
            else ""
        )
        self.warnings.append(
            ngettext(
                "The answer journal {path} was damaged or incomplete{where}: "
                "{n} unreadable record was set aside{restored}.",
                "The answer journal {path} was damaged or incomplete{where}: "
                "{n} unreadable records were set aside{restored}.",
                damaged.bad_lines,
            ).format(path=self.journal_path, where=where, n=damaged.bad_lines, restored=restored)
        )
        result = read_all(self.journal_path)
        if result.max_seq < applied:
            # The state holds changes the journal lost. A marker numbered like the last of
            # them makes the journal end where the state does, so the next open finds the
            # journal whole and does not repair (and copy) it again.
            with open(self.journal_path, "ab") as f:
                f.write(encode({"s": applied, "op": "gap"}))
                f.flush()
                os.fsync(f.fileno())
            self.warnings.append(
                _("Some answer history could not be recovered; per-question progress is intact.")
            )
            result = read_all(self.journal_path)
        return result

    # -- writing -----------------------------------------------------------------------------

    def _commit(self, op: dict[str, Any]) -> None:
        """Journal `op` durably, then apply it; raises StoreWriteError when it cannot be saved."""
        with self._mutex:
            self._check_open()
            op = {"s": self._seq + 1, **op}
            # What could not be read back at the next open is refused before it is journaled.
            found = op_problem(op, deep=False)
            if found is not None:
                raise ValueError(_("not saved: {problem}").format(problem=found))
            line = encode(op)
            # A failed append burns its number: if its bytes did reach the disk after all,
            # replay still sees distinct records (and skips a repeated attempt by its id).
            self._seq += 1
            try:
                self._journal.append(line)
            except OSError as exc:
                raise StoreWriteError(
                    _(
                        "could not save to {path}: {why}. Nothing saved before was lost; free "
                        "some space or fix the permissions, then try again."
                    ).format(path=self.journal_path, why=os_reason(exc))
                ) from None
            self._journaled = op["s"]
            # Apply what replay would read back, so memory and disk never disagree.
            self._apply(json.loads(line))
            self._pending += 1
            if self._pending >= COMPACT_EVERY:
                self._compact_in_background()

    def _apply(self, op: dict[str, Any]) -> None:
        kind = op["op"]
        questions = self._db.keyed("questions")
        if kind == "a":
            attempt = op["a"]
            key = key_of(attempt["set_id"], attempt["question_id"])
            doc = questions.get_key(key)
            if doc is not None and (doc.get("last_attempt") or {}).get("id") == attempt["id"]:
                return
            questions.put(key, apply_attempt(doc, attempt, op.get("card")))
            self._count(attempt, attempt["outcome"], 1)
        elif kind == "undo":
            doc = questions.get_key(op["k"])
            if can_undo(doc, op["id"]):
                assert doc is not None
                self._count(doc["last_attempt"], doc["last_attempt"]["outcome"], -1)
                if doc["prev"] is None:
                    questions.drop(op["k"])
                else:
                    questions.put(op["k"], doc["prev"])
        elif kind == "ovr":
            doc = questions.get_key(op["k"])
            if doc is not None:
                missed = {
                    n: op[f] for n, f in (("last_missed", "lm"), ("prev_missed", "plm")) if f in op
                }
                questions.put(
                    op["k"], override_doc(doc, op["a"], op["was"], op.get("card"), **missed)
                )
                if op["was"] != "correct":
                    self._count(op["a"], op["was"], -1)
                    self._count(op["a"], "correct", 1)
        elif kind in ("known", "card"):
            doc = questions.get_key(op["k"]) or empty_doc(*json.loads(op["k"]))
            field, value = ("known_at", op["at"]) if kind == "known" else ("card", op["card"])
            questions.put(op["k"], {**doc, field: value})
        elif kind == "ss":
            self._db.keyed("sessions").put(op["id"], op["session"])
        elif kind == "se":
            sessions = self._db.keyed("sessions")
            doc = sessions.get_key(op["id"])
            if doc is not None:
                sessions.put(op["id"], {**doc, **op["end"]})
        elif kind == "set":
            self._db.keyed("settings").put(op["k"], {"value": op["v"]})
        elif kind == "import":
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
                self._count(attempt, attempt["outcome"], 1)
            sessions = self._db.keyed("sessions")
            for session in op["sessions"]:
                if sessions.get_key(session["id"]) is None:
                    sessions.put(session["id"], session)
            for key, value in op["settings"].items():
                self._db.keyed("settings").put(key, {"value": value})
        elif kind == "gap":
            return  # marks history lost in a repair: nothing to apply
        elif kind == "reset":
            only = op.get("set_id")
            for table in (questions, self._db.keyed("sessions"), self._db.keyed("hours")):
                for key, doc in table.raw_items():
                    if only is None or doc.get("set_id") == only:
                        table.drop(key)
        else:
            raise StoreVersionError(
                _(
                    "{path} holds a change of kind {kind} written by a newer gmmp-quiz; "
                    "upgrade gmmp-quiz to use this profile."
                ).format(path=self.journal_path, kind=repr(kind))
            )

    def _count(self, attempt: dict[str, Any], outcome: str, sign: int) -> None:
        """Add (or take away) one answer of `outcome` in its set's counters for its UTC hour."""
        if outcome == "skipped":
            return
        set_id, hour = attempt["set_id"], hour_of(attempt["at"])
        table = self._db.keyed("hours")
        key = hour_key(set_id, hour)
        doc = count_into(table.get_key(key), set_id, hour, outcome, sign)
        if doc["answers"] > 0:
            table.put(key, doc)
        else:
            table.drop(key)

    def _snapshot(self) -> bytes:
        return encode_tables(self._frozen_tables())

    def _frozen_tables(self) -> dict[str, dict[str, Any]]:
        """The tables as they are now, copied shallowly (documents are replaced, never changed).

        Only the questions answered since the store was opened hold undo data (`_forget_undo`):
        a snapshot of a long history is half the size it would be otherwise.
        """
        with self._mutex:
            storage = self._db.storage
            assert isinstance(storage, SnapshotStorage)
            storage.data.setdefault("meta", {})["store"] = {
                "schema": SCHEMA_VERSION,
                # The snapshot is bookmarked at a record that is in the journal: a number burnt
                # by a failed append is not, and the next open would take the journal for
                # damaged.
                "applied_seq": self._journaled,
                "applied_offset": self._journal.size,
            }
            return {name: dict(table) for name, table in storage.data.items()}

    def _save(self) -> None:
        """Rewrite the state file atomically, so that the journal tail to replay is empty."""
        with self._mutex:
            self._join_compactor()
            with self._write_lock:
                atomic_write(self.state_path, self._snapshot())
                self._written_seq = self._journaled
            self._pending = 0
            storage = self._db.storage
            assert isinstance(storage, SnapshotStorage)
            storage.dirty = False
            self._mark_checked()

    def _file_id(self) -> list[int]:
        st = os.stat(self.state_path)
        return [st.st_ino, st.st_size, st.st_mtime_ns]

    def _mark_checked(self) -> None:
        """Note which state file holds only checked records (not synced: if lost, the next open
        checks again)."""
        with contextlib.suppress(OSError):
            self.checked_mark.write_text(json.dumps(self._file_id()))

    def _is_checked(self) -> bool:
        """Whether the state file is the very one `_mark_checked` noted (not edited, restored)."""
        try:
            return json.loads(self.checked_mark.read_bytes()) == self._file_id()
        except (OSError, ValueError):
            return False

    def _compact_in_background(self) -> None:
        """Rewrite the state file in a thread: an answer never waits for it."""
        if self._compactor is not None and self._compactor.is_alive():
            return
        tables = self._frozen_tables()
        # Counted as done now: if the write fails, the journal still holds every change, and
        # the next thousand changes (or the close) try again.
        self._pending = 0
        self._compactor = threading.Thread(
            target=self._write_snapshot, args=(tables, self._journaled), daemon=True
        )
        self._compactor.start()

    def _write_snapshot(self, tables: dict[str, dict[str, Any]], seq: int) -> None:
        # Never takes the store's mutex: `close` holds it while it waits for this thread.
        try:
            data = encode_tables(tables)
            with self._write_lock:
                if self._written_seq >= seq:
                    return  # a newer snapshot is already on disk
                atomic_write(self.state_path, data)
                self._written_seq = seq
        except OSError:
            pass

    def _join_compactor(self) -> None:
        compactor = self._compactor
        if compactor is not None:
            compactor.join()
            self._compactor = None

    def _background_backup(self, state: BinaryIO, journal_len: int) -> None:
        try:
            with state:
                make_backup(self.backup_root, "open", state, self.journal_path, journal_len)
        except OSError as exc:
            self.warnings.append(
                _("Could not back up the progress store: {error}").format(error=os_detail(exc))
            )

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(_("the progress store is closed"))

    # -- the API -----------------------------------------------------------------------------

    def record(self, attempt: Attempt, *, card: dict[str, Any] | None = None) -> QuestionState:
        """Save `attempt` (durably, before returning) and update its question's state and card."""
        # Checked (as every change) by _commit, before it is journaled.
        op: dict[str, Any] = {"op": "a", "a": attempt.to_dict()}
        if card is not None:
            op["card"] = card
        self._commit(op)
        state = self.state(attempt.set_id, attempt.question_id)
        assert state is not None
        return state

    def _latest(self, attempt_id: str) -> tuple[str, dict[str, Any]] | None:
        for key, doc in self._db.keyed("questions").raw_items():
            if (doc.get("last_attempt") or {}).get("id") == attempt_id:
                return key, doc
        return None

    def undo(self, attempt_id: str) -> QuestionState | None:
        """Remove the latest attempt of a question; its state before that attempt is restored."""
        with self._mutex:
            self._check_open()
            found = self._latest(attempt_id)
            if found is None or not can_undo(found[1], attempt_id):
                raise UnknownRecordError(
                    _(
                        "answer {id} cannot be undone: it is not the latest answer to its "
                        "question, or it is unknown."
                    ).format(id=attempt_id)
                )
            key, _doc = found
            self._commit({"op": "undo", "id": attempt_id, "k": key})
            doc = self._db.keyed("questions").get_key(key)
            return to_state(doc) if doc is not None else None

    def override(
        self, attempt_id: str, *, score: float = 1.0, card: dict[str, Any] | None = None
    ) -> QuestionState:
        """Count an attempt as correct ("I was right"); the question's state is recomputed."""
        if not 0.0 <= score <= 1.0:
            raise ValueError("score must be between 0 and 1")
        with self._mutex:
            self._check_open()
            found = self._latest(attempt_id)
            history: list[Attempt] | None = None
            if found is not None:
                original = found[1]["last_attempt"]
            else:
                history = list(self.attempts())
                original = next((a.to_dict() for a in history if a.id == attempt_id), None)
            if original is None:
                raise UnknownRecordError(f"no recorded answer {attempt_id}")
            key = key_of(original["set_id"], original["question_id"])
            doc = self._db.keyed("questions").get_key(key)
            if doc is None:
                raise UnknownRecordError(f"no recorded answer {attempt_id}")
            new = {**original, "outcome": "correct", "score": score, "overridden": True}
            op: dict[str, Any] = {"op": "ovr", "k": key, "a": new, "was": original["outcome"]}
            if original["outcome"] in MISSED and (found is None or "prev" not in doc):
                # The latest miss left cannot be told from the state: take it from the history.
                op.update(self._misses_left(doc, original, history))
            if card is not None:
                op["card"] = card
            self._commit(op)
            state = self.state(original["set_id"], original["question_id"])
            assert state is not None
            return state

    def _misses_left(
        self, doc: dict[str, Any], original: dict[str, Any], history: list[Attempt] | None
    ) -> dict[str, Any]:
        """The latest misses of a question once `original` is overridden ("lm", "plm")."""
        if history is None:
            history = list(self.attempts(original["set_id"]))
        latest = (doc.get("last_attempt") or {}).get("id")
        stamps = [
            (a.at, a.id)
            for a in history
            if a.set_id == original["set_id"]
            and a.question_id == original["question_id"]
            and a.outcome in MISSED
            and a.id != original["id"]
        ]
        out: dict[str, Any] = {"lm": max((at for at, _i in stamps), default=None)}
        if doc.get("prev") is not None and latest != original["id"]:
            out["plm"] = max((at for at, i in stamps if i != latest), default=None)
        return out

    def hourly(self, set_id: str | None = None) -> dict[str, tuple[int, int]]:
        """Answers and right answers per UTC hour ("2026-11-28T14"), of one set or all.

        Skipped answers are not counted; kept exact by every change, so no history is read.
        """
        out: dict[str, tuple[int, int]] = {}
        for sid, hours in self.hourly_by_set().items():
            if set_id is None or sid == set_id:
                for hour, (n, c) in hours.items():
                    old = out.get(hour, (0, 0))
                    out[hour] = (old[0] + n, old[1] + c)
        return out

    def hourly_by_set(self) -> dict[str, dict[str, tuple[int, int]]]:
        """`hourly` for each set: set id -> UTC hour -> (answers, right answers)."""
        with self._mutex:
            docs = self._db.keyed("hours").raw_items()
        out: dict[str, dict[str, tuple[int, int]]] = {}
        for _key, doc in docs:
            out.setdefault(doc["set_id"], {})[doc["hour"]] = (doc["answers"], doc["correct"])
        return out

    def state(self, set_id: str, question_id: str) -> QuestionState | None:
        """The state of one question, or None if it has none."""
        doc = self._db.keyed("questions").get_key(key_of(set_id, question_id))
        return to_state(doc) if doc is not None else None

    def states(self, set_id: str | None = None) -> dict[tuple[str, str], QuestionState]:
        """The states of every question (of one set when `set_id` is given).

        Their cards are the store's own, not copies: read them, never change them (the store
        replaces a card, it never changes one, so they stay as they were when read).
        """
        out: dict[tuple[str, str], QuestionState] = {}
        with self._mutex:  # the UI may record from a worker thread meanwhile
            docs = self._db.keyed("questions").raw_items()
        for _key, doc in docs:
            if set_id is None or doc["set_id"] == set_id:
                # Not copying every card halves the time home, stats and review take here.
                out[(doc["set_id"], doc["question_id"])] = to_state(doc, share_card=True)
        return out

    def missed_states(self, *, ever: bool = False) -> dict[tuple[str, str], QuestionState]:
        """The states the missed list may show: latest answer missed (`ever`: any miss at all).

        A superset of what `session.is_missed` keeps (it also looks at `known_at`), found without
        copying the state of every question.
        """
        with self._mutex:
            docs = self._db.keyed("questions").raw_items()
        return {
            (doc["set_id"], doc["question_id"]): to_state(doc, share_card=True)
            for _key, doc in docs
            if doc["last_result"] in MISSED or (ever and doc.get("last_missed"))
        }

    def mark_known(self, set_id: str, question_id: str, at: str) -> None:
        """Record that the learner marked the question as known at `at`."""
        self._commit({"op": "known", "k": key_of(set_id, question_id), "at": at})

    def set_card(self, set_id: str, question_id: str, card: dict[str, Any]) -> None:
        """Replace the scheduler's card of a question."""
        self._commit({"op": "card", "k": key_of(set_id, question_id), "card": card})

    def attempts(self, set_id: str | None = None) -> Iterator[Attempt]:
        """The history, oldest first (read from the journal only when iterated)."""
        from gmmp_quiz.progress_journal import iter_ops

        limit = self._journal.size
        found: dict[str, list[Any]] = {}
        order = 0
        for op in iter_ops(self.journal_path, limit):
            try:
                order = _fold_history(found, op, order)
            except (KeyError, TypeError, AttributeError):
                continue  # a hand-edited record of the wrong shape
        rows = list(found.values())
        # Answers are journaled as they are given, so the history is nearly always in order already.
        if any(str(a[0]) > str(b[0]) for a, b in zip(rows, rows[1:], strict=False)):
            rows.sort(key=lambda x: (str(x[0]), x[1]))
        fields = _ATTEMPT_FIELDS
        self.history_skipped = 0
        for _at, _order, attempt in rows:
            if set_id is None or attempt["set_id"] == set_id:
                if history_problem(attempt) is not None:
                    # Bad values (an old import, a hand edit): left out, and counted for doctor.
                    self.history_skipped += 1
                    continue
                if attempt.keys() == fields:
                    # Every field present: fill the frozen instance directly, much faster than
                    # __init__ over 100,000 answers.
                    record = object.__new__(Attempt)
                    record.__dict__.update(attempt)
                    yield record
                    continue
                try:
                    yield Attempt(**attempt)
                except TypeError:
                    continue  # a hand-edited record of the wrong shape

    def start_session(self, set_id: str, mode: str, at: str) -> str:
        """Start a quiz session; returns its id."""
        session_id = uuid.uuid4().hex
        session = {
            "id": session_id,
            "set_id": set_id,
            "mode": mode,
            "start": at,
            "end": None,
            "answered": 0,
            "correct": 0,
            "score": None,
        }
        self._commit({"op": "ss", "id": session_id, "session": session})
        return session_id

    def end_session(
        self, session_id: str, at: str, *, answered: int, correct: int, score: float
    ) -> None:
        """Close a session with its totals."""
        if self._db.keyed("sessions").get_key(session_id) is None:
            raise UnknownRecordError(f"no session {session_id}")
        end = {"end": at, "answered": answered, "correct": correct, "score": score}
        self._commit({"op": "se", "id": session_id, "end": end})

    def sessions(self) -> list[dict[str, Any]]:
        """Every session, oldest first."""
        with self._mutex:
            docs = self._db.keyed("sessions").raw_items()
        found = [copy.deepcopy(doc) for _k, doc in docs]
        return sorted(found, key=lambda s: (s["start"], s["id"]))

    def get_setting(self, key: str, default: Any = None) -> Any:
        """An app setting (last set, mode, theme, language...)."""
        doc = self._db.keyed("settings").get_key(key)
        return copy.deepcopy(doc["value"]) if doc is not None else default

    def set_setting(self, key: str, value: Any) -> None:
        """Save an app setting durably; the value must be JSON-able."""
        self._commit({"op": "set", "k": key, "v": value})

    def settings(self) -> dict[str, Any]:
        """Every app setting."""
        with self._mutex:
            docs = self._db.keyed("settings").raw_items()
        return {k: copy.deepcopy(d["value"]) for k, d in docs}

    def backup(self, reason: str) -> Path:
        """Back up the store now (kept in the backups directory); returns the backup's path."""
        with self._mutex:
            self._check_open()
            self._join_background()
            try:
                return make_backup(
                    self.backup_root,
                    reason,
                    self._snapshot(),
                    self.journal_path,
                    self._journal.size,
                )
            except OSError as exc:
                raise StoreWriteError(
                    _("could not back up the progress store: {why}").format(why=os_detail(exc))
                ) from None

    def compact(self) -> None:
        """Rewrite the state file now (done by itself every so often and at close)."""
        with self._mutex:
            self._check_open()
            try:
                self._save()
            except OSError as exc:
                raise StoreWriteError(
                    _("could not save {path}: {why}").format(
                        path=self.state_path, why=os_reason(exc)
                    )
                ) from None

    def reset(self, set_id: str | None = None) -> Path:
        """Erase the progress, history and sessions of one set (or all; settings stay).

        A backup is made first; returns its path.
        """
        with self._mutex:
            saved = self.backup("reset")
            self._commit({"op": "reset", "set_id": set_id})
            return saved

    def export_data(self) -> dict[str, Any]:
        """Everything in the profile as one JSON-able object (see docs/progress.md)."""
        from gmmp_quiz.progress_transfer import export_data

        return export_data(self)

    def import_data(self, data: Any, source: str = "import") -> dict[str, Any]:
        """Merge an export (backed up first; answers already here are skipped); what was added."""
        from gmmp_quiz.progress_transfer import import_data

        with self._mutex:
            self._check_open()
            return import_data(self, data, source)

    @property
    def closed(self) -> bool:
        """Whether `close` was called."""
        return self._closed

    def _join_background(self) -> None:
        self._join_compactor()
        if self._bg is not None:
            self._bg.join()
            self._bg = None

    def close(self) -> None:
        """Save the state file and release the profile (every change was already durable)."""
        with self._mutex:
            if self._closed:
                return
            self._join_background()
            storage = self._db.storage
            if self._pending or (isinstance(storage, SnapshotStorage) and storage.dirty):
                try:
                    self._save()
                except OSError as exc:
                    # Nothing is lost: the journal holds every change and is replayed at open.
                    self.warnings.append(
                        _("Could not compact {path}: {error}").format(
                            path=self.state_path, error=os_reason(exc)
                        )
                    )
            self._journal.close()
            self._closed = True
            self._release()

    def _close_files(self) -> None:
        journal = getattr(self, "_journal", None)
        if journal is not None:
            journal.close()
        self._closed = True
        self._release()

    def _release(self) -> None:
        # Releasing must never hide the error being raised.
        with contextlib.suppress(Exception):
            self._lock.release()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_ATTEMPT_FIELDS = {f.name for f in dataclasses.fields(Attempt)}
_encode_one = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def encode_tables(tables: dict[str, dict[str, Any]]) -> bytes:
    """The state file's bytes: the same JSON as one `json.dumps`, encoded a document at a time.

    One call over a long history's state holds the interpreter for a few hundred milliseconds;
    document by document, a compaction in its thread leaves the UI responsive meanwhile.
    """
    parts = []
    for name, table in tables.items():
        docs = ",".join(f"{_encode_one(k)}:{_encode_one(v)}" for k, v in table.items())
        parts.append(f"{_encode_one(name)}:{{{docs}}}")
    return ("{" + ",".join(parts) + "}").encode()


def _fold_history(found: dict[str, list[Any]], op: dict[str, Any], order: int) -> int:
    """Apply one journal op to the history being rebuilt; returns the next order number."""
    kind = op["op"]
    if kind == "a" or kind == "import":
        for attempt in op["attempts"] if kind == "import" else [op["a"]]:
            if attempt["id"] not in found:
                found[attempt["id"]] = [attempt["at"], order, attempt]
                order += 1
    elif kind == "undo":
        found.pop(op["id"], None)
    elif kind == "ovr" and op["a"]["id"] in found:
        found[op["a"]["id"]][2] = op["a"]
    elif kind == "reset":
        only = op.get("set_id")
        for key in [k for k, v in found.items() if only is None or v[2]["set_id"] == only]:
            del found[key]
    return order


def _check_meta(data: dict[str, Any]) -> None:
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
        if not all(isinstance(doc[n], int) for n in ("attempts", "correct", "times_missed")):
            raise CorruptFileError(
                _("question record {key} has bad counters").format(key=visible(key))
            )
        if not isinstance(doc["wrong"], list) or not all(
            isinstance(p, list) and len(p) == 2 for p in doc["wrong"]
        ):
            raise CorruptFileError(
                _("question record {key} has a bad wrong-answer list").format(key=visible(key))
            )
    for key, doc in data.get("hours", {}).items():
        if (
            not isinstance(doc, dict)
            or not isinstance(doc.get("set_id"), str)
            or not isinstance(doc.get("hour"), str)
            or not all(isinstance(doc.get(n), int) for n in ("answers", "correct", "missed"))
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


def _question_problem(key: str, doc: Any) -> str | None:
    return stored_state_problem(doc)


def _hours_problem(key: str, doc: Any) -> str | None:
    return hours_problem(doc)


def _session_problem(key: str, doc: Any) -> str | None:
    return session_problem(doc)


def _setting_problem(key: str, doc: Any) -> str | None:
    if not isinstance(doc, dict) or "value" not in doc:
        return _("a setting must have a value")
    return setting_problem(key, doc["value"])


def op_problem(op: dict[str, Any], *, deep: bool = True) -> str | None:
    """Why a journal record cannot be applied (None when it can): its values are checked too.

    Without `deep`, NaN and infinity in card fields no reader uses are left to the journal's
    encoder, which refuses them anyway.
    """
    kind = op["op"]
    if kind == "a":
        return attempt_problem(op.get("a")) or card_problem(op.get("card"), deep=deep)
    if kind == "ovr":
        if op.get("was") not in OUTCOMES or not isinstance(op.get("k"), str):
            return _("bad override")
        misses = [op[f] for f in ("lm", "plm") if op.get(f) is not None]
        return (
            attempt_problem(op.get("a"))
            or card_problem(op.get("card"), deep=deep)
            or next(filter(None, map(stamp_problem, misses)), None)
        )
    if kind == "known":
        return stamp_problem(op.get("at"))
    if kind == "card":
        return card_problem(op.get("card"), deep=deep)
    if kind == "ss":
        return session_problem(op.get("session"))
    if kind == "se":
        end = op.get("end")
        if not isinstance(end, dict):
            return _("bad session end")
        return stamp_problem(end.get("end"))
    if kind == "set":
        return setting_problem(op.get("k"), op.get("v"))
    if kind == "import":
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


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _remove(path: Path) -> None:
    import shutil

    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()
