"""`stats`, `doctor`, `progress export|import` as subprocesses: exit codes, output, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from gmmp_quiz.store.progress import Attempt, ProgressStore

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


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, GMMP_QUIZ_HOME=str(home))
    done = subprocess.run(
        [sys.executable, "-m", "gmmp_quiz", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def attempt(q: str, outcome: str, at: str, set_id: str = "demo") -> Attempt:
    return Attempt(
        id=uuid.uuid4().hex,
        at=at,
        set_id=set_id,
        question_id=q,
        answer=True,
        outcome=outcome,
        score=1.0 if outcome == "correct" else 0.0,
        elapsed_s=1.0,
        mode="quiz",
        session_id="",
    )


@pytest.fixture
def home(quiz_home: Path) -> Path:
    (quiz_home / "questions").mkdir()
    (quiz_home / "questions" / "demo.yaml").write_text(SET_YAML)
    with ProgressStore.open(quiz_home) as store:
        store.record(attempt("q1", "correct", "2026-01-01T00:00:00+00:00"))
        store.record(attempt("q1", "correct", "2026-01-02T00:00:00+00:00"))
        store.record(
            attempt("q2", "wrong", "2026-01-03T00:00:00+00:00"),
            card={"due": "2026-01-04T00:00:00+00:00", "stability": 1.0},
        )
        store.record(attempt("gone", "wrong", "2026-01-03T00:00:00+00:00"))
        store.record(attempt("x", "correct", "2026-01-03T00:00:00+00:00", set_id="lost-set"))
    return quiz_home


def test_stats_json(home: Path) -> None:
    done = run("stats", "--json", home=home)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["totals"] == {"attempts": 5, "correct": 3, "questions_seen": 4}
    demo = data["sets"]["demo"]
    assert demo["questions"] == 2
    assert (demo["seen"], demo["mastered"], demo["due"], demo["missed"]) == (2, 1, 1, 1)
    assert data["orphans"] == 1
    assert data["sets"]["lost-set"]["questions"] is None


def test_stats_text(home: Path) -> None:
    done = run("stats", home=home)
    assert done.returncode == 0, done.stderr
    assert "5 answers, 3 right" in done.stdout and "demo" in done.stdout


def test_stats_and_doctor_in_french(home: Path) -> None:
    stats = run("stats", "--lang", "fr", home=home)
    assert stats.returncode == 0, stats.stderr
    assert "Profil default\u00a0: 5 réponses, 3 justes" in stats.stdout
    assert "maîtrisées" in stats.stdout and "`gmmp-quiz doctor` les liste" in stats.stdout
    doctor = run("doctor", "--lang", "fr", home=home)
    assert doctor.returncode == 0, doctor.stderr
    assert "absentes des séries chargées (gardées)" in doctor.stdout
    assert "demo/gone: 1 réponse(s), question absente de la série" in doctor.stdout
    assert "lost-set/x" in doctor.stdout and "série introuvable" in doctor.stdout


def test_stats_on_an_empty_profile(quiz_home: Path) -> None:
    done = run("stats", "--json", "--profile", "fresh", home=quiz_home)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["totals"]["attempts"] == 0


def test_doctor_reports_orphans_keeps_them_and_is_idempotent(home: Path) -> None:
    first = run("doctor", "--json", home=home)
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    orphans = {(o["set_id"], o["question_id"]) for o in report["orphans"]}
    assert orphans == {("demo", "gone"), ("lost-set", "x")}
    files = {p: p.read_bytes() for p in (home / "progress").rglob("*") if p.is_file()}
    second = run("doctor", "--json", home=home)
    assert json.loads(second.stdout) == report
    assert {p: p.read_bytes() for p in (home / "progress").rglob("*") if p.is_file()} == files
    text = run("doctor", home=home)
    assert text.returncode == 0 and "demo/gone" in text.stdout
    with ProgressStore.open(home) as store:
        assert store.state("demo", "gone") is not None


def test_doctor_reports_a_repair_then_nothing(home: Path) -> None:
    state = home / "progress" / "default" / "state.json"
    state.write_bytes(b"garbage")
    first = run("doctor", "--json", home=home)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["repaired"]
    second = run("doctor", "--json", home=home)
    assert json.loads(second.stdout)["repaired"] == []
    assert json.loads(second.stdout)["attempts"] == 5


def test_export_import_merges_without_duplicates(home: Path, tmp_path: Path) -> None:
    export = tmp_path / "progress.json"
    done = run("progress", "export", str(export), home=home)
    assert done.returncode == 0, done.stderr
    data = json.loads(export.read_text())
    assert data["format"] == "gmmp-quiz-progress" and len(data["attempts"]) == 5

    other = tmp_path / "other"
    with ProgressStore.open(other) as store:
        store.record(attempt("q1", "wrong", "2026-02-01T00:00:00+00:00"))
    done = run("progress", "import", str(export), home=other)
    assert done.returncode == 0, done.stderr
    assert "Imported 5 answer(s)" in done.stdout
    assert list((other / "backups" / "progress-default").glob("*-import"))
    again = run("progress", "import", str(export), home=other)
    assert again.returncode == 0 and "Nothing new" in again.stdout
    with ProgressStore.open(other) as store:
        assert len(list(store.attempts())) == 6
        q1 = store.state("demo", "q1")
        assert q1 is not None and (q1.attempts, q1.correct, q1.last_result) == (3, 2, "wrong")
        q2 = store.state("demo", "q2")
        assert q2 is not None and q2.card is not None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"format": "other"}', "not a gmmp-quiz progress export"),
        (b'{"format": "gmmp-quiz-progress", "version": 99}', "not supported"),
        (
            b'{"format": "gmmp-quiz-progress", "version": 1, "attempts": [{"id": "x"}]}',
            "attempts[0]",
        ),
    ],
)
def test_import_bad_files(home: Path, tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    done = run("progress", "import", str(bad), home=home)
    assert done.returncode == 1 and message in done.stderr


def test_errors_are_messages(home: Path, tmp_path: Path) -> None:
    done = run("progress", "import", str(tmp_path / "missing.json"), home=home)
    assert done.returncode == 1 and "cannot read" in done.stderr
    done = run("progress", home=home)
    assert done.returncode == 1
    done = run("stats", "--profile", "../x", home=home)
    assert done.returncode == 1 and "invalid profile" in done.stderr


def test_locked_profile_is_a_clear_error(home: Path) -> None:
    with ProgressStore.open(home):
        done = run("stats", home=home)
    assert done.returncode == 1 and "already open" in done.stderr


def test_reset_needs_yes_and_backs_up(home: Path) -> None:
    done = run("progress", "reset", home=home)
    assert done.returncode == 1 and "--yes" in done.stderr
    done = run("progress", "reset", "--set", "demo", "--yes", home=home)
    assert done.returncode == 0, done.stderr
    assert list((home / "backups" / "progress-default").glob("*-reset"))
    data = json.loads(run("stats", "--json", home=home).stdout)
    assert data["sets"]["demo"]["seen"] == 0 and data["totals"]["attempts"] == 1
