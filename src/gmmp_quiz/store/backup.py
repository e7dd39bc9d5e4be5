"""Backups of a progress profile and quarantine of damaged files."""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from gmmp_quiz.files import TEMP_MARK, copy_durable, fsync_dir, is_temp_name, write_all
from gmmp_quiz.store.journal import compress, segment_bytes, segment_bytes_or_none, segments

MANIFEST = "backup.json"
STATE_NAME = "state.json"
JOURNAL_NAME = "journal.jsonl"
# Backups keep the journal gzipped: answer ids are random, yet it still shrinks about 5 times,
# and five backups of 100,000 answers would otherwise take some 200 MB.
JOURNAL_GZ_NAME = JOURNAL_NAME + ".gz"
# The state is kept zstd-compressed too (about a sixth of its size); older backups hold it plain.
STATE_ZST_NAME = STATE_NAME + ".zst"
KEEP = 5
# A backup's journal is kept in parts: the parts of the previous backup, hard-linked (no
# space taken), and a new part with what was appended since. After this many parts, the
# journal is written again in one piece.
MAX_PARTS = 16
_EDGE = 512
_REASON_RE = re.compile(r"[^a-z0-9]+")


def stamp() -> str:
    """A UTC timestamp usable in file names, sortable, to the microsecond."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")


def _write_new(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def make_backup(
    root: Path,
    reason: str,
    state: bytes | BinaryIO,
    journal: Path,
    journal_len: int,
    keep: int = KEEP,
) -> Path:
    """Write a backup directory under `root` (state snapshot + journal prefix); returns it.

    `state` is the snapshot's bytes, or the state file opened when the snapshot was current.
    An "open" backup of exactly what the newest one holds is not made again: that one is returned.
    Of the `keep` "open" backups kept, one holds the state (the newest made when none of the
    others did): the others hold the journal, which a restore replays onto that state.

    The directory is filled under a temporary name and renamed when complete, so a crash
    never leaves a half backup that a restore could pick.
    """
    reason = _REASON_RE.sub("-", reason.lower()).strip("-") or "manual"
    raw = state if isinstance(state, bytes) else state.read()
    digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
    with_state = True
    if reason == "open":
        same = _same_as_newest(root, reason, digest, journal_len)
        if same is not None:
            return same
        recent = [p for p in backups(root) if p.name.endswith(f"-{reason}")][: keep - 1]
        with_state = not any(_holds_state(p) for p in recent)
    root.mkdir(parents=True, exist_ok=True)
    name = f"{stamp()}-{reason}"
    tmp = root / f".{name}{TEMP_MARK}{secrets.token_hex(4)}"
    tmp.mkdir()
    try:
        if with_state:
            _write_new(tmp / STATE_ZST_NAME, compress(raw))
        manifest: dict[str, object] = {
            "reason": reason,
            "journal_bytes": journal_len,
            "state_digest": digest,
        }
        manifest["sealed"] = _link_segments(journal.parent, tmp)
        manifest.update(_write_journal_parts(root, journal, journal_len, tmp))
        _write_new(tmp / MANIFEST, json.dumps(manifest).encode())
        fsync_dir(tmp)
        final = root / name
        os.replace(tmp, final)
        fsync_dir(root)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    prune(root, reason, keep)
    return final


def _link_segments(directory: Path, tmp: Path) -> list[str]:
    """Put the profile's sealed journal segments in backup `tmp`; their names.

    A segment never changes once written, so a hard link is a copy that takes no space.
    """
    names = []
    for _first, _last, path in segments(directory):
        try:
            os.link(path, tmp / path.name)
        except OSError:
            copy_durable(path, tmp / path.name)
        names.append(path.name)
    return names


def _holds_state(backup: Path) -> bool:
    return (backup / STATE_ZST_NAME).is_file() or (backup / STATE_NAME).is_file()


def backup_state(backup: Path) -> bytes | None:
    """The state file's bytes a backup holds (None when it holds none or it is damaged)."""
    try:
        return segment_bytes_or_none(backup / STATE_ZST_NAME)
    except FileNotFoundError:
        pass
    try:
        return (backup / STATE_NAME).read_bytes()
    except FileNotFoundError:
        return None


def _edges(journal: Path, length: int) -> tuple[bytes, bytes]:
    """The first bytes of the journal and the last ones before `length`."""
    with open(journal, "rb") as f:
        head = f.read(min(_EDGE, length))
        f.seek(max(0, length - _EDGE))
        tail = f.read(length - max(0, length - _EDGE))
    return head, tail


def _write_journal_parts(root: Path, journal: Path, length: int, tmp: Path) -> dict[str, object]:
    """Write the journal's first `length` bytes into backup `tmp`; the manifest's entries.

    The journal only grows (a rewrite gives it a new inode): when the newest backup holds a
    prefix of this very file, its parts are linked and only the bytes after it are compressed.
    """
    try:
        st = os.stat(journal)
        head, tail = _edges(journal, length)
    except FileNotFoundError:
        st, head, tail = None, b"", b""
    parts: list[list[object]] = []
    start = 0
    previous = _linkable_parts(root, journal, st, head) if st is not None else None
    if previous is not None:
        folder, old = previous
        try:
            for name, a, b in old:
                os.link(folder / name, tmp / name)
                parts.append([name, a, b])
            start = int(old[-1][2])
        except (OSError, ValueError, TypeError, IndexError):
            # No hard links on this file system (or an odd manifest): write it all again.
            for name, *_ in parts:
                (tmp / str(name)).unlink(missing_ok=True)
            parts, start = [], 0
    if start < length or not parts:
        # Zero-padded, so that the parts list in file-name order: `cat journal.*.gz | gunzip`.
        name = f"journal.{start:015d}-{length:015d}.jsonl.gz"
        _write_gzip(journal, length, tmp / name, start)
        parts.append([name, start, length])
    out: dict[str, object] = {"journal_parts": parts}
    if st is not None:
        out["journal_id"] = {
            "dev": st.st_dev,
            "ino": st.st_ino,
            "head": head.hex(),
            "tail": tail.hex(),
        }
    return out


