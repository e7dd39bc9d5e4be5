"""Snapshot tests: the Add sets screen and the question form at 80x24, in English and French."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import Select, TextArea

from gmmp_quiz.sets.loading import discover_sets
from gmmp_quiz.store.progress import ProgressStore
from gmmp_quiz.ui.app import QuizApp

NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
SIZE = (80, 24)

MY_SET = """\
# My own set.
id: my-set
title: {fr: Ma série, en: My set}
description: {fr: Des questions à moi., en: Questions of my own.}
language: fr
questions:
  - id: capital
    type: short
    prompt: {fr: Capitale du Maroc ?, en: Capital of Morocco?}
    answer: Rabat
"""

BAD_SET = """\
id: broken
title: Broken
language: en
questions:
  - id: q1
    type: choise
    prompt: Which?
  - id: q2
    type: true_false
    prompt: Yes?
    answer: yes
"""


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # A relative home: the paths the screens show are the same on every run.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GMMP_QUIZ_HOME", "home")
    questions = Path("home", "questions")
    questions.mkdir(parents=True)
    (questions / "my-set.yaml").write_text(MY_SET, encoding="utf-8")
    (questions / "broken.yaml").write_text(BAD_SET, encoding="utf-8")
    store = ProgressStore.open(Path("home"), backup=False)
    yield store
    store.close()


def make_app(store: ProgressStore, lang: str) -> QuizApp:
    return QuizApp(
        discover_sets(),
        store,
        lang=lang,
        clock=lambda: NOW,
        seed=3,
        timer=lambda: 0.0,
        reload=lambda: discover_sets(),
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_add_sets(snap_compare, store, lang: str) -> None:
    assert snap_compare(make_app(store, lang), terminal_size=SIZE, press=["a"])


def test_add_sets_invalid_file(snap_compare, store) -> None:
    assert snap_compare(make_app(store, "fr"), terminal_size=SIZE, press=["a", "down"])


def test_question_form_empty(snap_compare, store) -> None:
    assert snap_compare(make_app(store, "en"), terminal_size=SIZE, press=["a", "w"])


async def _choice_filled(pilot) -> None:
    form = pilot.app.screen
    form.query_one("#qf-type", Select).value = "choice"
    await pilot.pause()
    form.query_one("#prompt-fr").value = "Dans quelle ville ?"
    form.query_one("#prompt-en").value = "In which city?"
    form.query_one("#choices-fr", TextArea).text = "* Paris\nRabat\nTanger"
    form.query_one("#choices-en", TextArea).text = "Paris\nRabat\nTangier"
    await pilot.pause()


def test_question_form_choice_fr(snap_compare, store) -> None:
    async def run_before(pilot) -> None:
        await pilot.press("a", "w")
        await _choice_filled(pilot)

    assert snap_compare(make_app(store, "fr"), terminal_size=SIZE, run_before=run_before)


def test_question_preview(snap_compare, store) -> None:
    async def run_before(pilot) -> None:
        await pilot.press("a", "w")
        await _choice_filled(pilot)
        await pilot.press("f2")
        await pilot.pause()

    assert snap_compare(make_app(store, "en"), terminal_size=SIZE, run_before=run_before)
