"""The progress journal: an append-only JSON-lines file of every change, fsynced per record."""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from gmmp_quiz.files import fsync_dir, write_all
from gmmp_quiz.store.ops import Op

# How far back from the snapshot's offset to look for the line it was taken after.
_PROBE = 1 << 16


def encode(op: dict[str, Any]) -> bytes:
    """One journal line; ValueError when the op is not strict JSON."""
    try:
        text = json.dumps(op, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"not JSON-able: {exc}") from None
    return text.encode() + b"\n"


def _parse(line: bytes) -> dict[str, Any] | None:
    try:
        op = json.loads(line)
    except (ValueError, RecursionError):
        return None
    if isinstance(op, dict) and isinstance(op.get("s"), int) and isinstance(op.get("op"), str):
        return op
    return None


@dataclass
class Scan:
    """What reading (part of) a journal found."""

    ops: list[dict[str, Any]] = field(default_factory=list)
    # Offset just after the last good line.
    good_end: int = 0
    # Bytes of a single incomplete last line (a record torn by a crash while it was written).
    torn: int = 0
    # Unreadable lines other than a torn last one: the file is damaged.
    bad_lines: int = 0
    max_seq: int = 0


def scan(data: bytes, base: int = 0) -> Scan:
    """Parse journal bytes that start at file offset `base`."""
    result = Scan(good_end=base)
    pos = 0
    bad_after_good = 0
    pending_bad = 0
    while pos < len(data):
        nl = data.find(b"\n", pos)
        end = len(data) if nl < 0 else nl + 1
        op = _parse(data[pos:end]) if nl >= 0 else None
        if op is None:
            pending_bad += 1
        else:
            bad_after_good += pending_bad
            pending_bad = 0
            result.ops.append(op)
            result.good_end = base + end
            result.max_seq = max(result.max_seq, op["s"])
        pos = end
    result.bad_lines = bad_after_good
    if pending_bad == 1:
        result.torn = base + len(data) - result.good_end
    else:
        result.bad_lines += pending_bad
    return result


def read_tail(path: Path, offset: int, after_seq: int, sealed: int = 0) -> Scan | None:
    """The ops after `offset` when the line just before it is op `after_seq`, else None.

    At offset 0, the record before is the last of the sealed segments (`sealed`, 0 for none).
    None means the snapshot's bookmark does not fit this file and the whole file must be read.
    """
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if offset > size:
                return None
            if offset > 0:
                if _seq_before(f, offset) != after_seq:
                    return None
            elif after_seq != sealed:
                return None
            f.seek(offset)
            tail = scan(f.read(), offset)
    except FileNotFoundError:
        return None if offset or after_seq != sealed else Scan()
    if any(op["s"] <= after_seq for op in tail.ops):
        return None
    return tail


_SEQ_RE = re.compile(rb'\{"s":(\d+),"op":"')


def _seq_before(f: BinaryIO, offset: int) -> int | None:
    """The number of the journal line that ends at `offset`, or None if none does."""
    f.seek(offset - 1)
    if f.read(1) != b"\n":
        return None
    # Find where that line starts, a chunk at a time: after a big import it is one line of
    # tens of megabytes, which is neither kept in memory nor parsed just for its number.
    end = offset - 1
    start = 0
    while end > 0:
        chunk_start = max(0, end - _PROBE)
        f.seek(chunk_start)
        cut = f.read(end - chunk_start).rfind(b"\n")
        if cut >= 0:
            start = chunk_start + cut + 1
            break
        end = chunk_start
    f.seek(start)
    found = _SEQ_RE.match(f.read(40))
    if found is not None:  # how `encode` begins every line
        return int(found.group(1))
    f.seek(start)
    last = _parse(f.read(offset - start))
    return None if last is None else last["s"]


