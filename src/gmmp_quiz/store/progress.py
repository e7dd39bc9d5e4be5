"""The progress store: per-question state in TinyDB, every change in an fsynced journal.

This module opens a profile (lock, recovery, migration, backup) and writes changes; the
changes themselves are store.ops, the reads store.queries, the recovery steps store.recover.
"""

from __future__ import annotations

import contextlib
import gc
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

import filelock

from gmmp_quiz import paths
from gmmp_quiz.files import atomic_write, is_temp_name, os_detail, os_reason
from gmmp_quiz.i18n import _, ngettext
from gmmp_quiz.paths import profile_dir
from gmmp_quiz.store.backup import (
    JOURNAL_NAME,
    STATE_NAME,
    make_backup,
    stale_temp_dirs,
)
from gmmp_quiz.store.changes import StoreChanges
from gmmp_quiz.store.errors import (
    StoreError,
    StoreLockedError,
    StoreVersionError,
    StoreWriteError,
    UnknownRecordError,
)
from gmmp_quiz.store.journal import SEAL_AT, Journal, encode, sealable
from gmmp_quiz.store.lock import lock_profile
from gmmp_quiz.store.migrations import SCHEMA_VERSION, misses, upgrade, with_last_missed
from gmmp_quiz.store.ops import UnknownOpError, apply_op, op_problem, replay
from gmmp_quiz.store.recover import (
    is_checked,
    load_state,
    mark_checked,
    read_journal,
    set_aside_bad_records,
)
from gmmp_quiz.store.state import Attempt, QuestionState
from gmmp_quiz.store.tables import (
    SnapshotStorage,
    StateDB,
    encode_tables,
    forget_undo,
    share_values,
)

__all__ = [
    "SCHEMA_VERSION",
    "Attempt",
    "ProgressStore",
    "QuestionState",
    "StoreError",
    "StoreLockedError",
    "StoreVersionError",
    "StoreWriteError",
    "UnknownRecordError",
    "op_problem",
    "profile_dir",
]

# The state file is rewritten after this many journaled changes (and at close), which bounds
# the journal tail replayed at open.
COMPACT_EVERY = 1000


class ProgressStore(StoreChanges):
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
        home = home if home is not None else paths.home_dir()
        lock = lock_profile(home, profile)
        directory = profile_dir(home, profile)
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
        data, raw = load_state(self.state_path, self.backup_root, self.warnings)
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
            upgrade(data, raw, self.backup_root, self.journal_path, self.warnings)
            changed = True
        applied = int(meta.get("applied_seq", 0))
        offset = int(meta.get("applied_offset", 0))
        ops, good_end, torn, repaired = read_journal(
            self.journal_path, self.backup_root, offset, applied, self.warnings
        )
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
        try:
            self._seq, skipped = replay(self._db, ops, applied)
        except UnknownOpError as exc:
            raise self._newer(exc.kind) from None
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
        if not (raw is not None and is_checked(self.state_path, self.checked_mark)):
            if self._set_aside_bad_records():
                changed = True
            elif raw is not None and not ops:
                # The file stays as it is: the next open trusts it.
                mark_checked(self.state_path, self.checked_mark)
        forget_undo(self._db.keyed("questions"))
        if schema < 2 and ops:
            # Changes written before schema 2 may not say which miss is the latest left after
            # an override: now that they are applied, take the last misses from the history.
            last = misses([a.to_dict() for a in self.attempts()])
            questions = self._db.keyed("questions")
            for key, doc in questions.raw_items():
                questions.put(key, with_last_missed(doc, last.get(key, [])))
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

    def _set_aside_bad_records(self) -> bool:
        """Move the records no reader could use aside (recover.set_aside_bad_records)."""
        return set_aside_bad_records(self._db, self.dir, self.warnings)

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
        try:
            apply_op(self._db, op)
        except UnknownOpError as exc:
            raise self._newer(exc.kind) from None

    def _newer(self, kind: str) -> StoreVersionError:
        return StoreVersionError(
            _(
                "{path} holds a change of kind {kind} written by a newer gmmp-quiz; "
                "upgrade gmmp-quiz to use this profile."
            ).format(path=self.journal_path, kind=repr(kind))
        )

    def _snapshot(self) -> bytes:
        return encode_tables(self._frozen_tables())

    def _frozen_tables(self, offset: int | None = None) -> dict[str, dict[str, Any]]:
        """The tables as they are now, copied shallowly (documents are replaced, never changed).

        Only the questions answered since the store was opened hold undo data
        (`tables.forget_undo`): a snapshot of a long history is half the size it would be
        otherwise. `offset` is the journal position to bookmark (default: its end).
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
                "applied_offset": self._journal.size if offset is None else offset,
            }
            return {name: dict(table) for name, table in storage.data.items()}

    def _save(self) -> None:
        """Rewrite the state file atomically, so that the journal tail to replay is empty."""
        with self._mutex:
            self._join_compactor()
            sealed = self._seal()
            with self._write_lock:
                tables = self._frozen_tables(0 if sealed else None)
                atomic_write(self.state_path, encode_tables(tables))
                self._written_seq = self._journaled
            if sealed:
                # The state file covers the segments now: the journal starts again, empty. A
                # crash before this leaves the old journal, whose records are read once each.
                atomic_write(self.journal_path, b"")
                self._journal.close()
                self._journal = Journal(self.journal_path)
            self._pending = 0
            storage = self._db.storage
            assert isinstance(storage, SnapshotStorage)
            storage.dirty = False
            mark_checked(self.state_path, self.checked_mark)

    def _seal(self) -> bool:
        """Copy the journal, compressed, into a sealed segment when it is long enough; whether
        it did (the state file about to be written covers every record of it)."""
        journal = self._journal
        if journal.size < SEAL_AT or not journal.whole:
            return False
        if self._bg is not None:  # the open backup is still copying this journal
            self._bg.join()
            self._bg = None
        found = sealable(journal, self._journaled)
        if found is not None:
            name, data = found
            atomic_write(self.dir / name, data)
        return True

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

    def _join_background(self) -> None:
        self._join_compactor()
        if self._bg is not None:
            self._bg.join()
            self._bg = None

    @property
    def revision(self) -> int:
        """The number of the last change: every change to the store raises it."""
        return self._seq

    def share_values(self) -> None:
        """Make the values the loaded state repeats one object each (see `tables.share_values`).

        Megabytes less with a long history, for a process that keeps the store open (the app).
        Nothing the store holds or writes changes; safe while answers are recorded. Not done by
        `open`: it costs tens of milliseconds over 10,000 questions, which commands
        that exit soon after would pay for nothing.
        """
        storage = self._db.storage
        if isinstance(storage, SnapshotStorage):
            share_values(storage.data)

    def close(self, before_release: Callable[[], object] | None = None) -> None:
        """Save the state file and release the profile (every change was already durable).

        `before_release` is called once the files are final, while the profile is still held:
        no other process can have changed them yet.
        """
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
            try:
                if before_release is not None:
                    before_release()
            finally:
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


def _remove(path: Path) -> None:
    import shutil

    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()
