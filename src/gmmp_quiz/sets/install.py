"""Installing set files in the user's folder: backups, id clashes, the editor schema beside them."""

from __future__ import annotations

import contextlib
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gmmp_quiz import paths
from gmmp_quiz.errors import UserError
from gmmp_quiz.files import atomic_write, os_reason
from gmmp_quiz.i18n import _

if TYPE_CHECKING:
    from gmmp_quiz.sets.loading import Discovery

SCHEMA_NAME = "question-set.schema.json"

# Backups kept of each set file (the newest; older ones are pruned as progress backups are).
KEEP_BACKUPS = 5


def backup(path: Path) -> Path:
    """Copy a set file into the backups directory (timestamped) before it is replaced."""
    directory = paths.backups_dir()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = directory / f"{path.stem}.{stamp}{path.suffix or '.yaml'}"
    n = 1
    while target.exists():
        n += 1
        target = directory / f"{path.stem}.{stamp}-{n}{path.suffix or '.yaml'}"
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, path.read_bytes())
    prune_backups(directory, path.stem)
    return target


def prune_backups(directory: Path, stem: str, keep: int = KEEP_BACKUPS) -> None:
    """Keep the newest `keep` backups of the set file named `stem`; remove the older ones."""
    pattern = re.compile(re.escape(stem) + r"\.(\d{8}-\d{6})(?:-(\d+))?\.ya?ml")
    found = []
    with contextlib.suppress(OSError):
        for entry in directory.iterdir():
            m = pattern.fullmatch(entry.name)
            if m:
                found.append(((m.group(1), int(m.group(2) or 1)), entry))
    found.sort(reverse=True)
    for _key, old in found[keep:]:
        with contextlib.suppress(OSError):
            old.unlink()


def write_schema(directory: Path) -> None:
    """Put the editor schema next to the sets, if the project provides it and it is missing."""
    target = directory / SCHEMA_NAME
    if target.exists():
        return
    from gmmp_quiz.sets.schema import schema_json

    with contextlib.suppress(OSError):
        directory.mkdir(parents=True, exist_ok=True)
        atomic_write(target, schema_json().encode("utf-8"))


class SetIdTaken(UserError):
    """The id belongs to a set that may not be replaced: shipped, or outside the user's sets."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path


class SetWriteError(UserError):
    """The new set file could not be written; the set it was to replace is still in place."""


def make_room(
    set_id: str, dest: Path, found: Discovery, *, source: Path | None = None, replace: bool = True
) -> list[tuple[Path, Path]]:
    """Back up what `dest` replaces; refuse clashes with other sets. Nothing is removed here.

    Returns (replaced file, its backup) pairs. SetIdTaken when another set holds the id for
    good; UserError when a replacement would be needed and `replace` is False.
    """
    user_dir = paths.user_questions_dir()
    other = found.get(set_id)
    if other is not None and other.shipped:
        # Even a copy of the shipped file: two sets with one id would hide one of them.
        raise SetIdTaken(
            _(
                "set id {set_id} is already used by a shipped set ({path}): choose another id"
            ).format(set_id=repr(set_id), path=other.path),
            other.path,
        )
    saved: list[tuple[Path, Path]] = []
    if other is not None and other.path:
        other_path = Path(other.path)
        same = source is not None and other_path.resolve() == source.resolve()
        if not same and other_path.resolve() != dest.resolve():
            if not paths.in_dir(other_path, user_dir):
                raise SetIdTaken(
                    _("set id {set_id} is already used by {path}: choose another id").format(
                        set_id=repr(set_id), path=other_path
                    ),
                    other.path,
                )
            if not replace:
                raise UserError(
                    _(
                        "set id {set_id!r} is already used by {other_path}: add --replace to "
                        "replace it (a backup is kept)"
                    ).format(set_id=set_id, other_path=other_path)
                )
            saved.append((other_path, backup(other_path)))
    if dest.exists():
        if not replace:
            raise UserError(
                _("{dest} already exists: add --replace to replace it (a backup is kept)").format(
                    dest=dest
                )
            )
        saved.append((dest, backup(dest)))
    return saved


def install_set(
    set_id: str,
    dest: Path,
    data: bytes,
    found: Discovery,
    *,
    source: Path | None = None,
    replace: bool = True,
    checked: dict[str, Any] | None = None,
) -> list[tuple[Path, Path]]:
    """Write a set to `dest`, replacing the user's set with the same id; (old, backup) pairs.

    The new file is written whole (temp file, fsync, rename) before the file of the set it
    replaces is removed: on any error the old set stays where it was (SetWriteError says so).
    Given the `checked` data of `data` (what the loader reads from it), the parse cache gets it:
    the next start does not parse the new file again.
    """
    saved = make_room(set_id, dest, found, source=source, replace=replace)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(dest, data)
    except OSError as exc:
        kept = [str(old) for old, _copy in saved]
        where = (
            _("; {value} was left as it was").format(value=", ".join(kept))
            if kept
            else _("; nothing was changed")
        )
        raise SetWriteError(
            _("cannot write {dest}: {reason}").format(dest=dest, reason=os_reason(exc)) + where
        ) from None
    from gmmp_quiz.sets import cache

    if checked is not None:
        cache.prime(dest, checked)
    for old, _copy in saved:
        if old != dest and old.resolve() != dest.resolve():
            # Its content is in `dest` now (and in its backup).
            with contextlib.suppress(FileNotFoundError):
                old.unlink()
            cache.forget(old)
    return saved
