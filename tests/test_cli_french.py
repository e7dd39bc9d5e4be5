"""With --lang fr (or a French locale), the command line speaks French: help, usage, errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gmmp_quiz import cli
from gmmp_quiz.i18n import NBSP, current_lang
from gmmp_quiz.store.progress import ProgressStore

# English words that have no business in a French message. Option names, metavars, set ids,
# YAML keys and quoted values are removed first: they are the same in every language.
ENGLISH = {
    "the", "and", "of", "to", "with", "is", "not", "show", "print", "file", "default",
    "usage", "error", "write", "only", "must", "help", "exit", "missed", "this", "from",
    "your", "you", "or", "set", "sets", "cannot", "no", "found", "invalid", "choice",
    "expected", "required", "unrecognized", "positional", "unknown",
    "needs", "has", "mapping", "among", "choices", "should", "mean",
}  # fmt: skip
COMMANDS = [
    *("list", "validate", "schema", "quiz", "stats", "doctor", "progress", "review"),
    *("new", "add", "import", "export", "settings", "serve"),
]


def english_words(text: str) -> set[str]:
    text = re.sub(r"'[^'\n]*'|`[^`\n]*`|\"[^\"\n]*\"|\{[^}\n]*\}|\[[^\]\n]*\]", " ", text)
    text = re.sub(r"(?<![\w])--?[\w-]+|\b[A-Z][A-Z_]+\b|\S*[/\\.]\S*", " ", text)
    return {w for w in re.findall(r"[A-Za-z_]+", text) if w in ENGLISH}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_detector_finds_english() -> None:
    assert english_words("check the file, or print it") == {"the", "file", "or", "print"}
    assert english_words("vérifier le fichier 'the file' --print SET_ID") == set()


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_is_french(capsys: pytest.CaptureFixture[str], command: str | None) -> None:
    argv = ["--lang", "fr", *([command] if command else []), "--help"]
    code, out, _err = run(capsys, *argv)
    assert code == 0
    assert out.startswith(f"utilisation{NBSP}: gmmp-quiz")
    assert "afficher cette aide et quitter" in out
    assert english_words(out) == set(), out


def test_help_headings_have_french_spacing(capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _err = run(capsys, "--lang", "fr", "progress", "export", "--help")
    assert f"arguments positionnels{NBSP}:" in out
    _code, out, _err = run(capsys, "--lang", "en", "progress", "export", "--help")
    assert "positional arguments:" in out


@pytest.mark.parametrize(
    ("argv", "french"),
    [
        (["validate", "--bogus"], "arguments non reconnus"),
        (["quiz", "--count", "x"], "pas un nombre entier"),
        (["quiz", "--mode", "soon"], "choix invalide"),
        (["progress", "export"], "ces arguments sont obligatoires"),
        (["nope"], "choix invalide"),
    ],
)
def test_usage_errors_are_french(
    capsys: pytest.CaptureFixture[str], argv: list[str], french: str
) -> None:
    code, _out, err = run(capsys, "--lang", "fr", *argv)
    assert code == 2
    assert f"utilisation{NBSP}: gmmp-quiz" in err
    assert f"erreur{NBSP}: " in err
    assert french in err
    assert english_words(err) == set(), err


@pytest.mark.parametrize(
    ("argv", "french"),
    [
        (["quiz", "no-such-set"], "aucune série de questions"),
        (["settings", "retention", "5"], "doit être entre 0.7 et 0.99"),
        (["settings", "retention", "x"], "doit être un nombre"),
        (["settings", "colour", "red"], "réglage inconnu"),
        (["progress", "reset"], "ajoutez --yes"),
        (["new", "bad id"], "ne peut contenir que"),
        (["validate", "no/such/file.yaml"], "fichier ou dossier introuvable"),
        # Writing where no file can be: a message, not a traceback.
        (["schema", "-o", "/no/such/dir/schema.json"], "impossible d’écrire"),
    ],
)
def test_cli_errors_are_french(
    capsys: pytest.CaptureFixture[str], argv: list[str], french: str
) -> None:
    code, out, err = run(capsys, "--lang", "fr", *argv)
    assert code == 1
    assert french in out + err
    assert english_words(out + err) == set(), out + err


BAD_SET = """\
id: bad
title: 1
language: fr
questions:
  - id: q1
    type: choice
    prompt: Quoi ?
    choices: [a, b, a]
    answer: c
    colour: red
  - id: q1
    type: numeric
    prompt: Combien ?
    answer: [3, 1]
  - id: q3
    type: cloze
    text: Pas de trou
  - id: q4
    type: short
    prompt: 12
    answer: yes
"""


def test_validator_problems_are_french(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_SET, encoding="utf-8")
    code, out, err = run(capsys, "--lang", "fr", "validate", str(path))
    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) >= 6, out
    for line in lines:
        # PATH:LINE:COL: message keeps its shape; the message is French.
        assert re.match(rf"{re.escape(str(path))}:\d+:\d+: \S", line), line
        assert english_words(line.split(": ", 1)[1]) == set(), line
    assert "clé inconnue 'colour'" in out
    assert "problème" in err
    # And in English without --lang (the tests' locale is not French).
    code, out, _err = run(capsys, "--lang", "en", "validate", str(path))
    assert "unknown key 'colour'" in out


def test_french_locale_without_lang(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    code, out, _err = run(capsys, "--help")
    assert code == 0
    assert out.startswith(f"utilisation{NBSP}: ")


def test_language_is_restored_after_a_run(capsys: pytest.CaptureFixture[str]) -> None:
    before = current_lang()
    run(capsys, "--lang", "fr", "--help")
    assert current_lang() == before
    import argparse

    parser = argparse.ArgumentParser(prog="p")
    assert parser.format_usage().startswith("usage: ")


def test_doctor_says_its_repair_in_french(
    capsys: pytest.CaptureFixture[str], quiz_home: Path
) -> None:
    """The store's warnings are translated: a torn last journal record, repaired by doctor."""
    with ProgressStore.open(quiz_home, backup=False) as store:
        store.set_setting("new_per_day", 5)
    journal = quiz_home / "progress" / "default" / "journal.jsonl"
    good = journal.read_bytes()
    journal.write_bytes(good + b'{"s":99,"op":"set","k":"new_per')
    code, out, err = run(capsys, "--lang", "fr", "doctor")
    assert code == 0, err
    assert "Le dernier enregistrement de" in out
    assert "octets, en cours d’écriture à l’arrêt de gmmp-quiz" in out
    assert "incomplete" not in out + err
    assert journal.read_bytes() == good
    # The next run has nothing left to repair, and English stays as it was.
    code, out, _err = run(capsys, "doctor")
    assert code == 0 and "incomplete" not in out and "Le dernier" not in out
