"""The sets' figures as the last run left them, kept in the cache for the home screen's first frame.

The home screen's figures (mastered, due, missed and new questions per set) come from every
question's state: the store must be open and its states read, most of a second with a long
history. What they are made of, apart from the present moment, is small: per set the questions
seen, mastered and missed, and when each seen question falls due; for the day, how many new
questions were already introduced. When a run ends with nothing changed since it last computed
the figures, the app keeps that here with the signatures of the store's files and of the sets'
files. The next start reads it back and, if none of them changed, shows the figures for the
present moment (a due date passed since is counted due) in its first frame; the figures then
computed from the store have the last word.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from gmmp_quiz import __version__
from gmmp_quiz.files import atomic_write, file_signature, read_regular
from gmmp_quiz.vocab import SetFigures

# Bumped whenever the fields change: an older file is then simply not used.
GLANCE_FORMAT = 1
MAX_BYTES = 32 * 1024 * 1024
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
# The last due time a datetime can hold, in microseconds since 1970.
LATEST = (datetime.max.replace(tzinfo=UTC) - EPOCH) // MICROSECOND


def to_micros(when: datetime) -> int:
    """`when` (UTC-aware) as whole microseconds since 1970: exact, unlike a float timestamp."""
    return (when - EPOCH) // MICROSECOND


# (Named tuples, not dataclasses: this is read before the first frame, and a frozen dataclass
# takes some seven times as long to define.)
class SetBasis(NamedTuple):
    """What a set's figures are made of, apart from the present moment."""

    questions: int
    seen: int = 0
    mastered: int = 0
    missed: int = 0
    # When each seen question's card falls due, in microseconds since 1970, in order.
    due_at: tuple[int, ...] = ()


class Glance(NamedTuple):
    """Every set's basis, and the day's count of new questions already introduced."""

    sets: Mapping[str, SetBasis]
    new_per_day: int
    introduced_on: str  # the local day (ISO) the count below is for
    introduced: int

    def figures(self, now: datetime) -> dict[str, SetFigures]:
        """The sets' figures at `now` (UTC-aware), as `stats.set_figures` computes them."""
        today = now.astimezone().date().isoformat()
        introduced = self.introduced if self.introduced_on == today else 0
        room = max(0, self.new_per_day - introduced)
        at = to_micros(now)
        figures = {}
        for set_id, basis in self.sets.items():
            due = bisect.bisect_right(basis.due_at, at)  # those due at `now` or before
            later = basis.due_at[due] if due < len(basis.due_at) else None
            figures[set_id] = SetFigures(
                basis.questions,
                mastered=basis.mastered,
                seen=basis.seen,
                due=due,
                missed=basis.missed,
                next_due=None if later is None else EPOCH + later * MICROSECOND,
                new=min(room, basis.questions - basis.seen),
            )
        return figures

    def covers(self, sets: Iterable[tuple[str, int]]) -> bool:
        """Whether it has a basis for each of these (set id, question count)."""
        return all(
            (basis := self.sets.get(set_id)) is not None and basis.questions == questions
            for set_id, questions in sets
        )


def glance_path(cache: Path, profile: str) -> Path:
    """Where a profile's glance lives in the cache folder."""
    return cache / f"glance-{profile}.json"


def _store_signature(store_dir: Path) -> list[list[Any]]:
    # Every entry of the store but its lock (taken by each run, it holds no progress); links
    # followed, so that a journal kept elsewhere still counts.
    return sorted(
        [entry.name, file_signature(Path(entry.path))]
        for entry in os.scandir(store_dir)
        if entry.name != "lock"
    )


def set_file_signatures(paths: Iterable[str]) -> list[list[Any]]:
    """The signatures of the sets' files, to take as soon as the sets are read (a file edited
    later then no longer matches); those that vanished are left out and fail the check."""
    found = []
    for path in paths:
        with contextlib.suppress(OSError):
            found.append([path, file_signature(Path(path))])
    return sorted(found)


def save_glance(
    path: Path, glance: Glance, store_dir: Path, set_files: Sequence[Sequence[Any]]
) -> None:
    """Record `glance` with the store's signature and the sets' (`set_file_signatures`).

    Called as the store closes, before its lock is released; quietly skipped on failure (the
    next start then shows its figures once computed).
    """
    try:
        data = {
            "format": GLANCE_FORMAT,
            "version": __version__,
            "store": _store_signature(store_dir),
            "files": [list(entry) for entry in set_files],
            "new_per_day": glance.new_per_day,
            "introduced_on": glance.introduced_on,
            "introduced": glance.introduced,
            "sets": {
                set_id: [b.questions, b.seen, b.mastered, b.missed, list(b.due_at)]
                for set_id, b in glance.sets.items()
            },
        }
    except OSError:
        with contextlib.suppress(OSError):
            path.unlink()  # an older glance must not outlive the store it was made from
        return
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        # A cache: not worth an fsync, and atomic_write never leaves it torn.
        atomic_write(path, json.dumps(data, separators=(",", ":")).encode(), durable=False)


def _count(value: Any) -> int:
    if type(value) is not int or value < 0:
        raise ValueError("not a count")
    return value


def _basis(entry: Any) -> SetBasis:
    questions, seen, mastered, missed, due_at = entry
    basis = SetBasis(_count(questions), _count(seen), _count(mastered), _count(missed))
    if not (basis.mastered <= basis.seen <= basis.questions and basis.missed <= basis.seen):
        raise ValueError("counts that do not add up")
    if len(due_at) > basis.seen or due_at != sorted(due_at):
        raise ValueError("due times out of order")
    if not all(type(n) is int for n in due_at) or (
        due_at and not 0 <= due_at[0] <= due_at[-1] <= LATEST
    ):
        raise ValueError("a due time out of range")
    return basis._replace(due_at=tuple(due_at))


def read_glance(path: Path, store_dir: Path) -> Glance | None:
    """The glance saved for the store in `store_dir`, if neither it nor the sets' files changed."""
    try:
        raw, _stat = read_regular(path, MAX_BYTES)
        data = json.loads(raw)
        if data.get("format") != GLANCE_FORMAT or data.get("version") != __version__:
            return None  # (another version may count otherwise)
        if data["store"] != _store_signature(store_dir):
            return None
        for file, signature in data["files"]:
            if file_signature(Path(file)) != signature:
                return None
        sets = {str(set_id): _basis(entry) for set_id, entry in data["sets"].items()}
        if not isinstance(data["introduced_on"], str):
            return None
        introduced, new_per_day = _count(data["introduced"]), _count(data["new_per_day"])
        return Glance(sets, new_per_day, data["introduced_on"], introduced)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        # Missing, damaged or from another version: the figures come from the store.
        return None
