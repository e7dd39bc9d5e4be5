"""Durable file primitives and the TinyDB storage and table used by the progress store."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from gmmp_quiz.files import check_replaceable, json_problem_at
from gmmp_quiz.i18n import _

TEMP_MARK = ".tmp-"


class CorruptFileError(Exception):
    """A store file exists but cannot be read as what it should be (internal to the store)."""


def fsync_dir(path: Path) -> None:
    """Make a rename or a file creation in directory `path` durable."""
    # Windows cannot open a directory; there renames are durable enough once the file is synced.
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_all(fd: int, data: bytes) -> None:
    """Write every byte of `data` to `fd` (os.write may write less than asked)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def is_temp_name(name: str) -> bool:
    """Whether `name` is a temporary file left by `atomic_write` (safe to remove under the lock)."""
    return TEMP_MARK in name


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically: temp file, fsync, os.replace, fsync of the directory.

    On any error the old file is untouched and the temp file removed; the error propagates.
    """
    check_replaceable(path)
    tmp = path.with_name(f"{path.name}{TEMP_MARK}{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def copy_durable(src: Path, dst: Path, length: int | None = None) -> None:
    """Copy the first `length` bytes (all when None) of `src` to a new file `dst`, fsynced."""
    with open(src, "rb") as fin, open(dst, "xb") as fout:
        remaining = length
        while remaining is None or remaining > 0:
            chunk = fin.read(1 << 20 if remaining is None else min(1 << 20, remaining))
            if not chunk:
                break
            fout.write(chunk)
            if remaining is not None:
                remaining -= len(chunk)
        fout.flush()
        os.fsync(fout.fileno())


def load_json_object(path: Path) -> dict[str, Any] | None:
    """The JSON object in `path`; None when the file does not exist.

    An empty, truncated or garbage file raises CorruptFileError: unlike TinyDB's JSONStorage,
    an empty file is never taken for an empty database.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    if not raw.strip():
        raise CorruptFileError(_("{path} is empty").format(path=path))
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise CorruptFileError(json_problem_at(path, exc)) from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise CorruptFileError(_("{path} does not hold a database").format(path=path))
    return data


class SnapshotStorage(Storage):
    """A TinyDB storage held in memory and saved to disk only by `save` (atomically).

    Between saves, durability comes from the progress journal: every change is journaled
    (and fsynced) before it is applied here, so writes from TinyDB cost no I/O.
    """

    def __init__(self, path: Path, data: dict[str, dict[str, Any]] | None = None) -> None:
        self.path = path
        self.data: dict[str, dict[str, Any]] = data if data is not None else {}
        self.dirty = False

    def read(self) -> dict[str, dict[str, Any]] | None:
        """The tables, live (TinyDB's Table copies before it changes anything)."""
        return self.data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Take TinyDB's new data; saved to disk by the next `save`."""
        self.data = data
        self.dirty = True

    def dumps(self) -> bytes:
        """The snapshot as the bytes of the state file."""
        return json.dumps(self.data, ensure_ascii=False, separators=(",", ":")).encode()

    def save(self) -> None:
        """Write the snapshot to its file atomically."""
        atomic_write(self.path, self.dumps())
        self.dirty = False

    def close(self) -> None:
        """Nothing to release: the file is only open while it is saved."""


class KeyedTable(Table):
    """A TinyDB table whose document ids are string keys, with O(1) `put`, `get_key`, `drop`.

    Stock `Table.insert`/`update` copy the whole table on every write; the store's hot path
    uses these methods instead, so that recording an answer costs the same at any size.
    """

    document_id_class = str

    def _raw(self) -> dict[str, Any]:
        data = self.storage.read()
        assert data is not None
        return data.setdefault(self.name, {})

    def put(self, key: str, doc: Mapping[str, Any]) -> None:
        """Insert or replace the document under `key`."""
        self._raw()[key] = dict(doc)
        self._mark()

    def get_key(self, key: str) -> dict[str, Any] | None:
        """The raw document under `key` (do not modify it), or None."""
        return self._raw().get(key)

    def drop(self, key: str) -> None:
        """Remove the document under `key` if there is one."""
        if self._raw().pop(key, None) is not None:
            self._mark()

    def raw_items(self) -> list[tuple[str, dict[str, Any]]]:
        """Every (key, document) pair, without copying the documents."""
        return list(self._raw().items())

    def _mark(self) -> None:
        storage = self.storage
        if isinstance(storage, SnapshotStorage):
            storage.dirty = True
        self.clear_cache()


class StateDB(TinyDB):
    """The TinyDB database of per-question state, sessions, settings and meta."""

    table_class = KeyedTable

    def keyed(self, name: str) -> KeyedTable:
        """The table `name` as a KeyedTable."""
        table = self.table(name)
        assert isinstance(table, KeyedTable)
        return table
