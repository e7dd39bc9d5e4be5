"""Shared fixtures: every test gets its own GMMP_QUIZ_HOME."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# The suite gate (CI) draws the same examples every run, so that a red run can be replayed and
# a green one is not luck. `HYPOTHESIS_PROFILE=explore pytest` draws new ones each time.
settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.register_profile("explore", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture(autouse=True)
def quiz_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point GMMP_QUIZ_HOME at a fresh temporary directory for every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("GMMP_QUIZ_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def quick_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pilot tests press keys at machine speed: the quiz's settle time (which drops keys meant
    for the question before) would eat them. The tests of that guard set it back themselves."""
    try:
        from gmmp_quiz.ui.screens.quiz import QuizScreen
    except ImportError:  # a test run without Textual: nothing to speed up
        return
    monkeypatch.setattr(QuizScreen, "SETTLE_S", 0.0)
