"""Hypothesis fuzzing: random input into every importer gives a valid set or a project error."""

from __future__ import annotations

import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gmmp_quiz.errors import QuizError
from gmmp_quiz.formats import import_text
from gmmp_quiz.formats.common import BAD_CHAR_RE as BAD
from gmmp_quiz.sets.datacheck import check_data
from gmmp_quiz.sets.loading import build_set, load_text
from gmmp_quiz.sets.validation import check_text
from gmmp_quiz.sets.writer import _emit_set, dump_checked, dump_set

# GMMP_FUZZ_EXAMPLES=5000 runs a longer campaign; the default keeps the suite fast.
FUZZ = settings(
    max_examples=int(os.environ.get("GMMP_FUZZ_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)

# Text made mostly of each format's special characters, so the parsers' edge cases are reached.
GIFT_ALPHABET = st.sampled_from(
    list("{}=~#:%\\-> \n\t\r/[]$") + ["::", "->", "####", "//", "{T}", "\\n", "%50%", "..", "1",
                                      "a", "é", "\x07", "\u202e", "<br>", "&amp;", "[html]",
                                      "$CATEGORY:", "@@PLUGINFILE@@", "{{", "}}", "|", "{1:SA:",
                                      "{:MC:", "{2:NM:", "{1:MR:"]
)  # fmt: skip
CSV_ALPHABET = st.sampled_from(
    list('\t,;"\n\r ab#:|') + ["#separator:", "#html:true", "#tags column:", "#columns:", "tab",
                               "comma", "{{c1::", "}}", "<img src=x>", "[sound:a]", "\x00", "é"]
)  # fmt: skip


def check(text: str, fmt: str) -> None:
    try:
        result = import_text(text, "fuzz", fmt)
    except QuizError:
        return
    # Whatever an importer accepts must be a valid set, checked without parsing it again, and
    # it must load back as exactly the set that was checked.
    written, checked = dump_checked(result.data, "fuzz.yaml")
    assert checked == check_text(written, "fuzz.yaml")
    assert build_set(checked, "fuzz.yaml") == load_text(written, "fuzz.yaml")
    lines, id_at = _emit_set(result.data)[1:]
    assert check_data(result.data, question_lines=lines, id_at=id_at) == checked


@FUZZ
@given(st.lists(GIFT_ALPHABET, max_size=60).map("".join))
def test_gift_structured(text):
    check(text, "gift")


@FUZZ
@given(st.lists(CSV_ALPHABET, max_size=60).map("".join))
def test_anki_structured(text):
    check(text, "anki")
    check(text, "csv")


@FUZZ
@given(st.text(max_size=300))
def test_random_text_everywhere(text):
    for fmt in ("gift", "anki", "csv", "tsv", "opentdb"):
        check(text, fmt)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
ITEM = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["multiple", "boolean", "other"]) | JSON_VALUES,
        "question": st.text(max_size=30) | JSON_VALUES,
        "correct_answer": st.sampled_from(["True", "False", "x"]) | JSON_VALUES,
        "incorrect_answers": st.lists(st.text(max_size=10) | JSON_VALUES, max_size=4),
        "category": st.text(max_size=10),
        "difficulty": st.text(max_size=10),
    },
)


@FUZZ
@given(st.lists(ITEM, max_size=5), st.booleans())
def test_opentdb_structured(items, envelope):
    data = {"response_code": 0, "results": items} if envelope else items
    check(json.dumps(data), "opentdb")


# Findings of longer campaigns, kept as tests.
def test_regression_columns_directive_shorter_than_rows():
    check("#columns:\na", "anki")


def test_regression_base64_guess_with_plain_fields():
    check(json.dumps([{"question": "A000", "difficulty": "0"}]), "opentdb")
    check(json.dumps([{"question": "A000", "difficulty": "\x80"}]), "opentdb")


TEXT = (
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40)
    .map(lambda s: BAD.sub("", s).strip())
    .filter(bool)
)


@FUZZ
@given(TEXT, TEXT, st.floats(allow_nan=False, allow_infinity=False), st.lists(TEXT, max_size=3))
def test_dump_set_writes_what_the_loader_reads_back(prompt, answer, number, tags):
    data = {
        "id": "fuzz",
        "title": prompt,
        "language": "en",
        "questions": [
            {"id": "s", "type": "short", "prompt": prompt, "answer": answer},
            {"id": "n", "type": "numeric", "prompt": prompt, "answer": number, "tags": tags},
        ],
    }
    qset = load_text(dump_set(data), "fuzz.yaml")
    short, num = qset.questions
    assert qset.title.get() == prompt
    assert (short.prompt.get(), short.answer.get()) == (prompt, answer)
    assert num.number == number
    assert list(num.tags) == [t.strip() for t in tags]


WORD = st.text(st.sampled_from("ab é~=#{}:\\<>&%.-1"), min_size=0, max_size=6)
ANSWER = st.builds(
    lambda mark, weight, text, fb: f"{mark}{weight}{text}{fb}",
    st.sampled_from(["=", "~", " =", "\t~"]),
    st.sampled_from(["", "%50%", "%-100%", "%33.3%", "%100%"]),
    WORD,
    st.sampled_from(["", "#fb", "#", "#a#b"]),
)
BODY = st.one_of(
    st.lists(ANSWER, min_size=1, max_size=4).map(" ".join),
    st.sampled_from(["T", "F", "TRUE", "FALSE", "T#x#y", ""]),
    st.builds(
        lambda a, b: f"#{a}{b}",
        st.sampled_from(["1", "-2.5", "1..3", "x"]),
        st.sampled_from(["", ":1", ":x", "#fb"]),
    ),  # fmt: skip
    st.lists(st.builds(lambda a, b: f"={a} -> {b}", WORD, WORD), min_size=1, max_size=3).map(
        " ".join
    ),
)
QUESTION = st.builds(
    lambda title, marker, stem, body, general, tail: (
        f"{title}{marker}{stem}{{{body}{general}}}{tail}"
    ),
    st.sampled_from(["", "::t::", "::a b::", "::::"]),
    st.sampled_from(["", "[html]", "[plain]", "[markdown]"]),
    WORD,
    BODY,
    st.sampled_from(["", "####general"]),
    st.sampled_from(["", " tail", "\n"]),
)


@FUZZ
@given(st.lists(QUESTION, min_size=1, max_size=4).map("\n\n".join))
def test_gift_grammar(text):
    check(text, "gift")
