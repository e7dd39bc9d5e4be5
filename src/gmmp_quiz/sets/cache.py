"""The parse cache: checked set data (marshal), keyed by path, size, mtime and content hash."""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from gmmp_quiz import __version__, paths
from gmmp_quiz.errors import Problem, ValidationError
from gmmp_quiz.files import atomic_write, read_failure, read_regular
from gmmp_quiz.sets.rules import MAX_BYTES

T = TypeVar("T")

# 2: numbers overflowing to infinity and "\r" escapes are refused (entries checked before are not)
CACHE_FORMAT = 2


def _entry_path(path: Path) -> Path:
    digest = hashlib.sha1(str(path.resolve()).encode("utf-8", "surrogatepass")).hexdigest()
    return paths.cache_dir() / "sets" / f"{digest}.marshal"


def _key(path: Path, stat: os.stat_result, content_hash: str) -> dict[str, Any]:
    return {
        "format": CACHE_FORMAT,
        "version": __version__,
        "path": str(path.absolute()),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "hash": content_hash,
    }


MAGIC = b"gmmp-quiz-cache\x00"
DIGEST_SIZE = 16


def _read_entry(entry: Path) -> dict[str, Any] | None:
    """A cache entry, or None when it is missing, torn or damaged (never trusted blindly).

    An entry is MAGIC, a digest of the payload, then the payload (marshal: it loads several times
    faster than JSON, and holds data, never code). The digest catches torn or altered entries.
    """
    try:
        with entry.open("rb") as fh:
            blob = fh.read()
    except OSError:
        return None
    head = len(MAGIC) + DIGEST_SIZE
    if not blob.startswith(MAGIC) or len(blob) < head:
        return None
    payload = blob[head:]
    if hashlib.blake2b(payload, digest_size=DIGEST_SIZE).digest() != blob[len(MAGIC) : head]:
        return None
    try:
        cached = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    return cached if isinstance(cached, dict) else None


def _write_entry(entry: Path, payload: dict[str, Any]) -> None:
    """Write atomically; a cache that cannot be written is simply skipped."""
    data = marshal.dumps(payload)
    blob = MAGIC + hashlib.blake2b(data, digest_size=DIGEST_SIZE).digest() + data
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        # Not fsynced: a lost entry is parsed again, and the digest catches a torn one.
        atomic_write(entry, blob, durable=False)
        _write_owner(entry, payload["key"]["path"])
    except OSError:
        pass


def _owner_path(entry: Path) -> Path:
    # Beside each entry, the path of its set file: `prune` reads this, not the whole entry.
    return entry.with_suffix(".path")


def _write_owner(entry: Path, path: str) -> None:
    with contextlib.suppress(OSError):
        atomic_write(_owner_path(entry), path.encode("utf-8", "surrogatepass"), durable=False)


def _owner(entry: Path) -> str | None:
    """The path of the set file an entry was made from (None if unknown)."""
    with contextlib.suppress(OSError, UnicodeDecodeError):
        return _owner_path(entry).read_bytes().decode("utf-8", "surrogatepass")
    cached = _read_entry(entry)  # an entry made before the owner files: read once
    key = cached.get("key") if cached is not None else None
    where = key.get("path") if isinstance(key, dict) else None
    if isinstance(where, str):
        _write_owner(entry, where)
        return where
    return None


def _plausible(data: Any) -> bool:
    """Whether the entry's data has the top-level shape of checked data."""
    return (
        isinstance(data, dict)
        and isinstance(data.get("id"), str)
        and isinstance(data.get("title"), dict)
        and isinstance(data.get("language"), str)
        and isinstance(data.get("questions"), list)
    )


def read_raw(path: Path) -> tuple[bytes, os.stat_result]:
    """A set file's bytes and stat, with size and I/O problems as ValidationError."""
    try:
        return read_regular(path, MAX_BYTES)
    except OSError as exc:
        raise ValidationError([Problem(str(path), 0, 0, read_failure(exc))]) from None


def load(path: Path, build: Callable[[dict[str, Any]], T]) -> T:
    """`build` applied to the set's checked data: from the cache when the file is unchanged,
    else parsed, checked and cached. An entry that `build` rejects is checked again."""
    shown = str(path)
    raw, stat = read_raw(path)
    content_hash = hashlib.blake2b(raw, digest_size=16).hexdigest()
    key = _key(path, stat, content_hash)
    entry = _entry_path(path)
    cached = _read_entry(entry)
    if cached is not None and cached.get("key") == key and _plausible(cached.get("data")):
        try:
            return build(cached["data"])
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # a damaged entry: rebuild it below
    # Only now: an entry that matches needs neither the validator nor PyYAML.
    from gmmp_quiz.sets.validation import check_text
    from gmmp_quiz.sets.yamlread import decode

    data = check_text(decode(raw, shown), shown)
    _write_entry(entry, {"key": key, "data": data})
    return build(data)


def checked_data(path: Path) -> dict[str, Any] | None:
    """The cached checked data of `path` if its entry matches the file as it is now."""
    try:
        raw, stat = read_raw(path)
    except ValidationError:
        return None
    key = _key(path, stat, hashlib.blake2b(raw, digest_size=16).hexdigest())
    cached = _read_entry(_entry_path(path))
    if cached is not None and cached.get("key") == key and _plausible(cached.get("data")):
        data: dict[str, Any] = cached["data"]
        return data
    return None


def prime(path: Path, data: dict[str, Any]) -> None:
    """Cache the checked data of a set file just written (by import or add): the next start
    reads the entry instead of parsing the file again."""
    try:
        raw, stat = read_raw(path)
    except ValidationError:
        return
    key = _key(path, stat, hashlib.blake2b(raw, digest_size=16).hexdigest())
    _write_entry(_entry_path(path), {"key": key, "data": data})


def forget(path: Path) -> None:
    """Drop the entry of a set file that was removed."""
    # One that cannot be removed costs disk, never a wrong set: its key no longer matches.
    entry = _entry_path(path)
    with contextlib.suppress(OSError):
        entry.unlink(missing_ok=True)
        _owner_path(entry).unlink(missing_ok=True)


def prune(live: Iterable[Path]) -> int:
    """Remove the entries of set files that no longer exist; how many were removed.

    `live` are the files just loaded (their entries are kept as they are); any other entry is
    removed when the file it was made from is gone (renamed or deleted).
    """
    directory = paths.cache_dir() / "sets"
    keep = {_entry_path(path).name for path in live}
    removed = 0
    try:
        entries = [e for e in directory.iterdir() if e.suffix == ".marshal" and e.name not in keep]
    except OSError:
        return 0
    for entry in entries:
        where = _owner(entry)
        if where is not None and os.path.exists(where):
            continue  # a set of a folder not given this time (--dir): still good
        try:
            entry.unlink()
            removed += 1
        except OSError:
            continue
        with contextlib.suppress(OSError):
            _owner_path(entry).unlink(missing_ok=True)
    return removed
