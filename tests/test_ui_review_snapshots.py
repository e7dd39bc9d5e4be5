"""Snapshots of the missed and stats screens at 80x24, on a scripted history and a fixed clock."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from gmmp_quiz.grading import Rating
from gmmp_quiz.scheduling import review
from gmmp_quiz.sets.loading import Discovery, load_set
from gmmp_quiz.store.progress import Attempt, ProgressStore
from gmmp_quiz.ui.app import QuizApp

ALL_TYPES = Path(__file__).parent / "data" / "ui" / "all-types.yaml"
NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
SIZE = (80, 24)

# Days ago, question, outcome, answer: a streak of three days up to today, with gaps before.
HISTORY = [
    (9, "choice", "wrong", 1),
    (9, "tf", "correct", True),
    (8, "choice", "wrong", 2),
    (5, "short", "wrong", "F. J."),
    (5, "numeric", "correct", 7),
    (5, "multi", "partial", [0]),
    (2, "choice", "wrong", 1),
    (2, "tf", "wrong", False),
    (1, "numeric", "correct", 7),
    (1, "card", "correct", 3),
    (1, "short", "wrong", "Joran"),
    (0, "order", "correct", [0, 1, 2]),
]
RATINGS = {"correct": Rating.GOOD, "wrong": Rating.AGAIN, "partial": Rating.HARD}
SCORES = {"correct": 1.0, "wrong": 0.0, "partial": 0.5}


@pytest.fixture(autouse=True)
def utc_local_time(monkeypatch: pytest.MonkeyPatch):
    """Local days and times as in UTC, whatever the machine's time zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def store(quiz_home: Path):
    store = ProgressStore.open(quiz_home, backup=False)
    cards: dict[str, dict] = {}
    for i, (ago, qid, outcome, answer) in enumerate(HISTORY):
        at = NOW - timedelta(days=ago, hours=1, minutes=i)
        cards[qid] = review(cards.get(qid), RATINGS[outcome], at)
        attempt = Attempt(
            uuid.uuid4().hex,
            at.isoformat(),
            "all-types",
            qid,
            answer,
            outcome,
            SCORES[outcome],
            3.0,
            "quiz",
            "s",
        )
        store.record(attempt, card=cards[qid])
    yield store
    store.close()


def make_app(store: ProgressStore, lang: str = "en", theme: str | None = None) -> QuizApp:
    if theme:
        store.set_setting("theme", theme)
    qset = load_set(ALL_TYPES, use_cache=False)
    return QuizApp(
        Discovery([qset], {}), store, lang=lang, clock=lambda: NOW, seed=3, timer=lambda: 0.0
    )


def open_screen(key: str, *then: str):
    async def run_before(pilot) -> None:
        await pilot.press(key)
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if then:
            await pilot.press(*then)
            await pilot.pause()

    return run_before


def test_missed(snap_compare, store) -> None:
    assert snap_compare(make_app(store), terminal_size=SIZE, run_before=open_screen("m"))


def test_missed_french_light_filtered(snap_compare, store) -> None:
    app = make_app(store, lang="fr", theme="textual-light")
    assert snap_compare(app, terminal_size=SIZE, run_before=open_screen("m", "f", "down"))


def test_stats(snap_compare, store) -> None:
    assert snap_compare(make_app(store), terminal_size=SIZE, run_before=open_screen("t"))


def test_stats_french(snap_compare, store) -> None:
    app = make_app(store, lang="fr")
    assert snap_compare(app, terminal_size=SIZE, run_before=open_screen("t"))
