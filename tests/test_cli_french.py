"""With --lang fr (or a French locale), the command line speaks French: help, usage, errors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from gmmp_quiz import cli
from gmmp_quiz.i18n import NBSP, current_lang
from gmmp_quiz.progress import ProgressStore

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


# -- The sweep: every kind of user error, in French, without an English word left ---------------

DATA = Path(__file__).parent / "data"
# More words of English prose, looked for in the sweep's error messages (none is French, none
# is a field name of a file that a message may quote bare).
PROSE = ENGLISH | {
    "expecting", "unterminated", "delimiter", "denied", "directory", "such",
    "extra", "character", "number", "whole", "between", "out", "range", "object", "missing",
    "attempt", "record", "cannot", "could", "read", "was", "were", "are", "empty",
    "bad", "error", "failed", "need", "there", "which", "what", "when", "where", "line", "after",
    "before", "into", "been", "does", "did", "be", "it", "its", "by", "while", "parsing",
    "scanning", "find", "allowed", "value", "values", "key", "data", "than", "larger",
    "inside", "package", "database", "malformed", "token", "syntax",
    "element", "closed", "mismatched", "well", "formed", "too", "many", "loop", "links",
    "time", "zone", "system", "stream", "exists",
}  # fmt: skip


def prose_words(text: str) -> set[str]:
    """English words of `text` outside quotes, options, paths and placeholders (see above)."""
    # Quoted words, and ids (set and question ids have dashes or underscores), are no prose.
    text = re.sub(r"«[^»\n]*»|“[^”\n]*”|\S*\w[-_]\w\S*", " ", text)
    words = english_words(text) | {w for w in _bare_words(text) if w.lower() in PROSE}
    return words


def _bare_words(text: str) -> set[str]:
    text = re.sub(r"'[^'\n]*'|`[^`\n]*`|\"[^\"\n]*\"|\{[^}\n]*\}|\[[^\]\n]*\]", " ", text)
    text = re.sub(r"(?<![\w])--?[\w-]+|\b[A-Z][A-Z_]+\b|\S*[/\\.]\S*", " ", text)
    return set(re.findall(r"[A-Za-z_]+", text))


def test_prose_detector() -> None:
    assert prose_words("Expecting value: line 1 column 1 (char 0)") >= {"value", "line"}
    assert prose_words("f.json:1:1: JSON invalide : une valeur est attendue ici") == set()
    assert prose_words("did not find expected key (while parsing a block mapping)")


OPENTDB_ITEM = (
    '{"type": "multiple", "question": "Q?", "correct_answer": "A", "incorrect_answers": ["B"]}'
)


def _package(files: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _export(**changes: object) -> str:
    """A progress export with one answer, its state and its session; `changes` replace parts."""
    import json

    at = "2026-01-02T10:00:00+00:00"
    attempt = {
        "id": "a1", "at": at, "set_id": "s", "question_id": "q", "answer": "x",
        "outcome": "correct", "score": 1.0, "elapsed_s": 2.0, "mode": "quiz",
        "session_id": "", "typo": False, "overridden": False,
    }  # fmt: skip
    state = {
        "set_id": "s", "question_id": "q", "attempts": 1, "correct": 1, "last_answer": "x",
        "last_result": "correct", "last_seen": at, "times_missed": 0, "card": None,
        "known_at": None, "first_seen": at, "last_missed": None, "wrong": [],
        "last_attempt": None,
    }  # fmt: skip
    session = {"id": "s1", "set_id": "s", "start": at, "end": None, "mode": "quiz"}
    parts: dict[str, object] = {
        "attempt": attempt, "state": state, "session": session, "settings": {},
    }  # fmt: skip
    for name, value in changes.items():
        head, _sep, field = name.partition("__")
        if field:
            part = parts[head]
            assert isinstance(part, dict)
            part[field] = value
        else:
            parts[head] = value
    data = {
        "format": "gmmp-quiz-progress", "version": 1, "profile": "default",
        "states": [parts["state"]], "attempts": [parts["attempt"]],
        "sessions": [parts["session"]], "settings": parts["settings"],
    }  # fmt: skip
    return json.dumps(data)


# Files of the sweep, made in a temporary folder: name -> content (text or bytes).
FILES: dict[str, str | bytes] = {
    "broken.json": '{"results": [' + OPENTDB_ITEM + ",",
    "trailing.json": '{"results": [' + OPENTDB_ITEM + ",]}",
    "unquoted.json": "{results: []}",
    "extra.json": "[" + OPENTDB_ITEM + "] []",
    "string.json": '[{"question": "Q\n?"}]',
    "escape.json": '[{"question": "\\q"}]',
    "colon.json": '{"results" []}',
    "code.json": '{"response_code": 1, "results": []}',
    "noitems.json": '{"response_code": 0, "results": []}',
    "badquestion.json": '[{"type": "multiple", "question": 3}]',
    "bad.gift": "::Q1:: What? {=}\n\n::Q2:: How many? {#x}\n\n::Q3:: Open {",
    "bad.csv": "question,answer\n",
    "onecolumn.csv": "just one column\nand another\n",
    "long.csv": "front,back\nq," + "x" * 200_000 + "\n",
    "bad.tsv": "\t\n\t\n",
    "bad-anki.txt": "#separator:tab\n#columns:1\n\t\n",
    "broken.xml": "<?xml version='1.0'?>\n<quiz><question type='multichoice'><name>",
    "noquestion.xml": "<?xml version='1.0'?>\n<quiz></quiz>",
    "badquestion.xml": (
        "<?xml version='1.0'?>\n<quiz><question type='multichoice'><name><text>N</text>"
        "</name><questiontext><text>Q</text></questiontext></question>"
        "<question type='essay'><name><text>E</text></name></question></quiz>"
    ),
    "notzip.apkg": b"not a zip at all",
    "nocollection.apkg": _package({"media": b"{}"}),
    "garbage.apkg": _package({"collection.anki2": b"garbage"}),
    "notsqlite.apkg": _package({"collection.anki21": b"SQLite format 3\x00" + b"\x00" * 200}),
    "plain.txt": "nothing to import here at all",
    "empty.txt": "",
    "set.yaml": "id: s\ntitle: S\nlanguage: fr\nquestions: []\n",
    "other.yaml": "name: x\nitems: [1, 2]\n",
    "progress-broken.json": '{"format": "gmmp-quiz-progress", "version": 1, "states": [',
    "progress-notexport.json": '{"hello": 1}',
    "progress-list.json": "[1, 2]",
    "progress-version.json": '{"format": "gmmp-quiz-progress", "version": 99}',
    "progress-lists.json": '{"format": "gmmp-quiz-progress", "version": 1, "states": 3}',
    "progress-sessions.json": '{"format": "gmmp-quiz-progress", "version": 1, "sessions": 3}',
    "progress-settings.json": '{"format": "gmmp-quiz-progress", "version": 1, "settings": 3}',
    "progress-nan.json": _export(settings={"retention": float("nan")}),
    "progress-notz.json": _export(attempt__at="2026-01-02T10:00:00"),
    "progress-year.json": _export(attempt__at="0001-01-02T10:00:00+00:00"),
    "progress-date.json": _export(attempt__at="yesterday"),
    "progress-missing.json": _export(attempt={"id": "a1", "at": "2026-01-02T10:00:00+00:00"}),
    "progress-outcome.json": _export(attempt__outcome="great"),
    "progress-score.json": _export(attempt__score=7),
    "progress-elapsed.json": _export(attempt__elapsed_s=-1),
    "progress-typo.json": _export(attempt__typo="yes"),
    "progress-id.json": _export(attempt__set_id="bad id"),
    "progress-answer.json": _export(attempt="an answer"),
    "progress-counters.json": _export(state__attempts=-1),
    "progress-state-ids.json": _export(state__set_id=3),
    "progress-state.json": _export(state=[1]),
    "progress-seen.json": _export(state__last_seen="2026-13-01T00:00:00+00:00"),
    "progress-result.json": _export(state__last_result="great"),
    "progress-card.json": _export(state__card="c"),
    "progress-card-state.json": _export(state__card={"state": 9}),
    "progress-card-due.json": _export(state__card={"state": 2, "due": "2026-01-02T10:00"}),
    "progress-card-stab.json": _export(state__card={"state": 2, "stability": -3}),
    "progress-wrong.json": _export(state__wrong="x"),
    "progress-session.json": _export(session__start="soon"),
    "progress-session-obj.json": _export(session=4),
    "progress-session-mode.json": _export(session__mode=""),
    "progress-session-score.json": _export(session__score=-1),
    "progress-setting-name.json": _export(settings={"": 1}),
    "progress-deep.json": '{"format": "gmmp-quiz-progress", "version": 1, "settings": '
    + "[" * 100_000
    + "]" * 100_000
    + "}",
    "latin1.json": '[{"question": "caf\xe9"}]'.encode("latin-1"),
}

T = "{tmp}"
BAD_FIXTURES = sorted(p.name for p in (DATA / "bad").iterdir())
SWEEP: list[tuple[str, ...]] = [
    # validate: every bad fixture, then files that are not there or not files
    *(("validate", str(DATA / "bad" / name)) for name in BAD_FIXTURES),
    ("validate", f"{T}/missing.yaml"),
    ("validate", f"{T}/set.yaml/inside.yaml"),
    ("validate", f"{T}/loop.yaml"),
    ("validate", f"{T}/{'n' * 300}.yaml"),
    ("validate", "/dev/null"),
    ("validate", f"{T}/locked.yaml"),
    # import: every format, broken
    *(("import", f"{T}/{name}", "-o", "-") for name in FILES if not name.startswith("progress")),
    ("import", "--from", "opentdb", f"{T}/bad.gift", "-o", "-"),
    ("import", "--from", "moodle-xml", f"{T}/bad.gift", "-o", "-"),
    ("import", "--from", "apkg", f"{T}/bad.gift", "-o", "-"),
    ("import", "--from", "csv", f"{T}/empty.txt", "-o", "-"),
    ("import", "--from", "gift", f"{T}/plain.txt", "-o", "-"),
    *(("import", path, "-o", "-") for path in (f"{T}/missing.csv", T, f"{T}/locked.gift")),
    ("import", str(DATA / "formats" / "plain.tsv"), "--id", "bad id", "-o", "-"),
    ("import", str(DATA / "formats" / "plain.tsv"), "--language", "x y", "-o", "-"),
    # progress import of broken or invalid exports, and where an export cannot go
    *(("progress", "import", f"{T}/{name}") for name in FILES if name.startswith("progress")),
    *(("progress", "import", f"{T}/{name}") for name in ("broken.json", "latin1.json")),
    ("progress", "import", f"{T}/missing.json"),
    ("progress", "import", T),
    ("progress", "import", f"{T}/locked.json"),
    ("progress", "export", f"{T}/no/such/dir/out.json"),
    ("progress", "export", T),
    ("progress", "export", f"{T}/fifo"),
    ("progress", "import", f"{T}/fifo"),
    ("import", f"{T}/fifo", "-o", "-"),
    ("import", str(DATA / "formats" / "plain.tsv"), "-o", f"{T}/fifo"),
    ("export", "gmmp-2025", "--to", "gift", "-o", f"{T}/fifo"),
    ("new", "fine", "-o", f"{T}/fifo"),
    ("validate", f"{T}/fifo"),
    ("progress", "reset"),
    ("progress",),
    # the other commands' user errors
    ("add", f"{T}/missing.yaml"),
    ("add", str(DATA / "bad" / "unknown-key.yaml")),
    ("add", T),
    ("new", "bad id"),
    ("new", "gmmp-2025"),
    ("add", str(DATA.parents[1] / "questions" / "gmmp-2025.yaml")),
    ("import", str(DATA / "formats" / "moodle_quiz.xml"), "-o", f"{T}/out.yaml"),
    ("new", "fine", "-o", f"{T}/set.yaml"),
    ("export", "no-such-set", "--to", "gift"),
    ("export", "no-such-set", "--to", "gift", "--language", "x y"),
    ("export", "gmmp-2025", "--to", "gift", "-o", T),
    ("export", "gmmp-2025", "--to", "apkg", "-o", f"{T}/set.yaml/x.apkg"),
    ("add", f"{T}/locked.yaml"),
    ("add", f"{T}/loop.yaml"),
    ("review", "--days", "-1", "--plain"),
    ("quiz", "no-such-set"),
    ("quiz", "--plain", "no-such-set"),
    ("review", "--set", "no-such-set", "--plain"),
    ("settings", "colour", "red"),
    ("settings", "retention", "5"),
    ("settings", "retention", "x"),
    ("settings", "new_per_day", "-3"),
    ("settings", "requeue", "maybe"),
    ("schema", "-o", f"{T}/no/such/dir/schema.json"),
    ("schema", "-o", T),
    ("--questions", f"{T}/missing", "list"),
    ("--profile", "bad profile!", "stats"),
]
USAGE: list[tuple[str, ...]] = [
    *((command, "--bogus") for command in COMMANDS),
    ("progress", "import"),
    ("progress", "frobnicate"),
    ("import",),
    ("import", "x.csv", "--from", "pdf"),
    ("export", "s"),
    ("export", "s", "--to", "pdf"),
    ("new",),
    ("add",),
    ("quiz", "--count", "many"),
    ("quiz", "--seed", "x"),
    ("quiz", "--plain", "--count", "0", "gmmp-2025"),
    ("review", "--days", "x"),
    ("review", "--plain", "--json"),
    ("serve", "--port", "x"),
    ("settings", "a", "b", "c"),
    ("nope",),
]


@pytest.fixture
def sweep_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sweep's files, plus a symlink loop and files that cannot be read (EACCES)."""
    import builtins
    import errno
    import io
    import os

    for name, content in FILES.items():
        target = tmp_path / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    os.mkfifo(tmp_path / "fifo")
    locked = {str(tmp_path / n) for n in ("locked.yaml", "locked.gift", "locked.json")}
    for name in locked:
        Path(name).write_text("id: x\n", encoding="utf-8")
    real_open = os.open

    # The tests may run as root, whom permissions do not stop: refuse these files by hand.
    def refusing_open(path: object, *args: object, **kwargs: object) -> int:
        if str(path) in locked:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    def refusing_io_open(path: object, *args: object, **kwargs: object) -> object:
        if str(path) in locked:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_io_open(path, *args, **kwargs)  # type: ignore[call-overload]

    real_io_open = io.open
    monkeypatch.setattr(os, "open", refusing_open)
    monkeypatch.setattr(io, "open", refusing_io_open)
    monkeypatch.setattr(builtins, "open", refusing_io_open)
    return tmp_path


