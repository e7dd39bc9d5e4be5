"""Export to GIFT and Anki TSV, and round trips through the importers."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from gmmp_quiz.formats import import_file, import_text
from gmmp_quiz.formats.export import export_gift, export_tsv
from gmmp_quiz.model import Kind
from gmmp_quiz.paths import shipped_questions_dir
from gmmp_quiz.sets.loading import load_set, load_text
from gmmp_quiz.sets.templates import template_text
from gmmp_quiz.sets.writer import dump_set

DATA = Path(__file__).parent / "data" / "formats"


def without_lines(qset):
    return [dataclasses.replace(q, line=0) for q in qset.questions]


def test_gift_round_trip_keeps_the_questions():
    first = import_file(DATA / "all_features.gift")
    qset = load_text(dump_set(first.data), "first.yaml")
    gift = export_gift(qset)
    again = import_text(gift, "again.gift", "gift", set_id=qset.id, title=qset.title.get())
    assert [n.message for n in again.notes] == []
    qset2 = load_text(dump_set(again.data), "again.yaml")
    assert without_lines(qset2) == without_lines(qset)
    # And a third time: the export is stable.
    assert export_gift(qset2) == gift


def test_gift_export_escapes_and_feedback():
    qset = load_text(dump_set(import_file(DATA / "all_features.gift").data))
    gift = export_gift(qset)
    assert "::capital-fr::[plain]What is the capital of France? {=Paris#Right, Paris. " in gift
    assert "####Paris has been the capital since 987.}" in gift
    assert "Escapes \\~ \\= \\# \\{ \\} \\: and a backslash \\\\ here.\\nSecond line." in gift
    assert "// [id:moodle-id-7]\n// [tag:Geography]\n// [tag:Europe]\n// [tag:history]" in gift


def template_set():
    return load_text(template_text("tpl"), "tpl.yaml")


def test_every_kind_exports_to_importable_gift():
    qset = template_set()
    assert {q.kind for q in qset.questions} == set(Kind)
    result = import_text(export_gift(qset), "tpl.gift", "gift")
    loaded = load_text(dump_set(result.data))
    kinds = {q.id: q.kind for q in loaded.questions}
    assert kinds["flashcard-example"] is Kind.FLASHCARD  # an essay, its back as feedback
    assert kinds["order-example"] is Kind.MATCH
    assert kinds["cloze-example.gap1"] is Kind.CLOZE
    assert kinds["cloze-example.gap2"] is Kind.CLOZE
    assert loaded.question("cloze-example.gap2").cloze.get() == (
        "The Seine flows through Paris into the {{English Channel|Channel}}."
    )
    multi = loaded.question("multi-example")
    assert [c.correct for c in multi.choices] == [True, True, False, False]
    choice = loaded.question("choice-example")
    assert choice.choices[1].feedback.get() == "Mars is about half the size of the Earth."


def test_tsv_export_is_anki_importable_text():
    qset = template_set()
    tsv = export_tsv(qset)
    assert tsv.startswith("#separator:tab\n#html:false\n#tags column:3\n")
    result = import_text(tsv, "tpl.txt", "anki")
    cards = {q["id"]: q for q in result.data["questions"]}
    assert len(cards) == len(qset.questions)
    assert cards["flashcard-example"]["back"] == "General Import Format Template"
    assert cards["true-false-example"]["back"] == "True"
    assert cards["numeric-example"]["back"] == "1989"
    assert cards["cloze-example"]["front"] == "The Seine flows through [...] into the [...]."
    assert "a) Jupiter" in cards["choice-example"]["front"]
    assert cards["choice-example"]["back"].startswith("Jupiter\n\nJupiter is more")
    assert cards["multi-example"]["tags"] == ["example"]
    load_text(dump_set(result.data))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_shipped_sets_export_in_each_language(lang):
    files = sorted(shipped_questions_dir().glob("*.yaml"))
    if not files:
        pytest.skip("no shipped set yet")
    qset = load_set(files[0])
    for text, fmt in ((export_gift(qset, lang), "gift"), (export_tsv(qset, lang), "anki")):
        result = import_text(text, f"x.{fmt}", fmt, lang=lang)
        load_text(dump_set(result.data))
        assert len(result.data["questions"]) >= len(qset.questions) * 0.9


def test_tsv_round_trip_gives_the_same_cards_back():
    qset = load_text(
        "id: caps\ntitle: Caps\nlanguage: en\nquestions:\n"
        "  - {id: fr, type: flashcard, front: Capital of France?, back: Paris, tags: [europe]}\n"
        "  - {id: it, type: flashcard, front: Capital of Italy?, back: Rome}\n",
        "caps.yaml",
    )
    again = import_text(export_tsv(qset), "caps.txt", "anki", set_id="caps", title="Caps")
    assert again.notes == []
    back = load_text(dump_set(again.data), "back.yaml")
    assert without_lines(back) == without_lines(qset)
