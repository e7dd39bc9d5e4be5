"""Files, safely: reading only regular files under a size limit, and durable atomic writes."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

from gmmp_quiz.i18n import N_, _

MB = 1024 * 1024


_REASONS = {
    errno.ENOENT: N_("No such file or directory"),
    errno.EACCES: N_("Permission denied"),
    errno.EPERM: N_("Operation not permitted"),
    errno.EISDIR: N_("Is a directory"),
    errno.ENOTDIR: N_("Not a directory"),
    errno.ENOSPC: N_("No space left on device"),
    errno.EROFS: N_("Read-only file system"),
    errno.EEXIST: N_("File exists"),
    errno.EADDRINUSE: N_("Address already in use"),
    errno.EADDRNOTAVAIL: N_("Cannot assign requested address"),
}


def os_reason(exc: OSError) -> str:
    """Why an OS call failed, in the interface language for the usual errors (the system's own
    words, which follow its locale, for the others). The English is the C library's."""
    reason = _REASONS.get(exc.errno or 0)
    return _(reason) if reason else str(exc.strerror or exc)


class FileReadError(OSError):
    """A file that may not be read: not a regular file, too large, or an OS error (strerror)."""


def _too_large(limit: int) -> FileReadError:
    return FileReadError(0, _("file is larger than {mb} MB").format(mb=limit // MB))


def _check(st: os.stat_result, limit: int) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise FileReadError(0, _("it is a directory, not a file"))
    if not stat.S_ISREG(st.st_mode):
        # A pipe or a device (/dev/zero) has no size to check and may never end.
        raise FileReadError(0, _("not a regular file (a pipe or a device): not read"))
    if st.st_size > limit:
        raise _too_large(limit)


def read_failure(exc: OSError) -> str:
    """The message of a file that could not be read (too large, not a file, an OS error)."""
    text = exc.strerror or str(exc)
    # errno 0: the reader's own refusal (too large, not a file), already a whole message.
    if isinstance(exc, FileReadError) and not exc.errno:
        return text
    return _("cannot read: {reason}").format(reason=text)


def check_regular(path: Path, limit: int) -> os.stat_result:
    """The stat of `path` when it is a regular file within `limit` bytes; else FileReadError."""
    try:
        st = path.stat()
    except OSError as exc:
        raise FileReadError(exc.errno or 0, os_reason(exc)) from None
    _check(st, limit)
    return st


def read_regular(path: Path, limit: int) -> tuple[bytes, os.stat_result]:
    """The bytes of `path` and its stat; FileReadError unless a regular file of <= `limit` bytes.

    The file is opened without blocking (a named pipe would otherwise wait for a writer) and
    checked through the open descriptor, then read up to the limit only, whatever its size said.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise FileReadError(exc.errno or 0, os_reason(exc)) from None
    try:
        st = os.fstat(fd)
        _check(st, limit)
        chunks = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise _too_large(limit)
    except FileReadError:
        raise
    except OSError as exc:
        raise FileReadError(exc.errno or 0, os_reason(exc)) from None
    finally:
        os.close(fd)
    return b"".join(chunks), st


# -- durable writes ----------------------------------------------------------------------------

TEMP_MARK = ".tmp-"


def fsync_dir(path: Path) -> None:
    """Make a rename or a file creation in directory `path` durable."""
    # Windows cannot open a directory; there renames are durable enough once the file is synced.
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_all(fd: int, data: bytes) -> None:
    """Write every byte of `data` to `fd` (os.write may write less than asked)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def is_temp_name(name: str) -> bool:
    """Whether `name` is a temporary file left by `atomic_write` (safe to remove under the lock)."""
    return TEMP_MARK in name


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace `path` with `data` atomically: temp file, fsync, os.replace, fsync of the directory.

    On any error the old file is untouched and the temp file removed; the error propagates.
    `durable=False` skips the fsyncs, for files that may be lost (a cache): still never torn.
    """
    tmp = path.with_name(f"{path.name}{TEMP_MARK}{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        try:
            write_all(fd, data)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if durable:
        fsync_dir(path.parent)


def copy_durable(src: Path, dst: Path, length: int | None = None) -> None:
    """Copy the first `length` bytes (all when None) of `src` to a new file `dst`, fsynced."""
    with open(src, "rb") as fin, open(dst, "xb") as fout:
        remaining = length
        while remaining is None or remaining > 0:
            chunk = fin.read(1 << 20 if remaining is None else min(1 << 20, remaining))
            if not chunk:
                break
            fout.write(chunk)
            if remaining is not None:
                remaining -= len(chunk)
        fout.flush()
        os.fsync(fout.fileno())
