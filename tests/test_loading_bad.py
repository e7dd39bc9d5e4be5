"""Each bad file in tests/data/bad is refused with the right line, column and message."""

from __future__ import annotations

from pathlib import Path

import pytest

from gmmp_quiz.errors import Problem, ValidationError
from gmmp_quiz.sets.loading import load_set, read_text
from gmmp_quiz.sets.rules import MAX_BYTES
from gmmp_quiz.sets.validation import check_text
from gmmp_quiz.sets.yamlread import decode

BAD = Path(__file__).parent / "data" / "bad"


# file -> (line, column, phrase): some reported problem has exactly this line and column (1-based)
# and its message contains the phrase.
CASES: dict[str, tuple[int, int, str]] = {
    "syntax-error.yaml": (12, 11, "YAML syntax"),
    "tab-indent.yaml": (7, 1, "tab character where YAML expects spaces: indent with spaces"),
    "root-list.yaml": (1, 1, "must be a mapping"),
    "unknown-key.yaml": (7, 5, "unknown key 'promt' in a question; did you mean 'prompt'?"),
    "missing-id.yaml": (1, 1, "the set has no 'id'"),
    "missing-questions.yaml": (1, 1, "the set has no 'questions'"),
    "answer-no.yaml": (8, 13, "answer: YAML reads 'no' as a boolean here: quote this value"),
    "octal.yaml": (8, 13, "YAML reads '010' as a number here: quote this value"),
    "sexagesimal.yaml": (8, 13, "YAML reads '1:30' as a number here: quote this value"),
    "unquoted-date.yaml": (8, 13, "YAML reads '2025-06-25' as a date here: quote this value"),
    "tilde-null.yaml": (8, 13, "answer: YAML reads '~' as null"),
    "duplicate-key-top.yaml": (4, 1, "duplicate key 'title' (first given at line 2, column 1)"),
    "duplicate-key-deep.yaml": (9, 32, "duplicate key 'en'"),
    "duplicate-question-id.yaml": (9, 5, "duplicate question id 'q1' (first on line 5)"),
    "answer-not-in-choices.yaml": (9, 13, "not among the choices; did you mean 'Paris'?"),
    "empty-choices.yaml": (8, 14, "the list of choices is empty"),
    "gap-without-answer.yaml": (7, 11, "has no answer"),
    "cloze-no-gap.yaml": (7, 11, "has no gap"),
    "true-false-yes.yaml": (8, 13, "must be true or false, not 'yes'"),
    "bad-type.yaml": (6, 11, "unknown question type 'choise'; did you mean 'choice'?"),
    "wrong-type-list-for-text.yaml": (7, 13, "prompt must be a text, not a list"),
    "invalid-utf8.yaml": (7, 16, "not valid UTF-8 (byte 0xe9)"),
    "invalid-utf8-after-accent.yaml": (7, 18, "not valid UTF-8 (byte 0xe9)"),
    "utf16.yaml": (1, 1, "file is UTF-16"),
    "binary.yaml": (2, 9, "NUL bytes"),
    "alias.yaml": (7, 13, "anchors and aliases are not allowed"),
    "billion-laughs.yaml": (17, 9, "anchors and aliases are not allowed"),
    "deep-nesting-flow.yaml": (2, 1007, "nested too deeply"),
    "deep-nesting-block.yaml": (3, 1999, "nested too deeply"),
    "python-tag.yaml": (7, 13, "python/object/apply:os.system' is not allowed"),
    "custom-tag.yaml": (7, 13, "tag '!foo' is not allowed"),
    "control-char.yaml": (7, 18, "control character U+001B"),
    "c1-control.yaml": (7, 16, "control character U+009B"),
    "bidi-override.yaml": (7, 17, "control character U+202E"),
    "several-problems.yaml": (12, 13, "must be true or false, not 'yes'"),
}
XFAIL: dict[str, str] = {}


def problems_of(path: Path) -> list[Problem]:
    """The problems the loader reports for a file (it must refuse it)."""
    with pytest.raises(ValidationError) as info:
        load_set(path, use_cache=False)
    problems = info.value.problems
    assert problems, "a ValidationError without problems"
    return problems


def test_every_bad_file_is_in_the_table() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(CASES)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=XFAIL[n])) if n in XFAIL else n
        for n in CASES
    ],
)
def test_bad_file(name: str) -> None:
    line, col, phrase = CASES[name]
    problems = problems_of(BAD / name)
    found = [(p.line, p.column, p.message) for p in problems]
    assert any((ln, c) == (line, col) and phrase in m for ln, c, m in found), found
    assert all(p.path == str(BAD / name) for p in problems)


def test_problems_are_sorted_by_position() -> None:
    for path in BAD.iterdir():
        if path.name in XFAIL:
            continue
        problems = problems_of(path)
        keys = [(p.line, p.column) for p in problems]
        assert keys == sorted(keys), path.name


def test_several_problems_all_reported_in_order() -> None:
    problems = problems_of(BAD / "several-problems.yaml")
    got = [(p.line, p.column) for p in problems]
    assert len(problems) >= 3
    assert got == sorted(got)
    text = "\n".join(p.message for p in problems)
    assert "unknown key 'promt'" in text
    assert "not 'yes'" in text
    assert "unknown question type 'choise'" in text
    assert (7, 5) in got and (12, 13) in got and (14, 11) in got


