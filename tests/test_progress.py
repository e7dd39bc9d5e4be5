"""The progress store: API, undo/override, lock, schema, damaged files, injected I/O errors."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import gmmp_quiz.store.progress as progress
from gmmp_quiz.errors import UserError
from gmmp_quiz.store.backup import backup_journal, backup_state
from gmmp_quiz.store.progress import (
    Attempt,
    ProgressStore,
    StoreLockedError,
    StoreVersionError,
    StoreWriteError,
    UnknownRecordError,
)
from gmmp_quiz.store.transfer import export_data, import_data

_clock = iter(range(10**9))


def make(
    q: str = "q1",
    outcome: str = "correct",
    *,
    set_id: str = "s1",
    answer: Any = "Rabat",
) -> Attempt:
    n = next(_clock)
    return Attempt(
        id=uuid.uuid4().hex,
        at=f"2026-11-28T12:{n // 60 % 60:02d}:{n % 60:02d}.{n:06d}+00:00",
        set_id=set_id,
        question_id=q,
        answer=answer,
        outcome=outcome,
        score={"correct": 1.0, "partial": 0.5}.get(outcome, 0.0),
        elapsed_s=2.5,
        mode="quiz",
        session_id="sess",
    )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def pdir(home: Path) -> Path:
    return home / "progress" / "default"


def temp_files(home: Path) -> list[Path]:
    return [p for p in home.rglob("*") if ".tmp-" in p.name]


def snapshot(store: ProgressStore) -> tuple[Any, ...]:
    return (
        store.states(),
        [a.to_dict() for a in store.attempts()],
        store.settings(),
        store.sessions(),
        store.hourly_by_set(),
    )


def hourly_from_history(store: ProgressStore) -> dict[str, dict[str, tuple[int, int]]]:
    """The per-hour counters that the history gives (what `hourly_by_set` must return)."""
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for a in store.attempts():
        if a.outcome != "skipped":
            hours = out.setdefault(a.set_id, {})
            n, c = hours.get(a.at[:13], (0, 0))
            hours[a.at[:13]] = (n + 1, c + (a.outcome == "correct"))
    return out


# -- the API ---------------------------------------------------------------------------------


def test_record_updates_state_and_survives_reopen(home: Path) -> None:
    with ProgressStore.open(home) as store:
        wrong = make(outcome="wrong", answer="Fès")
        state = store.record(wrong, card={"due": "2026-12-01T00:00:00+00:00"})
        assert (state.attempts, state.correct, state.times_missed) == (1, 0, 1)
        assert state.last_wrong_answers == ["Fès"]
        assert state.first_seen == wrong.at
        right = make()
        state = store.record(right)
        assert (state.attempts, state.correct, state.last_result) == (2, 1, "correct")
        assert state.card == {"due": "2026-12-01T00:00:00+00:00"}
        assert state.first_seen == wrong.at and state.last_seen == right.at
        before = snapshot(store)
    with ProgressStore.open(home) as store:
        assert snapshot(store) == before
        assert [a.id for a in store.attempts()] == [wrong.id, right.id]


def test_last_wrong_answers_keeps_three(home: Path) -> None:
    with ProgressStore.open(home) as store:
        for answer in "abcd":
            state = store.record(make(outcome="wrong", answer=answer))
        assert state.last_wrong_answers == ["b", "c", "d"]


def test_undo_restores_exactly(home: Path) -> None:
    with ProgressStore.open(home) as store:
        first = make(outcome="wrong")
        after_first = store.record(first, card={"n": 1})
        second = make()
        store.record(second, card={"n": 2})
        store.mark_known("s1", "q1", "2026-11-28T13:00:00+00:00")
        assert store.undo(second.id) == after_first
        with pytest.raises(UnknownRecordError):
            store.undo(second.id)
    with ProgressStore.open(home) as store:
        assert store.state("s1", "q1") == after_first
        assert [a.id for a in store.attempts()] == [first.id]


def test_undo_first_attempt_removes_the_state(home: Path) -> None:
    with ProgressStore.open(home) as store:
        only = make(q="q9")
        store.record(only)
        assert store.undo(only.id) is None
        assert store.state("s1", "q9") is None
        assert list(store.attempts()) == []
        with pytest.raises(UnknownRecordError):
            store.undo("nope")


def test_override_latest_and_older(home: Path) -> None:
    with ProgressStore.open(home) as store:
        old = make(outcome="wrong", answer="x")
        store.record(old)
        latest = make(outcome="partial", answer="y")
        store.record(latest)
        state = store.override(latest.id, score=0.9, card={"n": 3})
        assert (state.correct, state.times_missed, state.last_result) == (1, 1, "correct")
        assert state.last_wrong_answers == ["x"] and state.card == {"n": 3}
        state = store.override(old.id)
        assert (state.correct, state.times_missed, state.last_wrong_answers) == (2, 0, [])
        history = {a.id: a for a in store.attempts()}
        assert history[latest.id].overridden and history[latest.id].score == 0.9
        assert history[old.id].outcome == "correct"
        # Undo after an override restores the state before the attempt, with the old one
        # counted as overridden.
        state = store.undo(latest.id)
        assert state is not None and (state.attempts, state.correct) == (1, 1)
        with pytest.raises(UnknownRecordError):
            store.override("nope")


def test_mark_known_set_card_settings_sessions(home: Path) -> None:
    with ProgressStore.open(home) as store:
        store.mark_known("s2", "new", "2026-11-28T10:00:00+00:00")
        store.set_card("s2", "new", {"stability": 30})
        state = store.state("s2", "new")
        assert state is not None and state.attempts == 0
        assert state.known_at and state.card == {"stability": 30}
        store.set_setting("theme", "dark")
        store.set_setting("last_set", {"id": "gmmp", "mode": "review"})
        sid = store.start_session("gmmp", "quiz", "2026-11-28T10:00:00+00:00")
        store.end_session(sid, "2026-11-28T10:05:00+00:00", answered=3, correct=2, score=0.66)
        with pytest.raises(UnknownRecordError):
            store.end_session("nope", "x", answered=0, correct=0, score=0)
        assert store.get_setting("missing", 7) == 7
    with ProgressStore.open(home) as store:
        assert store.get_setting("theme") == "dark"
        assert store.get_setting("last_set") == {"id": "gmmp", "mode": "review"}
        [session] = store.sessions()
        assert session["answered"] == 3 and session["end"] == "2026-11-28T10:05:00+00:00"
        assert set(store.states("s2")) == {("s2", "new")}


def test_returned_values_are_copies(home: Path) -> None:
    with ProgressStore.open(home) as store:
        card = {"n": 1}
        state = store.record(make(), card=card)
        card["n"] = 2
        assert state.card is not None
        state.card["n"] = 3
        assert store.state("s1", "q1").card == {"n": 1}  # type: ignore[union-attr]


def test_bad_input_is_refused(home: Path) -> None:
    with ProgressStore.open(home) as store:
        with pytest.raises(ValueError):
            store.record(make(outcome="great"))
        with pytest.raises(ValueError):
            store.record(make(answer=object()))
        with pytest.raises(ValueError):
            store.set_setting("x", float("nan"))
        assert store.states() == {}
    with pytest.raises(UserError):
        ProgressStore.open(home, profile="../evil")


def test_attempt_round_trip() -> None:
    attempt = make(answer=["a", 1])
    assert Attempt.from_dict(attempt.to_dict()) == attempt
    with pytest.raises(ValueError):
        Attempt.from_dict({"id": "x"})
    with pytest.raises(ValueError):
        Attempt.from_dict({**attempt.to_dict(), "score": 2})


def test_backups_on_open_keep_five(home: Path) -> None:
    for _ in range(7):
        with ProgressStore.open(home) as store:
            store.record(make())
    root = home / "backups" / "progress-default"
    opens = [p for p in root.iterdir() if p.name.endswith("-open")]
    assert len(opens) == 5
    with ProgressStore.open(home, backup=False) as store:
        path = store.backup("import")
    assert path.parent == root
    # The backup holds the journal as it was, gzipped.
    assert backup_journal(path) == (pdir(home) / "journal.jsonl").read_bytes()


def test_backups_link_the_journal_already_saved(home: Path) -> None:
    saved = []
    with ProgressStore.open(home, backup=False) as store:
        for _ in range(3):
            store.record(make())
            saved.append(store.backup("manual"))
        journal = (pdir(home) / "journal.jsonl").read_bytes()
        sizes = [store._journal.size for _ in saved]
    first, second, third = saved
    # Each backup holds the journal as it was when it was made...
    assert backup_journal(third) == journal
    assert journal.startswith(backup_journal(second)) and journal.startswith(backup_journal(first))
    assert len(backup_journal(first)) < len(backup_journal(second)) < sizes[-1]
    # ...and shares what an earlier one already holds, instead of compressing it again.
    inodes = [{p.stat().st_ino for p in b.glob("journal.*.gz")} for b in saved]
    assert inodes[0] < inodes[1] < inodes[2]
    assert len(inodes[2] - inodes[1]) == 1
    # A journal rewritten otherwise (here: its first record gone) is saved in full.
    rewritten = journal.split(b"\n", 1)[1]
    (pdir(home) / "journal.jsonl").unlink()
    (pdir(home) / "journal.jsonl").write_bytes(rewritten)
    with ProgressStore.open(home, backup=False) as store:
        fresh = store.backup("manual")
    assert not {p.stat().st_ino for p in fresh.glob("journal.*.gz")} & inodes[2]
    assert backup_journal(fresh) == rewritten


def test_opening_again_with_nothing_new_makes_no_new_backup(home: Path) -> None:
    with ProgressStore.open(home) as store:
        store.record(make())
    with ProgressStore.open(home):
        pass  # backs up the answer just recorded
    root = home / "backups" / "progress-default"
    first = sorted(p.name for p in root.iterdir())
    assert len(first) == 2
    for _ in range(3):
        with ProgressStore.open(home):
            pass
    assert sorted(p.name for p in root.iterdir()) == first
    with ProgressStore.open(home) as store:
        store.record(make())
    with ProgressStore.open(home):
        pass
    assert len([p for p in root.iterdir() if p.name.endswith("-open")]) == len(first) + 1


def test_journal_from_a_plain_backup_of_an_older_version_is_restored(home: Path) -> None:
    with ProgressStore.open(home, backup=False) as store:
        kept = make("a")
        store.record(kept)
        saved = store.backup("manual")
    # Backups written before they were gzipped hold journal.jsonl as is (and no parts).
    data = backup_journal(saved)
    for part in saved.glob("journal.*.gz"):
        part.unlink()
    manifest = json.loads((saved / "backup.json").read_text())
    manifest.pop("journal_parts"), manifest.pop("journal_id")
    (saved / "backup.json").write_text(json.dumps(manifest))
    (saved / "journal.jsonl").write_bytes(data)
    (pdir(home) / "journal.jsonl").write_bytes(b"garbage\n")
    with ProgressStore.open(home, backup=False) as store:
        assert [a.id for a in store.attempts()] == [kept.id]
        assert any("restored" in w for w in store.warnings)


def test_default_home_is_gmmp_quiz_home(quiz_home: Path) -> None:
    with ProgressStore.open() as store:
        store.record(make())
    assert (quiz_home / "progress" / "default" / "journal.jsonl").exists()


# -- one writer per profile ------------------------------------------------------------------


def test_second_instance_refused(home: Path) -> None:
    with ProgressStore.open(home):
        with pytest.raises(StoreLockedError, match="already open"):
            ProgressStore.open(home)
        ProgressStore.open(home, profile="other").close()
    ProgressStore.open(home).close()


def test_second_process_refused(home: Path) -> None:
    code = (
        "import sys; from pathlib import Path\n"
        "from gmmp_quiz.store.progress import ProgressStore, StoreLockedError\n"
        "try:\n    ProgressStore.open(Path(sys.argv[1]))\n"
        "except StoreLockedError as e:\n    print('locked:', e); sys.exit(3)\n"
    )
    with ProgressStore.open(home):
        done = subprocess.run(
            [sys.executable, "-c", code, str(home)], capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 3, done.stderr
    assert "already open" in done.stdout


# -- schema ----------------------------------------------------------------------------------


def test_newer_schema_refused_and_untouched(home: Path) -> None:
    with ProgressStore.open(home) as store:
        store.record(make())
    state = pdir(home) / "state.json"
    data = json.loads(state.read_text())
    data["meta"]["store"]["schema"] = 99
    state.write_text(json.dumps(data))
    before = state.read_bytes()
    with pytest.raises(StoreVersionError, match="newer"):
        ProgressStore.open(home)
    assert state.read_bytes() == before
    # The lock was released.
    data["meta"]["store"]["schema"] = progress.SCHEMA_VERSION
    state.write_text(json.dumps(data))
    ProgressStore.open(home).close()


def test_older_schema_migrated_with_backup(home: Path) -> None:
    directory = pdir(home)
    directory.mkdir(parents=True)
    old_doc = {
        "set_id": "s1",
        "question_id": "q1",
        "attempts": 3,
        "correct": 1,
        "last_answer": "x",
        "last_result": "wrong",
        "last_seen": "2025-01-01T00:00:00+00:00",
        "times_missed": 2,
        "card": None,
        "last_wrong_answers": ["x", "y"],
    }
    v0 = {
        "questions": {json.dumps(["s1", "q1"]): old_doc},
        "meta": {"store": {"schema": 0, "applied_seq": 0, "applied_offset": 0}},
    }
    (directory / "state.json").write_text(json.dumps(v0))
    with ProgressStore.open(home) as store:
        assert any("upgraded" in w for w in store.warnings)
        state = store.state("s1", "q1")
        assert state is not None
        assert (state.attempts, state.times_missed, state.last_wrong_answers) == (3, 2, ["x", "y"])
        assert state.known_at is None and state.first_seen is None
    root = home / "backups" / "progress-default"
    [backup] = [p for p in root.iterdir() if p.name.endswith("-migrate")]
    assert json.loads(backup_state(backup) or b"") == v0
    with ProgressStore.open(home) as store:
        assert store.warnings == []


# -- damaged files ---------------------------------------------------------------------------


def _populated(home: Path) -> tuple[Any, list[str]]:
    """A store whose files were backed up at open, then changed; returns its snapshot."""
    with ProgressStore.open(home) as store:
        for q in ("q1", "q2"):
            store.record(make(q, "wrong"))
    with ProgressStore.open(home) as store:
        store.record(make("q3"))
        store.set_setting("theme", "dark")
        return snapshot(store), [a.id for a in store.attempts()]


@pytest.mark.parametrize("damage", ["empty", "truncated", "garbage", "empty_object"])
def test_damaged_state_file_quarantined_and_restored(home: Path, damage: str) -> None:
    before, _ids = _populated(home)
    state = pdir(home) / "state.json"
    raw = state.read_bytes()
    damaged = {
        "empty": b"",
        "truncated": raw[: len(raw) // 2],
        "garbage": os.urandom(200),
        "empty_object": b"{}",
    }[damage]
    state.write_bytes(damaged)
    with ProgressStore.open(home) as store:
        assert store.warnings and "moved to" in store.warnings[0]
        assert "backup" in store.warnings[0]
        assert snapshot(store) == before
    [corrupt] = pdir(home).glob("state.json.corrupt-*")
    assert corrupt.read_bytes() == damaged


def test_damaged_state_without_backup_rebuilt_from_journal(home: Path) -> None:
    with ProgressStore.open(home, backup=False) as store:
        store.record(make())
        before = snapshot(store)
    (pdir(home) / "state.json").write_bytes(b"")
    with ProgressStore.open(home) as store:
        assert "no backup" in store.warnings[0]
        assert snapshot(store) == before


@pytest.mark.parametrize("damage", ["empty", "garbage", "missing", "garbage_line"])
def test_damaged_journal_restored_from_backup(home: Path, damage: str) -> None:
    before, ids = _populated(home)
    journal = pdir(home) / "journal.jsonl"
    raw = journal.read_bytes()
    if damage == "missing":
        journal.unlink()
    else:
        lines = raw.splitlines(keepends=True)
        journal.write_bytes(
            {
                "empty": b"",
                "garbage": os.urandom(500) + b"\n" + os.urandom(100),
                "garbage_line": lines[0] + b"garbage\n" + b"".join(lines[1:]),
            }[damage]
        )
    with ProgressStore.open(home) as store:
        assert store.warnings, "never a silent loss"
        assert any("journal" in w for w in store.warnings)
        # Per-question progress lives in the state file and is intact.
        assert store.states() == before[0]
        assert store.settings() == before[2]
        history = [a.id for a in store.attempts()]
        # The backup made at the second open holds the first two answers.
        assert history[:2] == ids[:2]
        if damage == "garbage_line":
            assert history == ids
        store.record(make("q4"))
    if damage in ("garbage", "garbage_line"):
        assert list(pdir(home).glob("journal.jsonl.corrupt-*"))
    with ProgressStore.open(home) as store:
        assert store.state("s1", "q4") is not None


def test_torn_last_record_dropped_and_reported(home: Path) -> None:
    with ProgressStore.open(home) as store:
        kept = make()
        store.record(kept)
        before = snapshot(store)
    journal = pdir(home) / "journal.jsonl"
    good = journal.read_bytes()
    journal.write_bytes(good + b'{"s":99,"op":"a","a":{"id":"torn","at":"2026')
    with ProgressStore.open(home) as store:
        assert any("incomplete" in w for w in store.warnings)
        assert snapshot(store) == before
        store.record(make())
    assert journal.read_bytes().startswith(good)
    with ProgressStore.open(home) as store:
        assert store.warnings == []
        assert len(list(store.attempts())) == 2


def test_both_files_lost_is_never_silent(home: Path) -> None:
    with ProgressStore.open(home, backup=False) as store:
        store.record(make())
    (pdir(home) / "state.json").write_bytes(b"\x00" * 10)
    (pdir(home) / "journal.jsonl").write_bytes(b"\x00" * 10)
    with ProgressStore.open(home) as store:
        assert len(store.warnings) >= 2


def test_stale_temp_files_removed(home: Path) -> None:
    ProgressStore.open(home).close()
    (pdir(home) / "state.json.tmp-dead").write_bytes(b"half")
    root = home / "backups" / "progress-default"
    (root / ".x.tmp-dead").mkdir(parents=True)
    ProgressStore.open(home, backup=False).close()
    assert temp_files(home) == []


# -- injected I/O errors ---------------------------------------------------------------------


class Faults:
    """Make the Nth call of os.write / os.fsync / os.replace raise ENOSPC (once)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str, n: int) -> None:
        self.name, self.n, self.calls, self.fired = name, n, 0, False
        self.real: Callable[..., Any] = getattr(os, name)
        monkeypatch.setattr(os, name, self)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        if self.calls == self.n:
            self.fired = True
            raise OSError(errno.ENOSPC, "No space left on device")
        return self.real(*args, **kwargs)


