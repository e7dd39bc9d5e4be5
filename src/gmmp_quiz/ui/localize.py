"""Key bindings shown in the interface language, translated by their id.

Every binding has an `id` of the form `where.key` (`quiz.leave`, `quiz.skip_typing.skip`): its
last part is the interface string (`i18n_strings.STRINGS`) that describes it. A screen deriving from
`LocalizedScreen` hands its footer (and Textual's key panel) its active bindings with their
descriptions in its language; the bindings themselves are left as declared.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import TypeVar

from textual.binding import ActiveBinding, Binding
from textual.screen import Screen

from gmmp_quiz.i18n import STRINGS, lookup

ResultT = TypeVar("ResultT")

# Textual's key names that are English words, as French keyboards label them.
KEY_NAMES_FR = {
    "space": "espace",
    "esc": "échap",
    "home": "début",
    "end": "fin",
    "PgDn": "PgSuiv",
    "PgUp": "PgPréc",
}


def string_key(binding: Binding) -> str | None:
    """The interface string describing `binding`: the last part of its id (None: no id)."""
    if binding.id is None:
        return None
    return binding.id.rpartition(".")[2]


@lru_cache(maxsize=512)
def localized(binding: Binding, lang: str) -> Binding:
    """`binding` with its description in `lang` (as it is when it has none, or no string)."""
    key = string_key(binding)
    if not binding.description or key is None or key not in STRINGS:
        return binding
    # Not typeset: the footer shows the catalogue's words as they are (it always has).
    return replace(binding, description=lookup(STRINGS[key], lang))


class LocalizedScreen(Screen[ResultT]):
    """A screen whose keys are described in `self.lang`, the interface language.

    A modal lists `ModalScreen` first (`class X(ModalScreen[T], LocalizedScreen[T])`): Textual
    takes a widget's CSS type names along its first base only.
    """

    lang: str

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """Textual's active bindings, each described in the interface language."""
        lang = self.lang
        return {
            key: active._replace(binding=localized(active.binding, lang))
            for key, active in super().active_bindings.items()
        }
