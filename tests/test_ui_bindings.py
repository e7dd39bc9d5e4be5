"""Every key binding of the app has an id that names the interface string describing it."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from textual.binding import Binding
from textual.dom import DOMNode

import gmmp_quiz.ui
from gmmp_quiz.i18n import STRINGS, english, lookup
from gmmp_quiz.ui.localize import localized, string_key


def _bindings() -> list[tuple[str, Binding]]:
    found: list[tuple[str, Binding]] = []
    for info in pkgutil.walk_packages(gmmp_quiz.ui.__path__, "gmmp_quiz.ui."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and issubclass(value, DOMNode)
                and value.__module__ == info.name
            ):
                for binding in vars(value).get("BINDINGS", []):
                    assert isinstance(binding, Binding)
                    found.append((f"{info.name}.{name}", binding))
    return found


BINDINGS = _bindings()


def test_the_app_has_bindings() -> None:
    assert len(BINDINGS) > 50


@pytest.mark.parametrize(("where", "binding"), BINDINGS, ids=lambda x: str(x)[:40])
def test_each_binding_has_an_id_naming_its_string(where: str, binding: Binding) -> None:
    assert binding.id, f"{where}: {binding.key} has no id"
    if binding.description:
        key = string_key(binding)
        assert key in STRINGS, f"{where}: {binding.id} names no interface string"
        assert english(STRINGS[key]) == binding.description


def test_description_in_french_from_the_id() -> None:
    binding = Binding("ctrl+s", "skip_typing", "Skip", id="quiz.skip_typing.skip")
    assert localized(binding, "fr").description == lookup(STRINGS["skip"], "fr") == "Passer"
    assert localized(binding, "en").description == "Skip"
    hidden = Binding("1", "pick(1)", show=False, id="answers.pick_1")
    assert localized(hidden, "fr") == hidden
