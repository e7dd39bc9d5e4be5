"""The last list of sets found, kept in the cache so the home screen lists them in its first frame.

Finding the sets reads every set's parse cache (tens of milliseconds for a learner's bank of
thousands of questions); the home screen needs only their ids, titles and counts. After each
discovery this small JSON file records those, with the files' and folders' signatures; the next
start reads it back (one file, a stat per set) and lists the sets at once, while the real
discovery runs in the app's loader thread and has the last word. A listing whose files or
folders changed since is not used: a stale list would flash and change under the learner.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from gmmp_quiz.files import atomic_write, file_signature, read_regular
from gmmp_quiz.vocab import LText

if TYPE_CHECKING:
    from gmmp_quiz.model import QuestionSet
    from gmmp_quiz.sets.loading import Discovery

# Bumped whenever the fields change: an older listing is then simply not used.
LISTING_FORMAT = 1
MAX_BYTES = 4 * 1024 * 1024


# (Named tuples, not dataclasses: this is read before the first frame, and a frozen dataclass
# takes some seven times as long to define.)
class SetSummary(NamedTuple):
    """What the home screen shows of a set before the sets are loaded."""

    id: str
    title: LText
    questions: int
    description: LText | None = None
    source: LText | None = None

    @classmethod
    def of(cls, qset: QuestionSet) -> SetSummary:
        """The summary of a loaded set."""
        return cls(qset.id, qset.title, len(qset.questions), qset.description, qset.source)


class Listing(NamedTuple):
    """The sets of the last discovery, and its files that failed (each file's first problem)."""

    sets: tuple[SetSummary, ...]
    errors: tuple[str, ...]
    error_count: int


def listing_path(cache: Path) -> Path:
    """Where the listing lives in the cache folder."""
    return cache / "listing.json"


def _text(value: LText | None) -> list[Any] | None:
    return None if value is None else [dict(value.values), value.default]


def _ltext(value: Any) -> LText | None:
    if value is None:
        return None
    values, default = value
    if not isinstance(values, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in values.items()
    ):
        raise ValueError("not a text")
    if not values or not isinstance(default, str):
        raise ValueError("not a text")
    return LText(values, default)


def save_listing(path: Path, dirs: Sequence[Path], found: Discovery, lang: str) -> None:
    """Record what `found` (the discovery of `dirs`, in order) lists; quietly skipped on failure.

    `lang` is the language its files' problems are written in.

    Called right after the discovery: a file changed in between makes the next start's check
    fail, never lists a wrong set.
    """
    try:
        data = {
            "format": LISTING_FORMAT,
            "lang": lang,
            "dirs": [[str(d), file_signature(d) if d.is_dir() else None] for d in dirs],
            "files": sorted(
                [qset.path, file_signature(Path(qset.path))] for qset in found.sets if qset.path
            )
            + sorted(
                [file, file_signature(Path(file))] for file in found.errors if Path(file).is_file()
            ),
            "sets": [
                {
                    "id": s.id,
                    "title": _text(s.title),
                    "questions": len(s.questions),
                    "description": _text(s.description),
                    "source": _text(s.source),
                }
                for s in found.sets
            ],
            "errors": [str(problems[0]) for problems in list(found.errors.values())[:3]],
            "error_count": len(found.errors),
        }
    except OSError:
        with contextlib.suppress(OSError):
            path.unlink()  # a file that vanished meanwhile: the next start finds the sets itself
        return
    encoded = json.dumps(data, ensure_ascii=False).encode()
    with contextlib.suppress(OSError):
        if path.read_bytes() == encoded:
            return  # the same sets as last time: not written again at every start
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        # A cache: not worth an fsync, and atomic_write never leaves it torn.
        atomic_write(path, encoded, durable=False)


def read_listing(path: Path, dirs: Sequence[Path], lang: str) -> Listing | None:
    """The listing saved for `dirs` in `lang`, if what it was made from is unchanged."""
    try:
        raw, _stat = read_regular(path, MAX_BYTES)
        data = json.loads(raw)
        if data.get("format") != LISTING_FORMAT or data.get("lang") != lang:
            return None
        if data["dirs"] != [[str(d), file_signature(d) if d.is_dir() else None] for d in dirs]:
            return None
        for file, signature in data["files"]:
            if file_signature(Path(file)) != signature:
                return None
        sets = tuple(
            SetSummary(
                entry["id"],
                _ltext(entry["title"]) or LText.plain(entry["id"]),
                int(entry["questions"]),
                _ltext(entry["description"]),
                _ltext(entry["source"]),
            )
            for entry in data["sets"]
        )
        errors = tuple(str(e) for e in data["errors"])
        return Listing(sets, errors, int(data["error_count"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        # Missing, damaged or from another version: the sets are found the slow way.
        return None
