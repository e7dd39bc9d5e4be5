"""What import writes loads back as the same set: the data-level check against the text check."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gmmp_quiz.errors import ValidationError
from gmmp_quiz.formats import import_file
from gmmp_quiz.model import Kind
from gmmp_quiz.sets import validation
from gmmp_quiz.sets.datacheck import check_data
from gmmp_quiz.sets.loading import build_set, load_text
from gmmp_quiz.sets.validation import check_text
from gmmp_quiz.sets.writer import _emit_set, dump_checked, dump_set

DATA = Path(__file__).parent / "data" / "formats"
REFUSED = ("bad_match.gift", "bad_number.gift", "unclosed_brace.gift", "opentdb_no_results.json")
GOOD = sorted(p for p in DATA.iterdir() if p.name not in REFUSED)
FUZZ = settings(
    max_examples=int(os.environ.get("GMMP_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    database=None,
)


def outcome(check: Any) -> tuple[str, Any]:
    """A check's result, its problems, or the kind of exception it raised."""
    try:
        return ("ok", check())
    except ValidationError as exc:
        return ("invalid", exc.problems)
    except Exception as exc:
        return ("error", type(exc))


def fast(data: dict[str, Any]) -> dict[str, Any] | None:
    """The data check alone: the checked data, or None when it leaves the set to check_text."""
    _, question_lines, id_at = _emit_set(data)
    return check_data(data, question_lines=question_lines, id_at=id_at)


def assert_same_as_text_check(data: dict[str, Any]) -> tuple[str, Any]:
    """dump_checked gives exactly what check_text gives on the text written (or its problems)."""
    try:
        text = dump_set(data)
    except ValueError:  # a number YAML cannot write (NaN, infinity): refused before any check
        with pytest.raises(ValueError):
            dump_checked(data, "set.yaml")
        return ("error", ValueError)
    expected = outcome(lambda: check_text(text, "set.yaml"))
    assert outcome(lambda: dump_checked(data, "set.yaml")[1]) == expected
    vouched = fast(data)
    if vouched is not None:
        assert expected == ("ok", vouched)
    return expected


# -- the importers' output ---------------------------------------------------------------------


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_fixtures_are_checked_as_the_loader_reads_them(path: Path) -> None:
    data = import_file(path).data
    text, checked = dump_checked(data, "set.yaml")
    assert checked == check_text(text, "set.yaml")
    assert build_set(checked, "set.yaml") == load_text(text, "set.yaml")
    assert fast(data) is not None  # the importers' data never needs the text parsed again


def test_valid_import_does_not_parse_the_text_again() -> None:
    data = import_file(DATA / "all_features.gift").data
    with mock.patch.object(validation, "check_text", side_effect=AssertionError("parsed")):
        text, checked = dump_checked(data, "set.yaml")
    assert checked == check_text(text, "set.yaml")


def test_positions_are_those_of_the_text() -> None:
    data = import_file(DATA / "all_features.gift").data
    text, checked = dump_checked(data, "set.yaml")
    lines = text.splitlines()
    assert checked["id_at"] == [2, 5] and lines[1] == f"id: {data['id']}"
    for q in checked["questions"]:
        assert lines[q["line"] - 1] in (f"  - id: {q['id']}", f'  - id: "{q["id"]}"')


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda q: q.update(id="not an id"), "may use only letters"),
        (lambda q: q.update(prompt="   "), "prompt is empty"),
        (lambda q: q.update(prompt="bell\x07"), "control character U+0007"),
        (lambda q: q.update(answer="Rome"), "is not among the choices"),
        (lambda q: q.update(choices=["Paris"]), "at least 2 choices"),
        (lambda q: q.update(colour="red"), "unknown key 'colour'"),
        (lambda q: q.pop("prompt"), "needs 'prompt'"),
    ],
)
def test_a_bad_question_gets_the_loaders_own_problem(change: Any, message: str) -> None:
    data = {
        "id": "geo",
        "title": "Geography",
        "language": "en",
        "questions": [
            {"id": "q1", "type": "choice", "prompt": "Capital?", "choices": ["Paris", "Lyon"]}
            | {"answer": "Paris"}
        ],
    }
    change(data["questions"][0])
    assert fast(data) is None
    with pytest.raises(ValidationError) as exc:
        dump_checked(data, "geo.yaml")
    [problem] = exc.value.problems
    assert problem.path == "geo.yaml" and problem.line >= 6 and message in problem.message
    assert exc.value.problems == outcome(lambda: check_text(dump_set(data), "geo.yaml"))[1]


