"""Interface preferences mirrored outside the progress store, for the app's first frame.

The store keeps the learner's settings, the theme among them, and stays their source of truth;
opening it (TinyDB, the journal, a lock) takes longer than painting the home screen. This small
JSON file, `$GMMP_QUIZ_HOME/prefs/PROFILE.json`, lets that first frame come in the right theme,
on the set, mode and count used last. It is rewritten whenever one of them changes, and
corrected from the store once the store is open.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from gmmp_quiz.files import read_regular
from gmmp_quiz.paths import PROFILE_RE


def _count(value: Any) -> bool:
    return value is None or (type(value) is int and value > 0)


# Only these keys are mirrored, each with what a valid value is.
MIRRORED: dict[str, Any] = {
    "theme": lambda v: isinstance(v, str),
    "last_set": lambda v: isinstance(v, str),
    "last_mode": lambda v: isinstance(v, str),
    "last_count": _count,
}


def prefs_path(home: Path, profile: str) -> Path | None:
    """The profile's preferences file, or None for a profile name the store would refuse."""
    if not PROFILE_RE.fullmatch(profile):
        return None
    return home / "prefs" / f"{profile}.json"


PREFS_MAX_BYTES = 64 * 1024


def read_prefs(home: Path, profile: str) -> dict[str, Any]:
    """The mirrored preferences; {} when missing or unreadable (the store then has the say)."""
    path = prefs_path(home, profile)
    if path is None:
        return {}
    try:
        # A few bytes of preferences: anything else (a huge file, a pipe) is not them.
        raw, _stat = read_regular(path, PREFS_MAX_BYTES)
        data = json.loads(raw)
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if k in MIRRORED and MIRRORED[k](v)}


def write_prefs(home: Path, profile: str, prefs: dict[str, Any]) -> None:
    """Replace the preferences file atomically; a failure only costs a correction at next start."""
    path = prefs_path(home, profile)
    if path is None:
        return
    data = json.dumps({k: v for k, v in prefs.items() if k in MIRRORED}).encode()
    # Imported here: the first frame reads this file, and the store's module pulls in TinyDB.
    from gmmp_quiz.files import atomic_write

    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)


# The settings of the last session started, which home's first frame is put back on.
LAST_USED = ("last_set", "last_mode", "last_count")


class PrefsMirror:
    """A profile's mirrored preferences as read at start (none without a profile); each change
    rewrites the file."""

    def __init__(self, at: tuple[Path, str] | None) -> None:
        self._at = at
        self.values: dict[str, Any] = read_prefs(*at) if at is not None else {}
        """What the file holds: the theme, and the set, mode and count used last."""

    def set(self, key: str, value: Any) -> None:
        """Mirror a setting, for the next start's first frame."""
        if self._at is not None and (key not in self.values or self.values[key] != value):
            self.values[key] = value
            write_prefs(*self._at, self.values)

    def follow(self, settings: dict[str, Any]) -> None:
        """Take the set, mode and count used last from the store's `settings`."""
        # The store has the last word: the mirror may be from another run (or version), or lost.
        last = {key: settings[key] for key in LAST_USED if key in settings}
        mirrored = {key: self.values[key] for key in LAST_USED if key in self.values}
        if self._at is not None and last != mirrored:
            for key in LAST_USED:
                self.values.pop(key, None)
            self.values.update(last)
            write_prefs(*self._at, self.values)