def read_all(path: Path) -> Scan:
    """Every op of the journal (an empty scan when it does not exist)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Scan()
    return scan(data)


def iter_ops(path: Path, limit: int) -> Iterator[dict[str, Any]]:
    """The good ops in the first `limit` bytes of the journal, read in chunks."""
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed below; a generator cannot use `with` cleanly
    except FileNotFoundError:
        return
    try:
        remaining = limit
        carry = b""
        while remaining > 0:
            chunk = f.read(min(1 << 20, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            lines = (carry + chunk).split(b"\n")
            carry = lines.pop()
            yield from _parse_many(lines)
    finally:
        f.close()


def _parse_many(lines: list[bytes]) -> Iterator[dict[str, Any]]:
    # One json.loads over the whole chunk is much faster than one per line; a damaged line
    # makes it fail, and then each line is read alone so the others are kept.
    try:
        ops = json.loads(b"[" + b",".join(lines) + b"]") if lines else []
    except (ValueError, RecursionError):
        ops = None
    if ops is not None and len(ops) == len(lines):
        for op in ops:
            if (
                isinstance(op, dict)
                and isinstance(op.get("s"), int)
                and isinstance(op.get("op"), str)
            ):
                yield op
        return
    for line in lines:
        op = _parse(line)
        if op is not None:
            yield op


class Journal:
    """The open journal file: appends are written and fsynced before they return."""

    def __init__(self, path: Path) -> None:
        self.path = path
        existed = path.exists()
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        self.size = os.fstat(self.fd).st_size
        if not existed:
            fsync_dir(path.parent)
        # Set when a failed append may have left bytes behind that still need removing.
        self._suspect = False

    def append(self, data: bytes) -> None:
        """Append `data` durably; on OSError the file is put back as it was, then it re-raises."""
        if self._suspect:
            self._restore()
        try:
            write_all(self.fd, data)
            os.fsync(self.fd)
        except OSError:
            self._suspect = True
            with contextlib.suppress(OSError):
                self._restore()
            raise
        self.size += len(data)

    def _restore(self) -> None:
        # Remove what a failed append wrote, so that no unacknowledged record is left in the
        # middle of the journal (a later record would otherwise be acknowledged after it).
        if os.fstat(self.fd).st_size != self.size:
            os.ftruncate(self.fd, self.size)
            os.fsync(self.fd)
        self._suspect = False

    @property
    def whole(self) -> bool:
        """Whether the file holds exactly the acknowledged records (no failed append left)."""
        return not self._suspect

    def read(self) -> bytes:
        """The acknowledged bytes of the file."""
        with open(self.path, "rb") as f:
            return f.read(self.size)

    def truncate(self, size: int) -> None:
        """Cut the file to `size` bytes (a torn last record), durably."""
        os.ftruncate(self.fd, size)
        os.fsync(self.fd)
        self.size = size

    def close(self) -> None:
        """Close the file."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def size_of(path: Path) -> int:
    """The size of a file in bytes, 0 when it does not exist."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def fold_history(found: dict[str, list[Any]], op: dict[str, Any], order: int) -> int:
    """Apply one journal op to the history being rebuilt; returns the next order number.

    `found` maps an attempt id to [time, order, attempt]: the answers an op adds, the undone
    ones removed, an overridden one replaced, a reset set's ones dropped.
    """
    kind = op["op"]
    if kind == Op.ANSWER or kind == Op.IMPORT:
        for attempt in op["attempts"] if kind == Op.IMPORT else [op["a"]]:
            if attempt["id"] not in found:
                found[attempt["id"]] = [attempt["at"], order, attempt]
                order += 1
    elif kind == Op.UNDO:
        found.pop(op["id"], None)
    elif kind == Op.OVERRIDE and op["a"]["id"] in found:
        found[op["a"]["id"]][2] = op["a"]
    elif kind == Op.RESET:
        only = op.get("set_id")
        for key in [k for k, v in found.items() if only is None or v[2]["set_id"] == only]:
            del found[key]
    return order


def history(path: Path, limit: int) -> list[list[Any]]:
    """The answers of the first `limit` bytes of the journal as [time, order, attempt], in order.

    Records of the wrong shape (a hand edit) are passed over.
    """
    found: dict[str, list[Any]] = {}
    order = 0
    for op in all_ops(path, limit):
        try:
            order = fold_history(found, op, order)
        except (KeyError, TypeError, AttributeError):
            continue
    return list(found.values())


# -- sealed segments ----------------------------------------------------------------------------
#
# Once the state file covers the whole journal and the journal has grown past SEAL_AT bytes, its
# lines are moved, compressed, into an immutable segment `sealed.<first>-<last>.jsonl.zst` beside
# it (the numbers are those of its first and last records) and the journal starts again empty.
# The history is the segments in order, then the journal; a record found twice (a seal cut short
# by a crash) counts once, by its number.

SEAL_AT = 1 << 20
_SEALED_RE = re.compile(r"sealed\.(\d{12})-(\d{12})\.jsonl\.zst")
_ZSTD_LEVEL = 1  # about 7 times smaller, at some 250 MB/s: a seal never takes long


def segments(directory: Path) -> list[tuple[int, int, Path]]:
    """The sealed segments in `directory` as (first, last record number, path), in order."""
    found = []
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return []
    for name in names:
        match = _SEALED_RE.fullmatch(name)
        if match:
            found.append((int(match.group(1)), int(match.group(2)), directory / name))
    return sorted(found)


def sealed_through(directory: Path) -> int:
    """The number of the last record the sealed segments hold (0 when there are none)."""
    return max((last for _first, last, _path in segments(directory)), default=0)


def segment_name(first: int, last: int) -> str:
    """The file name of the segment holding records `first` to `last`."""
    return f"sealed.{first:012d}-{last:012d}.jsonl.zst"


def compress(data: bytes) -> bytes:
    """`data` zstd-compressed (a frame that `zstd -d` reads)."""
    import zstandard

    return bytes(zstandard.ZstdCompressor(level=_ZSTD_LEVEL).compress(data))


def segment_bytes(path: Path) -> bytes:
    """The journal lines a segment holds; b"" when it cannot be read (damaged or missing)."""
    try:
        return segment_bytes_or_none(path) or b""
    except OSError:
        return b""


def segment_bytes_or_none(path: Path) -> bytes | None:
    """The bytes a zstd file holds; None when it is damaged, OSError when it cannot be read."""
    import zstandard

    with open(path, "rb") as f:
        try:
            with zstandard.ZstdDecompressor().stream_reader(f) as reader:
                return bytes(reader.read())
        except zstandard.ZstdError:
            return None


def lines_after(data: bytes, seq: int) -> bytes:
    """The journal lines of `data` numbered after `seq` (lines are in order)."""
    pos = 0
    while pos < len(data):
        nl = data.find(b"\n", pos)
        end = len(data) if nl < 0 else nl + 1
        found = _SEQ_RE.match(data, pos)
        number = int(found.group(1)) if found else None
        if number is None:
            op = _parse(data[pos:end])
            number = op["s"] if op is not None else None
        if number is not None and number > seq:
            return data[pos:]
        pos = end
    return b""


def first_seq(data: bytes) -> int | None:
    """The number of the first journal line of `data` (None if it has none)."""
    found = _SEQ_RE.match(data)
    if found is not None:
        return int(found.group(1))
    nl = data.find(b"\n")
    op = _parse(data[: nl + 1] if nl >= 0 else data)
    return None if op is None else int(op["s"])


def sealable(journal: Journal, last: int) -> tuple[str, bytes] | None:
    """The name and compressed bytes of the segment sealing `journal`, whose records go up to
    number `last`; None when every record of it is in a segment already (a seal cut short)."""
    data = lines_after(journal.read(), sealed_through(journal.path.parent))
    first = first_seq(data) if data else None
    if first is None:
        return None
    return segment_name(first, last), compress(data)


def segment_ops(directory: Path, after: int = 0) -> list[dict[str, Any]]:
    """The records of the sealed segments numbered after `after`, in order, each once."""
    out: list[dict[str, Any]] = []
    top = after
    for _first, last, path in segments(directory):
        if last <= top:
            continue
        for op in scan(segment_bytes(path)).ops:
            if op["s"] > top:
                out.append(op)
                top = op["s"]
    return out


def all_ops(path: Path, limit: int) -> Iterator[dict[str, Any]]:
    """Every good record of the history: the sealed segments, then the journal's first `limit`
    bytes; a record found twice (a seal cut short) is given once."""
    top = 0
    for _first, last, segment in segments(path.parent):
        if last <= top:
            continue
        for op in _parse_many([line for line in segment_bytes(segment).split(b"\n") if line]):
            if op["s"] > top:
                top = op["s"]
                yield op
    for op in iter_ops(path, limit):
        if op["s"] > top or not top:
            yield op
