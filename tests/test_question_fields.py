"""The `background` text and the cloze's `any_order` gaps: loading, validation, schema, display."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from gmmp_quiz.errors import ValidationError
from gmmp_quiz.grading import grade
from gmmp_quiz.sets.loading import load_set
from gmmp_quiz.sets.schema import schema
from gmmp_quiz.sets.validation import check_text

HEAD = """\
id: fields
title: {fr: Champs, en: Fields}
language: fr
options:
  shuffle: false
questions:
"""

BACKGROUND = """\
  - id: wali
    type: choice
    prompt: {fr: Quel titre ?, en: Which title?}
    choices: [Wali, Maire]
    answer: Wali
    explanation: {fr: L'article le dit wali., en: The article calls him a wali.}
    background: {fr: Un wali dirige une région., en: A wali heads a region.}
    source: {fr: Introduction, en: Introduction}
"""

CLOZE = """\
  - id: studies
    type: cloze
    text:
      fr: Aux {{{{étudiants}}}} et aux {{{{chercheurs}}}}, pour les {{{{savoirs}}}}.
      en: To {{{{students}}}} and {{{{researchers}}}}, for {{{{knowledge}}}}.
    any_order: {value}
"""


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "fields.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def problems(tmp_path: Path, body: str) -> list[str]:
    with pytest.raises(ValidationError) as info:
        load_set(write(tmp_path, body), use_cache=False)
    return [f"{p.line}:{p.column}: {p.message}" for p in info.value.problems]


# -- background ----------------------------------------------------------------------------


def test_background_is_loaded_as_a_text(tmp_path: Path) -> None:
    question = load_set(write(tmp_path, BACKGROUND), use_cache=False).questions[0]
    assert question.background is not None
    assert question.background.get("en") == "A wali heads a region."
    assert question.background.get("fr") == "Un wali dirige une région."
    assert question.explanation is not None and "wali" in question.explanation.get("en")


def test_background_is_none_when_absent(tmp_path: Path) -> None:
    body = BACKGROUND.replace(
        "    background: {fr: Un wali dirige une région., en: A wali heads a region.}\n", ""
    )
    question = load_set(write(tmp_path, body), use_cache=False).questions[0]
    assert question.background is None


def test_background_languages_count_for_the_question(tmp_path: Path) -> None:
    body = BACKGROUND.replace(
        "en: A wali heads a region.", "en: A wali heads a region., es: Un valí"
    )
    question = load_set(write(tmp_path, body), use_cache=False).questions[0]
    assert "es" in question.languages()


def test_background_must_be_a_text(tmp_path: Path) -> None:
    body = BACKGROUND.replace(
        "{fr: Un wali dirige une région., en: A wali heads a region.}", "[a, b]"
    )
    assert any("background must be a text" in p for p in problems(tmp_path, body))


def test_background_in_the_schema() -> None:
    common = json.dumps(schema())
    assert '"background"' in common
    assert "Good to know" in common


def test_plain_mode_shows_background_after_the_explanation(quiz_home: Path) -> None:
    from gmmp_quiz.cli import build_parser
    from gmmp_quiz.commands.quiz import run_plain_quiz

    (quiz_home / "questions").mkdir(exist_ok=True)
    (quiz_home / "questions" / "fields.yaml").write_text(HEAD + BACKGROUND, encoding="utf-8")
    for lang, label in (("en", "Good to know: "), ("fr", "Pour aller plus loin\u00a0: ")):
        argv = ["quiz", "fields", "--plain", "--seed", "1", "--lang", lang]
        stdout = io.StringIO()
        assert (
            run_plain_quiz(build_parser().parse_args(argv), stdin=io.StringIO("1\n"), stdout=stdout)
            == 0
        )
        out = stdout.getvalue()
        explanation = out.index(
            "The article calls him a wali." if lang == "en" else "L’article le dit wali."
        )
        background = out.index(
            label + ("A wali heads a region." if lang == "en" else "Un wali dirige une région.")
        )
        source = out.index("Source")
        assert explanation < background < source


# -- any_order -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "groups"),
    [("true", ((0, 1, 2),)), ("false", ()), ("[1, 2]", ((0, 1),)), ("[[2, 1]]", ((0, 1),))]
    + [("[[1, 3]]", ((0, 2),))],
)
def test_any_order_forms(tmp_path: Path, value: str, groups: tuple) -> None:
    question = load_set(write(tmp_path, CLOZE.format(value=value)), use_cache=False).questions[0]
    assert question.any_order == groups


def test_any_order_is_graded(tmp_path: Path) -> None:
    question = load_set(write(tmp_path, CLOZE.format(value="[1, 2]")), use_cache=False).questions[0]
    assert grade(question, ["chercheurs", "étudiants", "savoirs"]).correct
    assert grade(question, ["researchers", "students", "knowledge"], lang="en").correct
    assert not grade(question, ["savoirs", "chercheurs", "étudiants"]).correct


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[1, 4]", "12:20: any_order: '4' is not a gap number (1 to 3)"),
        ("[0, 1]", "12:17: any_order: '0' is not a gap number (1 to 3)"),
        ("[1, 1]", "12:20: any_order: gap 1 is listed twice"),
        ("[1]", "12:16: any_order: a group needs at least 2 gap numbers"),
        ("[[1, 2], [2, 3]]", "12:26: any_order: gap 2 is listed twice"),
        ("[1.5, 2]", "12:17: any_order: '1.5' is not a gap number (1 to 3)"),
        ("yes", "12:16: any_order must be true or false, not 'yes'"),
        ("two", "12:16: any_order must be true, false or a list of gap numbers, not 'two'"),
        ("[a, b]", "12:17: any_order gap number must be a number"),
        ("{a: 1}", "12:16: any_order must be true, false or a list of gap numbers"),
    ],
)
def test_any_order_mistakes_are_reported_where_they_are(
    tmp_path: Path, value: str, message: str
) -> None:
    found = problems(tmp_path, CLOZE.format(value=value))
    assert any(p.startswith(message) for p in found), found


def test_any_order_true_needs_as_many_gaps_in_every_language(tmp_path: Path) -> None:
    body = CLOZE.format(value="true").replace(", for {{knowledge}}", "")
    assert any("same number of gaps in every language" in p for p in problems(tmp_path, body))


def test_any_order_only_for_cloze(tmp_path: Path) -> None:
    body = BACKGROUND + "    any_order: true\n"
    assert any("'any_order' is not used by choice questions" in p for p in problems(tmp_path, body))


def test_any_order_in_the_schema() -> None:
    text = json.dumps(schema())
    assert '"any_order"' in text


def test_checked_data_keeps_gap_numbers_from_one() -> None:
    data = check_text(HEAD + CLOZE.format(value="[2, 1]"), "fields.yaml")
    assert data["questions"][0]["any_order"] == [[1, 2]]
