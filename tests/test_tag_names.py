"""Tag names: how tags read per language in summaries, stats and filters; slips are caught."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gmmp_quiz.errors import ValidationError
from gmmp_quiz.session import Session, make_item
from gmmp_quiz.sets.loading import load_set, load_text
from gmmp_quiz.stats import compute_stats

SET = """\
id: named
title: Named tags
language: fr
tags: [lieux]
tag_names:
  lieux: {fr: Lieux, en: Places}
  mobilite: {fr: Mobilité, en: Mobility}
questions:
  - id: q1
    type: short
    prompt: Où ?
    answer: Paris
    tags: [mobilite, brut]
"""


def test_names_load_and_fall_back_to_the_tag() -> None:
    qset = load_text(SET, "named.yaml")
    assert qset.tag_label("mobilite", "fr") == "Mobilité"
    assert qset.tag_label("mobilite", "en") == "Mobility"
    assert qset.tag_label("mobilite", "de") == "Mobilité"  # the set's language
    assert qset.tag_label("brut", "en") == "brut"  # no name: the tag itself


def test_a_name_for_a_tag_nobody_uses_is_reported_at_its_key() -> None:
    text = SET.replace("  mobilite: {fr:", "  mobilté: {fr:")
    with pytest.raises(ValidationError) as info:
        load_text(text, "named.yaml")
    [problem] = info.value.problems
    assert (problem.line, problem.column) == (7, 3)
    assert (
        "'mobilté' is not a tag" in problem.message
        and "did you mean 'mobilite'?" in problem.message
    )


def test_a_name_that_is_not_a_text_is_reported() -> None:
    with pytest.raises(ValidationError) as info:
        load_text(SET.replace("lieux: {fr: Lieux, en: Places}", "lieux: [a, b]"), "named.yaml")
    assert any(p.line == 6 for p in info.value.problems)


def test_summary_and_stats_show_the_names() -> None:
    qset = load_text(SET, "named.yaml")
    item = make_item(qset, qset.questions[0], random.Random(1))
    session = Session([item], None)
    session.answer("Paris")
    summary = session.summary()
    assert {summary.tag_label(tag, "en") for tag in summary.by_tag} == {"Mobility", "brut"}
    now = datetime(2026, 1, 1, tzinfo=UTC)
    stats = compute_stats([qset], {}, [], now, UTC, lang="fr")
    assert {m.label for m in stats.by_tag} == {"Mobilité", "brut"}


def test_the_shipped_set_names_every_tag_it_uses() -> None:
    shipped = Path(__file__).parents[1] / "questions" / "gmmp-2025.yaml"
    qset = load_set(shipped, use_cache=False)
    used = set(qset.tags) | {tag for q in qset.questions for tag in q.tags}
    assert used == set(qset.tag_names)
    assert qset.tag_label("mobilite", "fr") == "Mobilité"
