"""Anki text exports and CSV/TSV import: headers, separators, quoting, line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from gmmp_quiz.errors import ValidationError
from gmmp_quiz.formats import detect_format, import_file, import_text
from gmmp_quiz.sets.loading import load_text
from gmmp_quiz.sets.writer import dump_set

DATA = Path(__file__).parent / "data" / "formats"


def load(result):
    return load_text(dump_set(result.data), "out.yaml")


def test_anki_export_with_every_header():
    r = import_file(DATA / "anki_export.txt")
    assert r.fmt == "anki"
    qs = {q["id"]: q for q in r.data["questions"]}
    assert list(qs) == ["g1", "g2", "g3", "g4"]  # ids from the guid column
    assert qs["g1"] == {
        "id": "g1",
        "type": "flashcard",
        "front": "Capital of France?",
        "back": "Paris\non the Seine !",
        "tags": ["geo", "france", "Geography::Europe"],
    }
    # #html:true: source line breaks inside quoted fields are spaces, as Anki shows them.
    assert qs["g2"]["front"] == "A front on two lines"
    assert qs["g2"]["back"] == 'A back with "quotes" and a second line'
    assert qs["g3"] == {
        "id": "g3",
        "type": "cloze",
        "text": "{{Paris}} is the capital of {{France}}.",
        "explanation": "Back extra info",
        "tags": ["geo", "Geography"],
    }
    assert qs["g4"]["front"] == "An image"
    notes = [(n.line, n.message) for n in r.notes]
    assert (11, "cloze hints (::hint) dropped") in notes
    assert any(line == 12 and "eiffel.jpg" in m for line, m in notes)
    assert any(line == 12 and "[sound:tour.mp3]" in m for line, m in notes)
    assert any(line == 13 and "without a back" in m for line, m in notes)
    assert r.skipped == 1
    assert len(load(r).questions) == 4


def test_csv_with_header_row_and_multiline_field():
    r = import_file(DATA / "header_comma.csv")
    qs = r.data["questions"]
    assert [(q["front"], q["back"], q.get("tags")) for q in qs] == [
        ("Hello", "Bonjour", ["fr", "greeting"]),
        ("One, two", "Un deux", None),
        ("Multi\nline", "Multi ligne", ["fr"]),
    ]
    load(r)


def test_semicolon_csv_with_question_answer_header():
    r = import_file(DATA / "semicolon.csv")
    assert [(q["front"], q["back"]) for q in r.data["questions"]] == [
        ("Qui est là ?", "Moi"),
        ("Capitale de la France ?", "Paris"),
    ]


def test_plain_tsv_and_typed():
    r = import_file(DATA / "plain.tsv", typed=True, lang="fr")
    assert r.data["language"] == "fr"
    assert r.data["questions"][0] == {
        "id": r.data["questions"][0]["id"],
        "type": "short",
        "prompt": "dog",
        "answer": "chien",
    }
    load(r)


def test_typed_keeps_long_backs_as_flashcards():
    r = import_text("a\t" + "x" * 200 + "\nb\tshort\n", "t.tsv", "tsv", typed=True)
    assert [q["type"] for q in r.data["questions"]] == ["flashcard", "short"]
    assert "too long to type" in r.notes[0].message


def test_line_numbers_are_where_records_start():
    text = '#separator:comma\n"a\nb\nc",x\n\nbad only one field\n"d",\n'
    r = import_text(text, "f.csv", "csv")
    assert len(r.data["questions"]) == 1
    assert [(n.line, n.message) for n in r.notes] == [
        (6, "a card without a back: skipped"),
        (7, "a card without a back: skipped"),
    ]


@pytest.mark.parametrize(
    ("separator", "char"),
    [("tab", "\t"), ("comma", ","), ("semicolon", ";"), ("pipe", "|"), ("Tab", "\t"), (":", ":")],
)
def test_separator_directive_wins(separator, char):
    back = "back" + "".join(c + "x" for c in "\t,;|:" if c != char)
    r = import_text(f"#separator:{separator}\nfront{char}{back}\n", "f.txt", "anki")
    q = r.data["questions"][0]
    assert (q["front"], q["back"]) == ("front", back)


def test_columns_directive_names_the_columns():
    text = "#separator:tab\n#columns:Tags\tBack\tFront\tExtra\nt1 t2\tB\tF\tmore\n"
    q = import_text(text, "f.txt", "anki").data["questions"][0]
    assert (q["front"], q["back"], q["tags"], q["explanation"]) == ("F", "B", ["t1", "t2"], "more")


def test_global_tags_deck_and_html_false():
    text = "#separator:tab\n#html:false\n#tags:imported\n#deck:Lang::French\n<b>x</b>\ty&amp;\n"
    r = import_text(text, "f.txt", "anki")
    q = r.data["questions"][0]
    assert (q["front"], q["back"]) == ("<b>x</b>", "y&amp;")  # html:false means literal text
    assert q["tags"] == ["imported", "Lang::French"]
    assert r.data["title"] == "French"


def test_unnamed_extra_columns_are_reported():
    r = import_text("a,b,c\nd,e,f\n", "f.csv", "csv")
    assert "column(s) 3 not imported" in r.notes[0].message
    # The columns left out are not read for anything: no tags, deck or id from them.
    assert all(q.keys() == {"id", "type", "front", "back"} for q in r.data["questions"])


def test_short_rows_read_the_missing_fields_as_empty():
    r = import_text(
        "#tags column:4\n#guid column:5\nf1\tb1\nf2\tb2\tx\tgeo\tcard-2\n", "f.tsv", "tsv"
    )
    first, second = r.data["questions"]
    assert "tags" not in first and first["id"] != "card-2"
    assert (second["tags"], second["id"]) == (["geo"], "card-2")


def test_same_content_same_ids_and_duplicates_reported():
    text = "a\tb\na\tb\n"
    r1 = import_text(text, "f.tsv", "tsv")
    r2 = import_text(text, "f.tsv", "tsv")
    ids = [q["id"] for q in r1.data["questions"]]
    assert ids == [q["id"] for q in r2.data["questions"]]
    assert ids[1] == ids[0] + "-2"
    assert r1.notes[0].line == 2


def test_unclosed_quote_is_an_error_with_its_line():
    with pytest.raises(ValidationError) as info:
        import_text('a,b\n"c,d\ne,f\n', "f.csv", "csv")
    assert info.value.problems[0].line == 2
    assert "never closed" in info.value.problems[0].message


def test_stray_quotes_inside_fields_are_literal():
    r = import_text('He said "hi" there\tback\n', "f.tsv", "tsv")
    assert r.data["questions"][0]["front"] == 'He said "hi" there'


@pytest.mark.parametrize(
    "text", ["", "just one column\nper line\n", "#separator:tab\n\n\n", "\t\n\t\n"]
)
def test_nothing_to_import_is_an_error(text):
    with pytest.raises(ValidationError) as info:
        import_text(text, "f.csv", "csv")
    assert "no card" in str(info.value)


def test_bad_directive_values():
    with pytest.raises(ValidationError) as info:
        import_text("#separator:whatever\na\tb\n", "f.txt", "anki")
    assert info.value.problems[0].line == 1
    with pytest.raises(ValidationError) as info:
        import_text("#separator:tab\n#tags column:x\na\tb\n", "f.txt", "anki")
    assert info.value.problems[0].line == 2


def test_detect_format():
    assert detect_format("x.gift", "") == "gift"
    assert detect_format("x.json", "") == "opentdb"
    assert detect_format("x.csv", "") == "csv"
    assert detect_format("x.tsv", "") == "tsv"
    assert detect_format("x.txt", "#separator:tab\na\tb") == "anki"
    assert detect_format("x.txt", '{"results": []}') == "opentdb"
    assert detect_format("x.txt", "Q? {=a ~b}") == "gift"
    assert detect_format("x.txt", "a\tb\n") == "anki"


def test_many_identical_cards_get_the_next_free_suffix_each():
    # Probe R5: the suffix search counted up from -2 for every duplicate.
    r = import_text("ask\treply\n" * 3000 + "ask-x\ty\n", "f.tsv", "tsv")
    ids = [q["id"] for q in r.data["questions"]]
    assert len(set(ids)) == len(ids) == 3001
    assert ids[1] == ids[0] + "-2"
    assert ids[2999] == ids[0] + "-3000"


def test_a_column_number_past_every_row_is_ignored_and_reported():
    # Probe 6.4: `#guid column:500000000` padded every row to half a billion fields.
    r = import_text("#separator:tab\n#guid column:500000000\nask\treply\n", "f.txt", "anki")
    assert [q["front"] for q in r.data["questions"]] == ["ask"]
    assert r.notes[0].line == 2
    assert "#guid column:500000000" in r.notes[0].message
    assert "ignored" in r.notes[0].message


def test_a_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    import os

    fifo = tmp_path / "cards.txt"
    os.mkfifo(fifo)
    with pytest.raises(ValidationError) as info:
        import_file(fifo)  # opening it would block until something writes
    assert "not a regular file" in str(info.value)
