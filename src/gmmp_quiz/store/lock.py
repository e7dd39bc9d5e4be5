"""A profile's lock: one gmmp-quiz at a time writes a profile."""

from __future__ import annotations

from pathlib import Path

import filelock

from gmmp_quiz import paths
from gmmp_quiz.files import os_reason
from gmmp_quiz.i18n import _
from gmmp_quiz.store.errors import StoreError, StoreLockedError, StoreWriteError

LOCK_TIMEOUT = 0.2
PROFILE_RE = paths.PROFILE_RE


def lock_profile(home: Path, profile: str) -> filelock.BaseFileLock:
    """Create the profile's directory and take its lock (StoreLockedError when it is held)."""
    if not PROFILE_RE.fullmatch(profile):
        raise StoreError(
            _("invalid profile name {name}: use letters, digits, '.', '_' or '-'").format(
                name=repr(profile)
            )
        )
    directory = paths.profile_dir(home, profile)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreWriteError(
            _("cannot create {path}: {why}").format(path=directory, why=os_reason(exc))
        ) from None
    lock = filelock.FileLock(directory / "lock", timeout=LOCK_TIMEOUT, thread_local=False)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise StoreLockedError(
            _(
                "profile {name} is already open in another gmmp-quiz (lock: {lock}). "
                "Close it first, or use --profile NAME."
            ).format(name=repr(profile), lock=directory / "lock")
        ) from None
    except OSError as exc:
        raise StoreWriteError(
            _("cannot lock {lock}: {why}").format(lock=directory / "lock", why=os_reason(exc))
        ) from None
    return lock
