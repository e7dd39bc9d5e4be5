"""Open Trivia DB JSON import: envelope, bare arrays, encodings, errors with lines."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from urllib.parse import quote

import pytest

from gmmp_quiz.errors import ValidationError
from gmmp_quiz.formats import import_file, import_text
from gmmp_quiz.sets.loading import load_text
from gmmp_quiz.sets.writer import dump_set

DATA = Path(__file__).parent / "data" / "formats"


def test_envelope():
    r = import_file(DATA / "opentdb_envelope.json")
    q1, q2 = r.data["questions"]
    assert q1["type"] == "choice"
    assert q1["prompt"] == 'What is the name of Mario\'s brother in "Super Mario"?'
    assert q1["choices"] == ["Luigi", "Wario", "Yoshi", "Toad"]
    assert q1["answer"] == "Luigi"
    assert q1["tags"] == ["entertainment-video-games", "easy"]
    assert q2 == {**q2, "type": "true_false", "answer": True, "tags": ["science-nature", "medium"]}
    assert [(n.line, n.message) for n in r.notes] == [
        (20, "unknown question type 'essay': skipped")
    ]
    assert r.skipped == 1
    load_text(dump_set(r.data))


def test_bare_array_and_entities_are_not_markup():
    r = import_file(DATA / "opentdb_array.json")
    assert [q["type"] for q in r.data["questions"]] == ["true_false", "choice"]
    assert r.data["questions"][1]["prompt"] == "What is 2 < 3?"


def test_response_code_is_reported():
    with pytest.raises(ValidationError) as info:
        import_file(DATA / "opentdb_no_results.json")
    assert "response_code 1" in str(info.value)


@pytest.mark.parametrize("encode", ["base64", "url3986"])
def test_api_encodings(encode):
    def enc(s: str) -> str:
        if encode == "base64":
            return base64.b64encode(s.encode()).decode()
        return quote(s, safe="")

    item = {
        "type": enc("multiple"),
        "difficulty": enc("easy"),
        "category": enc("Art"),
        "question": enc("Qui a peint « La Joconde » ?"),
        "correct_answer": enc("Léonard"),
        "incorrect_answers": [enc("Monet"), enc("Manet")],
    }
    r = import_text(json.dumps({"response_code": 0, "results": [item]}), "x.json", "opentdb")
    q = r.data["questions"][0]
    assert q["prompt"] == "Qui a peint « La Joconde » ?"
    assert q["choices"] == ["Léonard", "Monet", "Manet"]


def test_invalid_json_names_line_and_column():
    with pytest.raises(ValidationError) as info:
        import_text('{"results": [\n  {"a": 1,}\n]}', "x.json", "opentdb")
    assert info.value.problems[0].line == 2


@pytest.mark.parametrize(
    "text",
    ['"just a string"', '{"response_code": 0}', "[]", '[1, "x", null]', '[{"question": "q"}]'],
)
def test_not_opentdb(text):
    with pytest.raises(ValidationError):
        import_text(text, "x.json", "opentdb")


def test_bad_items_are_skipped_with_their_line():
    items = [
        {"type": "boolean", "question": "OK?", "correct_answer": "True"},
        {"type": "boolean", "question": "Maybe?", "correct_answer": "Perhaps"},
        {
            "type": "multiple",
            "question": "No wrong?",
            "correct_answer": "a",
            "incorrect_answers": [],
        },
    ]
    text = json.dumps(items, indent=1)
    r = import_text(text, "x.json", "opentdb")
    assert len(r.data["questions"]) == 1
    lines = text.split("\n")
    assert [n.line for n in r.notes] == [
        i + 1 for i, line in enumerate(lines) if line.strip() == "{"
    ][1:]


def test_many_wrong_answers_are_kept_once_each_in_order():
    # Probe 6.6: repeats were found by scanning a list (quadratic).
    wrong = [f"w{i % 4000}" for i in range(8000)] + ["right"]
    item = {"type": "multiple", "question": "Q?", "correct_answer": "right"}
    text = json.dumps([item | {"incorrect_answers": wrong}])
    q = import_text(text, "f.json", "opentdb").data["questions"][0]
    assert q["choices"] == ["right", *(f"w{i}" for i in range(4000))]
