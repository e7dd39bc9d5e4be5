"""The store's files cut at every position or filled with random bytes: it always opens, loses
nothing that was complete, and says when something was dropped."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gmmp_quiz.store.progress import Attempt, ProgressStore


def _attempt(n: int) -> Attempt:
    return Attempt(
        id=uuid.uuid4().hex,
        at=f"2026-11-28T12:00:0{n}+00:00",
        set_id="s",
        question_id=f"q{n % 2}",
        answer=f"answer {n}",
        outcome="wrong" if n % 2 else "correct",
        score=0.0 if n % 2 else 1.0,
        elapsed_s=1.0,
        mode="quiz",
        session_id="",
    )


def _crashed_store(home: Path, n: int) -> list[str]:
    """A store whose state file predates `n` answers that are only in the journal."""
    ProgressStore.open(home, backup=False).close()
    store = ProgressStore.open(home, backup=False)
    ids = []
    for i in range(n):
        attempt = _attempt(i)
        store.record(attempt)
        ids.append(attempt.id)
    store._close_files()  # like a kill: no compaction
    return ids


def test_journal_cut_at_every_position(tmp_path: Path) -> None:
    source = tmp_path / "source"
    ids = _crashed_store(source, 3)
    journal = (source / "progress" / "default" / "journal.jsonl").read_bytes()
    ends = [i + 1 for i, b in enumerate(journal) if b == ord("\n")]
    for cut in range(len(journal) + 1):
        home = tmp_path / f"cut{cut}"
        shutil.copytree(source, home)
        (home / "progress" / "default" / "journal.jsonl").write_bytes(journal[:cut])
        complete = sum(end <= cut for end in ends)
        with ProgressStore.open(home, backup=False) as store:
            assert [a.id for a in store.attempts()] == ids[:complete]
            total = sum(s.attempts for s in store.states().values())
            assert total == complete
            torn = cut not in (0, *ends)
            assert any("incomplete" in w for w in store.warnings) == torn, (cut, store.warnings)
        shutil.rmtree(home)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    which=st.sampled_from(["state.json", "journal.jsonl"]),
    junk=st.binary(max_size=300),
    keep=st.integers(0, 3000),
)
def test_random_damage_never_breaks_open(which: str, junk: bytes, keep: int) -> None:
    home = Path(tempfile.mkdtemp())
    try:
        with ProgressStore.open(home, backup=False) as store:
            first = _attempt(0)
            store.record(first)
        ProgressStore.open(home, backup=True).close()  # a backup that holds `first`
        ids = [first.id]
        with ProgressStore.open(home, backup=False) as store:
            for n in (1, 2):
                attempt = _attempt(n)
                store.record(attempt)
                ids.append(attempt.id)
        path = home / "progress" / "default" / which
        path.write_bytes(path.read_bytes()[:keep] + junk)
        with ProgressStore.open(home, backup=False) as store:
            have = [a.id for a in store.attempts()]
            assert first.id in have, "what the backup holds is never lost"
            if set(ids) - set(have):
                assert store.warnings, "a loss is always announced"
            store.record(_attempt(5))
        with ProgressStore.open(home, backup=False) as store:
            assert store.state("s", "q1") is not None
    finally:
        shutil.rmtree(home, ignore_errors=True)


def test_history_reader_keeps_good_lines_around_bad_ones(tmp_path: Path) -> None:
    from gmmp_quiz.store.journal import iter_ops

    path = tmp_path / "j.jsonl"
    good = [b'{"s":1,"op":"a"}', b'{"s":2,"op":"set"}', b'{"s":3,"op":"a"}']
    for middle in (b"garbage", b"", b"1,2", b'{"s":9}'):
        data = b"\n".join([good[0], middle, good[1], good[2]]) + b"\n"
        path.write_bytes(data)
        assert [op["s"] for op in iter_ops(path, len(data))] == [1, 2, 3]
        # A limit in the middle of a line stops before it.
        assert [op["s"] for op in iter_ops(path, len(data) - 3)] == [1, 2]
