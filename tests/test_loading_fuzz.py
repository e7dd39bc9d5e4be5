"""Hypothesis: random text, bytes and YAML-ish fragments only ever raise ValidationError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gmmp_quiz.errors import ValidationError
from gmmp_quiz.sets.loading import load_text
from gmmp_quiz.sets.validation import check_text
from gmmp_quiz.sets.yamlread import decode

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FRAGMENTS = [
    "id",
    "title",
    "language",
    "questions",
    "type",
    "prompt",
    "answer",
    "answers",
    "choices",
    "text",
    "feedback",
    "items",
    "pairs",
    "left",
    "right",
    "front",
    "back",
    "alternatives",
    "tolerance",
    "unit",
    "options",
    "shuffle",
    "tags",
    "fr",
    "en",
    "choice",
    "multi",
    "short",
    "cloze",
    "numeric",
    "order",
    "match",
    "flashcard",
    "true_false",
    "q1",
    "true",
    "no",
    "010",
    "1:30",
    "2025-06-25",
    "~",
    ":",
    ": ",
    "-",
    "- ",
    "{{",
    "}}",
    "|",
    "{",
    "}",
    "[",
    "]",
    ",",
    '"',
    "'",
    "\t",
    "\n",
    "\n  ",
    "\n    ",
    "\n  - ",
    " ",
    "&a ",
    "*a",
    "!!",
    "!!python/object ",
    "!foo ",
    "#",
    "---",
    "...",
    "?",
    "\r\n",
    "\ufeff",
    "\u202e",
    "\x1b",
    "%YAML 1.1\n",
    ">",
]
yamlish = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join)


def _only_validation_errors(text: str) -> None:
    try:
        data = check_text(text)
    except ValidationError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.line >= 0 and p.column >= 0 and p.message
        return
    assert isinstance(data, dict)
    load_text(text)


@SETTINGS
@given(st.text(max_size=300))
def test_random_text(text: str) -> None:
    _only_validation_errors(text)


@SETTINGS
@given(yamlish)
def test_yamlish_fragments(text: str) -> None:
    _only_validation_errors(text)


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes(raw: bytes) -> None:
    try:
        text = decode(raw, "<bytes>")
    except ValidationError as exc:
        assert exc.problems
        return
    _only_validation_errors(text)


@SETTINGS
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_fragments_after_a_valid_header(tail: str) -> None:
    head = "id: s\ntitle: T\nlanguage: en\nquestions:\n  - id: q1\n    type: short\n"
    _only_validation_errors(head + "    " + tail)
