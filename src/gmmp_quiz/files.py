"""Files, safely: reading only regular files under a size limit, and durable atomic writes."""

from __future__ import annotations

import contextlib
import errno
import json
import os
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
    errno.ELOOP: N_("Too many levels of symbolic links"),
    errno.ENAMETOOLONG: N_("File name too long"),
    errno.EMFILE: N_("Too many open files"),
    errno.ENFILE: N_("Too many open files in system"),
    errno.EIO: N_("Input/output error"),
    errno.EBUSY: N_("Device or resource busy"),
    errno.ETXTBSY: N_("Text file busy"),
    errno.EXDEV: N_("Invalid cross-device link"),
    errno.ENOTEMPTY: N_("Directory not empty"),
    errno.EFBIG: N_("File too large"),
    errno.EDQUOT: N_("Disk quota exceeded"),
    errno.EAGAIN: N_("Resource temporarily unavailable"),
    errno.EINVAL: N_("Invalid argument"),
    errno.ENXIO: N_("No such device or address"),
    errno.ENODEV: N_("No such device"),
    errno.ENOMEM: N_("Cannot allocate memory"),
    errno.EINTR: N_("Interrupted system call"),
    errno.EBADF: N_("Bad file descriptor"),
    errno.ESPIPE: N_("Illegal seek"),
    errno.EPIPE: N_("Broken pipe"),
    errno.ESTALE: N_("Stale file handle"),
    errno.ETIMEDOUT: N_("Connection timed out"),
    errno.ECONNREFUSED: N_("Connection refused"),
    errno.ECONNRESET: N_("Connection reset by peer"),
    errno.EHOSTUNREACH: N_("No route to host"),
    errno.ENETUNREACH: N_("Network is unreachable"),
    errno.EAFNOSUPPORT: N_("Address family not supported by protocol"),
    errno.EOPNOTSUPP: N_("Operation not supported"),
    errno.EILSEQ: N_("Invalid or incomplete multibyte or wide character"),
}


def os_reason(exc: OSError) -> str:
    """Why an OS call failed, in the interface language.

    The usual errors have their own words (the C library's, translated); any other is named by
    its error code, so that no English text of the system reaches a French message. A message
    already translated (FileReadError, no code) is shown as it is.
    """
    code = exc.errno or 0
    reason = _REASONS.get(code)
    if reason:
        return _(reason)
    if code and code in errno.errorcode:
        return _("system error {name} ({code})").format(name=errno.errorcode[code], code=code)
    return str(exc.strerror or exc)


# The words of Python's JSON parser (json.decoder), each with our own description. Matched on
# the start of JSONDecodeError.msg, which some messages follow with a detail.
_JSON_REASONS = (
    ("Expecting value", N_("a value is expected here")),
    ("Expecting property name", N_("a key in double quotes is expected here")),
    ("Expecting ':'", N_("a colon ':' is expected here")),
    ("Expecting ','", N_("a comma ',' or the end of the list or object is expected here")),
    ("Unterminated string", N_("this text in quotes never ends")),
    ("Invalid control character", N_("a control character (a line break, a tab) in a text")),
    ("Invalid \\uXXXX", N_("a \\u escape needs four hexadecimal digits")),
    ("Invalid \\escape", N_("an unknown escape after a backslash")),
    ("Extra data", N_("more data after the end of the JSON value")),
    ("Illegal trailing comma", N_("a comma before the end of a list or object")),
    ("Unexpected UTF-8 BOM", N_("the file starts with a byte-order mark")),
)


def json_reason(exc: json.JSONDecodeError) -> str:
    """What is wrong at `exc`'s place of a JSON text, in the interface language."""
    for start, reason in _JSON_REASONS:
        if exc.msg.startswith(start):
            return _(reason)
    return _("not valid JSON")


def json_problem_at(source: object, exc: ValueError | RecursionError) -> str:
    """`SOURCE:LINE:COL: description` for a JSON text that could not be parsed (`SOURCE: ...`
    when the parser gave no place: too deeply nested, not UTF-8)."""
    if isinstance(exc, json.JSONDecodeError):
        return f"{source}:{exc.lineno}:{exc.colno}: " + _("not valid JSON: {reason}").format(
            reason=json_reason(exc)
        )
    if isinstance(exc, RecursionError):
        return f"{source}: " + _("not valid JSON: {reason}").format(reason=_("nested too deeply"))
    if isinstance(exc, UnicodeDecodeError):
        return f"{source}: " + _("not valid JSON: {reason}").format(reason=_("not UTF-8 text"))
    return f"{source}: " + _("not valid JSON")


def os_detail(exc: OSError) -> str:
    """`os_reason`, after the file it is about when the error names one."""
    reason = os_reason(exc)
    return f"{exc.filename}: {reason}" if exc.filename else reason


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
    # A FileReadError's words are already the interface language's; any other OSError's are
    # the system's (English), told again by os_reason.
    text = str(exc.strerror or exc) if isinstance(exc, FileReadError) else os_reason(exc)
    # errno 0: the reader's own refusal (too large, not a file), already a whole message.
    if isinstance(exc, FileReadError) and not exc.errno:
        return text
    return _("cannot read: {reason}").format(reason=text)


def check_replaceable(path: Path) -> None:
    """OSError when `path` is a pipe, a device or a socket, which a rename must not replace.

    Writing "to /dev/null" through a temporary file and a rename would replace the device
    itself with a file (run as root): such a target is refused, with the reason.
    """
    try:
        st = os.stat(path)
    except OSError:
        return  # not there (or not reachable): the write itself says why
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
        raise FileReadError(0, _("not a regular file (a pipe or a device): not replaced"))


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


def file_signature(path: Path) -> list[int]:
    """What tells whether a file changed: its modification time, size and inode (links followed)."""
    st = os.stat(path)
    # The inode too: an editor that saves by renaming a new file over the old one in the same
    # clock tick, with the same size, still changes it.
    return [st.st_mtime_ns, st.st_size, st.st_ino]


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
    check_replaceable(path)
    # os.urandom is what secrets.token_hex reads; `secrets` would import hashlib and hmac at
    # start-up (the prefs are written through here), for nothing.
    tmp = path.with_name(f"{path.name}{TEMP_MARK}{os.urandom(4).hex()}")
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