def _argv(args: tuple[str, ...], tmp: Path) -> list[str]:
    return [a.replace(T, str(tmp)) for a in args]


@pytest.mark.parametrize("args", SWEEP, ids=" ".join)
def test_every_user_error_is_french(
    capsys: pytest.CaptureFixture[str], sweep_files: Path, args: tuple[str, ...]
) -> None:
    code, out, err = run(capsys, "--lang", "fr", *_argv(args, sweep_files))
    said = out + err
    assert code == 1, said
    assert said.strip(), "a refusal says why"
    assert "Traceback" not in said
    assert prose_words(said) == set(), said


@pytest.mark.parametrize("args", USAGE, ids=" ".join)
def test_every_usage_error_is_french(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    code, out, err = run(capsys, "--lang", "fr", *args)
    assert code == 2, out + err
    assert f"utilisation{NBSP}: gmmp-quiz" in err
    assert prose_words(err) == set(), err


def _damage_state(store_dir: Path, change: object) -> None:
    import json

    path = store_dir / "state.json"
    if isinstance(change, str):
        path.write_text(change, encoding="utf-8")
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    assert callable(change)
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def _bad_session(data: dict[str, dict[str, object]]) -> None:
    data["sessions"]["x"] = {"id": "x", "start": "soon", "set_id": "s"}


def _bad_hours(data: dict[str, dict[str, object]]) -> None:
    data["hours"]["h"] = {"set_id": "s", "hour": "2026-01-01T10", "answers": -1}


def _bad_setting(data: dict[str, dict[str, object]]) -> None:
    data["settings"]["retention"] = {"key": "retention"}


@pytest.mark.parametrize(
    ("damage", "french"),
    [
        ('{"meta": {"store": ', "JSON invalide"),
        ("", "est vide"),
        ('{"meta": {"store": {"schema": "x"}}}', "n’a pas d’en-tête de stockage"),
        ("[1, 2]", "ne contient pas de base de données"),
        (_bad_session, "n’est pas une date ISO avec un fuseau horaire"),
        (_bad_hours, "compteurs de réponses"),
        (_bad_setting, "le réglage retention n’a pas de valeur"),
        ("journal", "enregistrement illisible"),
    ],
    ids=[
        "broken-json",
        "empty",
        "header",
        "not-a-database",
        "session",
        "hours",
        "setting",
        "journal",
    ],
)
def test_doctor_on_a_damaged_store_is_french(
    capsys: pytest.CaptureFixture[str], quiz_home: Path, damage: object, french: str
) -> None:
    """Doctor's repairs, and the store's reasons for them, are French (the app shows the same)."""
    with ProgressStore.open(quiz_home, backup=False) as store:
        store.set_setting("new_per_day", 5)
    store_dir = quiz_home / "progress" / "default"
    if damage == "journal":
        journal = store_dir / "journal.jsonl"
        journal.write_bytes(b"garbage line\n" + journal.read_bytes())
    else:
        _damage_state(store_dir, damage)
    code, out, err = run(capsys, "--lang", "fr", "doctor")
    assert code == 0, err
    assert french in out + err
    assert prose_words(out + err) == set(), out + err


def test_anki_export_notes_are_french(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """What an Anki package cannot carry is said in French too."""
    target = tmp_path / "set.apkg"
    code, _out, err = run(
        capsys, "--lang", "fr", "export", "gmmp-2025", "--to", "apkg", "-o", str(target)
    )
    assert code == 0, err
    assert "elle devient une carte à noter soi-même" in err
    assert prose_words(err) == set(), err


@pytest.fixture
def french() -> Iterator[None]:
    """The command line's language is French for the test, and restored after."""
    from gmmp_quiz.i18n import use_lang

    before = current_lang()
    use_lang("fr")
    yield
    use_lang(before)


def test_every_os_error_is_told_in_french(french: object) -> None:
    """No raw English strerror: the usual errors have French words, the others their name."""
    import errno
    import os

    from gmmp_quiz.files import os_detail, os_reason

    for code in sorted(errno.errorcode):
        english = os.strerror(code)
        said = os_reason(OSError(code, english))
        assert said != english, (code, english)
        assert prose_words(said) == set(), (code, said)
    assert os_reason(OSError(errno.ENOENT, "x")) == "fichier ou dossier introuvable"
    assert os_reason(OSError(errno.ECHILD, "No child processes")) == (
        f"erreur système ECHILD ({errno.ECHILD})"
    )
    assert os_detail(PermissionError(errno.EACCES, "x", "/a/b")) == "/a/b: permission refusée"


@pytest.mark.parametrize(
    "text",
    ["", "{", '{"a"', '{"a":', '{"a":1', '{"a":1,}', "[1,]", '"abc', '"a\x01"', '"\\q"',
     '"\\u12"', "1 2", "[1 2]", "{1:2}", "tru", "\ufeff{}"],
)  # fmt: skip
def test_json_errors_are_french(french: object, text: str) -> None:
    import json

    from gmmp_quiz.files import json_problem_at

    with pytest.raises(json.JSONDecodeError) as info:
        json.loads(text)
    said = json_problem_at("f.json", info.value)
    assert re.match(r"f\.json:\d+:\d+: JSON invalide\u00a0: \S", said), said
    assert prose_words(said) == set(), said
    assert info.value.msg.split()[0] not in said


def test_progress_problems_in_both_languages(french: object) -> None:
    """A record's problem is French under --lang fr; the English stays as it was."""
    from gmmp_quiz.i18n import use_lang
    from gmmp_quiz.progress_check import card_problem, state_problem

    card = {"state": 2, "due": "2026-01-02T10:00"}
    assert (
        card_problem(card) == f"due de la carte{NBSP}: '2026-01-02T10:00' n’a pas de fuseau horaire"
    )
    assert state_problem({"set_id": "s", "question_id": "q", "attempts": -1}) == (
        "attempts doit être un nombre entier >= 0"
    )
    use_lang("en")
    assert card_problem(card) == "card due '2026-01-02T10:00' has no time zone"
    assert state_problem({"set_id": "s", "question_id": "q", "attempts": -1}) == (
        "attempts must be a whole number >= 0"
    )
