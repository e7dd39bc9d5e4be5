"""Shared fixtures: every test gets its own GMMP_QUIZ_HOME."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def quiz_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point GMMP_QUIZ_HOME at a fresh temporary directory for every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("GMMP_QUIZ_HOME", str(home))
    return home