def _steps(store: ProgressStore, attempts: list[Attempt]) -> list[Callable[[], object]]:
    return [
        lambda: store.record(attempts[0], card={"n": 0}),
        lambda: store.set_setting("theme", "light"),
        lambda: store.record(attempts[1]),
        store.compact,
        lambda: store.backup("import"),
        lambda: store.record(attempts[2]),
    ]


def _count_calls(home: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> int:
    with ProgressStore.open(home, backup=False) as store:
        counter = Faults(monkeypatch, name, 0)
        for step in _steps(store, [make(f"c{i}") for i in range(3)]):
            step()
        monkeypatch.undo()
    return counter.calls


@pytest.mark.parametrize("name", ["write", "fsync", "replace"])
def test_io_error_at_every_call(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    total = _count_calls(tmp_path / "count", monkeypatch, name)
    assert total >= 2
    for n in range(1, total + 1):
        home = tmp_path / f"{name}{n}"
        with ProgressStore.open(home, backup=False) as store:
            base = make("base", "wrong")
            store.record(base)
        with ProgressStore.open(home, backup=False) as store:
            attempts = [make(f"n{i}") for i in range(3)]
            faults = Faults(monkeypatch, name, n)
            for step in _steps(store, attempts):
                before = snapshot(store)
                try:
                    step()
                except StoreWriteError as exc:
                    assert "No space" in str(exc)
                    assert snapshot(store) == before, "a failed step changed nothing"
                    assert temp_files(home) == []
                    step()  # the retry works
            assert faults.fired
            monkeypatch.undo()
            expected = snapshot(store)
        assert temp_files(home) == []
        with ProgressStore.open(home, backup=False) as store:
            assert snapshot(store) == expected
            ids = [a.id for a in store.attempts()]
            assert ids == [base.id, *(a.id for a in attempts)]


def test_io_error_when_saving_at_close_loses_nothing(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ProgressStore.open(home, backup=False)
    store.record(make())
    expected = snapshot(store)
    Faults(monkeypatch, "replace", 1)
    store.close()
    monkeypatch.undo()
    assert any("compact" in w for w in store.warnings)
    assert temp_files(home) == []
    with ProgressStore.open(home, backup=False) as store:
        assert snapshot(store) == expected


def test_failed_last_change_then_close_reopens_cleanly(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ProgressStore.open(home, backup=False)
    store.record(make())
    expected = snapshot(store)
    Faults(monkeypatch, "fsync", 1)
    with pytest.raises(StoreWriteError):
        store.record(make())
    monkeypatch.undo()
    store.close()
    with ProgressStore.open(home, backup=False) as again:
        assert again.warnings == []
        assert snapshot(again) == expected


def test_permission_denied_is_a_clear_error(home: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root ignores permissions")
    ProgressStore.open(home).close()
    (pdir(home) / "journal.jsonl").chmod(0o400)
    try:
        with pytest.raises(StoreWriteError):
            ProgressStore.open(home)
    finally:
        (pdir(home) / "journal.jsonl").chmod(0o600)


def test_compaction_bounds_the_journal_tail(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "COMPACT_EVERY", 3)
    store = ProgressStore.open(home, backup=False)
    for _ in range(7):
        store.record(make())
        store._join_compactor()  # compaction runs in a thread: wait for it each time
    meta = json.loads((pdir(home) / "state.json").read_text())["meta"]["store"]
    assert meta["applied_seq"] == 6
    store._journal.close()  # simulate a crash: no close
    store._release()
    with ProgressStore.open(home, backup=False) as again:
        assert again.state("s1", "q1").attempts == 7  # type: ignore[union-attr]


def test_compaction_runs_off_the_recording_thread(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    monkeypatch.setattr(progress, "COMPACT_EVERY", 2)
    writers: list[threading.Thread] = []
    real = progress.atomic_write

    def spy(path: Path, data: bytes) -> None:
        writers.append(threading.current_thread())
        real(path, data)

    monkeypatch.setattr(progress, "atomic_write", spy)
    with ProgressStore.open(home, backup=False) as store:
        writers.clear()  # a new store is saved once as it is opened
        for _ in range(2):
            store.record(make())
        store._join_compactor()
        assert writers and threading.main_thread() not in writers
        on_disk = json.loads((pdir(home) / "state.json").read_text())
        assert on_disk["meta"]["store"]["applied_seq"] == 2
    with ProgressStore.open(home, backup=False) as again:
        assert again.state("s1", "q1").attempts == 2  # type: ignore[union-attr]


def test_undo_data_kept_for_this_run_only(home: Path) -> None:
    old, new = make(), make()
    with ProgressStore.open(home, backup=False) as store:
        first = store.record(old)
        store.compact()
        on_disk = json.loads((pdir(home) / "state.json").read_text())
        # Recorded in this run: its undo data survives a compaction (and a crash after it).
        assert all("prev" in doc for doc in on_disk["questions"].values())
        assert first.attempts == 1
    with ProgressStore.open(home, backup=False) as store:
        with pytest.raises(progress.UnknownRecordError):
            store.undo(old.id)  # an answer of an earlier run
        store.record(new)
        assert store.undo(new.id) is not None  # one of this run: undone
        assert store.state("s1", "q1").attempts == 1  # type: ignore[union-attr]
    on_disk = json.loads((pdir(home) / "state.json").read_text())
    assert not any("prev" in doc for doc in on_disk["questions"].values())


def test_bookmark_found_behind_a_long_line(home: Path) -> None:
    from gmmp_quiz.store.journal import read_tail

    with ProgressStore.open(home, backup=False) as store:
        store.record(make(answer="x" * 300_000))
        meta = store._snapshot()
    bookmark = json.loads(meta)["meta"]["store"]
    tail = read_tail(pdir(home) / "journal.jsonl", bookmark["applied_offset"], 1)
    assert tail is not None and tail.ops == []


def test_import_into_a_fresh_profile_and_again(home: Path, tmp_path: Path) -> None:
    with ProgressStore.open(home) as store:
        store.record(make("a", "wrong"), card={"n": 1})
        store.record(make("a"))
        store.mark_known("s1", "b", "2026-11-28T00:00:00+00:00")
        store.set_setting("theme", "dark")
        sid = store.start_session("s1", "quiz", "2026-11-28T00:00:00+00:00")
        store.end_session(sid, "2026-11-28T00:01:00+00:00", answered=2, correct=1, score=0.5)
        data = export_data(store)
        before = snapshot(store)
        nothing = import_data(store, data)
        assert nothing["backup"] is None and snapshot(store) == before
    other = tmp_path / "other"
    with ProgressStore.open(other) as store:
        summary = import_data(store, json.loads(json.dumps(data)))
        assert summary["attempts_added"] == 2 and summary["backup"]
        assert snapshot(store) == before
    with ProgressStore.open(other) as store:
        assert snapshot(store) == before
        with pytest.raises(UserError, match="attempts\\[0\\]"):
            import_data(store, {**data, "attempts": [{"id": 1}]})
        assert snapshot(store) == before


def test_reset_one_set_then_all_with_backups(home: Path) -> None:
    with ProgressStore.open(home, backup=False) as store:
        store.record(make("a", set_id="s1"))
        kept = make("b", set_id="s2")
        store.record(kept)
        store.start_session("s1", "quiz", "2026-11-28T00:00:00+00:00")
        store.set_setting("theme", "dark")
        first = store.reset("s1")
        assert set(store.states()) == {("s2", "b")}
        assert [a.id for a in store.attempts()] == [kept.id]
        assert store.sessions() == []
    with ProgressStore.open(home, backup=False) as store:
        assert [a.id for a in store.attempts()] == [kept.id]
        second = store.reset()
        assert store.states() == {} and list(store.attempts()) == []
        assert store.get_setting("theme") == "dark"
        store.record(make("c"))
    with ProgressStore.open(home, backup=False) as store:
        assert len(list(store.attempts())) == 1
    assert first.name.endswith("-reset") and second.name.endswith("-reset")
    assert kept.id in backup_journal(first).decode()


def test_well_formed_json_of_the_wrong_shape(home: Path) -> None:
    with ProgressStore.open(home) as store:
        store.record(make())
        before = snapshot(store)
    state = pdir(home) / "state.json"
    data = json.loads(state.read_text())
    data["questions"] = {"x": {"set_id": "s1"}}
    state.write_text(json.dumps(data))
    with ProgressStore.open(home) as store:
        assert "moved to" in store.warnings[0]
        assert snapshot(store) == before
    with (pdir(home) / "journal.jsonl").open("a") as journal:
        journal.write('{"s": 1000, "op": "a", "a": 5}\n')
        journal.write('{"s": 1001, "op": "undo"}\n')
    with ProgressStore.open(home) as store:
        assert any("unexpected shape" in w for w in store.warnings)
        assert snapshot(store) == before


def _as_schema_1(data: dict[str, Any]) -> dict[str, Any]:
    """A state file as gmmp-quiz wrote it at schema 1: no answer counters, no last miss."""
    old = json.loads(json.dumps(data))
    old.pop("hours", None)
    for doc in old.get("questions", {}).values():
        doc.pop("last_missed", None)
        if isinstance(doc.get("prev"), dict):
            doc["prev"].pop("last_missed", None)
    old["meta"]["store"]["schema"] = 1
    return old


def test_schema_1_migrated_counters_built_from_the_history(home: Path) -> None:
    with ProgressStore.open(home, backup=False) as store:
        wrong, partial = make("q1", "wrong"), make("q1", "partial")
        store.record(wrong)
        store.record(partial)
        store.record(make("q1", "correct"))
        store.record(make("q2", "skipped"))
        store.record(make("q2", "wrong", set_id="s2"))
        store.override(wrong.id)
        store.compact()
        # Recorded after the last compaction: in the journal tail, replayed after the migration.
        tail = make("q3", "wrong")
        store.record(tail)
        expected = (store.states(), store.hourly_by_set())
        store._close_files()  # a crash: the tail is not in the state file
    state = pdir(home) / "state.json"
    v1 = _as_schema_1(json.loads(state.read_text()))
    state.write_text(json.dumps(v1))
    with ProgressStore.open(home, backup=False) as store:
        upgraded = f"upgraded from schema 1 to {progress.SCHEMA_VERSION}"
        assert any(upgraded in w for w in store.warnings)
        assert (store.states(), store.hourly_by_set()) == expected
        q1 = store.state("s1", "q1")
        assert q1 is not None and (q1.times_missed, q1.last_missed) == (1, partial.at)
        assert store.state("s1", "q3").last_missed == tail.at  # type: ignore[union-attr]
        hour = tail.at[:13]
        assert store.hourly()[hour][0] == 5  # 6 answers, one skipped
        assert store.hourly("s2") == {hour: (1, 0)}
        # Undo is for answers of the session in progress, not of one before a restart.
        with pytest.raises(progress.UnknownRecordError):
            store.undo(tail.id)
        assert store.state("s1", "q3").last_missed == tail.at  # type: ignore[union-attr]
    root = home / "backups" / "progress-default"
    [backup] = [p for p in root.iterdir() if p.name.endswith("-migrate")]
    assert json.loads(backup_state(backup) or b"") == v1
    with ProgressStore.open(home, backup=False) as store:
        assert store.warnings == []


def test_import_overlapping_counts_each_answer_once(home: Path, tmp_path: Path) -> None:
    shared = make("a", "wrong")
    with ProgressStore.open(tmp_path / "other", backup=False) as other:
        other.record(shared)
        other.record(make("a"))
        other.record(make("b", "partial", set_id="s2"))
        data = export_data(other)
    with ProgressStore.open(home, backup=False) as store:
        store.record(shared)
        store.record(make("c", "skipped"))
        store.record(make("a", "correct"))
        import_data(store, data)
        import_data(store, data)
        assert store.hourly_by_set() == hourly_from_history(store)
        assert store.hourly()[shared.at[:13]] == (4, 2)
        assert store.state("s2", "b").last_missed is not None  # type: ignore[union-attr]
    with ProgressStore.open(home, backup=False) as store:
        assert store.hourly_by_set() == hourly_from_history(store)


def test_schema_1_tail_override_without_the_latest_miss_left(home: Path) -> None:
    # An override journaled by schema 1 does not say which miss is the latest left.
    first, second = make("q1", "wrong"), make("q1", "partial")
    with ProgressStore.open(home, backup=False) as store:
        store.record(first)
        store.record(second)
        store.record(make("q1", "correct"))
        store.compact()
        store.override(second.id)
        store._close_files()
    state = pdir(home) / "state.json"
    state.write_text(json.dumps(_as_schema_1(json.loads(state.read_text()))))
    journal = pdir(home) / "journal.jsonl"
    lines = []
    for line in journal.read_text().splitlines():
        op = json.loads(line)
        if op["op"] == "ovr":
            assert "lm" in op
            op.pop("lm")
            op.pop("plm", None)
        lines.append(json.dumps(op, separators=(",", ":")))
    journal.write_text("\n".join(lines) + "\n")
    with ProgressStore.open(home, backup=False) as store:
        q1 = store.state("s1", "q1")
        assert q1 is not None and (q1.times_missed, q1.last_missed) == (1, first.at)
        assert store.hourly_by_set() == hourly_from_history(store)


def test_what_is_done_before_release_sees_the_files_final_and_the_profile_still_held(
    home: Path,
) -> None:
    store = ProgressStore.open(home, backup=False)
    store.record(make())
    seen: list[bool] = []

    def before_release() -> None:
        # The state file is written, and no other gmmp-quiz can have the profile yet.
        seen.append(store.state_path.is_file())
        with pytest.raises(StoreLockedError):
            ProgressStore.open(home, backup=False)

    store.close(before_release=before_release)
    assert seen == [True]
    ProgressStore.open(home, backup=False).close()  # released afterwards


def test_the_profile_is_released_even_if_what_is_done_before_fails(home: Path) -> None:
    store = ProgressStore.open(home, backup=False)

    def fail() -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        store.close(before_release=fail)
    ProgressStore.open(home, backup=False).close()
