"""The JSON Schema, made from sets/rules.py, agrees with the loader on good and bad sets."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from gmmp_quiz.errors import ValidationError
from gmmp_quiz.model import Kind
from gmmp_quiz.sets.loading import load_text
from gmmp_quiz.sets.rules import KIND_KEYS, question_keys, question_required
from gmmp_quiz.sets.schema import schema
from gmmp_quiz.sets.templates import template_text
from gmmp_quiz.sets.writer import dump_set
from gmmp_quiz.sets.yamlread import SafeYamlLoader

ROOT = Path(__file__).parents[1]
DATA = ROOT / "tests" / "data"
# Every good set in the repository: the shipped one and the fixtures the tests load.
GOOD = sorted(
    [
        *(ROOT / "questions").glob("*.yaml"),
        *(DATA / "good").glob("*.yaml"),
        *(DATA / "ui").glob("*.yaml"),
        *(DATA / "serve").glob("*.yaml"),
    ]
)
# Bad fixtures whose fault is one of shape, which a JSON Schema can say.
BAD_SHAPES = [
    "unknown-key.yaml",
    "missing-id.yaml",
    "missing-questions.yaml",
    "bad-type.yaml",
    "empty-choices.yaml",
    "root-list.yaml",
    "wrong-type-list-for-text.yaml",
]


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    made = schema()
    Draft202012Validator.check_schema(made)
    return Draft202012Validator(made)


def _data(text: str) -> Any:
    """The plain data of a YAML text, read by the loader's own YAML reader."""
    return yaml.load(text, Loader=SafeYamlLoader)


def _read(path: Path) -> tuple[str, Any]:
    text = path.read_text(encoding="utf-8-sig")
    return text, _data(text)


def _problems(validator: Draft202012Validator, data: Any) -> list[str]:
    return [error.message for error in validator.iter_errors(data)]


def test_there_are_good_sets_of_every_kind() -> None:
    kinds = {q["type"] for path in GOOD for q in _read(path)[1]["questions"] if isinstance(q, dict)}
    assert kinds == {kind.value for kind in Kind}


@pytest.mark.parametrize("path", GOOD, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_good_sets_validate(path: Path, validator: Draft202012Validator) -> None:
    text, data = _read(path)
    load_text(text, str(path))  # the loader takes it: a good set indeed
    assert _problems(validator, data) == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_new_set_template_validates(lang: str, validator: Draft202012Validator) -> None:
    text = template_text("my-set", "My set", lang)
    load_text(text)
    assert _problems(validator, _data(text)) == []


@pytest.mark.parametrize("name", BAD_SHAPES)
def test_bad_fixtures_are_refused(name: str, validator: Draft202012Validator) -> None:
    text, data = _read(DATA / "bad" / name)
    with pytest.raises(ValidationError):
        load_text(text, name)
    assert _problems(validator, data)


def _set_with(question: dict[str, Any]) -> dict[str, Any]:
    return {"id": "s", "title": "S", "language": "en", "questions": [question]}


CHOICE = {"id": "q1", "type": "choice", "prompt": "Where?", "choices": ["Paris", "Rome"]}
CHANGES: dict[str, Callable[[dict[str, Any]], None]] = {
    "unknown set key": lambda s: s.update(colour="red"),
    "unknown question key": lambda s: s["questions"][0].update(promt="Who?"),
    "key of another kind": lambda s: s["questions"][0].update(items=["a", "b"]),
    "bad set id": lambda s: s.update(id="not an id"),
    "bad question id": lambda s: s["questions"][0].update(id="-q"),
    "id too long": lambda s: s.update(id="a" * 101),
    "bad language": lambda s: s.update(language="English"),
    "bad language of a text": lambda s: s.update(title={"EN": "S"}),
    "no title": lambda s: s.pop("title"),
    "no answer": lambda s: s["questions"][0].pop("answer"),
    "no prompt": lambda s: s["questions"][0].pop("prompt"),
    "wrong kind": lambda s: s["questions"][0].update(type="choices"),
    "one choice": lambda s: s["questions"][0].update(choices=["Paris"]),
    "weight over 100": lambda s: s["questions"][0].update(
        choices=[{"text": "Paris", "weight": 150}, "Rome"]
    ),
    "empty text": lambda s: s.update(title=""),
    "option not boolean": lambda s: s.update(options={"shuffle": "yes"}),
    "unknown option": lambda s: s.update(options={"shufle": True}),
    "no questions": lambda s: s.update(questions=[]),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_both_refuse_the_same_slips(change: str, validator: Draft202012Validator) -> None:
    good = _set_with(dict(CHOICE, answer="Paris"))
    assert _problems(validator, good) == []
    load_text(dump_set(good))
    bad = copy.deepcopy(good)
    CHANGES[change](bad)
    with pytest.raises(ValidationError):
        load_text(dump_set(bad))
    assert _problems(validator, bad)


def test_schema_keys_are_those_of_the_rules() -> None:
    made = schema()
    question = made["properties"]["questions"]["items"]
    branches = {v["if"]["properties"]["type"]["const"]: v["then"] for v in question["allOf"]}
    assert set(branches) == {kind.value for kind in KIND_KEYS}
    for kind in Kind:
        assert tuple(branches[kind.value]["properties"]) == question_keys(kind)
        assert tuple(branches[kind.value]["required"]) == question_required(kind)
