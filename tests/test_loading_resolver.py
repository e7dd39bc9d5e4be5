"""The loader's quick resolver gives every scalar the same tag as PyYAML's own safe loader."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gmmp_quiz.sets.yamlread import _FastLoader

SAMPLES = [
    "no",
    "No",
    "yes",
    "on",
    "off",
    "true",
    "False",
    "~",
    "null",
    "",
    "010",
    "0x1f",
    "1:30",
    "1_000",
    "2025",
    "-7",
    "+3.5",
    ".5",
    ".inf",
    "-.Inf",
    ".nan",
    "2025-06-25",
    "2025-06-25 10:00:00",
    "Paris",
    "Rabat 2025",
    "=",
    "<<",
    "é",
    "Ñ",
    "ok",
    "n",
    "y",
]


def tags(text: str, loader: type) -> list[str]:
    node = yaml.compose(text, Loader=loader)

    def walk(n: yaml.Node) -> list[str]:
        if isinstance(n, yaml.MappingNode):
            return [n.tag] + [t for k, v in n.value for t in (*walk(k), *walk(v))]
        if isinstance(n, yaml.SequenceNode):
            return [n.tag] + [t for v in n.value for t in walk(v)]
        return [n.tag]

    return walk(node) if node is not None else []


def doc(values: list[str]) -> str:
    return "\n".join(f"k{i}: {v}" for i, v in enumerate(values)) + "\n"


def test_known_surprises_resolve_alike() -> None:
    text = doc(SAMPLES) + "list: [no, 010, Paris, '1:30', \"x\"]\n"
    assert tags(text, _FastLoader) == tags(text, yaml.CSafeLoader)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet="0123456789+-.:_eE~noyesfalsetruNOYTF xé", max_size=12), max_size=8)
)
def test_random_plain_scalars_resolve_alike(values: list[str]) -> None:
    text = doc([v.strip() for v in values])
    try:
        expected = tags(text, yaml.CSafeLoader)
    except yaml.YAMLError:
        return
    assert tags(text, _FastLoader) == expected
