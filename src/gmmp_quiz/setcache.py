"""The parse cache: validated sets stored as JSON, keyed by path, size, mtime and content hash."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from gmmp_quiz import __version__, paths
from gmmp_quiz.loading import build_set, check_text, decode
from gmmp_quiz.model import QuestionSet

CACHE_FORMAT = 1


def _entry_path(path: Path) -> Path:
    digest = hashlib.sha1(str(path.resolve()).encode("utf-8", "surrogatepass")).hexdigest()
    return paths.cache_dir() / "sets" / f"{digest}.json"


def _key(path: Path, stat: os.stat_result, content_hash: str) -> dict[str, Any]:
    return {
        "format": CACHE_FORMAT,
        "version": __version__,
        "path": str(path.resolve()),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "hash": content_hash,
    }


def _read_entry(entry: Path) -> dict[str, Any] | None:
    """A cache entry, or None when it is missing or unreadable (never trusted blindly)."""
    try:
        with entry.open("rb") as fh:
            cached = json.loads(fh.read())
    except (OSError, ValueError):
        return None
    return cached if isinstance(cached, dict) else None


def _write_entry(entry: Path, payload: dict[str, Any]) -> None:
    """Write atomically; a cache that cannot be written is simply skipped."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(payload, fh, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, entry)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass


def load(path: Path, *, shipped: bool = False) -> QuestionSet:
    """Load a set, from the cache when the file is unchanged, else parse, check and cache it."""
    from gmmp_quiz.loading import MAX_BYTES, Problem, ValidationError

    shown = str(path)
    try:
        stat = path.stat()
        if stat.st_size > MAX_BYTES:
            message = f"file is larger than {MAX_BYTES // (1024 * 1024)} MB"
            raise ValidationError([Problem(shown, 0, 0, message)])
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationError([Problem(shown, 0, 0, f"cannot read: {exc.strerror}")]) from None
    content_hash = hashlib.blake2b(raw, digest_size=16).hexdigest()
    key = _key(path, stat, content_hash)
    entry = _entry_path(path)
    cached = _read_entry(entry)
    if cached is not None and cached.get("key") == key:
        try:
            return build_set(cached["data"], shown, shipped)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # a damaged entry: rebuild it below
    data = check_text(decode(raw, shown), shown)
    _write_entry(entry, {"key": key, "data": data})
    return build_set(data, shown, shipped)
