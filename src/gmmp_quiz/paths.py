"""Where user data, user sets, backups and caches live, as functions (nothing at import)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "gmmp-quiz"
HOME_ENV = "GMMP_QUIZ_HOME"
# A profile name is a file name under the home: letters, digits, '.', '_' or '-'.
PROFILE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def home_dir() -> Path:
    """The directory of all user data: `$GMMP_QUIZ_HOME`, else the platform's user data dir."""
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def profile_dir(home: Path, profile: str) -> Path:
    """The directory of a profile's progress store."""
    return home / "progress" / profile


def user_questions_dir() -> Path:
    """The user's own question sets."""
    return home_dir() / "questions"


def backups_dir() -> Path:
    """Backups of the progress store and of replaced sets."""
    return home_dir() / "backups"


def cache_dir() -> Path:
    """Caches: `$GMMP_QUIZ_HOME/cache` when the variable is set, else the platform's cache dir."""
    if os.environ.get(HOME_ENV):
        return home_dir() / "cache"
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def shipped_questions_dir() -> Path:
    """The sets shipped with the package (the repository's top-level `questions/`)."""
    packaged = Path(str(resources.files("gmmp_quiz"))) / "questions"
    if packaged.is_dir():
        return packaged
    # Running from a source checkout without installing: the top-level questions/ directory.
    return Path(__file__).resolve().parents[2] / "questions"


def set_dirs(extra_dirs: Iterable[Path | str] = (), *, user: bool = True) -> list[Path]:
    """The folders the sets are found in, in order: the shipped sets', the user's, `extra_dirs`."""
    dirs = [shipped_questions_dir()]
    if user:
        dirs.append(user_questions_dir())
        dirs += [Path(d) for d in extra_dirs]
    return dirs


def in_dir(path: Path, directory: Path) -> bool:
    """Whether `path` is a file right in `directory` (links resolved; False when unreadable)."""
    try:
        return path.resolve().parent == directory.resolve()
    except OSError:
        return False
