"""Moodle XML import and export: each kind, weights and feedback per answer, refusals."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from gmmp_quiz.errors import ValidationError
from gmmp_quiz.formats import detect_format, import_file, import_text
from gmmp_quiz.formats.moodlexml_export import export_moodle_xml
from gmmp_quiz.grading import grade
from gmmp_quiz.model import Outcome
from gmmp_quiz.sets.loading import load_text
from gmmp_quiz.sets.templates import template_text
from gmmp_quiz.sets.writer import dump_set

DATA = Path(__file__).parent / "data" / "formats"


@pytest.fixture(scope="module")
def result():
    return import_file(DATA / "moodle_quiz.xml")


def by_id(result, qid: str) -> dict:
    return next(q for q in result.data["questions"] if q["id"] == qid)


def test_every_supported_kind_comes_in_and_passes_the_loader(result):
    qset = load_text(dump_set(result.data), "out.yaml")
    assert result.fmt == "moodle-xml"
    assert qset.title.get() == "Rome"  # the category, not the file name
    kinds = {q["id"]: q["type"] for q in result.data["questions"]}
    assert kinds == {
        "Capital": "choice",
        "Emperors": "multi",
        "republic-first": "true_false",
        "Founder": "short",
        "founding-year": "numeric",
        "Match": "match",
        "Fall": "flashcard",
        "Rivers": "cloze",
    }


def test_weights_and_feedback_stay_with_their_answers(result):
    q = by_id(result, "Capital")
    assert q["prompt"] == "What was the capital of the Roman Empire?"
    assert q["choices"][1] == {"text": "Constantinople", "weight": 50, "feedback": "Later."}
    assert q["explanation"] == "Rome, until 330."
    assert q["tags"] == ["empire"]
    assert by_id(result, "Match")["distractors"] == ["Severan"]
    q = by_id(result, "Founder")
    assert q["alternatives"] == [{"text": "Remus", "weight": 50, "feedback": "His brother."}]
    assert (q["feedback"], q["wrong_feedback"]) == ("Yes.", "Think of the twins.")
    q = by_id(result, "founding-year")
    assert (q["answer"], q["unit"], q["feedback"]) == (753, "BC", "753 BC.")
    assert q["alternatives"] == [
        {"answer": 750, "tolerance": 10, "feedback": "Close.", "weight": 50}
    ]
    loaded = load_text(dump_set(result.data), "out.yaml")
    partial = grade(loaded.question("Capital"), 1)
    assert (partial.outcome, partial.score, partial.feedback) == (Outcome.PARTIAL, 0.5, "Later.")


def test_what_cannot_come_in_is_reported_at_its_line(result):
    notes = {(n.line, n.message.split(":")[0]) for n in result.notes}
    assert (8, "media cannot be shown in a terminal, dropped") in notes
    assert any(n.line == 71 and "description" in n.message for n in result.notes)
    assert any(n.line == 75 and "calculated" in n.message for n in result.notes)
    assert any(n.line == 79 and "'seven' is not a number" in n.message for n in result.notes)
    assert result.skipped == 3


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("<quiz><question type='truefalse'>", "not well-formed XML"),
        ("<?xml version='1.0'?><!DOCTYPE quiz [<!ENTITY a 'b'>]><quiz/>", "DOCTYPE"),
        ("<html><body/></html>", "a <html> document"),
        ("<quiz><question type='description'><questiontext><text>x</text>"
         "</questiontext></question></quiz>", "no question could be imported"),
    ],
)  # fmt: skip
def test_files_that_are_not_moodle_quizzes_are_refused(text, fragment):
    with pytest.raises(ValidationError) as info:
        import_text(text, "q.xml", "moodle-xml")
    assert fragment in str(info.value)


def test_xml_is_detected_by_name_and_by_content():
    assert detect_format("q.xml", "") == "moodle-xml"
    assert detect_format("q.txt", '<?xml version="1.0"?>\n<quiz>') == "moodle-xml"


def without_lines(qset):
    return [dataclasses.replace(q, line=0) for q in qset.questions]


def test_export_then_import_gives_the_same_set():
    qset = load_text(template_text("tpl"), "tpl.yaml")
    again = import_text(export_moodle_xml(qset), "tpl.xml", "moodle-xml", set_id=qset.id)
    assert again.notes == []
    back = load_text(dump_set(again.data), "again.yaml")
    assert back.title == qset.title
    assert without_lines(back) == without_lines(qset)


def test_a_gift_bank_survives_moodle_xml_except_ranges():
    first = load_text(dump_set(import_file(DATA / "all_features.gift").data), "a.yaml")
    again = import_text(export_moodle_xml(first), "a.xml", "moodle-xml", set_id=first.id)
    second = load_text(dump_set(again.data), "b.yaml")
    pairs = list(zip(without_lines(first), without_lines(second), strict=True))
    changed = [a.id for a, b in pairs if a != b]
    # Moodle XML has no ranges: {#1..5} travels as 3 give or take 2, graded the same.
    assert changed == ["pick-a-number-between-1-and-5-c033063d"]
    (q,) = [b for a, b in pairs if a.id in changed]
    assert (q.number, q.tolerance) == (3, 2)


CLOZE = """<?xml version="1.0"?>
<quiz>
  <question type="cloze">
    <name><text>river</text></name>
    <questiontext format="html"><text><![CDATA[<p>The {1:SA:=Seine} flows through
      {2:MC:~Lyon~=Paris~Rome} into the {3:MCV:=Channel~Mediterranean}.</p>]]></text></questiontext>
  </question>
</quiz>
"""


def test_multiple_choice_gaps_stay_choices_and_come_back_from_an_export():
    result = import_text(CLOZE, "c.xml", "moodle-xml", set_id="c")
    (q,) = result.data["questions"]
    assert q["text"] == "The {{Seine}} flows through {{Paris}} into the {{Channel}}."
    assert q["options"] == [None, ["Lyon", "Paris", "Rome"], ["Channel", "Mediterranean"]]
    first = load_text(dump_set(result.data), "c.yaml")
    exported = export_moodle_xml(first)
    assert "{1:MULTICHOICE:Lyon~=Paris~Rome}" in exported
    again = import_text(exported, "d.xml", "moodle-xml", set_id="c")
    second = load_text(dump_set(again.data), "d.yaml")
    assert without_lines(second) == without_lines(first)
