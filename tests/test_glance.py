"""The figures' basis kept for the next start: the same figures as the store gives, at any later
time, and never used once the store or a set file changed."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from answers import answer

from gmmp_quiz.glance import (
    LATEST,
    Glance,
    SetBasis,
    glance_path,
    read_glance,
    save_glance,
    set_file_signatures,
)
from gmmp_quiz.model import Kind, LText, Question, QuestionSet, SetFigures
from gmmp_quiz.stats import figure_basis, set_figures
from gmmp_quiz.store.progress import ProgressStore

NOW = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)  # 09:00 in Paris


def q(qid: str) -> Question:
    return Question(id=qid, kind=Kind.SHORT, prompt=LText.plain(qid), answer=LText.plain("x"))


SET_A = QuestionSet(
    id="a", title=LText.plain("A"), language="und", questions=tuple(q(f"q{i}") for i in range(6))
)
SET_B = QuestionSet(id="b", title=LText.plain("B"), language="und", questions=(q("p1"), q("p2")))


@pytest.fixture
def paris(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The local time zone is Paris (the day's new questions are counted in local days)."""
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def record(
    store: ProgressStore, at: datetime, set_id: str, qid: str, outcome: str, due: str
) -> None:
    attempt = answer(set_id, qid, outcome, at.isoformat())
    stability = 30.0 if outcome == "correct" else 1.0
    card = {"state": 2, "step": None, "stability": stability, "difficulty": 5.0, "due": due}
    store.record(attempt, card=card)


def history(home: Path) -> ProgressStore:
    """A store with answers over two days: due dates before and after NOW, misses, new today."""
    store = ProgressStore.open(home, backup=False)
    yesterday, earlier = NOW - timedelta(days=1), NOW - timedelta(hours=2)
    record(store, yesterday, "a", "q0", "correct", "2026-03-20T10:00:00+00:00")
    record(store, yesterday, "a", "q1", "wrong", "2026-03-10T07:00:00+00:00")  # due at NOW
    record(store, earlier, "a", "q2", "wrong", "2026-03-10T12:00:00.000001+00:00")
    record(store, earlier, "a", "q3", "correct", "2026-03-10T12:00:00+00:00")
    record(store, earlier, "b", "p1", "correct", "2026-03-11T23:30:00+00:00")
    return store


@pytest.mark.usefixtures("paris")
@pytest.mark.parametrize(
    "later",
    [
        timedelta(0),
        timedelta(hours=4),  # 12:00 UTC: q3 due, q2 a microsecond later
        timedelta(hours=4, microseconds=1),  # both
        timedelta(hours=15),  # 00:00 the 11th in Paris: today's new questions start again
        timedelta(days=30),  # everything due
    ],
)
def test_the_basis_gives_the_stores_figures_at_any_later_time(
    quiz_home: Path, later: timedelta
) -> None:
    with history(quiz_home) as store:
        states = store.states()
    basis = figure_basis([SET_A, SET_B], states, NOW, new_per_day=5)
    # Computed from the states at that time, as the loader does, and from the kept basis.
    assert basis.figures(NOW + later) == set_figures([SET_A, SET_B], states, NOW + later, 5)


@pytest.mark.usefixtures("paris")
def test_the_figures_from_the_basis_are_the_hand_counted_ones(quiz_home: Path) -> None:
    with history(quiz_home) as store:
        basis = figure_basis([SET_A, SET_B], store.states(), NOW, new_per_day=5)
    a = basis.figures(NOW)["a"]
    assert (a.questions, a.seen, a.mastered, a.missed, a.due) == (6, 4, 2, 2, 1)
    assert a.next_due == datetime(2026, 3, 10, 12, tzinfo=UTC)
    assert a.new == 2  # 5 a day, 3 first seen today (q2, q3 and p1)
    after = basis.figures(NOW + timedelta(hours=4))["a"]
    assert after.due == 2 and after.next_due == datetime(2026, 3, 10, 12, 0, 0, 1, tzinfo=UTC)
    tomorrow = basis.figures(NOW + timedelta(hours=15))  # past midnight in Paris
    assert tomorrow["a"].new == 2 and tomorrow["b"] == SetFigures(
        2, seen=1, mastered=1, due=0, next_due=datetime(2026, 3, 11, 23, 30, tzinfo=UTC), new=1
    )


def kept(tmp_path: Path) -> tuple[Glance, Path, list[str]]:
    store_dir = tmp_path / "progress" / "default"
    store_dir.mkdir(parents=True)
    (store_dir / "state.json").write_text("{}")
    (store_dir / "journal.jsonl").write_text("")
    (store_dir / "lock").write_text("")
    set_file = tmp_path / "a.yaml"
    set_file.write_text("id: a\n")
    glance = Glance({"a": SetBasis(6, 4, 2, 2, (1, 5, 9))}, 20, "2026-03-10", 3)
    return glance, store_dir, set_file_signatures([str(set_file)])


def test_a_glance_kept_is_read_back_while_nothing_changed(tmp_path: Path) -> None:
    glance, store_dir, files = kept(tmp_path)
    path = glance_path(tmp_path / "cache", "default")
    save_glance(path, glance, store_dir, files)
    assert read_glance(path, store_dir) == glance
    (store_dir / "lock").write_text("taken")  # the next run's lock: no progress in it
    assert read_glance(path, store_dir) == glance


