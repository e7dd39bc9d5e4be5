"""Snapshot tests: the look of every screen and question type at 80x24, light and dark."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from gmmp_quiz.sets.loading import Discovery, load_set
from gmmp_quiz.store.progress import ProgressStore
from gmmp_quiz.ui.app import QuizApp

ALL_TYPES = Path(__file__).parent / "data" / "ui" / "all-types.yaml"
NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
SIZE = (80, 24)

# Keys that answer each question (the set is not shuffled, so positions are fixed).
ANSWERS = {
    "choice": ["2"],
    "multi": ["1", "enter"],
    "tf": ["t"],
    "short": [*"frederic jorram", "enter"],
    "numeric": ["8", "enter"],
    "cloze": [*"Paris", "tab", *"july", "enter"],
    "order": ["shift+down", "enter"],
    "match": ["1", "a", "2", "b", "enter"],
    "card": ["space", "3"],
}


@pytest.fixture
def store(quiz_home: Path):
    store = ProgressStore.open(quiz_home, backup=False)
    yield store
    store.close()


def make_app(
    store: ProgressStore, lang: str = "en", theme: str | None = None, path: Path = ALL_TYPES
) -> QuizApp:
    qset = load_set(path, use_cache=False)
    if theme:
        store.set_setting("theme", theme)
    return QuizApp(
        Discovery([qset], {}), store, lang=lang, clock=lambda: NOW, seed=3, timer=lambda: 0.0
    )


def one_question(qid: str):
    async def run_before(pilot) -> None:
        app = pilot.app
        qset = app.discovery.sets[0]
        app.start_session([(qset, qset.question(qid))])
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_home(snap_compare, store, theme) -> None:
    assert snap_compare(make_app(store, theme=theme), terminal_size=SIZE)


@pytest.mark.parametrize("qid", list(ANSWERS))
def test_question_before(snap_compare, store, qid) -> None:
    assert snap_compare(make_app(store), terminal_size=SIZE, run_before=one_question(qid))


@pytest.mark.parametrize("qid", list(ANSWERS))
def test_question_after(snap_compare, store, qid) -> None:
    assert snap_compare(
        make_app(store), terminal_size=SIZE, run_before=one_question(qid), press=ANSWERS[qid]
    )


def test_question_french_light(snap_compare, store) -> None:
    app = make_app(store, lang="fr", theme="textual-light")
    assert snap_compare(
        app, terminal_size=SIZE, run_before=one_question("short"), press=["x", "enter"]
    )


def test_summary(snap_compare, store) -> None:
    async def run_before(pilot) -> None:
        app = pilot.app
        qset = app.discovery.sets[0]
        app.start_session([(qset, qset.question("choice")), (qset, qset.question("tf"))])
        await pilot.pause()

    press = ["2", "enter", "t", "enter", "s"]
    app = make_app(store)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before, press=press)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_help(snap_compare, store, lang) -> None:
    assert snap_compare(make_app(store, lang=lang), terminal_size=SIZE, press=["question_mark"])


# -- every size, both languages, both themes ------------------------------------------------

SIZES = [(60, 20), (80, 24), (160, 48)]
LONG = Path(__file__).parent / "data" / "ui" / "long.yaml"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_long_choice_feedback_at_every_size(snap_compare, store, size, lang, theme) -> None:
    """Five long options and a four-line explanation, answered wrong: the verdict, both
    answers, the explanation and the source in view (or said to be below)."""
    app = make_app(store, lang=lang, theme=theme, path=LONG)
    assert snap_compare(app, terminal_size=size, run_before=one_question("choice"), press=["3"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_home_at_every_size(snap_compare, store, size, lang) -> None:
    assert snap_compare(make_app(store, lang=lang), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_multi_question_at_every_size(snap_compare, store, size) -> None:
    """Long options wrap in full, ticks read as [x] / [ ]."""
    app = make_app(store, path=LONG)
    assert snap_compare(app, terminal_size=size, run_before=one_question("multi"), press=["2"])
