"""Good files load: BOM, CRLF, a minimal and a bilingual set, and the language fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from gmmp_quiz.errors import ValidationError
from gmmp_quiz.model import Kind
from gmmp_quiz.sets.loading import load_set, load_text

GOOD = Path(__file__).parent / "data" / "good"


@pytest.mark.parametrize("name", ["minimal.yaml", "utf8-bom.yaml", "crlf.yaml"])
def test_small_files_load(name: str) -> None:
    qset = load_set(GOOD / name, use_cache=False)
    assert qset.language == "en"
    assert [q.id for q in qset.questions] == ["q1"]
    q = qset.questions[0]
    assert q.prompt.get() == "Who?"  # no BOM, no trailing \r
    assert q.answer.get() == "Joram"
    assert q.line == 5


def test_bom_and_crlf_positions_match_the_plain_file() -> None:
    base = (GOOD / "minimal.yaml").read_text(encoding="utf-8")
    bad = base.replace("answer: Joram", "answer: no")
    for text in (bad, "\ufeff" + bad, bad.replace("\n", "\r\n")):
        with pytest.raises(ValidationError, match=r"<string>:8:13: answer: YAML reads 'no'"):
            load_text(text)


def test_bilingual_set() -> None:
    qset = load_set(GOOD / "bilingual.yaml", use_cache=False)
    assert qset.id == "bilingual"
    assert qset.languages() == ["fr", "en"]
    assert qset.title.get("en") == "Bilingual" and qset.title.get() == "Bilingue"
    assert qset.shuffle is False and qset.strict_accents is True
    assert {q.kind for q in qset.questions} == set(Kind)
    by_id = {q.id: q for q in qset.questions}
    city = by_id["city"]
    assert [c.correct for c in city.choices] == [True, False, False]
    assert city.choices[2].feedback.get("en") == "No."
    assert [c.correct for c in by_id["aims"].choices] == [True, False, True]
    assert by_id["seventh"].truth is True
    assert by_id["cochair"].answer.get() == "no"
    assert "2025-06-25" in by_id["cochair"].alternatives
    assert by_id["number"].number == 7 and by_id["number"].tolerance == 0.5
    assert by_id["letters"].back.get("en") == "Groupe Migratoire Mixte Permanent"
    assert by_id["gaps"].cloze.get("en").startswith("The meeting")
    assert len(by_id["who"].pairs) == 2


def test_language_fallback() -> None:
    qset = load_set(GOOD / "bilingual.yaml", use_cache=False)
    number = next(q for q in qset.questions if q.id == "number")
    # No English prompt: falls back to the set's language (fr).
    assert number.prompt.get("en") == "Quelle plénière ?"
    # A plain string is in the set's language, and serves every language.
    letters = next(q for q in qset.questions if q.id == "letters")
    assert letters.back.values == {"fr": "Groupe Migratoire Mixte Permanent"}
    assert letters.back.get("en") == "Groupe Migratoire Mixte Permanent"


def test_fallback_to_first_given_when_set_language_missing() -> None:
    text = (GOOD / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("prompt: Who?", "prompt: {de: Wer?, pt-BR: Quem?}")
    q = load_text(text).questions[0]
    assert q.prompt.get("fr") == "Wer?"
    assert q.prompt.get("pt-BR") == "Quem?"


def test_shipped_set_loads() -> None:
    shipped = Path(__file__).parents[1] / "questions"
    for path in sorted(shipped.glob("*.y*ml")):
        assert load_set(path, shipped=True, use_cache=False).questions


def test_tab_inside_block_scalar_is_text() -> None:
    text = (GOOD / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("prompt: Who?", "prompt: |\n      Who is\n      \tindented?")
    assert load_text(text).questions[0].prompt.get() == "Who is\n\tindented?\n"


def test_tab_inside_a_value_is_text() -> None:
    text = (GOOD / "minimal.yaml").read_text(encoding="utf-8")
    assert load_text(text.replace("Who?", "Who\tis?")).questions[0].prompt.get() == "Who\tis?"
