"""Moodle GIFT import: every feature of the fixture, line numbers, malformed files."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from gmmp_quiz.errors import ValidationError
from gmmp_quiz.formats import import_file, import_text
from gmmp_quiz.model import Kind
from gmmp_quiz.sets.loading import load_text
from gmmp_quiz.sets.writer import dump_set

DATA = Path(__file__).parent / "data" / "formats"


@pytest.fixture(scope="module")
def result():
    return import_file(DATA / "all_features.gift")


def by_prompt(result, start: str) -> dict:
    for q in result.data["questions"]:
        text = q.get("prompt") or q.get("text") or q.get("front")
        if text.startswith(start):
            return q
    raise AssertionError(f"no question starting with {start!r}")


def notes_at(result, line: int) -> list[str]:
    return [n.message for n in result.notes if n.line == line]


def test_output_passes_the_loader(result):
    qset = load_text(dump_set(result.data), "out.yaml")
    assert qset.id == "all-features"
    assert qset.title.get() == "Europe"  # the first category's last part
    assert qset.language == "en"
    assert len(qset.questions) == 22
    kinds = {q.kind for q in qset.questions}
    assert kinds == {Kind.CHOICE, Kind.MULTI, Kind.TRUE_FALSE, Kind.SHORT, Kind.NUMERIC,
                     Kind.MATCH, Kind.CLOZE, Kind.FLASHCARD}  # fmt: skip


def test_dump_has_schema_line_first(result):
    assert dump_set(result.data).splitlines()[0].startswith("# yaml-language-server: $schema=")


def test_multiple_choice_with_feedback_title_and_category(result):
    q = by_prompt(result, "What is the capital of France?")
    assert q["id"] == "capital-fr"  # the ::title:: is the id
    assert q["type"] == "choice"
    assert q["answer"] == "Paris"
    assert q["choices"][0] == {"text": "Paris", "feedback": "Right, Paris."}
    assert q["choices"][2] == "Berlin"
    assert q["explanation"] == "Paris has been the capital since 987."
    assert q["tags"] == ["Geography", "Europe"]


def test_weighted_multiple_answers_tab_indented(result):
    q = by_prompt(result, "Which of these are prime")
    assert q["type"] == "multi"
    assert q["choices"] == [
        {"text": "2", "weight": 50},
        {"text": "3", "weight": 50},
        {"text": "4", "weight": -100},
        {"text": "9", "weight": -100},
    ]
    assert q["answers"] == ["2", "3"]
    q = by_prompt(result, "Which are colours")
    assert q["answers"] == ["red", "green", "blue"]  # %33.33333% is right, %0% is wrong
    assert q["choices"][3] == {"text": "cat", "weight": 0}  # costs nothing, as written


def test_true_false_forms_and_feedback(result):
    q = by_prompt(result, "The sun is a star")
    assert q["answer"] is True
    # {T#if wrong#if right}: each feedback stays with its answer, none becomes the explanation.
    assert q["feedback"] == "Right: a G-type star."
    assert q["wrong_feedback"] == "Wrong: it is a star."
    assert "explanation" not in q
    assert by_prompt(result, "The moon")["answer"] is False
    assert by_prompt(result, "Two is odd")["answer"] is False
    assert by_prompt(result, "Water is wet")["answer"] is True


def test_short_answer_weights_and_feedback_are_kept(result):
    q = by_prompt(result, "Name the capital of Italy")
    assert q["type"] == "short"
    assert q["answer"] == "Rome"
    assert q["alternatives"] == [
        {"text": "Roma", "weight": 50},
        {"text": "Milan", "weight": 0, "feedback": "Milan is not the capital."},
    ]
    assert "explanation" not in q
    assert notes_at(result, 23) == []


def test_numerical_forms(result):
    q = by_prompt(result, "When was Ulysses")
    assert (q["answer"], q["tolerance"]) == (1822, 5)
    q = by_prompt(result, "Pick a number")
    assert q["answer"] == [1, 5] and "tolerance" not in q  # the range as written
    q = by_prompt(result, "Grant was born")
    assert q["answer"] == 1822 and "tolerance" not in q
    assert q["feedback"] == "Exactly right."
    assert q["alternatives"] == [
        {"answer": 1822, "tolerance": 2, "feedback": "Close enough.", "weight": 50}
    ]
    assert notes_at(result, 29) == []


def test_matching(result):
    q = by_prompt(result, "Match the countries")
    assert q["pairs"] == [
        {"left": "Canada", "right": "Ottawa"},
        {"left": "Italy", "right": "Rome"},
        {"left": "Japan", "right": "Tokyo"},
    ]


def test_missing_word_choice_and_cloze(result):
    q = by_prompt(result, "Moodle costs")
    assert q["type"] == "choice"
    assert q["prompt"] == "Moodle costs _____ to download."
    assert q["answer"] == "nothing"
    q = by_prompt(result, "The capital of Germany")
    assert q == {**q, "type": "cloze", "text": "The capital of Germany is {{Berlin}} on the Spree."}


def test_escapes(result):
    q = by_prompt(result, "Escapes")
    assert q["prompt"] == "Escapes ~ = # { } : and a backslash \\ here.\nSecond line."
    assert q["answer"] == "a:b"
    assert q["alternatives"] == ["c=d"]


def test_html_and_markdown(result):
    q = by_prompt(result, "An HTML")
    assert q["prompt"] == "An HTML question with & entities\nand a break"
    assert any("@@PLUGINFILE@@/map.png" in n for n in notes_at(result, 39))
    assert by_prompt(result, "A **markdown**")["answer"] == "md"


def test_skipped_items_are_reported_with_their_line(result):
    assert any("description" in n for n in notes_at(result, 45))
    assert result.skipped == 1


def test_an_essay_is_a_card_to_grade_yourself(result):
    q = by_prompt(result, "Write an essay")
    assert q["type"] == "flashcard"
    assert any("essay" in n for n in notes_at(result, 43))
    r = import_text("Discuss Rome. {####Mention the empire and the republic.}\n", "e.gift", "gift")
    q = r.data["questions"][0]
    assert (q["front"], q["back"]) == ("Discuss Rome.", "Mention the empire and the republic.")


def test_embedded_moodle_cloze(result):
    q = by_prompt(result, "_____ is the capital of France.")
    assert (q["type"], q["choices"], q["answer"]) == ("choice", ["London", "Paris"], "Paris")
    assert any("imported as a choice" in n for n in notes_at(result, 47))
    r = import_text(
        "The {1:SA:=Seine~%50%seine river#fb} flows through {2:SHORTANSWER:=Paris} "
        "and {3:NM:=1:0.5} {4:MC:~x~=y}.\n\nA {1:MR:~a~=b} text\n\nMixed {1:SA:=a} and {=b}\n",
        "x.gift",
        "gift",
    )
    (q,) = r.data["questions"]
    assert q["text"] == "The {{Seine|seine river}} flows through {{Paris}} and {{1}} {{y}}."
    assert q["options"] == [None, None, None, ["x", "y"]]  # the choice gap keeps its choices
    messages = [n.message for n in r.notes]
    assert "feedback inside embedded cloze answers dropped" in messages
    assert any("with MR: not supported" in m for m in messages)
    assert any("mixed with cloze parts" in m for m in messages)
    assert r.skipped == 2


def test_moodle_id_and_tag_comments(result):
    q = by_prompt(result, "Who painted")
    assert q["id"] == "moodle-id-7"
    assert q["tags"] == ["Geography", "Europe", "history"]
    assert q["alternatives"] == ["Leonardo"]


def test_duplicates_get_deterministic_ids(result):
    dups = [q for q in result.data["questions"] if q.get("prompt") == "A duplicated question?"]
    assert [q["id"] for q in dups] == [dups[0]["id"], dups[0]["id"] + "-2"]
    assert dups[0]["tags"] == ["Science"]
    assert any("duplicate" in n for n in notes_at(result, 57))


def test_same_file_same_ids(result):
    again = import_file(DATA / "all_features.gift")
    assert [q["id"] for q in again.data["questions"]] == [q["id"] for q in result.data["questions"]]


def test_crlf_bom_and_mixed_line_ends(tmp_path, result):
    text = (DATA / "all_features.gift").read_text(encoding="utf-8")
    crlf = tmp_path / "crlf.gift"
    crlf.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert import_file(crlf).data["questions"] == result.data["questions"]
    lines = text.split("\n")
    mixed = "".join(line + ("\r\n", "\n", "\r")[i % 3]
                    for i, line in enumerate(lines))  # fmt: skip
    other = import_text(mixed, "mixed.gift", "gift")
    assert other.data["questions"] == result.data["questions"]
    assert [n.line for n in other.notes] == [n.line for n in result.notes]


def test_blank_line_inside_braces_is_tolerated():
    r = import_text("Long question {\n=a\n\n~b\n}\n\nNext {T}\n", "x.gift", "gift")
    assert [q["type"] for q in r.data["questions"]] == ["choice", "true_false"]


def test_several_full_answers_are_each_right_as_in_moodle():
    r = import_text("Season? {=spring =summer =winter ~easter}", "x.gift", "gift")
    q = r.data["questions"][0]
    assert q["type"] == "choice" and q["answer"] == "spring"
    assert q["choices"] == [
        "spring",
        {"text": "summer", "weight": 100},
        {"text": "winter", "weight": 100},
        "easter",
    ]
    assert r.notes == []


def test_single_answer_partial_credit_is_kept():
    r = import_text("Pick {=a ~%50%b#Half. ~c}", "x.gift", "gift")
    q = r.data["questions"][0]
    assert q["answer"] == "a"
    assert q["choices"][1] == {"text": "b", "weight": 50, "feedback": "Half."}
    assert r.notes == []


@pytest.mark.parametrize(
    ("name", "line", "fragment"),
    [
        ("unclosed_brace.gift", 1, "never closed"),
        ("bad_number.gift", 3, "not a number"),
        ("bad_match.gift", 1, "no '->'"),
    ],
)
def test_malformed_files_name_the_line(name, line, fragment):
    # As Moodle's "continue past errors": the good questions come in, each bad one is reported.
    try:
        result = import_file(DATA / name)
    except ValidationError as exc:
        problems = exc.problems
        assert "no question could be imported" in str(exc)
    else:
        problems = result.notes
        assert result.skipped == 1
        assert len(result.data["questions"]) == 1
    problem = problems[0]
    assert problem.line == line
    assert fragment in problem.message
    assert problem.path.endswith(name)


@pytest.mark.parametrize(
    "text",
    ["just prose\n\nand more prose\n", "", "Q {~a ~b}\n", "Q {=x -> }\n", "A } here\n"],
)
def test_files_without_questions_are_errors(text):
    with pytest.raises(ValidationError) as info:
        import_text(text, "none.gift", "gift")
    assert "no question could be imported" in str(info.value)


def test_a_stray_closing_brace_skips_its_question_only():
    r = import_text("OK {T}\n\nA } here\n", "x.gift", "gift")
    assert [q["prompt"] for q in r.data["questions"]] == ["OK"]
    assert (r.notes[0].line, r.skipped) == (3, 1)
    assert "'}' without '{'" in r.notes[0].message


def test_a_missing_word_prompt_is_reported_once():
    # The prompt is read as a cloze sentence first, then as a short answer's text: one note each.
    r = import_text('Bell\x07 <img src="a.png"> rings {=a} here.\n', "x.gift", "gift")
    assert [n.message for n in r.notes] == [
        "removed 1 control character(s)",
        "media cannot be shown in a terminal, dropped: a.png",
    ]


def test_control_characters_are_removed_and_reported():
    r = import_text("Bell\x07 and \u202eevil {=ok}", "x.gift", "gift")
    assert r.data["questions"][0]["prompt"] == "Bell and evil"
    assert "control character" in r.notes[0].message
    load_text(dump_set(r.data))


def test_many_unmatched_braces_are_answered_by_one_pass():
    # Probe 6.2: each block starting with '}' re-counted the braces of the whole merged block.
    text = "Q " + "{" * 3000 + "\n\n" + "}\n\n" * 3000
    with pytest.raises(ValidationError):
        import_text(text, "f.gift", "gift")


def test_an_embedded_cloze_of_many_parts_keeps_every_gap_in_place():
    parts = "".join(f"w{i} {{1:SA:=a{i}}} " for i in range(3000))
    q = import_text(f"Fill: {parts}\n", "f.gift", "gift").data["questions"][0]
    assert q["type"] == "cloze"
    assert q["text"].startswith("Fill: w0 {{a0}} w1 {{a1}}")
    assert q["text"].count("{{") == 3000
    assert "w2999 {{a2999}}" in q["text"]


def gift(text: str) -> list[dict]:
    return import_text(text, "x.gift", "gift").data["questions"]


def test_format_markers_apply_to_each_text_and_html_comments_and_links_are_handled():
    (q,) = gift(
        '[html]<p>See <a href="https://x.org/a">the page</a><!-- a <b>note</b> --> now</p> {\n'
        "  =[html]<b>bold</b> answer#[plain]<b> stays as typed\n"
        "  ~wrong\n"
        "}\n"
    )
    assert q["prompt"] == "See the page (https://x.org/a) now"
    assert q["choices"][0] == {"text": "bold answer", "feedback": "<b> stays as typed"}


def test_inline_comments_never_change_the_type():
    (tf, choice) = gift(
        "It is true. {T} // the ~ and = here mean nothing\n\n"
        "Pick. {\n  =a // right ~ one\n  ~b // wrong\n}\n"
    )
    assert (tf["type"], tf["answer"]) == ("true_false", True)
    assert (choice["choices"], choice["answer"]) == (["a", "b"], "a")


def test_numeric_wrong_answer_feedback_and_moodle_catch_all_feedback():
    numeric, short = gift("How many? {#3:2~#Count again.}\n\nCapital? {=Paris#Yes. =%0%*#No.}\n")
    assert (numeric["answer"], numeric["tolerance"]) == (3, 2)
    assert numeric["wrong_feedback"] == "Count again."
    assert (short["feedback"], short["wrong_feedback"]) == ("Yes.", "No.")
    assert "alternatives" not in short


def test_a_range_keeps_the_numbers_as_written():
    (q,) = gift("Pi? {#3.141..3.142}\n")
    assert q["answer"] == [3.141, 3.142]
    loaded = load_text(dump_set(import_text("Pi? {#3.141..3.142}\n", "x.gift", "gift").data))
    from gmmp_quiz.grading import expected_answer

    assert expected_answer(loaded.questions[0]) == "3.141 to 3.142"


def test_two_answer_blocks_become_a_cloze_with_two_gaps():
    r = import_text(
        "The {=cat =kitten} sat on the {=mat}.\n\nA {=x} b {~y =z}.\n", "x.gift", "gift"
    )
    (q,) = r.data["questions"]
    assert q["text"] == "The {{cat|kitten}} sat on the {{mat}}."
    assert r.skipped == 1
    assert "not all of them plain typed answers" in r.notes[-1].message


def test_one_bad_question_does_not_block_the_file():
    r = import_text("Good {=a}\n\nBad {#many}\n\nAlso good {T}\n", "x.gift", "gift")
    assert [q["prompt"] for q in r.data["questions"]] == ["Good", "Also good"]
    assert (r.skipped, r.notes[0].line) == (1, 3)
    assert "not a number" in r.notes[0].message


def test_a_star_in_a_short_answer_is_a_wildcard():
    r = import_text("Name? {=John Smith =%50%Jo*#Which Jo? =\\*star\\*}\n", "x.gift", "gift")
    (q,) = r.data["questions"]
    assert q["answer"] == "John Smith"
    assert q["alternatives"] == [
        {"text": "Jo*", "weight": 50, "feedback": "Which Jo?", "wildcard": True},
        "*star*",  # an escaped star is a star
    ]
    loaded = load_text(dump_set(r.data)).questions[0]
    from gmmp_quiz.grading import grade

    assert (grade(loaded, "jonathan").score, grade(loaded, "jonathan").feedback) == (
        0.5,
        "Which Jo?",
    )
    assert grade(loaded, "John Smith").score == 1.0
    assert grade(loaded, "*star*").score == 1.0
    assert grade(loaded, "Mary").score == 0.0


def test_weights_and_feedback_survive_an_export_and_import():
    from gmmp_quiz.formats.export import export_gift

    text = (
        "Capital? {=Paris#Yes. ~%50%Lyon#Half. ~Rome}\n\n"
        "Primes? {~%50%2 ~%50%3 ~%-100%4#No. ~%0%1}\n\n"
        "Sun? {T#It is.#Right.}\n\n"
        "Born? {=Bethlehem#Yes. =%25%Judea#Region. =%0%*#No.}\n\n"
        "Pi? {#=3.141..3.142#Yes. =%50%3.14:0.005#Close. ~#No.}\n\n"
        "Discuss Rome. {####The empire.}\n"
    )
    first = load_text(dump_set(import_text(text, "x.gift", "gift").data), "x.yaml")
    again = import_text(export_gift(first), "y.gift", "gift", set_id=first.id, title="X")
    assert again.notes == []
    second = load_text(dump_set(again.data), "y.yaml")
    strip = [q.__class__(**{**q.__dict__, "line": 0}) for q in first.questions]
    assert [q.__class__(**{**q.__dict__, "line": 0}) for q in second.questions] == strip


def test_the_shapes_of_moodles_own_gift_tests_import_whole():
    r = import_file(DATA / "moodle_shapes.gift")
    qs = {q["id"]: q for q in r.data["questions"]}
    assert list(qs) == ["E1", "Planets", "C2", "mix", "N5", "Pets", "T1", "3-01-abc", "3-01-abc-2"]
    assert [p["left"] for p in qs["Planets"]["pairs"]] == [
        "The largest planet.",
        "The planet with the most visible rings.",
        "The red planet.",
        "The planet **we** live on.",
    ]
    assert qs["Planets"]["distractors"] == ["Pluto"]  # a right side with no left is kept
    assert qs["C2"]["choices"][1] == {"text": "purple", "feedback": "no, that is red and blue"}
    assert qs["C2"]["choices"][2] == {"text": "orange", "feedback": "no, that is red and yellow"}
    assert qs["mix"]["choices"][3] == {"text": "white", "weight": -100, "feedback": "no"}
    assert (qs["N5"]["answer"], qs["N5"]["tolerance"]) == (5, 4)
    assert qs["N5"]["wrong_feedback"] == "Not between 1 and 9"
    # Text after the braces makes a missing-word question, as in Moodle (which writes the blank).
    assert qs["N5"]["prompt"] == 'Name a whole number from 1 to 9. _____";'
    assert qs["Pets"]["wrong_feedback"] == "Dogs bark."
    assert qs["T1"]["answer"] is False
    assert (qs["T1"]["feedback"], qs["T1"]["wrong_feedback"]) == (
        "Right, 100 °C.",
        "It boils at 100 °C.",
    )
    assert qs["T1"]["explanation"] == "At sea level, 100 °C."
    assert [n.line for n in r.notes] == [5, 45]
    assert r.skipped == 0
    load_text(dump_set(r.data))


def test_comments_after_the_title_the_stem_and_the_answers_are_dropped():
    (q,) = gift(
        "// [tag:alpha]\n::Q Title:: // after the title\n"
        "This sentence is false. // after the stem\n"
        "{ // before the answer\n    F // after the answer\n}\n// at the end\n"
    )
    assert (q["type"], q["prompt"], q["answer"]) == ("true_false", "This sentence is false.", False)
    assert q["tags"] == ["alpha"]


def test_feedback_over_several_lines_loses_the_files_indentation():
    (q,) = gift("Year? {#\n  =1822:0 #Right.\n  =%50%1822:2 #Born in 1822.\n     Close.\n}")
    assert q["alternatives"][0]["feedback"] == "Born in 1822.\nClose."
    assert q["feedback"] == "Right."


def test_preformatted_html_keeps_its_lines_and_indentation():
    (q,) = gift(
        "::Q1::[html]<p>What does it print?</p>\n<pre>\n  f() \\{\n    g();\n  \\}\n</pre>\n{}"
    )
    assert q["front"] == "What does it print?\n\n  f() {\n    g();\n  }"


def test_wildcards_and_stars_survive_gift_and_moodle_xml_exports():
    from gmmp_quiz.formats.export import export_gift
    from gmmp_quiz.formats.moodlexml_export import export_moodle_xml

    text = "Name? {=John Smith =%50%Jo*#Which Jo? =\\\\*star\\\\*}\n\nWho? {=A* =Anne}\n"
    first = load_text(dump_set(import_text(text, "x.gift", "gift").data), "x.yaml")
    for exported, fmt in ((export_gift(first), "gift"), (export_moodle_xml(first), "moodle-xml")):
        again = import_text(exported, f"y.{fmt}", fmt, set_id=first.id)
        second = load_text(dump_set(again.data), "y.yaml")
        assert [dataclasses.replace(q, line=0) for q in second.questions] == [
            dataclasses.replace(q, line=0) for q in first.questions
        ], fmt


def test_a_file_of_descriptions_says_so_not_that_it_is_no_gift_file():
    with pytest.raises(ValidationError) as info:
        import_text("[markdown] Read this first.\n\nAnd this.\n", "d.gift", "gift")
    messages = [p.message for p in info.value.problems]
    assert messages[0] == "no question could be imported: each of the 2 item(s) found was skipped"
    assert [p.line for p in info.value.problems[1:]] == [1, 3]