def test_repeated_question_ids_are_reported_with_both_lines() -> None:
    q = {"id": "q", "type": "true_false", "prompt": "Sky is blue", "answer": True}
    data = {"id": "s", "title": "S", "language": "en", "questions": [q, dict(q)]}
    with pytest.raises(ValidationError, match="duplicate question id 'q' \\(first on line 6\\)"):
        dump_checked(data, "s.yaml")


# -- any data: the data check vouches only for what the text check accepts, and alike -----------

# Texts that YAML reads as something else unless quoted, or that need care to write out.
AWKWARD = st.sampled_from(
    ["yes", "No", "null", "~", "true", "010", "1.5", "1e3", "2024-01-01", "12:30", "- x", "a: b",
     "#c", "x #c", "a|b", "x\n", "\nx", "a\nb", "a \nb", "a\r\nb", "a\n\n b", "é\u0301", "\u2028",
     "\ufeff", "\ue000", "\U0001f600", '"q"', "'q'", "\\", "&amp;", "*a", "&a", "!t", "%x", "@x",
     "`x", "|", ">", "{{a}}", "{{ }}", "{{a", "a}}", "\u00a0x\u00a0"]
)  # fmt: skip
# Texts the loader refuses.
BAD_TEXT = st.sampled_from(["", " ", "\t\n", "\x07", "a\x85", "\u202e", "\ud800", "\x1b[0m"])
WORD = st.text(st.sampled_from("abcXYZ 019éß-_.:#{}|,'\"\\"), min_size=1, max_size=12).filter(
    str.strip
)
TEXT = st.one_of(WORD, AWKWARD, st.builds(lambda a, b: f"{a}\n{b}", WORD, WORD))
LANG = st.sampled_from(["en", "fr", "pt-BR", "no", "und"])
LTEXT = st.one_of(TEXT, TEXT, st.dictionaries(LANG, TEXT, min_size=1, max_size=3))
NUMBER = st.one_of(
    st.integers(-(2**60), 2**60),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, -0.0, 0.1, 1e-7, 1e20, 2**53 + 1, 1822.0, 10**299, -(10**301), 10**400]),
)
ID = st.one_of(
    st.sampled_from(["q1", "a.b-c_d", "1", "x" * 100, "Q-9", "yes", "010", "1.5", "null"]),
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,20}", fullmatch=True),
)
# Anything a field could be given instead.
ANY = st.one_of(
    BAD_TEXT,
    TEXT,
    NUMBER,
    st.sampled_from([True, False, None, {}, [], float("nan"), float("inf")]),
    st.lists(LTEXT, max_size=3),
    st.dictionaries(
        st.sampled_from(["EN", "en\n", "x", "text", "en", "feedback", "left"]), TEXT | BAD_TEXT
    ),
)
KINDS = [kind.value for kind in Kind]
KEYS = ["id", "type", "prompt", "explanation", "source", "tags", "shuffle", "strict_accents",
        "front", "back", "choices", "answer", "answers", "alternatives", "tolerance", "unit",
        "text", "items", "pairs", "colour", "feedback", "wrong_feedback",
        "distractors"]  # fmt: skip
WEIGHT = st.one_of(st.sampled_from([-100, -50, 0, 25, 50, 100, 33.3, 101, -101]), NUMBER)


