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