def test_control_char_every_occurrence_reported() -> None:
    problems = problems_of(BAD / "control-char.yaml")
    assert [(p.line, p.column) for p in problems] == [(7, 18), (7, 29)]


def test_python_tag_executes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = (BAD / "python-tag.yaml").read_text(encoding="utf-8")
    assert "touch pwned-by-yaml" in text
    problems_of(BAD / "python-tag.yaml")
    with pytest.raises(ValidationError):
        check_text(text.replace("!!python/object/apply", "!!python/object/new"))
    assert not (tmp_path / "pwned-by-yaml").exists()


def test_file_over_10_mb_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    line = "# " + "x" * 1000 + "\n"
    big.write_text("id: big\n" + line * (MAX_BYTES // len(line) + 10), encoding="utf-8")
    problems = problems_of(big)
    assert [(p.line, p.column) for p in problems] == [(0, 0)]
    assert "larger than 10 MB" in problems[0].message
    with pytest.raises(ValidationError, match="larger than 10 MB"):
        read_text(big)
    with pytest.raises(ValidationError, match="larger than 10 MB"):
        decode(big.read_bytes(), str(big))


def test_20_mb_single_line_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "line.yaml"
    big.write_bytes(b"id: x\ntitle: " + b"x" * (20 * 1024 * 1024) + b"\n")
    for use_cache in (False, True):
        with pytest.raises(ValidationError, match="larger than 10 MB"):
            load_set(big, use_cache=use_cache)


def test_empty_and_comment_only_files() -> None:
    for text in ("", "# nothing\n", "\n\n"):
        with pytest.raises(ValidationError, match="the file is empty") as info:
            check_text(text)
        assert (info.value.problems[0].line, info.value.problems[0].column) == (1, 1)


def test_two_documents_are_refused() -> None:
    with pytest.raises(ValidationError, match="another document") as info:
        check_text("id: a\n---\nid: b\n")
    assert (info.value.problems[0].line, info.value.problems[0].column) == (2, 1)


def test_control_character_escapes_in_quoted_values_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "escaped.yaml"
    path.write_text(
        "id: x\ntitle: T\nlanguage: en\nquestions:\n  - id: a\n    type: short\n"
        '    prompt: "bell \\u0007 and \\e[31m"\n    answer: x\n',
        encoding="utf-8",
    )
    [problem] = problems_of(path)
    assert (problem.line, problem.column) == (7, 13)
    assert "control character U+0007" in problem.message


@pytest.mark.parametrize("name", ["deep-nesting-flow.yaml", "deep-nesting-block.yaml"])
def test_depth_scan_for_older_libyaml_agrees_with_the_parser(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # libyaml before 0.2.6 has no depth limit of its own, so the scan stands in for it.
    import gmmp_quiz.sets.yamlread as yamlread

    monkeypatch.setattr(yamlread, "_PARSER_LIMITS_DEPTH", False)
    line, col, phrase = CASES[name]
    found = [(p.line, p.column, p.message) for p in problems_of(BAD / name)]
    assert any((ln, c) == (line, col) and phrase in m for ln, c, m in found), found


def test_depth_bound_lets_ordinary_sets_skip_the_scan() -> None:
    from gmmp_quiz.sets.yamlread import _may_be_deep

    shipped = Path(__file__).parents[1] / "questions"
    for path in shipped.glob("*.yaml"):
        assert not _may_be_deep(path.read_text(encoding="utf-8")), path
    many_flow_lists = "questions:\n" + "  - choices: [a, b, [c, {d: e}]]\n" * 5000
    assert not _may_be_deep(many_flow_lists)
    # Brackets that never pair up (in quoted texts) are taken to nest: the exact scan then runs.
    assert _may_be_deep("questions:\n" + "  - choices: [a, b, '[c']\n" * 600)
    assert _may_be_deep("title: " + "[" * 500 + "]" * 500)
    assert not _may_be_deep("title: " + "[" * 499 + "]" * 499)
    assert _may_be_deep("title: " + "[x, " * 600 + "]" * 600)
    assert _may_be_deep("title:\n" + "- " * 300 + "x\n")


def test_nesting_far_past_the_limit_is_an_error_not_a_crash(tmp_path: Path) -> None:
    # libyaml 0.2.5 composes recursively in C: 100,000 levels used to end in a segfault.
    import subprocess
    import sys

    deep = tmp_path / "deep.yaml"
    deep.write_text("id: deep\ntitle: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "gmmp_quiz", "validate", str(deep)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1, out.stderr
    assert f"{deep}:2:1007:" in out.stdout and "nested too deeply" in out.stdout
    assert "Traceback" not in out.stderr


def test_lone_surrogate_in_text_made_in_memory_is_refused_at_its_place() -> None:
    # Files are decoded strictly; text typed into the app or built by code is not.
    with pytest.raises(ValidationError) as info:
        check_text('id: a\ntitle: "x\ud800"\n', "mem")
    [problem] = info.value.problems
    assert (problem.line, problem.column) == (2, 10)
    assert "U+D800" in problem.message