@st.composite
def question(draw: st.DrawFn, qid: str, kind: str | None = None) -> dict[str, Any]:
    """A valid question (nearly always: a gap's answer may be blank), of any kind."""
    kind = kind or draw(st.sampled_from(KINDS))
    q: dict[str, Any] = {"id": qid, "type": kind}
    if kind != "flashcard":
        q["prompt"] = draw(LTEXT)
    if kind == "flashcard":
        q |= {"front": draw(LTEXT), "back": draw(LTEXT)}
    elif kind in ("choice", "multi"):
        plain = draw(st.lists(TEXT, min_size=2, max_size=4, unique=True))
        q["choices"] = [
            {"text": c, "feedback": draw(LTEXT)} if draw(st.booleans()) else c for c in plain
        ]
        if kind == "choice":
            q["answer"] = draw(st.sampled_from(plain))
        else:
            q["answers"] = draw(st.lists(st.sampled_from(plain), min_size=1, unique=True))
        if draw(st.booleans()):  # weights: valid or not, both checks must agree
            q["choices"] = [
                {"text": c, "weight": draw(WEIGHT)} if draw(st.booleans()) else c for c in plain
            ]
    elif kind == "true_false":
        q["answer"] = draw(st.booleans())
    elif kind == "short":
        q["answer"] = draw(LTEXT)
        if draw(st.booleans()):
            q["alternatives"] = draw(st.lists(LTEXT, max_size=3))
        if draw(st.booleans()):
            weighted = st.fixed_dictionaries(
                {"text": LTEXT},
                optional={"weight": WEIGHT, "feedback": LTEXT, "wildcard": st.booleans() | ANY},
            )
            q["alternatives"] = draw(st.lists(LTEXT | weighted, max_size=3))
    elif kind == "numeric":
        q["answer"] = draw(NUMBER | st.lists(NUMBER, min_size=1, max_size=3))
        if draw(st.booleans()):
            q["tolerance"] = abs(draw(NUMBER))
        if draw(st.booleans()):
            q["unit"] = draw(LTEXT)
        if draw(st.booleans()):
            other = st.fixed_dictionaries(
                {"answer": NUMBER | st.lists(NUMBER, min_size=2, max_size=2)},
                optional={"tolerance": NUMBER, "weight": WEIGHT, "feedback": LTEXT},
            )
            q["alternatives"] = draw(st.lists(other, max_size=3))
    if kind in ("true_false", "short", "numeric"):
        for key in ("feedback", "wrong_feedback"):
            if draw(st.booleans()):
                q[key] = draw(LTEXT)
    elif kind == "cloze":
        q["text"] = draw(st.builds(lambda a, g, b: f"{a}{{{{{g}}}}}{b}", WORD, WORD, TEXT))
    elif kind == "order":
        q["items"] = draw(st.lists(TEXT, min_size=2, max_size=4, unique=True))
    else:
        lefts = draw(st.lists(TEXT, min_size=2, max_size=3, unique=True))
        rights = draw(st.lists(TEXT, min_size=len(lefts), max_size=len(lefts), unique=True))
        q["pairs"] = [{"left": a, "right": b} for a, b in zip(lefts, rights, strict=True)]
        if draw(st.booleans()):  # distractors, perhaps repeating a right item
            q["distractors"] = draw(st.lists(TEXT, max_size=2))
    for key in ("explanation", "source"):
        if draw(st.booleans()):
            q[key] = draw(LTEXT)
    if draw(st.booleans()):
        q["tags"] = draw(st.lists(TEXT, max_size=3))
    if draw(st.booleans()):
        q[draw(st.sampled_from(["shuffle", "strict_accents"]))] = draw(st.booleans())
    return q


@st.composite
def valid_set(draw: st.DrawFn) -> dict[str, Any]:
    """A set's plain data, in the order import writes it."""
    ids = draw(st.lists(ID, min_size=1, max_size=4, unique=True))
    data: dict[str, Any] = {
        "id": draw(ID),
        "title": draw(LTEXT),
        "language": draw(st.sampled_from(["en", "fr", "pt-BR"])),
    }
    if draw(st.booleans()):
        data["description"] = draw(LTEXT)
    if draw(st.booleans()):
        data["tags"] = draw(st.lists(TEXT, max_size=3))
    if draw(st.booleans()):
        keys = st.sampled_from(["shuffle", "strict_accents"])
        data["options"] = draw(st.dictionaries(keys, st.booleans()))
    data["questions"] = [draw(question(qid)) for qid in ids]
    return data


@st.composite
def broken_set(draw: st.DrawFn) -> dict[str, Any]:
    """A valid set with one to three things wrong: a value replaced, a key dropped or added."""
    data = draw(valid_set())
    questions = list(data["questions"])
    for _ in range(draw(st.integers(1, 3))):
        target: dict[str, Any] = data
        keys = ["id", "title", "language", "description", "tags", "options", "questions", "x"]
        if draw(st.integers(0, 3)):
            target, keys = draw(st.sampled_from(questions)), KEYS
            inner = [v for v in target.values() if isinstance(v, list | dict) and v]
            if inner and draw(st.booleans()):
                # A level deeper: a choice, an item, a pair or a language variant.
                value = draw(st.sampled_from(inner))
                if isinstance(value, list):
                    value[draw(st.integers(0, len(value) - 1))] = draw(ANY)
                    continue
                target, keys = value, [*value, "text", "feedback", "left", "right", "xx"]
        key = draw(st.sampled_from(keys))
        if key in target and draw(st.booleans()):
            del target[key]
        else:
            target[key] = draw(ANY)
    if len(questions) > 1 and draw(st.integers(0, 5)) == 0:
        questions[1]["id"] = questions[0].get("id")
    return data


