"""The Missed list's filters and search memo, on the scripted history of test_review_core."""

from __future__ import annotations

from typing import Any

import pytest
from test_review_core import HISTORY, NOW, SETS, STATES, keys

from gmmp_quiz.missed import filter_entries, missed_entries
from gmmp_quiz.ui import missed_filters
from gmmp_quiz.ui.missed_filters import MissedFilters

ENTRIES = missed_entries(SETS, STATES, HISTORY, NOW)


def listed(wanted: tuple[str, str] | None = None, lang: str = "fr") -> MissedFilters:
    shown = MissedFilters(lang, wanted)
    shown.use(ENTRIES)
    shown.rebuild(SETS)
    return shown


def test_the_filters_are_those_that_show_something_and_f_cycles_back() -> None:
    shown = listed()
    assert [f[:2] for f in shown.filters] == [
        ("all", None),
        ("set", "geo"),
        ("set", "hist"),
        ("tag", "fleuves"),
        ("tag", "histoire"),
        ("tag", "villes"),
        ("section", "Chapitre 1 — Géographie"),
        ("section", "Chapitre 2 — Hydrographie"),
    ]
    seen = []
    for _ in shown.filters:
        seen.append(shown.current[:2])
        shown.cycle()
    assert seen == [f[:2] for f in shown.filters] and shown.current[0] == "all"


def test_each_filter_keeps_what_filter_entries_keeps() -> None:
    shown = listed()
    for kind, value, _label in shown.filters:
        given: dict[str, Any] = (
            {} if kind == "all" else {"set_id" if kind == "set" else kind: value}
        )
        assert keys(shown.select(None)) == keys(filter_entries(ENTRIES, **given))
        assert keys(shown.select("fes")) == keys(filter_entries(ENTRIES, search="fes", **given))
        shown.cycle()


def test_the_chosen_filter_is_kept_when_the_entries_change() -> None:
    shown = listed()
    while shown.current[:2] != ("tag", "villes"):
        shown.cycle()
    # One entry fewer (marked known): the filters are rebuilt, on the same one.
    shown.use([e for e in ENTRIES if e.question.id != "river"])
    shown.rebuild(SETS)
    assert shown.current[:2] == ("tag", "villes")
    assert ("tag", "fleuves") not in [f[:2] for f in shown.filters]


def test_a_set_or_tag_asked_for_is_chosen_even_if_it_shows_nothing_else() -> None:
    assert listed(("set", "hist")).current[:2] == ("set", "hist")
    shown = MissedFilters("en", ("set", "hist"))
    assert shown.asked
    shown.use([e for e in ENTRIES if e.qset.id == "hist"])  # the only set with misses
    shown.rebuild(SETS)
    assert not shown.asked
    assert shown.current[:2] == ("set", "hist") and shown.current[2].endswith("Histoire")
    unknown = listed(("tag", "nowhere"))
    assert unknown.current[:2] == ("tag", "nowhere") and unknown.select(None) == []


def test_a_longer_search_looks_only_through_the_shorter_ones_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown = listed()
    looked_at: list[int] = []
    real = missed_filters.filter_entries

    def counting(entries: list[Any], **filters: Any) -> list[Any]:
        looked_at.append(len(entries))
        return real(entries, **filters)

    monkeypatch.setattr(missed_filters, "filter_entries", counting)
    first = shown.select("r")
    assert looked_at == [len(ENTRIES)]
    narrower = shown.select("ra")
    assert looked_at[-1] == len(first) and set(keys(narrower)) <= set(keys(first))
    assert keys(narrower) == keys(filter_entries(ENTRIES, search="ra"))
    done = len(looked_at)
    assert keys(shown.select("r")) == keys(first)  # a backspace: not searched again
    assert len(looked_at) == done
    shown.cycle()  # another filter: nothing kept from the last one
    shown.select("r")
    assert looked_at[-1] == len(ENTRIES)


def test_at_most_found_kept_searches_are_kept_the_oldest_going_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(missed_filters, "FOUND_KEPT", 3)
    shown = listed()
    calls: list[str | None] = []
    real = missed_filters.filter_entries

    def counting(entries: list[Any], **filters: Any) -> list[Any]:
        calls.append(filters.get("search"))
        return real(entries, **filters)

    monkeypatch.setattr(missed_filters, "filter_entries", counting)
    for search in ("x", "y", "z", "w"):
        shown.select(search)
    assert calls == ["x", "y", "z", "w"]
    shown.select("w")
    shown.select("z")
    assert calls == ["x", "y", "z", "w"]  # still kept
    shown.select("x")  # the oldest, dropped
    assert calls[-1] == "x" and len(calls) == 5


def test_new_entries_drop_the_searches_kept() -> None:
    shown = listed()
    assert "geo/capital" in keys(shown.select("ra"))
    fewer = [e for e in ENTRIES if e.question.id != "capital"]
    shown.use(fewer)  # one marked known
    assert shown.every == fewer
    assert keys(shown.select("ra")) == keys(filter_entries(fewer, search="ra"))
    assert "geo/capital" not in keys(shown.select("ra")) + keys(shown.select("r"))


def test_the_result_is_a_copy() -> None:
    shown = listed()
    first = shown.select(None)
    first.clear()
    assert keys(shown.select(None)) == keys(ENTRIES)
