"""What the Missed list shows of its entries: the filter `f` cycles to, and the search typed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gmmp_quiz.i18n import t, typeset
from gmmp_quiz.missed import MissedEntry, filter_entries, group_by_set, search_key

if TYPE_CHECKING:
    from collections.abc import Sequence

    from gmmp_quiz.model import QuestionSet

# Searches whose result is kept, for a backspace or a search typed again.
FOUND_KEPT = 64

# A filter: its kind ("all", "set", "tag" or "section"), what it keeps, and its label.
Filter = tuple[str, str | None, str]


class MissedFilters:
    """The filters that would show something (every set, one set, one tag, one section), the one
    chosen, and the entries a filter and a search keep.

    Each search's result is kept under the current filter: a search typed further only looks
    through what the shorter one found, and one typed back to (a backspace) is not done again.
    """

    def __init__(self, lang: str, wanted: tuple[str, str] | None = None) -> None:
        self.lang = lang
        self.filters: list[Filter] = [("all", None, t("filter_all", lang))]
        self.chosen = 0
        """The index of the filter shown, in `filters`."""
        self._wanted: tuple[str, str] | None = wanted  # asked for on the command line
        self._all: list[MissedEntry] = []
        self._found: dict[str, list[MissedEntry]] = {}
        self._found_for: tuple[str, str | None] | None = None

    @property
    def every(self) -> list[MissedEntry]:
        """Every entry, unfiltered (as given to `use`)."""
        return self._all

    @property
    def asked(self) -> bool:
        """Whether a filter asked for on the command line waits for the entries to be listed."""
        return self._wanted is not None

    @property
    def current(self) -> Filter:
        """The filter shown."""
        return self.filters[self.chosen]

    def cycle(self) -> None:
        """The next filter."""
        self.chosen = (self.chosen + 1) % len(self.filters)

    def use(self, entries: list[MissedEntry]) -> None:
        """Filter `entries` from now on (every entry, unfiltered); no search result is kept."""
        self._all = entries
        self._found_for = None

    def rebuild(self, sets: Sequence[QuestionSet]) -> None:
        """The set, tag and section filters that would show something, keeping the chosen one
        (or the one asked for on the command line, even if it shows nothing)."""
        lang = self.lang
        current = self.current[:2]
        everything = self._all
        filters: list[Filter] = [("all", None, t("filter_all", lang))]
        listed = [qset for qset, _ in group_by_set(everything)]
        if len(listed) > 1:
            filters += [
                ("set", s.id, t("filter_set", lang, name=s.title.get(lang))) for s in listed
            ]
        labels = {tag: e.qset.tag_label(tag, lang) for e in everything for tag in e.question.tags}
        tags = sorted(labels, key=lambda tag: labels[tag].casefold())
        filters += [("tag", tag, t("filter_tag", lang, name=labels[tag])) for tag in tags]
        sections = sorted(
            {e.question.source.get(lang) for e in everything if e.question.source is not None},
            key=str.casefold,
        )
        filters += [("section", s, t("filter_section", lang, name=s)) for s in sections]
        wanted = self._wanted or current
        self._wanted = None
        keys = [f[:2] for f in filters]
        if wanted not in keys and wanted[0] == "set" and wanted[1]:
            # A set asked for on the command line that is the only one with misses.
            qset = next((s for s in sets if s.id == wanted[1]), None)
            if qset is not None:
                label = t("filter_set", lang, name=typeset(qset.title.get(lang), lang))
                filters.insert(1, ("set", qset.id, label))
                keys.insert(1, wanted)
        if wanted not in keys and wanted[0] == "tag" and wanted[1]:
            filters.append(("tag", wanted[1], t("filter_tag", lang, name=wanted[1])))
            keys.append(wanted)
        self.filters = filters
        self.chosen = keys.index(wanted) if wanted in keys else 0

    def select(self, search: str | None) -> list[MissedEntry]:
        """The entries the chosen filter and `search` keep, in list order."""
        kind, value, _label = self.current
        filters: dict[str, Any] = {"search": search}
        if kind != "all":
            filters["set_id" if kind == "set" else kind] = value
        key = search_key(search) if search else ""
        if self._found_for != (kind, value):
            self._found, self._found_for = {}, (kind, value)
        found = self._found.get(key)
        if found is None:
            shorter = next(
                (
                    self._found[key[:n]]
                    for n in range(len(key) - 1, -1, -1)
                    if key[:n] in self._found
                ),
                None,
            )
            if shorter is not None:
                found = filter_entries(shorter, search=key)
            else:
                found = filter_entries(self._all, **filters)
            if len(self._found) >= FOUND_KEPT:
                del self._found[next(iter(self._found))]  # the oldest
            self._found[key] = found
        return list(found)
