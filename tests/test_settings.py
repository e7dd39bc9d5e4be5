"""Settings: shown and changed from the command line, checked, and used by sessions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gmmp_quiz import settings
from gmmp_quiz.errors import UserError
from gmmp_quiz.store.progress import ProgressStore


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gmmp_quiz", *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )


def test_settings_command_shows_sets_and_refuses(quiz_home: Path) -> None:
    out = cli("settings")
    assert out.returncode == 0
    assert "retention = 0.9" in out.stdout and "new_per_day = 20" in out.stdout
    assert cli("settings", "retention", "0,85").returncode == 0
    assert "retention = 0.85" in cli("settings", "retention").stdout
    for bad in (("retention", "2"), ("new_per_day", "many"), ("requeue", "maybe"), ("nope", "1")):
        done = cli("settings", *bad)
        assert done.returncode == 1, bad
        assert "Traceback" not in done.stderr and done.stderr.startswith("gmmp-quiz: ")
    assert cli("settings", "requeue", "off").returncode == 0
    with ProgressStore.open(quiz_home, backup=False) as store:
        assert settings.value(store, "requeue") is False
        assert settings.value(store, "retention") == pytest.approx(0.85)


def test_value_falls_back_to_the_default(quiz_home: Path) -> None:
    with ProgressStore.open(quiz_home, backup=False) as store:
        store.set_setting("retention", "not a number")
        store.set_setting("new_per_day", -5)
        assert settings.value(store, "retention") == 0.9
        assert settings.value(store, "new_per_day") == 20
    assert settings.value(None, "requeue") is True
    with pytest.raises(UserError):
        settings.parse("retention", "0.5")


ONE = """id: one
title: One
language: en
questions:
  - id: tf
    type: true_false
    prompt: The sky is green.
    answer: false
"""


@pytest.mark.parametrize(("setting", "asked_again"), [("true", True), ("false", False)])
def test_plain_session_follows_the_requeue_setting(
    tmp_path: Path, setting: str, asked_again: bool
) -> None:
    (tmp_path / "one.yaml").write_text(ONE, encoding="utf-8")
    assert cli("settings", "requeue", setting).returncode == 0
    done = subprocess.run(
        [sys.executable, "-m", "gmmp_quiz", "quiz", "one", "--plain"]
        + ["--questions", str(tmp_path), "--lang", "en"],
        input="t\nf\n",
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert ("Question 2/2" in done.stdout) is asked_again
