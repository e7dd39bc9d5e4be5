"""The parse cache: validated sets stored as JSON, keyed by path, size, mtime and content hash."""

from __future__ import annotations

import hashlib
import marshal
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


def _read_entry(entry: Path) -> dict[str, Any] | None:
    """A cache entry, or None when it is missing or unreadable (never trusted blindly)."""
    # marshal, not JSON: it loads several times faster, and data (never code) is all it holds.
    try:
        with entry.open("rb") as fh:
            cached = marshal.loads(fh.read())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return cached if isinstance(cached, dict) else None


def _write_entry(entry: Path, payload: dict[str, Any]) -> None:
    """Write atomically; a cache that cannot be written is simply skipped."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".marshal")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(marshal.dumps(payload))
            os.replace(tmp, entry)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass


def _is_text(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and bool(value)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    )


def _is_texts(value: Any) -> bool:
    return isinstance(value, list) and all(_is_text(v) for v in value)


_REQUIRED = {
    "flashcard": ("front", "back"),
    "choice": ("prompt", "choices"),
    "multi": ("prompt", "choices"),
    "true_false": ("prompt", "answer"),
    "short": ("prompt", "answer"),
    "numeric": ("prompt", "answer"),
    "cloze": ("text",),
    "order": ("prompt", "items"),
    "match": ("prompt", "pairs"),
}
_TEXT_KEYS = ("prompt", "front", "back", "text", "explanation", "source", "unit")


def _question_ok(q: Any) -> bool:
    """Whether one cached question has the shape the model builder expects."""
    if not isinstance(q, dict) or not isinstance(q.get("id"), str):
        return False
    kind = q.get("type")
    required = _REQUIRED.get(kind)  # type: ignore[arg-type]
    if required is None or any(key not in q for key in required):
        return False
    if not all(_is_text(q[k]) for k in _TEXT_KEYS if q.get(k) is not None):
        return False
    if kind in ("choice", "multi"):
        return isinstance(q["choices"], list) and all(
            isinstance(c, dict) and _is_text(c.get("text")) and isinstance(c.get("correct"), bool)
            for c in q["choices"]
        )
    if kind == "true_false":
        return isinstance(q["answer"], bool)
    if kind == "short":
        return _is_text(q["answer"]) and all(
            isinstance(a, str) for a in q.get("alternatives", [])
        )
    if kind == "numeric":
        return isinstance(q["answer"], int | float) and not isinstance(q["answer"], bool)
    if kind == "order":
        return _is_texts(q["items"])
    if kind == "match":
        return isinstance(q["pairs"], list) and all(
            isinstance(p, dict) and _is_text(p.get("left")) and _is_text(p.get("right"))
            for p in q["pairs"]
        )
    return True


def _plausible(data: Any) -> bool:
    """Whether a cached entry has the shape of checked data: a cache is never trusted blindly.

    Questions are built only when first used, so their shape is checked here, up front.
    """
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        return False
    if not _is_text(data.get("title")) or not isinstance(data.get("language"), str):
        return False
    if not isinstance(data.get("id"), str):
        return False
    if not all(isinstance(data.get(k), bool) for k in ("shuffle", "strict_accents")):
        return False
    return all(_question_ok(q) for q in data["questions"])


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
    if cached is not None and cached.get("key") == key and _plausible(cached.get("data")):
        try:
            return build_set(cached["data"], shown, shipped)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # a damaged entry: rebuild it below
    data = check_text(decode(raw, shown), shown)
    _write_entry(entry, {"key": key, "data": data})
    return build_set(data, shown, shipped)