def _linkable_parts(
    root: Path, journal: Path, st: os.stat_result, head: bytes
) -> tuple[Path, list[list[Any]]] | None:
    """The newest backup's journal parts, when they hold a prefix of this journal."""
    newest = next(iter(backups(root)), None)
    if newest is None:
        return None
    try:
        manifest = json.loads((newest / MANIFEST).read_bytes())
        parts = manifest["journal_parts"]
        ident = manifest["journal_id"]
        covered = int(manifest["journal_bytes"])
        if not covered or not parts or len(parts) >= MAX_PARTS or int(parts[-1][2]) != covered:
            return None
        if (ident["dev"], ident["ino"]) != (st.st_dev, st.st_ino) or covered > st.st_size:
            return None
        # The same inode could be a new file: the bytes at both ends of the prefix must match.
        old_head, old_tail = _edges(journal, covered)
        if old_head.hex() != ident["head"] or old_tail.hex() != ident["tail"]:
            return None
        if not head.startswith(old_head):
            return None
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None
    return newest, parts


def _write_gzip(journal: Path, length: int, dst: Path, start: int = 0) -> None:
    # Streamed in chunks: the journal of a long history is tens of megabytes.
    import gzip  # only when a backup is written, off the start-up path

    fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(fd, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1, mtime=0) as out:
            if length > start:
                with open(journal, "rb") as fin:
                    fin.seek(start)
                    remaining = length - start
                    while remaining > 0:
                        chunk = fin.read(min(1 << 20, remaining))
                        if not chunk:
                            break
                        out.write(chunk)
                        remaining -= len(chunk)
        raw.flush()
        os.fsync(raw.fileno())


def _same_as_newest(root: Path, reason: str, digest: str, journal_len: int) -> Path | None:
    """The newest `reason` backup when it was made of this very state (its digest) and journal
    length, else None."""
    newest = next((p for p in backups(root) if p.name.endswith(f"-{reason}")), None)
    if newest is None:
        return None
    try:
        manifest = json.loads((newest / MANIFEST).read_bytes())
        if manifest.get("journal_bytes") != journal_len:
            return None
        if manifest.get("state_digest") != digest:
            return None
    except (OSError, ValueError, AttributeError):
        return None
    return newest


def backup_journal(backup: Path) -> bytes:
    """The journal a backup holds (gzipped in parts, in one piece, or plain in older ones)."""
    import gzip

    try:
        manifest = json.loads((backup / MANIFEST).read_bytes())
        parts = manifest.get("journal_parts")
        sealed = manifest.get("sealed") or []
    except (OSError, ValueError, AttributeError):
        parts, sealed = None, []
    if not isinstance(sealed, list):
        sealed = []
    # The sealed segments first (a damaged one gives nothing), then the journal's parts.
    head = b"".join(segment_bytes(backup / str(name)) for name in sealed)
    if isinstance(parts, list) and parts:
        try:
            chunks = [head]
            for name, _start, _end in parts:
                with gzip.open(backup / str(name), "rb") as f:
                    chunks.append(f.read())
            return b"".join(chunks)
        except (OSError, EOFError, ValueError, TypeError):
            return b""  # a damaged or missing part: nothing to take from this backup
    try:
        with gzip.open(backup / JOURNAL_GZ_NAME, "rb") as f:
            return f.read()
    except FileNotFoundError:
        pass
    except (OSError, EOFError, ValueError):
        return b""  # a damaged archive: nothing to take from this backup
    try:
        return (backup / JOURNAL_NAME).read_bytes()
    except FileNotFoundError:
        return b""


def backups(root: Path) -> list[Path]:
    """Complete backups under `root`, newest first."""
    if not root.is_dir():
        return []
    found = [
        p
        for p in root.iterdir()
        if p.is_dir() and not p.name.startswith(".") and (p / MANIFEST).is_file()
    ]
    return sorted(found, key=lambda p: p.name, reverse=True)


def prune(root: Path, reason: str, keep: int = KEEP) -> None:
    """Keep the newest `keep` backups made for `reason`; remove leftovers of crashed backups."""
    same = [p for p in backups(root) if p.name.endswith(f"-{reason}")]
    for old in same[keep:]:
        shutil.rmtree(old, ignore_errors=True)


def stale_temp_dirs(root: Path) -> list[Path]:
    """Half-written backups left by a crash."""
    if not root.is_dir():
        return []
    return [p for p in root.iterdir() if is_temp_name(p.name)]


def quarantine(path: Path) -> Path:
    """Move a damaged file aside to `<name>.corrupt-<timestamp>`; returns the new path."""
    target = path.with_name(f"{path.name}.corrupt-{stamp()}")
    os.replace(path, target)
    fsync_dir(path.parent)
    return target


def quarantine_copy(path: Path) -> Path:
    """Copy a damaged file aside to `<name>.corrupt-<timestamp>` (the original stays)."""
    target = path.with_name(f"{path.name}.corrupt-{stamp()}")
    copy_durable(path, target)
    fsync_dir(path.parent)
    return target
