"""The journal sealed into compressed segments: the history stays whole, across crashes at every
step of a seal, damaged files, backups, and stores written before segments existed."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

import gmmp_quiz.store.progress as progress
from gmmp_quiz.store.backup import STATE_NAME, STATE_ZST_NAME, backup_state, backups
from gmmp_quiz.store.journal import segments
from gmmp_quiz.store.progress import Attempt, ProgressStore


def answer(n: int, outcome: str = "wrong") -> Attempt:
    return Attempt(
        id=uuid.uuid4().hex,
        at=f"2026-11-28T12:{n // 60 % 60:02d}:{n % 60:02d}.{n:06d}+00:00",
        set_id="s",
        question_id=f"q{n % 7}",
        answer="réponse " * 20,
        outcome=outcome,
        score=0.0,
        elapsed_s=1.0,
        mode="quiz",
        session_id="",
    )


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(progress, "SEAL_AT", 4000)
    return tmp_path / "home"


def pdir(home: Path) -> Path:
    return home / "progress" / "default"


def fill(home: Path, start: int, count: int, *, backup: bool = False) -> list[str]:
    ids = []
    with ProgressStore.open(home, backup=backup) as store:
        for n in range(start, start + count):
            attempt = answer(n, "correct" if n % 3 == 0 else "wrong")
            store.record(attempt, card={"n": n})
            ids.append(attempt.id)
    return ids


def look(home: Path) -> tuple[Any, ...]:
    with ProgressStore.open(home, backup=False) as store:
        assert store.warnings == []
        return (
            [a.id for a in store.attempts()],
            store.states(),
            store.hourly_by_set(),
        )


def test_closing_seals_the_journal_and_the_history_reads_through_the_segments(home: Path) -> None:
    ids = fill(home, 0, 40) + fill(home, 40, 40)
    found = segments(pdir(home))
    assert len(found) == 2 and found[0][0] == 1 and found[0][1] < found[1][0]
    assert (pdir(home) / "journal.jsonl").stat().st_size == 0
    history, states, _hours = look(home)
    assert history == ids
    assert sum(s.attempts for s in states.values()) == 80
    # An answer in a segment can still be counted right ("I was right").
    with ProgressStore.open(home, backup=False) as store:
        store.override(ids[1])
        assert next(a for a in store.attempts() if a.id == ids[1]).overridden


def test_small_journals_are_never_sealed(tmp_path: Path) -> None:
    fill(tmp_path, 0, 5)
    assert segments(pdir(tmp_path)) == []
    assert (pdir(tmp_path) / "journal.jsonl").read_bytes().count(b"\n") == 5


@pytest.mark.parametrize("step", ["segment", "state", "journal"])
def test_a_seal_cut_short_at_any_step_loses_and_repeats_nothing(
    home: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    ids = fill(home, 0, 40)
    expected = [*ids]
    real = progress.atomic_write
    failing = {
        "segment": lambda p: p.name.startswith("sealed."),
        "state": lambda p: p.name == "state.json",
        "journal": lambda p: p.name == "journal.jsonl",
    }[step]

    def broken(path: Path, data: bytes) -> None:
        if failing(path):
            raise OSError(28, "No space left on device")
        real(path, data)

    store = ProgressStore.open(home, backup=False)
    for n in range(40, 60):
        attempt = answer(n)
        store.record(attempt)
        expected.append(attempt.id)
    monkeypatch.setattr(progress, "atomic_write", broken)
    store.close()  # the seal fails at `step`; every answer is in the journal already
    monkeypatch.setattr(progress, "atomic_write", real)
    history, states, hours = look(home)
    assert history == expected
    assert sum(s.attempts for s in states.values()) == 60
    fill(home, 60, 30)  # the next seal finishes the job, without sealing a record twice
    again, states, _ = look(home)
    assert again[:60] == expected and len(again) == len(set(again)) == 90
    sealed = [op for _a, _b, path in segments(pdir(home)) for op in _ops(path)]
    assert len({op["s"] for op in sealed}) == len(sealed)


def _ops(path: Path) -> list[dict[str, Any]]:
    import zstandard

    data = zstandard.ZstdDecompressor().stream_reader(path.read_bytes()).read()
    return [json.loads(line) for line in data.splitlines()]


def test_a_damaged_state_file_is_rebuilt_from_a_backup_and_the_segments(home: Path) -> None:
    ids = fill(home, 0, 30, backup=True)
    ids += fill(home, 30, 30)  # sealed after the newest backup was made
    before = look(home)
    (pdir(home) / "state.json").write_bytes(b"{garbage")
    with ProgressStore.open(home, backup=False) as store:
        assert any("damaged" in w for w in store.warnings)
        assert [a.id for a in store.attempts()] == ids
        assert store.states() == before[1]
        assert store.hourly_by_set() == before[2]


def test_without_a_state_file_progress_is_rebuilt_from_the_segments(home: Path) -> None:
    fill(home, 0, 50)
    before = look(home)
    (pdir(home) / "state.json").unlink()
    (pdir(home) / "state.json.checked").unlink()
    with ProgressStore.open(home, backup=False) as store:
        assert store.states() == before[1]
        assert [a.id for a in store.attempts()] == before[0]


def test_backups_link_the_segments_and_keep_the_state_compressed(home: Path) -> None:
    fill(home, 0, 40)
    with ProgressStore.open(home, backup=False) as store:
        saved = store.backup("manual")
    assert not (saved / STATE_NAME).exists() and (saved / STATE_ZST_NAME).exists()
    data = json.loads(backup_state(saved) or b"")
    assert data["meta"]["store"]["schema"] == progress.SCHEMA_VERSION
    for _first, _last, path in segments(pdir(home)):
        assert (saved / path.name).stat().st_ino == path.stat().st_ino  # no second copy
    manifest = json.loads((saved / "backup.json").read_bytes())
    assert manifest["sealed"] == [p.name for _a, _b, p in segments(pdir(home))]


def test_a_store_of_schema_2_with_a_plain_backup_opens_and_is_upgraded(
    tmp_path: Path,
) -> None:
    # As gmmp-quiz wrote it before segments: schema 2, the whole history in journal.jsonl,
    # backups holding a plain state.json.
    home = tmp_path / "home"
    ids = fill(home, 0, 12)
    state = pdir(home) / "state.json"
    data = json.loads(state.read_bytes())
    data["meta"]["store"]["schema"] = 2
    state.write_text(json.dumps(data))
    root = home / "backups" / "progress-default"
    old = root / "20260101T000000.000000Z-open"
    old.mkdir(parents=True)
    (old / "state.json").write_text(json.dumps(data))
    (old / "backup.json").write_text(json.dumps({"reason": "open", "journal_bytes": 0}))
    with ProgressStore.open(home, backup=False) as store:
        assert any("upgraded from schema 2" in w for w in store.warnings)
        assert [a.id for a in store.attempts()] == ids
    assert json.loads(state.read_bytes())["meta"]["store"]["schema"] == progress.SCHEMA_VERSION
    # The plain backup is still good to restore from.
    assert json.loads(backup_state(old) or b"") == data
    migrated = [b for b in backups(root) if b.name.endswith("-migrate")]
    assert json.loads(backup_state(migrated[0]) or b"")["meta"]["store"]["schema"] == 2
    state.write_bytes(b"")  # damaged: the newest backup (the migration's) is restored
    with ProgressStore.open(home, backup=False) as store:
        assert [a.id for a in store.attempts()] == ids
        assert sum(s.attempts for s in store.states().values()) == 12


def test_a_long_table_is_kept_compressed_in_the_state_file(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gmmp_quiz.store.tables as tables

    monkeypatch.setattr(tables, "PACK_AT", 500)
    fill(home, 0, 30, backup=True)
    before = look(home)
    data = json.loads((pdir(home) / "state.json").read_bytes())
    assert list(data["questions"]) == [tables.PACKED]
    assert data["meta"]["store"]["schema"] == progress.SCHEMA_VERSION  # readable as it was
    assert look(home) == before
    data["questions"][tables.PACKED] = "AAAA" + data["questions"][tables.PACKED][4:]
    (pdir(home) / "state.json").write_text(json.dumps(data))
    with ProgressStore.open(home, backup=False) as store:  # damaged: restored and replayed
        assert any("damaged" in w for w in store.warnings)
        assert (store.states(), store.hourly_by_set()) == before[1:]


def test_one_open_backup_in_five_holds_the_state_and_a_restore_replays_onto_it(
    home: Path,
) -> None:
    ids: list[str] = []
    for start in range(0, 70, 10):  # seven starts, each after a change: seven open backups
        ids += fill(home, start, 10, backup=True)
    root = home / "backups" / "progress-default"
    kept = [b for b in backups(root) if b.name.endswith("-open")]
    assert len(kept) == 5
    assert sum(backup_state(b) is not None for b in kept) == 1
    assert backup_state(kept[0]) is None  # the newest relies on an older one's state
    before = look(home)
    (pdir(home) / "state.json").write_bytes(b"")
    with ProgressStore.open(home, backup=False) as store:
        assert any("damaged" in w for w in store.warnings)
        assert [a.id for a in store.attempts()] == ids
        assert (store.states(), store.hourly_by_set()) == before[1:]


def test_a_damaged_journal_after_a_seal_is_repaired_without_copying_the_segments_back(
    home: Path,
) -> None:
    ids = fill(home, 0, 40, backup=True)
    ids += fill(home, 40, 6, backup=True)  # under SEAL_AT: stays in the journal
    journal = pdir(home) / "journal.jsonl"
    lines = journal.read_bytes().splitlines(keepends=True)
    assert len(lines) == 6
    journal.write_bytes(b"".join([lines[0], b"{not json\n", *lines[1:]]))
    with ProgressStore.open(home, backup=False) as store:
        assert any("damaged" in w for w in store.warnings)
        assert [a.id for a in store.attempts()] == ids
    assert journal.read_bytes().count(b"\n") <= 6
