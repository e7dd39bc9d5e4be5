"""The TinyDB storage and table of the progress store, and its JSON snapshot reader."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from gmmp_quiz.files import atomic_write, json_problem_at
from gmmp_quiz.i18n import _

_encode_one = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

# A table whose JSON is longer than this (64 KiB) is kept zstd-compressed in the state file, as
# {"zstd-base64": "..."}: the questions of a long history take a sixth of the space, and the file
# stays one JSON object, replaced atomically, whose header any version can read.
PACK_AT = 1 << 16
PACKED = "zstd-base64"
_PACKABLE = ("questions", "hours", "sessions")


def encode_tables(tables: dict[str, dict[str, Any]]) -> bytes:
    """The state file's bytes: the same JSON as one `json.dumps`, encoded a document at a time.

    One call over a long history's state holds the interpreter for a few hundred milliseconds;
    document by document, a compaction in its thread leaves the UI responsive meanwhile.
    """
    parts = []
    for name, table in tables.items():
        docs = "{" + ",".join(f"{_encode_one(k)}:{_encode_one(v)}" for k, v in table.items()) + "}"
        if len(docs) > PACK_AT and name in _PACKABLE:
            docs = _encode_one({PACKED: _pack(docs.encode())})
        parts.append(f"{_encode_one(name)}:{docs}")
    return ("{" + ",".join(parts) + "}").encode()


def _pack(data: bytes) -> str:
    import base64

    import zstandard

    return base64.b64encode(zstandard.ZstdCompressor(level=1).compress(data)).decode("ascii")


def _unpack(text: str) -> Any:
    import base64
    import binascii

    import zstandard

    try:
        raw = zstandard.ZstdDecompressor().decompress(base64.b64decode(text, validate=True))
        # Decoded as json.loads would, but the bytes (megabytes for a long history) are let go
        # before the parse makes its objects: they would add to the open's peak of memory.
        decoded = raw.decode(json.detect_encoding(raw), "surrogatepass")
        del raw
        return json.loads(decoded)
    except (binascii.Error, zstandard.ZstdError, ValueError, RecursionError) as exc:
        raise CorruptFileError(f"a compressed table cannot be read ({exc})") from None


class CorruptFileError(Exception):
    """A store file exists but cannot be read as what it should be (internal to the store)."""


def load_json_object(path: Path) -> dict[str, Any] | None:
    """The JSON object in `path`; None when the file does not exist.

    An empty, truncated or garbage file raises CorruptFileError: unlike TinyDB's JSONStorage,
    an empty file is never taken for an empty database.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    return parse_json_object(raw, path)


def parse_json_object(raw: bytes, path: Path) -> dict[str, Any]:
    """The JSON object `raw` holds (read from `path`); CorruptFileError when it holds none."""
    if not raw.strip():
        raise CorruptFileError(_("{path} is empty").format(path=path))
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise CorruptFileError(json_problem_at(path, exc)) from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise CorruptFileError(_("{path} does not hold a database").format(path=path))
    for name, table in data.items():
        if len(table) == 1 and isinstance(table.get(PACKED), str):
            data[name] = _unpack(table[PACKED])
            if not isinstance(data[name], dict):
                raise CorruptFileError(
                    _("{path}: table {name} does not hold records").format(path=path, name=name)
                )
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

    # TinyDB declares int ids; its tables only ever call this class on the ids they hold,
    # which are the store's string keys here.
    document_id_class = str  # type: ignore[assignment]

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


def forget_undo(questions: KeyedTable) -> None:
    """Drop the undo data of every question (the answers given before this open).

    Undo is for the session in progress; the next snapshot is then half the size.
    """
    raw = questions._raw()
    for key, doc in questions.raw_items():
        if "prev" in doc:
            raw[key] = {k: v for k, v in doc.items() if k != "prev"}


def _same(a: Any, b: Any) -> bool:
    """Whether two JSON values are equal and encode the same (1 == True, 0.0 == -0.0 do not)."""
    kind = type(a)
    if kind is not type(b):
        return False
    if kind is str or kind is int or a is None or kind is bool:
        return bool(a == b)
    if kind is list:
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if kind is dict:
        # Same keys in the same order: the order is kept in the file.
        return list(a) == list(b) and all(_same(v, b[k]) for k, v in a.items())
    if kind is float:
        return repr(a) == repr(b)
    return False


def share_values(tables: dict[str, dict[str, Any]]) -> None:
    """Make the values a read state file repeats one object each; nothing else changes.

    Parsed JSON gives every value its own object: for each question its set id, result and
    mode, its latest attempt's copy of the question's last time and answer, its card's review
    time. With thousands of questions those copies are megabytes for the app's whole life.
    Documents are never changed in place (each change makes a new one), so sharing is safe;
    an answer just recorded already shares its values this way. Each value is replaced by an
    equal one in one step, and the tables are walked over copies of their lists of documents:
    another thread may record answers or write a snapshot meanwhile.
    """
    canon: dict[str, str] = {}
    one = canon.setdefault
    text = str
    # Unrolled, with plain comparisons where equal values are strings (which encode the
    # same): this runs at every open, over every question.
    for key, doc in list(tables.get("sessions", {}).items()):
        if type(doc) is dict:
            if doc.get("id") == key:
                doc["id"] = one(key, key)
            value = doc.get("set_id")
            if type(value) is text:
                doc["set_id"] = one(value, value)
            value = doc.get("mode")
            if type(value) is text:
                doc["mode"] = one(value, value)
    for doc in list(tables.get("hours", {}).values()):
        if type(doc) is dict:
            value = doc.get("set_id")
            if type(value) is text:
                doc["set_id"] = one(value, value)
    for doc in list(tables.get("questions", {}).values()):
        if type(doc) is not dict:
            continue
        set_id = doc.get("set_id")
        if type(set_id) is text:
            doc["set_id"] = set_id = one(set_id, set_id)
        value = doc.get("last_result")
        if type(value) is text:
            doc["last_result"] = one(value, value)
        seen = doc.get("last_seen")
        if type(seen) is text:
            if doc.get("last_missed") == seen:
                doc["last_missed"] = seen
            card = doc.get("card")
            if type(card) is dict and card.get("last_review") == seen:
                card["last_review"] = seen
        last = doc.get("last_attempt")
        if type(last) is not dict:
            continue
        if type(set_id) is text and last.get("set_id") == set_id:
            last["set_id"] = set_id
        value = doc.get("question_id")
        if type(value) is text and last.get("question_id") == value:
            last["question_id"] = value
        if type(seen) is text and last.get("at") == seen:
            last["at"] = seen
        answer = doc.get("last_answer")
        if answer is not None and "answer" in last and _same(last["answer"], answer):
            last["answer"] = answer
        value = last.get("outcome")
        if type(value) is text:
            last["outcome"] = one(value, value)
        value = last.get("mode")
        if type(value) is text:
            last["mode"] = one(value, value)
        value = last.get("session_id")
        if type(value) is text:
            last["session_id"] = one(value, value)
        wrong = doc.get("wrong")
        if wrong and type(wrong) is list:
            pair = wrong[-1]
            value = last.get("id")
            if type(pair) is list and len(pair) == 2 and type(value) is text and pair[0] == value:
                pair[0] = value
                if answer is not None and _same(pair[1], answer):
                    pair[1] = answer
