"""The question form's rules without the app: fields typed -> question data, or why not."""

from __future__ import annotations

import re

import pytest

from gmmp_quiz.model import Kind
from gmmp_quiz.sets.edit import FormError, form_langs, question_from_fields


def build(kind: Kind, taken: frozenset[str] = frozenset(), **fields: str | bool) -> dict:
    named = {key.replace("_", "-"): value for key, value in fields.items()}
    return question_from_fields(kind, named, "fr", set(taken))


def test_the_set_language_comes_first() -> None:
    assert form_langs("fr") == ("fr", "en")
    assert form_langs("en") == ("en", "fr")


def test_a_short_answer_in_two_languages_with_alternatives_and_tags() -> None:
    q = build(
        Kind.SHORT,
        prompt_fr="Capitale de la France ?",
        prompt_en="Capital of France?",
        answer_fr="Paris",
        alternatives=" Lutèce | | Paname ",
        tags="geo, , europe",
    )
    assert q == {
        "id": "capitale-de-la-france",
        "type": "short",
        "prompt": {"fr": "Capitale de la France ?", "en": "Capital of France?"},
        "answer": "Paris",
        "alternatives": ["Lutèce", "Paname"],
        "tags": ["geo", "europe"],
    }


def test_choices_take_the_starred_line_as_the_answer() -> None:
    q = build(Kind.CHOICE, prompt_fr="Couleur ?", choices_fr="Rouge\n*Bleu\nVert\n\n")
    assert q["choices"] == ["Rouge", "Bleu", "Vert"] and q["answer"] == "Bleu"
    multi = build(Kind.MULTI, prompt_fr="Pairs ?", choices_fr="*2\n3\n*4")
    assert multi["answers"] == ["2", "4"] and "answer" not in multi


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ("Seul", "Give at least 2 choices."),
        ("A\nB", "Mark the right choice with * (exactly one)."),
        ("*A\n*B", "Mark the right choice with * (exactly one)."),
    ],
)
def test_choices_need_two_lines_and_one_right(choices: str, message: str) -> None:
    with pytest.raises(FormError, match=re.escape(message)):
        build(Kind.CHOICE, prompt_fr="Q ?", choices_fr=choices)


def test_line_lists_must_match_across_languages() -> None:
    with pytest.raises(FormError, match="same number of lines"):
        build(Kind.ORDER, prompt_fr="Ordre ?", items_fr="a\nb\nc", items_en="a\nb")


def test_a_numeric_answer_reads_french_numbers_and_says_what_is_not_one() -> None:
    q = build(Kind.NUMERIC, prompt_fr="Combien ?", number="2 025", tolerance="0,5")
    assert q["answer"] == 2025 and q["tolerance"] == 0.5
    with pytest.raises(FormError, match="“deux” is not a number."):
        build(Kind.NUMERIC, prompt_fr="Combien ?", number="deux")
    with pytest.raises(FormError, match="is required"):
        build(Kind.NUMERIC, prompt_fr="Combien ?", number="  ")


def test_true_false_reads_the_tick() -> None:
    assert build(Kind.TRUE_FALSE, prompt_fr="Vrai ?", truth=False)["answer"] is False
    assert build(Kind.TRUE_FALSE, prompt_fr="Vrai ?", truth=True)["answer"] is True


def test_a_cloze_needs_a_gap_and_pairs_an_arrow() -> None:
    with pytest.raises(FormError, match="no gap"):
        build(Kind.CLOZE, cloze_fr="Pas de trou")
    assert build(Kind.CLOZE, cloze_fr="La {{Seine}} coule")["text"] == "La {{Seine}} coule"
    with pytest.raises(FormError, match="line 2: write left -> right"):
        build(Kind.MATCH, prompt_fr="Associez", pairs_fr="a -> 1\nb 2")
    pairs = build(Kind.MATCH, prompt_fr="Associez", pairs_fr="a->1\nb->2")["pairs"]
    assert pairs == [{"left": "a", "right": "1"}, {"left": "b", "right": "2"}]


def test_ids_given_are_checked_and_made_ones_are_unique() -> None:
    assert build(Kind.FLASHCARD, {"recto"}, front_fr="Recto", back_fr="Verso")["id"] == "recto-2"
    with pytest.raises(FormError, match="not a valid id"):
        build(Kind.FLASHCARD, front_fr="R", back_fr="V", qf_id="deux mots")
    with pytest.raises(FormError, match="already used"):
        build(Kind.FLASHCARD, {"pris"}, front_fr="R", back_fr="V", qf_id="pris")


def test_a_control_character_is_refused_and_the_message_is_in_the_language_asked() -> None:
    with pytest.raises(FormError, match="control character"):
        build(Kind.SHORT, prompt_fr="Q\x07 ?", answer_fr="R")
    with pytest.raises(FormError) as caught:
        question_from_fields(Kind.SHORT, {"answer-fr": "R"}, "fr", set(), lang="fr")
    assert str(caught.value) == "«\u202fQuestion\u202f» est à remplir."
