"""Translate the descriptions of a widget's key bindings into the interface language."""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from gmmp_quiz.i18n import STRINGS, english, lookup

# Bindings are declared with English descriptions; this maps them to interface string keys.
_BY_ENGLISH = {english(message): key for key, message in STRINGS.items()}


def localize_bindings(node: DOMNode, lang: str) -> None:
    """Rewrite the node's binding descriptions in `lang`, so its footer reads in that language."""
    if lang == "en":
        return
    for key, bindings in node._bindings.key_to_bindings.items():
        node._bindings.key_to_bindings[key] = [
            replace(b, description=lookup(STRINGS[_BY_ENGLISH[b.description]], lang))
            if b.description in _BY_ENGLISH
            else b
            for b in bindings
        ]