@pytest.mark.parametrize(
    "change",
    [
        "journal appended",
        "state rewritten",
        "store file added",
        "store file removed",
        "set file edited",
        "set file removed",
        "damaged",
        "another format",
        "unsorted due dates",
        "not a number",
        "a due time out of range",
        "more seen than questions",
        "more due times than seen",
        "nested too deep",
        "another version",
    ],
)
def test_a_glance_is_not_used_once_something_changed(tmp_path: Path, change: str) -> None:
    glance, store_dir, files = kept(tmp_path)
    path = glance_path(tmp_path / "cache", "default")
    save_glance(path, glance, store_dir, files)
    data = json.loads(path.read_text())
    if change == "journal appended":
        with (store_dir / "journal.jsonl").open("a") as journal:
            journal.write("{}\n")
    elif change == "state rewritten":
        (store_dir / "state.json").write_text('{"x": 1}')
    elif change == "store file added":
        (store_dir / "sealed.1-1.jsonl.zst").write_bytes(b"x")
    elif change == "store file removed":
        (store_dir / "journal.jsonl").unlink()
    elif change == "set file edited":
        Path(files[0][0]).write_text("id: a\ntitle: other\n")
    elif change == "set file removed":
        Path(files[0][0]).unlink()
    elif change == "damaged":
        path.write_text(path.read_text()[:40])
    elif change == "another format":
        path.write_text(json.dumps({**data, "format": data["format"] + 1}))
    elif change == "unsorted due dates":
        data["sets"]["a"][4] = [9, 5, 1]
        path.write_text(json.dumps(data))
    elif change == "not a number":
        data["sets"]["a"][1] = "4"
        path.write_text(json.dumps(data))
    elif change == "a due time out of range":  # (figures would fail to make a date of it)
        data["sets"]["a"][4] = [1, 5, LATEST + 1]
        path.write_text(json.dumps(data))
    elif change == "more seen than questions":  # (a negative count of new questions)
        data["sets"]["a"][1] = 7
        path.write_text(json.dumps(data))
    elif change == "more due times than seen":
        data["sets"]["a"][4] = list(range(5))
        path.write_text(json.dumps(data))
    elif change == "nested too deep":
        path.write_text("[" * 100_000 + "]" * 100_000)
    elif change == "another version":
        path.write_text(json.dumps({**data, "version": "0.0.1"}))
    assert read_glance(path, store_dir) is None


def test_a_set_file_edited_after_the_sets_were_read_makes_the_glance_unused(
    tmp_path: Path,
) -> None:
    # The signatures are taken as the sets are read: an edit made later in the run (the
    # figures still counting the old file) is caught at the next start.
    glance, store_dir, files = kept(tmp_path)
    Path(files[0][0]).write_text("id: a\nquestions: []\n")  # edited after it was read
    path = glance_path(tmp_path / "cache", "default")
    save_glance(path, glance, store_dir, files)
    assert path.is_file() and read_glance(path, store_dir) is None


def test_a_glance_that_cannot_be_made_removes_the_older_one(tmp_path: Path) -> None:
    glance, store_dir, files = kept(tmp_path)
    path = glance_path(tmp_path / "cache", "default")
    save_glance(path, glance, store_dir, files)
    assert path.exists()
    (store_dir / "journal.jsonl").unlink()
    os.symlink(store_dir / "gone", store_dir / "journal.jsonl")  # its signature cannot be taken
    save_glance(path, glance, store_dir, files)
    assert not path.exists()


def test_the_glance_holds_only_while_this_run_changed_nothing(quiz_home: Path) -> None:
    from gmmp_quiz.ui.services import Services

    glance = Glance({"a": SetBasis(6, 4, 2, 2)}, 20, "2026-03-10", 3)
    services = Services("en", lambda: NOW, None, None, None, glance=glance)
    assert services.glance_figures([("a", 6)]) is not None  # before the store is open
    with ProgressStore.open(quiz_home, backup=False) as store:
        services.opened, services.opened_revision = store, store.revision
        assert services.glance_figures([("a", 6)]) is not None
        store.set_setting("new_per_day", 5)  # a change made in this run: not in the glance
        assert services.glance_figures([("a", 6)]) is None


def test_covers_asks_for_every_set_with_its_count() -> None:
    glance = Glance({"a": SetBasis(6), "b": SetBasis(2)}, 20, "2026-03-10", 0)
    assert glance.covers([("a", 6), ("b", 2)]) and glance.covers([("a", 6)])
    assert not glance.covers([("a", 7)]) and not glance.covers([("a", 6), ("c", 1)])


def test_nothing_is_counted_at_exit_while_the_loader_still_counts(quiz_home: Path) -> None:
    from gmmp_quiz.sets.loading import Discovery
    from gmmp_quiz.ui.services import Services

    with ProgressStore.open(quiz_home, backup=False) as store:
        services = Services("en", lambda: NOW, store, Discovery([SET_A, SET_B], {}), None)
        services.figures_pending = True  # the loader's count is still on its way
        assert services.current_basis() is None
        services.figures_pending = False
        basis = services.current_basis()  # counted now, as the app leaves
        assert basis is not None and basis.revision == store.revision
        assert basis.glance.sets["a"] == SetBasis(6)
