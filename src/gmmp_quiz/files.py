"""Reading user files safely: regular files only, never more than a size limit."""

from __future__ import annotations

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
