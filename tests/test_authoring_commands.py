"""The new, add, import and export commands, run as the user runs them (subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gmmp_quiz.sets.loading import load_set, load_text
from gmmp_quiz.sets.templates import template_text

DATA = Path(__file__).parent / "data" / "formats"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "gmmp_quiz", *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        cwd=cwd,
        timeout=60,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


@pytest.fixture
def questions(quiz_home: Path) -> Path:
    return quiz_home / "questions"


def test_new_writes_a_valid_template_here_then_add_and_validate(questions, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    proc = run("new", "my-set", "--lang", "en", cwd=work)
    assert proc.returncode == 0, proc.stderr
    # Written where the learner is, not among their sets: nothing is asked before `add`.
    path = work / "my-set.yaml"
    assert not (questions / "my-set.yaml").exists()
    assert "gmmp-quiz add" in proc.stdout
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=./question-set.schema.json\n")
    qset = load_set(path)
    assert qset.id == "my-set"
    assert len({q.kind for q in qset.questions}) == 9
    assert (work / "question-set.schema.json").is_file()
    again = run("new", "my-set", cwd=work)
    assert again.returncode == 1
    assert "already exists" in again.stderr
    assert path.read_text(encoding="utf-8") == text
    # validate with no path checks the learner's own sets: none yet, then the added one.
    none_yet = run("validate", "--lang", "en", cwd=work)
    assert none_yet.returncode == 0 and "No sets of your own" in none_yet.stdout
    added = run("add", str(path), cwd=work)
    assert added.returncode == 0, added.stderr
    assert (questions / "my-set.yaml").is_file()
    own = run("validate", cwd=work)
    assert own.returncode == 0 and "my-set.yaml: ok (my-set" in own.stdout
    (questions / "my-set.yaml").write_text("id: my-set\ntitle: x\n", encoding="utf-8")
    broken = run("validate", cwd=work)
    assert broken.returncode == 1 and "my-set.yaml:" in broken.stdout


def test_new_template_follows_the_interface_language(tmp_path):
    sets = {}
    for lang in ("fr", "en"):
        out = tmp_path / f"{lang}.yaml"
        assert run("new", f"tpl-{lang}", "-o", str(out), "--lang", lang).returncode == 0
        sets[lang] = load_set(out)
        assert sets[lang].language == lang
    text = (tmp_path / "fr.yaml").read_text(encoding="utf-8")
    assert "# Une série de questions" in text and "Quelle est la plus grande planète ?" in text
    # The same example of every type in both languages, in the same order.
    kinds = {lang: [q.kind for q in s.questions] for lang, s in sets.items()}
    assert kinds["fr"] == kinds["en"] and len(set(kinds["fr"])) == 9


def test_new_with_output_and_bad_id(tmp_path):
    out = tmp_path / "t.yaml"
    assert run("new", "tpl", "-o", str(out)).returncode == 0
    assert load_set(out).id == "tpl"
    bad = run("new", "bad id!")
    assert bad.returncode == 1
    assert "may use only" in bad.stderr


def test_import_gift_writes_set_notes_and_summary(questions):
    proc = run("import", str(DATA / "all_features.gift"))
    assert proc.returncode == 0, proc.stderr
    assert "22 questions imported, 1 skipped" in proc.stdout
    assert f"{DATA / 'all_features.gift'}:45: a description" in proc.stderr
    qset = load_set(questions / "all-features.yaml")
    assert len(qset.questions) == 22
    ids = [q.id for q in qset.questions]
    # Importing again replaces the set in place, with the same ids, and keeps a backup.
    again = run("import", str(DATA / "all_features.gift"))
    assert again.returncode == 0
    assert [q.id for q in load_set(questions / "all-features.yaml").questions] == ids
    assert list((questions.parent / "backups").glob("all-features.*.yaml"))
    listed = run("list")
    assert "all-features" in listed.stdout


def test_import_options(tmp_path):
    out = tmp_path / "cards.yaml"
    proc = run(
        "import", str(DATA / "plain.tsv"), "--from", "tsv", "-o", str(out), "--id", "animals",
        "--title", "Animals", "--typed", "--language", "fr",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    qset = load_set(out)
    assert (qset.id, qset.title.get(), qset.language) == ("animals", "Animals", "fr")
    assert {q.kind.value for q in qset.questions} == {"short"}


def test_import_to_stdout_and_lang_fallback():
    proc = run("import", str(DATA / "semicolon.csv"), "-o", "-", "--lang", "fr")
    assert proc.returncode == 0, proc.stderr
    qset = load_text(proc.stdout)
    assert qset.language == "fr"
    assert "2 questions importées, 0 ignorées" in proc.stderr  # --lang fr: the interface too


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bad_match.gift", "bad_match.gift:1: matching pair"),
        ("opentdb_no_results.json", "response_code 1"),
    ],
)
def test_import_malformed_exits_1_with_the_line(name, expected, questions):
    proc = run("import", str(DATA / name))
    assert proc.returncode == 1
    assert expected in proc.stderr
    assert not list(questions.glob("*.yaml")) if questions.exists() else True


def test_import_skips_a_malformed_question_imports_the_rest_and_exits_1(questions):
    proc = run("import", str(DATA / "unclosed_brace.gift"))
    assert proc.returncode == 1
    assert "unclosed_brace.gift:1: '{' is never closed" in proc.stderr
    assert "1 malformed question(s) skipped" in proc.stderr
    (q,) = load_set(questions / "unclosed-brace.yaml").questions
    assert q.prompt.get() == "Good question"


def test_import_refuses_files_in_no_known_format(tmp_path, questions):
    prose = tmp_path / "notes.txt"
    prose.write_text("Some notes I took.\nNothing to import here.\n", encoding="utf-8")
    proc = run("import", str(prose))
    assert proc.returncode == 1
    assert "not a format this app imports" in proc.stderr
    other = tmp_path / "quiz.yaml"
    other.write_text("quiz:\n  - q: What?\n    a: That\n", encoding="utf-8")
    assert "convert it" in run("import", str(other)).stderr
    ours = tmp_path / "set.yaml"
    ours.write_text(template_text("mine"), encoding="utf-8")
    assert "use `gmmp-quiz add`" in run("import", str(ours)).stderr
    assert not list(questions.glob("*.yaml")) if questions.exists() else True


def test_import_missing_and_binary_files(tmp_path):
    assert run("import", str(tmp_path / "nope.gift")).returncode == 1
    binary = tmp_path / "x.csv"
    binary.write_bytes(b"\xff\xfe\x00\x01garbage")
    proc = run("import", str(binary))
    assert proc.returncode == 1
    assert "UTF-16" in proc.stderr


def test_import_clash_with_shipped_set_is_refused(tmp_path):
    shipped = load_set(next((Path(__file__).parents[1] / "questions").glob("*.yaml")))
    proc = run("import", str(DATA / "plain.tsv"), "--id", shipped.id)
    assert proc.returncode == 1
    assert "already used" in proc.stderr


def test_usage_errors_exit_2():
    assert run("import", "x.gift", "--from", "xml").returncode == 2
    assert run("export", "x", "--to", "xml").returncode == 2
    assert run("export", "x").returncode == 2


def test_add_validates_copies_and_replaces(tmp_path, questions):
    src = tmp_path / "mine.yaml"
    assert run("new", "mine", "-o", str(src)).returncode == 0
    proc = run("add", str(src))
    assert proc.returncode == 0, proc.stderr
    assert load_set(questions / "mine.yaml").id == "mine"
    clash = run("add", str(src))
    assert clash.returncode == 1
    assert "--replace" in clash.stderr
    src.write_text(src.read_text(encoding="utf-8").replace("title: mine", "title: Mine v2"))
    replaced = run("add", str(src), "--replace")
    assert replaced.returncode == 0, replaced.stderr
    assert load_set(questions / "mine.yaml").title.get() == "Mine v2"
    assert list((questions.parent / "backups").glob("mine.*.yaml"))


def test_add_refuses_an_invalid_file_with_positions(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\ntitle: Bad\nlanguage: en\nquestions:\n  - id: q\n    type: nope\n")
    proc = run("add", str(bad))
    assert proc.returncode == 1
    assert f"{bad}:6:11:" in proc.stderr
    assert "not added" in proc.stderr


def test_export_gift_and_tsv(tmp_path):
    assert run("import", str(DATA / "all_features.gift")).returncode == 0
    gift = run("export", "all-features", "--to", "gift")
    assert gift.returncode == 0, gift.stderr
    assert "::capital-fr::" in gift.stdout
    out = tmp_path / "cards.txt"
    tsv = run("export", "all-features", "--to", "tsv", "-o", str(out))
    assert tsv.returncode == 0, tsv.stderr
    assert out.read_text(encoding="utf-8").startswith("#separator:tab\n")
    missing = run("export", "no-such-set", "--to", "gift")
    assert missing.returncode == 1
    assert "no set 'no-such-set'" in missing.stderr


def test_export_moodle_xml_and_apkg_and_import_them_back(tmp_path):
    assert run("import", str(DATA / "moodle_quiz.xml")).returncode == 1  # one malformed question
    xml = run("export", "moodle-quiz", "--to", "moodle-xml")
    assert xml.returncode == 0, xml.stderr
    assert xml.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert run("export", "moodle-quiz", "--to", "apkg").returncode == 1  # binary: -o needed
    out = tmp_path / "rome.apkg"
    apkg = run("export", "moodle-quiz", "--to", "apkg", "-o", str(out))
    assert apkg.returncode == 0, apkg.stderr
    assert "Capital: its choice form: it becomes a card to grade yourself" in apkg.stderr
    back = run("import", str(out), "-o", str(tmp_path / "back.yaml"))
    assert back.returncode == 0, back.stderr
    assert "8 questions imported, 0 skipped (apkg)" in back.stdout
