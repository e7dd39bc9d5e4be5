"""Every failure of the reliability probe (shared/review/reliability-probe.md), by its section.

Each test reproduces one failure the probe found (the section number is in the test's name and
docstring) and checks the behaviour asked for by the hardening issue.
"""

from __future__ import annotations

import copy
import errno
import io
import json
import os
import shutil
import signal
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gmmp_quiz import cli
from gmmp_quiz.commands import authoring
from gmmp_quiz.sets import install
from gmmp_quiz.store.progress import Attempt, ProgressStore
from gmmp_quiz.store.transfer import export_data

SET_YAML = """\
id: demo
title: Demo
language: en
questions:
  - id: q1
    type: true_false
    prompt: The sky is blue.
    answer: true
  - id: q2
    type: true_false
    prompt: Fire is cold.
    answer: false
"""


def gq(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line in this process; an uncaught exception fails the test."""
    code = cli.main([*args, "--lang", "en"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def attempt(i: int, at: str = "2026-11-30T12:00:00+00:00", q: str = "q1") -> Attempt:
    return Attempt(
        id=f"a{i}-{uuid.uuid4().hex[:8]}",
        at=at,
        set_id="demo",
        question_id=q,
        answer=True,
        outcome="correct" if i % 2 else "wrong",
        score=1.0 if i % 2 else 0.0,
        elapsed_s=1.0,
        mode="quiz",
        session_id="s1",
    )


@pytest.fixture(autouse=True)
def no_input(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plain sessions read an empty stdin: they end at once, after their start-up."""
    monkeypatch.setattr("sys.stdin", io.StringIO(""))


@pytest.fixture
def home(quiz_home: Path) -> Path:
    """A home with the demo set and three recorded answers."""
    (quiz_home / "questions").mkdir()
    (quiz_home / "questions" / "demo.yaml").write_text(SET_YAML, encoding="utf-8")
    with ProgressStore.open(quiz_home, backup=False) as store:
        for i in range(3):
            store.record(attempt(i, q=f"q{1 + i % 2}"))
    return quiz_home


def pdir(home: Path) -> Path:
    return home / "progress" / "default"


def answer_ids(home: Path) -> set[str]:
    with ProgressStore.open(home, backup=False) as store:
        return {a.id for a in store.attempts()}


def store_files(home: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(pdir(home).iterdir()) if p.name != "lock"}


def export_with(**parts: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"format": "gmmp-quiz-progress", "version": 1}
    data.update({"states": [], "attempts": [], "sessions": [], "settings": {}})
    data.update(parts)
    return data


def good_attempt(**change: Any) -> dict[str, Any]:
    data = {
        "id": "imp1",
        "at": "2026-11-30T12:00:00+00:00",
        "set_id": "demo",
        "question_id": "q1",
        "answer": "x",
        "outcome": "correct",
        "score": 1.0,
        "elapsed_s": 1.0,
        "mode": "quiz",
        "session_id": "s",
    }
    data.update(change)
    return data


def good_state(**change: Any) -> dict[str, Any]:
    data = {
        "set_id": "demo",
        "question_id": "q2",
        "attempts": 1,
        "correct": 1,
        "last_result": "correct",
        "last_seen": "2026-11-30T12:00:00+00:00",
        "card": {"stability": 3.0, "due": "2026-12-30T12:00:00+00:00"},
    }
    data.update(change)
    return data


def every_command_starts(capsys: pytest.CaptureFixture[str]) -> None:
    """stats, doctor, quiz --mode due (plain, no input) and review --plain run without error."""
    for args in (
        ("stats",),
        ("stats", "--json"),
        ("doctor",),
        ("quiz", "--plain", "--mode", "due"),
        ("review", "--plain"),
    ):
        code, _out, err = gq(capsys, *args)
        assert code == 0, (args, err)


# -- 5.2 / R1: an import with bad values is refused, with nothing changed ---------------------


BAD_IMPORTS = {
    "card stability high": export_with(states=[good_state(card={"stability": "high"})]),
    "card due not a date": export_with(states=[good_state(card={"due": "soon"})]),
    "card stability NaN": export_with(states=[good_state(card={"stability": float("nan")})]),
    "first_seen yesterday": export_with(states=[good_state(first_seen="yesterday")]),
    "last_seen without zone": export_with(states=[good_state(last_seen="2026-11-30T12:00:00")]),
    "last_answer NaN": export_with(states=[good_state(last_answer=float("inf"))]),
    "counter too large": export_with(states=[good_state(attempts=10**30)]),
    "at day first": export_with(attempts=[good_attempt(at="30/11/2026 12:00")]),
    "at year 1 overflows": export_with(attempts=[good_attempt(at="0001-01-01T00:30:00+01:00")]),
    "at year 9999 overflows": export_with(attempts=[good_attempt(at="9999-12-31T23:30:00-01:00")]),
    "outcome great": export_with(attempts=[good_attempt(outcome="great")]),
    "elapsed negative": export_with(attempts=[good_attempt(elapsed_s=-1e9)]),
    "set id with escapes": export_with(attempts=[good_attempt(set_id="x\x1b]0;OWNED\x07")]),
    "question id with CR": export_with(attempts=[good_attempt(question_id="q\r1")]),
    "set id as a path": export_with(attempts=[good_attempt(set_id="../../etc/passwd")]),
    "session without set_id": export_with(
        sessions=[{"id": "s1", "start": "2026-11-30T12:00:00+00:00"}]
    ),
    "setting NaN": export_with(settings={"new_per_day": float("nan")}),
    "setting infinity": export_with(settings={"new_per_day": float("inf")}),
    # One good answer first: a failed import must not keep it (the probe saw it kept).
    "good answer then a bad one": export_with(
        attempts=[good_attempt(id="ok1"), good_attempt(id="bad", at="30/11/2026 12:00")]
    ),
}


@pytest.mark.parametrize("name", list(BAD_IMPORTS))
def test_5_2_bad_import_refused_and_nothing_changed(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """5.2, 5.3, 5.4, 5.5 (R1, R3, R6, R9): refused naming the problem; the store is unchanged."""
    before = store_files(home)
    source = tmp_path / "export.json"
    source.write_text(json.dumps(BAD_IMPORTS[name]), encoding="utf-8")
    code, _out, err = gq(capsys, "progress", "import", str(source))
    assert code == 1
    assert str(source) in err and ("states[" in err or "attempts[" in err or "s[" in err)
    assert "\x1b" not in err and "\r" not in err
    assert store_files(home) == before
    every_command_starts(capsys)


def test_5_2_good_import_with_other_zones_is_kept_in_utc(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """5.2: a valid date in another zone is accepted and stored in UTC (stamps compare as text)."""
    source = tmp_path / "export.json"
    data = export_with(attempts=[good_attempt(at="2026-11-30T13:00:00+01:00")])
    source.write_text(json.dumps(data), encoding="utf-8")
    assert gq(capsys, "progress", "import", str(source))[0] == 0
    with ProgressStore.open(home, backup=False) as store:
        imported = [a for a in store.attempts() if a.id == "imp1"]
    assert [a.at for a in imported] == ["2026-11-30T12:00:00+00:00"]
    every_command_starts(capsys)


# -- 3.8 / R1: whatever is stored, every command starts; doctor reports and sets aside -----------


def _edit_state(home: Path, edit: Any) -> None:
    path = pdir(home) / "state.json"
    data = json.loads(path.read_text())
    edit(data)
    path.write_text(json.dumps(data))


def _first_question(data: dict[str, Any]) -> dict[str, Any]:
    return next(iter(data["questions"].values()))


STATE_EDITS = {
    "card stability abc": lambda d: _first_question(d).update(
        card={"stability": "abc", "due": "2026-01-01T00:00:00+00:00"}
    ),
    "first_seen not a date": lambda d: _first_question(d).update(first_seen="not-a-date"),
    "last_answer NaN": lambda d: _first_question(d).update(last_answer=float("nan")),
    "set id with escapes": lambda d: _first_question(d).update(set_id="x\x1b[2J"),
    "session without set_id": lambda d: d.setdefault("sessions", {}).update(
        {"s9": {"id": "s9", "start": "2026-11-30T12:00:00+00:00"}}
    ),
    "setting new_per_day infinity": lambda d: d.setdefault("settings", {}).update(
        {"new_per_day": {"value": float("inf")}}
    ),
}


@pytest.mark.parametrize("name", list(STATE_EDITS))
def test_3_8_bad_stored_record_set_aside_once(
    home: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """3.8 and 5.3 (R1, R3): a bad record in state.json is reported once and kept aside."""
    kept = answer_ids(home)
    _edit_state(home, STATE_EDITS[name])
    code, out, _err = gq(capsys, "doctor")
    assert code == 0
    assert "repaired" in out
    assert "\x1b" not in out
    every_command_starts(capsys)
    # Repaired once: doctor again changes nothing and reports nothing.
    files = store_files(home)
    code, out, _err = gq(capsys, "doctor")
    assert "repaired" not in out and "No problems found" in out
    assert store_files(home) == files
    assert answer_ids(home) == kept


def _append_journal(home: Path, *ops: dict[str, Any] | str) -> None:
    data = json.loads((pdir(home) / "state.json").read_text())
    seq = data["meta"]["store"]["applied_seq"]
    with (pdir(home) / "journal.jsonl").open("a") as f:
        for op in ops:
            seq += 1
            if isinstance(op, str):
                f.write(op.replace("SEQ", str(seq)) + "\n")
            else:
                f.write(json.dumps({"s": seq, **op}) + "\n")


def test_3_8_bad_journal_records_skipped(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """3.8 (R1): a journaled answer dated 9999-12-31T23:30-01:00, new_per_day Infinity."""
    kept = answer_ids(home)
    late = good_attempt(id="late", at="9999-12-31T23:30:00-01:00")
    _append_journal(
        home,
        {"op": "a", "a": late},
        '{"s":SEQ,"op":"set","k":"new_per_day","v":Infinity}',
        {"op": "a", "a": good_attempt(id="after")},
    )
    every_command_starts(capsys)
    assert answer_ids(home) == kept | {"after"}
    code, out, _err = gq(capsys, "quiz", "demo", "--plain", "--seed", "1")
    assert code == 0


def test_3_8_bad_answer_in_history_is_skipped(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """3.8 (R1): an answer with a bad date already in the journal never reaches a date parser."""
    _append_journal(home, {"op": "a", "a": good_attempt(id="bad", at="30/11/2026 12:00")})
    with ProgressStore.open(home, backup=False) as store:
        assert "bad" not in {a.id for a in store.attempts()}
    code, out, _err = gq(capsys, "doctor")
    assert code == 0 and "1 answer(s) of the history have unusable values" in out


# -- 3.4 / R10: a repair is done once -----------------------------------------------------------


def test_3_4_truncated_journal_repaired_once(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """3.4 (R10): after the end of the journal is lost, doctor repairs once, then finds nothing."""
    journal = pdir(home) / "journal.jsonl"
    os.truncate(journal, journal.stat().st_size - 40)
    code, out, _err = gq(capsys, "doctor")
    assert "repaired" in out
    corrupt = sorted(pdir(home).glob("journal.jsonl.corrupt-*"))
    files = store_files(home)
    for _ in range(2):
        code, out, _err = gq(capsys, "doctor")
        assert code == 0 and "repaired" not in out
        assert sorted(pdir(home).glob("journal.jsonl.corrupt-*")) == corrupt
        assert store_files(home) == files
    with ProgressStore.open(home, backup=True) as store:
        assert store.warnings == []
    backups_after_one_open = list((home / "backups" / "progress-default").iterdir())
    with ProgressStore.open(home, backup=True) as store:
        assert store.warnings == []
    assert list((home / "backups" / "progress-default").iterdir()) == backups_after_one_open


# -- 5.4 / R6: ids reach the terminal with their escapes made visible ----------------------------


def test_5_4_imported_answer_with_escapes_shown_escaped(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """5.4 (R6): an answer is kept as typed; `review --plain` shows its escapes, never sends it."""
    source = tmp_path / "export.json"
    wrong = good_attempt(id="esc1", outcome="wrong", score=0.0, answer="x\x1b]0;OWNED\x07")
    wrong["at"] = "2026-12-01T12:00:00+00:00"  # the latest answer to q1: q1 is missed
    source.write_text(json.dumps(export_with(attempts=[wrong])), encoding="utf-8")
    assert gq(capsys, "progress", "import", str(source))[0] == 0
    code, out, _err = gq(capsys, "review", "--plain")
    assert code == 0 and "x\\x1b]0;OWNED\\x07" in out and "\x1b" not in out


def test_5_4_visible() -> None:
    """5.4 (R6): the escaping used for ids on the terminal."""
    from gmmp_quiz.store.check import visible

    assert visible("q\x1b[31mRED\r") == "q\\x1b[31mRED\\r"
    assert visible("plain-id") == "plain-id"


# -- 5.5 / R9: NaN and infinity in settings -----------------------------------------------------


@pytest.mark.parametrize("value", ["nan", "inf", "1e999", "NaN", "Infinity"])
def test_5_5_settings_refuse_nan_and_infinity(
    home: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    """5.5 (R9): `settings retention nan` is a clear error, not a traceback."""
    code, _out, err = gq(capsys, "settings", "retention", value)
    assert code == 1 and "retention must be a number" in err
    code, _out, err = gq(capsys, "settings", "new_per_day", value)
    assert code == 1


def test_5_5_store_refuses_nan_before_journaling(home: Path) -> None:
    """5.5 (R9): a NaN setting or card is refused with a ValueError and nothing journaled."""
    journal = pdir(home) / "journal.jsonl"
    size = journal.stat().st_size
    with ProgressStore.open(home, backup=False) as store:
        with pytest.raises(ValueError):
            store.set_setting("retention", float("nan"))
        with pytest.raises(ValueError):
            store.record(attempt(9), card={"stability": float("inf")})
        with pytest.raises(ValueError):
            store.record(attempt(9, at="2026-13-01T00:00:00+00:00"))
    assert journal.stat().st_size == size


# -- 1.2 / R7 and 1.3 / R8: numbers that overflow, carriage returns -----------------------------


def _set_with(body: str) -> str:
    return f"id: big\ntitle: T\nlanguage: en\nquestions:\n  - id: q1\n{body}"


@pytest.mark.parametrize(
    "body",
    [
        "    type: numeric\n    prompt: How many?\n    answer: 1" + "0" * 400 + "\n",
        "    type: numeric\n    prompt: How many?\n    answer: 1\n    tolerance: " + "9" * 401,
        "    type: numeric\n    prompt: How many?\n    answer: 1e999\n",
    ],
)
def test_1_2_numbers_overflowing_to_infinity_refused(body: str) -> None:
    """1.2 (R7): a 401-digit number is not a number here (inf would grade every answer right)."""
    from gmmp_quiz.errors import ValidationError
    from gmmp_quiz.sets.loading import load_text

    with pytest.raises(ValidationError) as caught:
        load_text(_set_with(body), "big.yaml")
    message = str(caught.value)
    assert message.startswith(("big.yaml:8:", "big.yaml:9:")), message
    assert "too large" in message or "must be a number" in message


def test_1_3_carriage_return_escape_refused() -> None:
    """1.3 (R8): a "\\r" escape in a prompt is refused like the other control characters."""
    from gmmp_quiz.errors import ValidationError
    from gmmp_quiz.sets.loading import load_text

    body = '    type: true_false\n    prompt: "Which? (the answer is B)\\rWhich is right?"\n'
    with pytest.raises(ValidationError) as caught:
        load_text(_set_with(body + "    answer: true\n"), "cr.yaml")
    assert "cr.yaml:7:" in str(caught.value) and "U+000D" in str(caught.value)


def test_1_3_crlf_files_still_load() -> None:
    """1.3: CRLF line ends (not a "\\r" in a text) still load."""
    from gmmp_quiz.sets.loading import load_text

    text = SET_YAML.replace("\n", "\r\n")
    assert [q.id for q in load_text(text, "crlf.yaml").questions] == ["q1", "q2"]
    # A "\r\n" escape (a multi-line CSV cell, imported) moves no cursor back: it stays allowed.
    body = '    type: true_false\n    prompt: "line one\\r\\nline two"\n    answer: true\n'
    assert (
        load_text(_set_with(body), "cell.yaml").questions[0].prompt.get() == "line one\r\nline two"
    )


# -- 1.8 / R4: an unreadable questions folder -----------------------------------------------------


@pytest.fixture
def locked_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder that cannot be listed (tests run as root, who may read anything: simulated)."""
    locked = tmp_path / "locked"
    locked.mkdir()
    real = Path.iterdir

    def iterdir(self: Path):  # type: ignore[no-untyped-def]
        if self == locked or self.parent == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    return locked


@pytest.mark.parametrize("command", ["list", "stats", "doctor", "review", "quiz"])
def test_1_8_unreadable_folder_named_others_usable(
    home: Path, locked_dir: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """1.8 (R4): `--questions DIR` unreadable: named in one line, the other sets still load."""
    args = [command, "--questions", str(locked_dir)]
    if command in ("review", "quiz"):
        args.append("--plain")
    code, out, err = gq(capsys, *args)
    assert code == 0
    assert f"{locked_dir}: cannot read this folder: Permission denied" in err
    assert err.count("cannot read this folder") == 1
    if command == "list":
        assert "demo" in out


def test_1_8_unreadable_user_questions_folder(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """1.8 (R4): $GMMP_QUIZ_HOME/questions unreadable (owned by root after a sudo run)."""
    from gmmp_quiz.sets.loading import discover_sets

    user_dir = home / "questions"
    real = Path.iterdir

    def iterdir(self: Path):  # type: ignore[no-untyped-def]
        if self == user_dir:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    found = discover_sets()
    assert found.sets, "the shipped sets still load"
    assert "cannot read this folder: Permission denied" in str(found.errors[str(user_dir)][0])
    assert gq(capsys, "quiz", "--plain", "--mode", "due")[0] == 0


def test_1_8_missing_questions_folder_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    """Other observations: `--questions` naming a missing folder is an error, not ignored."""
    code, _out, err = gq(capsys, "list", "--questions", "/nonexistent-gmmp")
    assert code == 1 and "/nonexistent-gmmp: no such folder" in err


# -- 6.8 / R11: pipes and devices are not read ----------------------------------------------------


@pytest.mark.parametrize("command", [("validate",), ("add",), ("import",), ("progress", "import")])
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_6_8_pipes_and_devices_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: tuple[str, ...], kind: str
) -> None:
    """6.8 (R11): /dev/zero or a named pipe is refused at once (it hung, or ate all memory)."""

    def too_long(signum: int, frame: Any) -> None:
        raise AssertionError("still reading after 20 s: the file was not refused")

    # A hang would otherwise stop the whole suite, and /dev/zero fill the memory.
    signal.signal(signal.SIGALRM, too_long)
    signal.alarm(20)
    try:
        _refused(tmp_path, capsys, command, kind)
    finally:
        signal.alarm(0)


def _refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: tuple[str, ...], kind: str
) -> None:
    if kind == "fifo":
        path = tmp_path / "pipe.yaml"
        os.mkfifo(path)
    else:
        path = Path("/dev/zero")
    code, out, err = gq(capsys, *command, str(path))
    assert code == 1
    assert "not a regular file" in out + err


def test_6_8_size_limit_reads_no_further(tmp_path: Path) -> None:
    """6.8 (R11): the limit holds whatever size the file claims (read up to it, no more)."""
    from gmmp_quiz.files import FileReadError, read_regular

    big = tmp_path / "big.json"
    big.write_bytes(b"x" * 2048)
    assert read_regular(big, 2048)[0] == b"x" * 2048
    with pytest.raises(FileReadError, match="larger than"):
        read_regular(big, 2047)


def test_6_8_progress_import_has_a_size_limit(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """6.8 (R11): `progress import` reads at most its limit."""
    from gmmp_quiz.commands import progress as progress_commands

    monkeypatch.setattr(progress_commands, "MAX_IMPORT_BYTES", 1024 * 1024)
    source = tmp_path / "huge.json"
    source.write_bytes(b" " * (1024 * 1024 + 1))
    code, _out, err = gq(capsys, "progress", "import", str(source))
    assert code == 1 and "larger than 1 MB" in err


# -- 7.4 / R2: a failed write never deletes the set it replaces -----------------------------------


MY_NOTES = """\
id: capitals
title: My capitals
language: en
questions:
  - id: q1
    type: true_false
    prompt: Paris is the capital of France
    answer: true
"""


@pytest.fixture
def failing_writes(monkeypatch: pytest.MonkeyPatch, quiz_home: Path) -> None:
    """Writes into the user's questions folder fail as on a full disk (backups still work)."""
    real = install.atomic_write

    def atomic_write(path: Path, data: bytes) -> None:
        if path.parent == quiz_home / "questions" and path.suffix == ".yaml":
            raise OSError(errno.EFBIG, "File too large")
        real(path, data)

    monkeypatch.setattr(install, "atomic_write", atomic_write)
    monkeypatch.setattr(authoring, "atomic_write", atomic_write)


def _my_notes(quiz_home: Path) -> Path:
    (quiz_home / "questions").mkdir(exist_ok=True)
    path = quiz_home / "questions" / "my-notes.yaml"
    path.write_text(MY_NOTES, encoding="utf-8")
    return path


def test_7_4_add_replace_write_error_keeps_the_old_set(
    quiz_home: Path, tmp_path: Path, failing_writes: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """7.4 (R2): `add --replace` whose write fails leaves the old set where it was, and says so."""
    old = _my_notes(quiz_home)
    new = tmp_path / "capitals-v2.yaml"
    new.write_text(MY_NOTES.replace("My capitals", "Capitals v2"), encoding="utf-8")
    code, _out, err = gq(capsys, "add", str(new), "--replace")
    assert code == 1
    assert "File too large" in err and f"{old} was left as it was" in err
    assert old.read_text(encoding="utf-8") == MY_NOTES
    _code, out, _err = gq(capsys, "list")
    assert "My capitals" in out


def test_7_4_import_over_a_user_set_write_error_keeps_it(
    quiz_home: Path, tmp_path: Path, failing_writes: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """7.4 (R2): `import bank.gift` over the user's set `bank` keeps it when the write fails."""
    old = _my_notes(quiz_home)
    old.write_text(MY_NOTES.replace("capitals", "bank"), encoding="utf-8")
    gift = tmp_path / "bank.gift"
    gift.write_text("::q1::Paris is in France {T}\n", encoding="utf-8")
    code, _out, err = gq(capsys, "import", str(gift))
    assert code == 1 and "was left as it was" in err
    assert old.exists() and "bank" in old.read_text(encoding="utf-8")


def test_7_4_add_replace_removes_the_old_file_only_after_writing(
    quiz_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """7.4 (R2): a good `add --replace` still replaces the set (one file holds the id)."""
    old = _my_notes(quiz_home)
    new = tmp_path / "capitals-v2.yaml"
    new.write_text(MY_NOTES.replace("My capitals", "Capitals v2"), encoding="utf-8")
    assert gq(capsys, "add", str(new), "--replace")[0] == 0
    assert not old.exists()
    assert "Capitals v2" in (quiz_home / "questions" / "capitals.yaml").read_text()


async def test_7_4_add_sets_screen_write_error_keeps_the_old_set(
    quiz_home: Path, tmp_path: Path, failing_writes: None
) -> None:
    """7.4 (R2): the same in the app's Add sets screen."""
    from gmmp_quiz.sets.loading import discover_sets
    from gmmp_quiz.ui.app import QuizApp
    from gmmp_quiz.ui.screens.add_sets import AddSetsScreen

    old = _my_notes(quiz_home)
    old.write_text(MY_NOTES.replace("capitals", "bank"), encoding="utf-8")
    gift = tmp_path / "bank.gift"
    gift.write_text("::q1::Paris is in France {T}\n", encoding="utf-8")
    with ProgressStore.open(quiz_home, backup=False) as store:
        app = QuizApp(discover_sets(), store, lang="en", seed=1, reload=lambda: discover_sets())
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("a")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, AddSetsScreen)
            assert screen.import_path(str(gift)) is False
            await pilot.pause()
    assert old.exists() and "bank" in old.read_text(encoding="utf-8")


def test_other_set_file_backups_are_pruned(
    quiz_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Other observations: set-file backups are pruned like the progress backups."""
    gift = tmp_path / "bank.gift"
    gift.write_text("::q1::Paris is in France {T}\n", encoding="utf-8")
    for _ in range(install.KEEP_BACKUPS + 3):
        assert gq(capsys, "import", str(gift))[0] == 0
    kept = list((quiz_home / "backups").glob("bank.*.yaml"))
    assert len(kept) == install.KEEP_BACKUPS


# -- the export mutated field by field (hypothesis) ---------------------------------------------


def _source_export(tmp: Path) -> dict[str, Any]:
    """A real export: answers with FSRS cards, a session and settings, from another home."""
    from datetime import UTC, datetime, timedelta

    from gmmp_quiz.grading import Rating
    from gmmp_quiz.scheduling import review

    # Later than the answers of `home`: the imported states win the merge.
    start = datetime(2026, 12, 1, 9, tzinfo=UTC)
    with ProgressStore.open(tmp, backup=False) as store:
        session = store.start_session("demo", "quiz", start.isoformat())
        cards: dict[str, Any] = {}
        for i in range(4):
            when = start + timedelta(days=i, minutes=7 * i)
            q = f"q{1 + i % 2}"
            cards[q] = review(cards.get(q), Rating.GOOD if i % 2 else Rating.AGAIN, when)
            record = attempt(i, at=when.isoformat(), q=q)
            store.record(Attempt(**{**record.to_dict(), "session_id": session}), card=cards[q])
        store.end_session(session, start.isoformat(), answered=4, correct=2, score=0.5)
        store.set_setting("retention", 0.85)
        store.set_setting("last_set", "demo")
        return export_data(store)


NASTY = [
    None,
    True,
    0,
    -1,
    10**30,
    1e308,
    float("nan"),
    float("inf"),
    -float("inf"),
    "",
    "yesterday",
    "30/11/2026 12:00",
    "2026-11-30T12:00:00",
    "2026-11-30",
    "0001-01-01T00:30:00+01:00",
    "9999-12-31T23:30:00-01:00",
    "2026-11-30T13:00:00+01:00",
    "2026-02-30T12:00:00+00:00",
    "x\x1b]0;OWNED\x07\x1b[2J",
    "line\rover",
    "../../etc/passwd",
    "a" * 5000,
    [],
    {},
    [1, "x", None],
    {"nested": float("nan")},
]


@pytest.fixture(scope="module")
def export_source(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _source_export(tmp_path_factory.mktemp("source"))


def _paths(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Every field of the export's records (and of their cards and last answers), as paths."""
    found: list[tuple[Any, ...]] = [("settings", key) for key in data["settings"]]
    for part in ("states", "attempts", "sessions"):
        for i, item in enumerate(data[part]):
            for key, value in item.items():
                found.append((part, i, key))
                if isinstance(value, dict):
                    found += [(part, i, key, sub) for sub in value]
    return found


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_export_mutated_field_by_field(
    export_source: dict[str, Any],
    home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: st.DataObject,
) -> None:
    """Issue 12: a mutated export is refused with a message, or imported and every command
    starts afterwards with all earlier answers kept."""
    exported = copy.deepcopy(export_source)
    paths = data.draw(st.lists(st.sampled_from(_paths(exported)), min_size=1, max_size=3))
    for path in paths:
        parent: Any = exported
        try:
            for step in path[:-1]:
                parent = parent[step]
            if data.draw(st.booleans(), label="delete"):
                del parent[path[-1]]
            else:
                parent[path[-1]] = data.draw(st.sampled_from(NASTY), label="value")
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced the parent
    case = tmp_path / uuid.uuid4().hex
    shutil.copytree(home, case)
    monkeypatch.setenv("GMMP_QUIZ_HOME", str(case))
    kept = answer_ids(case)
    before = store_files(case)
    source = tmp_path / f"{uuid.uuid4().hex}.json"
    source.write_text(json.dumps(exported), encoding="utf-8")
    code, _out, err = gq(capsys, "progress", "import", str(source))
    if code == 1:
        assert err.startswith(f"gmmp-quiz: {source}: "), err
        assert store_files(case) == before
    else:
        assert code == 0, err
    every_command_starts(capsys)
    code, out, _err = gq(capsys, "doctor")
    assert "repaired" not in out, out
    assert kept <= answer_ids(case)


# -- the app starts too ----------------------------------------------------------------------------


def _run_app(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> tuple[int, list[str]]:
    """`gmmp-quiz ARGV` (the app) headless at 80x24 until its home screen is ready; the toasts."""
    import time

    from gmmp_quiz.ui.app import QuizApp

    shown: list[str] = []

    async def auto_pilot(pilot) -> None:  # type: ignore[no-untyped-def]
        app = pilot.app
        deadline = time.monotonic() + 20
        while not app.ready:
            assert time.monotonic() < deadline, "the app never got ready"
            await pilot.pause(0.02)
        await pilot.pause()
        shown.extend(str(n.message) for n in app._notifications)
        await pilot.press("q")

    run = QuizApp.run
    monkeypatch.setattr(
        QuizApp,
        "run",
        lambda self, **kw: run(self, headless=True, size=(80, 24), auto_pilot=auto_pilot),
    )
    return cli.main(argv), shown


@pytest.mark.parametrize("name", ["card stability abc", "first_seen not a date"])
def test_3_8_app_starts_with_a_bad_stored_record(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """3.8 and 5.2 (R1): the app crashed at every start; it starts and says what was set aside."""
    _edit_state(home, STATE_EDITS[name])
    code, shown = _run_app(monkeypatch, [])
    assert code == 0
    assert any("set aside" in message for message in shown)
    assert "set aside" in capsys.readouterr().err


def test_1_8_app_starts_with_an_unreadable_folder(
    home: Path, locked_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """1.8 (R4): the app died with a traceback before showing anything."""
    code, _shown = _run_app(monkeypatch, ["--questions", str(locked_dir)])
    assert code == 0


def test_records_checked_once_then_trusted(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Store speed: a state file is checked record by record once, not at every open."""
    calls: list[int] = []
    check = ProgressStore._set_aside_bad_records

    def counted(self: ProgressStore) -> bool:
        calls.append(1)
        return check(self)

    monkeypatch.setattr(ProgressStore, "_set_aside_bad_records", counted)
    (pdir(home) / "state.json.checked").unlink()  # as a store written by an older version
    for _ in range(3):
        ProgressStore.open(home, backup=False).close()
    assert len(calls) == 1
    _edit_state(home, lambda data: None)  # rewritten by hand: checked again
    ProgressStore.open(home, backup=False).close()
    assert len(calls) == 2