ANY_KIND = tuple(KINDS)
WITH_PROMPT = tuple(k for k in KINDS if k != "flashcard")
# Each rule of the loader broken by a hair: (the kinds it applies to, the change to one question).
NEAR_MISSES: dict[str, tuple[tuple[str, ...], Any]] = {
    "negative tolerance": (("numeric",), lambda d, q: q.update(tolerance=-0.5)),
    "answer listed twice": (("multi",), lambda d, q: q["answers"].append(q["answers"][0])),
    "choice repeated": (("choice", "multi"), lambda d, q: q["choices"].append(q["choices"][0])),
    "answer not a choice": (("choice",), lambda d, q: q.update(answer=q["answer"] + " (no)")),
    "item repeated": (("order",), lambda d, q: q["items"].append(q["items"][-1])),
    "right item repeated": (
        ("match",),
        lambda d, q: q["pairs"].append({"left": "(new)", "right": q["pairs"][0]["right"]}),
    ),
    "unclosed gap": (("cloze",), lambda d, q: q.update(text=q["text"] + " {{")),
    # Not appended: after a stray "{{" in the drawn text, " {{ | }}" would read as one full gap.
    "empty gap": (("cloze",), lambda d, q: q.update(text="a {{x}} b {{ | }}")),
    "no gap": (("cloze",), lambda d, q: q.update(text="(no gap)")),
    "not a language": (WITH_PROMPT, lambda d, q: q.update(prompt={"en": "x", "EN": "y"})),
    "key breaking the text": (WITH_PROMPT, lambda d, q: q.update(prompt={"en\n": "y"})),
    "no variants": (ANY_KIND, lambda d, q: q.update(explanation={})),
    "blank text": (WITH_PROMPT, lambda d, q: q.update(prompt=" \n ")),
    "control character": (("flashcard",), lambda d, q: q.update(back="a\u202eb")),
    "escaped control": (("numeric",), lambda d, q: q.update(unit="\x07")),
    "empty tag": (ANY_KIND, lambda d, q: q.update(tags=["ok", " "])),
    "not a boolean": (ANY_KIND, lambda d, q: q.update(shuffle="yes")),
    "bad id": (ANY_KIND, lambda d, q: q.update(id="a b")),
    "repeated id": (ANY_KIND, lambda d, q: d["questions"].append(dict(q))),
    "unknown type": (ANY_KIND, lambda d, q: q.update(type=q["type"].upper())),
    "key of another kind": (("short",), lambda d, q: q.update(choices=["a", "b"])),
    "prompt on a flashcard": (("flashcard",), lambda d, q: q.update(prompt="p")),
    "missing key": (("true_false",), lambda d, q: q.pop("answer")),
    "set language": (ANY_KIND, lambda d, q: d.update(language="EN")),
    "set title": (ANY_KIND, lambda d, q: d.update(title="")),
    "set option": (ANY_KIND, lambda d, q: d.update(options={"shuffle": 1})),
    "no questions": (ANY_KIND, lambda d, q: d.update(questions=[])),
}


@pytest.mark.parametrize("rule", sorted(NEAR_MISSES))
@settings(max_examples=15, deadline=None, database=None)
@given(draw=st.data())
def test_every_rule_broken_leaves_the_set_to_the_loader(rule: str, draw: st.DataObject) -> None:
    kinds, change = NEAR_MISSES[rule]
    data = draw.draw(valid_set())
    kind = draw.draw(st.sampled_from(kinds))
    data["questions"][0] = draw.draw(question(data["questions"][0]["id"], kind))
    change(data, data["questions"][0])
    assert assert_same_as_text_check(data)[0] == "invalid"
    assert fast(data) is None


@FUZZ
@given(valid_set() | broken_set())
def test_any_data_is_checked_as_its_text_is(data: dict[str, Any]) -> None:
    assert_same_as_text_check(data)


@FUZZ
@given(valid_set())
def test_the_data_check_vouches_for_valid_sets(data: dict[str, Any]) -> None:
    result = assert_same_as_text_check(data)
    # Whole numbers of 300 digits and more are left to the text check (float range).
    if result[0] == "ok" and not any(abs(n) >= 10**300 for n in numbers(data)):
        assert fast(data) is not None


def numbers(data: dict[str, Any]) -> list[float]:
    return [
        q.get(k, 0)
        for q in data["questions"]
        if q["type"] == "numeric"
        for k in ("answer", "tolerance")
    ]
