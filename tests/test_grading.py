"""Tests for the grading engine: every kind, typos, partial credit, numbers, bad responses."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gmmp_quiz.errors import QuizError
from gmmp_quiz.grading import (
    BadResponse,
    Rating,
    Verdict,
    expected_answer,
    grade,
    normalize,
    parse_number,
    typo_threshold,
    verdict_from_override,
)
from gmmp_quiz.model import Choice, Kind, LText, Outcome, Pair, Question

C, P, W = Outcome.CORRECT, Outcome.PARTIAL, Outcome.WRONG


def t(fr: str, en: str | None = None) -> LText:
    """A French text, with an English variant when given."""
    return LText({"fr": fr} if en is None else {"fr": fr, "en": en}, "fr")


def q(kind: Kind, **fields: Any) -> Question:
    """A question of `kind` with a dummy prompt and the given fields."""
    return Question(id=f"q-{kind}", kind=kind, prompt=t("Question ?", "Question?"), **fields)


# --- normalize -----------------------------------------------------------------------------------

NORMALIZE_CASES = [
    ("« Frédéric Joram »", "frederic joram"),
    ("Frederic  Joram.", "frederic joram"),
    ("FRÉDÉRIC JORAM", "frederic joram"),
    ("l’immigration", "l immigration"),
    ("l'immigration", "l immigration"),
    ("co-présidée", "co presidee"),
    ("Œuvre", "oeuvre"),
    ("nævus", "naevus"),
    ("Straße", "strasse"),
    ("à la fenêtre, ça côtoie", "a la fenetre ca cotoie"),
    ("  tabs\tand\nnewlines  ", "tabs and newlines"),
    ("ﬁn", "fin"),  # the fi ligature (compatibility form)
    ("Ｒａｂａｔ", "rabat"),  # full-width letters
    ("zero\u200bwidth", "zerowidth"),
    ("Rabat\u00a0!", "rabat"),
    ("", ""),
    ("?!", ""),
]


@pytest.mark.parametrize(("text", "folded"), NORMALIZE_CASES)
def test_normalize(text: str, folded: str) -> None:
    assert normalize(text) == folded


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("« Frédéric Joram »", "frédéric joram"),
        ("FRÉDÉRIC", "frédéric"),
        ("Œuvre", "oeuvre"),
        ("e\u0301te\u0301", "été"),  # decomposed accents are recomposed
    ],
)
def test_normalize_strict_accents_keeps_accents(text: str, folded: str) -> None:
    assert normalize(text, strict_accents=True) == folded


# --- typo thresholds -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "limit"),
    [
        ("", 0),
        ("abc", 0),
        ("abcd", 1),
        ("rabat", 1),
        ("abcdefg", 1),
        ("abcdefgh", 2),
        ("frederic joram", 2),
        ("a" * 15, 2),
        ("a" * 16, 3),
        ("lutter contre l immigration", 3),
        ("2025", 0),
        ("7e reunion pleniere", 0),
        ("25 juin 2025", 0),
    ],
)
def test_typo_threshold(answer: str, limit: int) -> None:
    assert typo_threshold(answer) == limit


# --- short ---------------------------------------------------------------------------------------

JORAM = q(Kind.SHORT, answer=t("Frédéric Joram"), alternatives=("Joram", "F. Joram"))
RABAT = q(Kind.SHORT, answer=t("Rabat"))
PLENARY = q(Kind.SHORT, answer=t("7e réunion"))
BIG = q(
    Kind.SHORT, answer=t("Lutter contre l’immigration irrégulière", "Fighting irregular migration")
)
ONU = q(Kind.SHORT, answer=t("ONU", "UN"))
YEAR = q(Kind.SHORT, answer=t("2025"))

SHORT_CASES = [
    # exact matches, however written
    (JORAM, "Frédéric Joram", C, False),
    (JORAM, "« Frédéric Joram »", C, False),
    (JORAM, "frederic joram", C, False),
    (JORAM, "Frederic  Joram.", C, False),
    (JORAM, "  FRÉDÉRIC   JORAM  ", C, False),
    # alternatives
    (JORAM, "Joram", C, False),
    (JORAM, "f joram", C, False),
    (JORAM, "F. Joram", C, False),
    # typos within the threshold
    (JORAM, "Frederik Joram", C, True),
    (JORAM, "Fréderic Jorma", C, True),  # accent ignored, a transposition is one edit
    (JORAM, "Jorm", C, True),  # against the alternative "Joram" (limit 1)
    (RABAT, "Rabta", C, True),  # a swap of two neighbouring letters is one edit
    (RABAT, "Rbata", W, False),  # two swaps are two edits: beyond 1
    (RABAT, "Rbat", C, True),
    (RABAT, "Rabbat", C, True),
    (BIG, "lutter contre l'immigration irreguliere", C, False),
    (BIG, "luter contre l'imigration irégulière", C, True),
    (BIG, "Fighting irregular migraton", C, True),  # the other language variant
    # typos beyond the threshold
    (JORAM, "Fredrik Jorm", W, False),
    (RABAT, "Rbt", W, False),
    (RABAT, "Marrakech", W, False),
    # never a typo with digits or 3 characters or fewer
    (PLENARY, "7e réunion", C, False),
    (PLENARY, "8e réunion", W, False),
    (PLENARY, "7e reunon", W, False),
    (YEAR, "2025", C, False),
    (YEAR, "2026", W, False),
    (ONU, "onu", C, False),
    (ONU, "UN", C, False),
    (ONU, "ONE", W, False),
    (ONU, "on", W, False),
    # empty answers
    (JORAM, "", W, False),
    (JORAM, "   ", W, False),
    (JORAM, "…", W, False),
]


@pytest.mark.parametrize(("question", "typed", "outcome", "typo"), SHORT_CASES)
def test_short(question: Question, typed: str, outcome: Outcome, typo: bool) -> None:
    verdict = grade(question, typed)
    assert verdict.outcome is outcome
    assert verdict.score == (1.0 if outcome is C else 0.0)
    assert verdict.typo is typo
    assert bool(verdict.diff) is typo


def test_short_expected_and_given() -> None:
    verdict = grade(BIG, "fighting irregular migration", lang="en")
    assert verdict.expected == "Fighting irregular migration"
    assert verdict.given == "fighting irregular migration"
    assert grade(BIG, "x", lang="fr").expected == "Lutter contre l’immigration irrégulière"
    assert grade(BIG, "x").expected == "Lutter contre l’immigration irrégulière"


def test_typo_diff_keeps_the_original_characters() -> None:
    verdict = grade(JORAM, "Frederik Joram")
    assert verdict.typo and verdict.matched == "Frédéric Joram"
    # case and accents are not edits; the k for c is
    assert verdict.diff == (
        ("equal", "Frederi"),
        ("delete", "k"),
        ("insert", "c"),
        ("equal", " Joram"),
    )
    given_side = "".join(text for op, text in verdict.diff if op in ("equal", "delete"))
    assert given_side == verdict.given


def test_typo_diff_against_the_closest_answer() -> None:
    verdict = grade(JORAM, "Jorm")
    assert verdict.matched == "Joram"
    assert verdict.diff == (("equal", "Jor"), ("insert", "a"), ("equal", "m"))
    assert verdict.expected == "Frédéric Joram"


@pytest.mark.parametrize(
    ("typed", "diff"),
    [
        ("Rbat", (("equal", "R"), ("insert", "a"), ("equal", "bat"))),
        ("Rabbat", (("equal", "Rab"), ("delete", "b"), ("equal", "at"))),
        ("rabot", (("equal", "rab"), ("delete", "o"), ("insert", "a"), ("equal", "t"))),
    ],
)
def test_typo_diff_ops(typed: str, diff: tuple[tuple[str, str], ...]) -> None:
    verdict = grade(RABAT, typed)
    assert verdict.typo
    assert verdict.diff == diff
    expected_side = "".join(text for op, text in verdict.diff if op in ("equal", "insert"))
    assert normalize(expected_side) == "rabat"


def test_exact_match_beats_typo() -> None:
    question = q(Kind.SHORT, answer=t("Marois"), alternatives=("Marais",))
    verdict = grade(question, "marais")
    assert not verdict.typo
    assert verdict.matched == "Marais"


def test_closest_answer_wins_among_typos() -> None:
    question = q(Kind.SHORT, answer=t("Casablanca"), alternatives=("Casablanka",))
    verdict = grade(question, "Casablankaa")
    assert verdict.typo and verdict.matched == "Casablanka"


STRICT = dataclasses.replace(JORAM, strict_accents=True)


@pytest.mark.parametrize(
    ("typed", "outcome", "typo"),
    [
        ("Frédéric Joram", C, False),
        ("FRÉDÉRIC JORAM", C, False),
        ("« frédéric joram »", C, False),
        ("Frederic Joram", W, False),  # accents missing
        ("Frédèric Joram", W, False),  # wrong accent
        ("Frédérik Joram", C, True),  # a typo, accents right
        ("Frederik Joram", W, False),  # a typo and accents missing
        ("Joram", C, False),
    ],
)
def test_short_strict_accents(typed: str, outcome: Outcome, typo: bool) -> None:
    verdict = grade(STRICT, typed)
    assert (verdict.outcome, verdict.typo) == (outcome, typo)


def test_short_rejects_non_str() -> None:
    with pytest.raises(BadResponse):
        grade(JORAM, 3)
    with pytest.raises(BadResponse):
        grade(JORAM, ["Joram"])


# --- numeric -------------------------------------------------------------------------------------

PARSE_CASES = [
    ("2025", 2025.0),
    ("2 025", 2025.0),
    ("2\u00a0025", 2025.0),
    ("2\u202f025", 2025.0),
    ("1 234 567", 1234567.0),
    ("2025.0", 2025.0),
    ("2025,0", 2025.0),
    ("2025,5", 2025.5),
    ("3.14", 3.14),
    (".5", 0.5),
    ("+7", 7.0),
    ("-3", -3.0),
    ("\u22123", -3.0),
    ("- 3", -3.0),
    ("1e3", 1000.0),
    ("1E-2", 0.01),
    ("7e", 7.0),
    ("7e réunion", 7.0),
    ("12 km", 12.0),
    ("7 ans", 7.0),
    ("2 025 ans", 2025.0),
    ("25 %", 25.0),
    ("  42  ", 42.0),
    ("٢٠٢٥", 2025.0),  # Arabic-Indic digits
    ("２０２５", 2025.0),  # full-width digits
    ("", None),
    ("   ", None),
    ("abc", None),
    ("sept", None),
    ("-", None),
    ("e3", None),
    ("2025-06-25", None),
    ("12 34", None),
    ("1/2", None),
    ("1e999", None),
    ("nan", None),
    ("inf", None),
    ("2025.", 2025.0),
]


@pytest.mark.parametrize(("text", "value"), PARSE_CASES)
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == (None if value is None else pytest.approx(value))


PLENARY_NUMBER = q(Kind.NUMERIC, number=7, unit=t("e"))
YEAR_NUMBER = q(Kind.NUMERIC, number=2025, unit=t("ans", "years"))
ROUGH = q(Kind.NUMERIC, number=30.5, tolerance=2)
TENTH = q(Kind.NUMERIC, number=0.3)

NUMERIC_CASES = [
    (YEAR_NUMBER, "2025", C),
    (YEAR_NUMBER, "2 025", C),
    (YEAR_NUMBER, "2025.0", C),
    (YEAR_NUMBER, "2025,0", C),
    (YEAR_NUMBER, "2 025 ans", C),
    (YEAR_NUMBER, "2025 years", C),
    (YEAR_NUMBER, "2025 n'importe quoi", C),
    (YEAR_NUMBER, "2024", W),
    (YEAR_NUMBER, "2025,5", W),
    (YEAR_NUMBER, "deux mille vingt-cinq", W),
    (YEAR_NUMBER, "", W),
    (PLENARY_NUMBER, "7", C),
    (PLENARY_NUMBER, "7e", C),
    (PLENARY_NUMBER, "+7", C),
    (PLENARY_NUMBER, "-7", W),
    (PLENARY_NUMBER, "sept", W),
    (ROUGH, "30,5", C),
    (ROUGH, "32.5", C),
    (ROUGH, "28,5", C),
    (ROUGH, "32.6", W),
    (ROUGH, "28", W),
    (TENTH, "0,3", C),
    (TENTH, "0.30000000000000004", C),  # float noise is not an error
    (TENTH, "0.31", W),
]


@pytest.mark.parametrize(("question", "typed", "outcome"), NUMERIC_CASES)
def test_numeric(question: Question, typed: str, outcome: Outcome) -> None:
    verdict = grade(question, typed)
    assert verdict.outcome is outcome
    assert verdict.score == (1.0 if outcome is C else 0.0)
    assert not verdict.typo


def test_numeric_given_is_as_typed() -> None:
    assert grade(YEAR_NUMBER, "  deux mille  ").given == "deux mille"
    assert grade(YEAR_NUMBER, "2 025 ans").given == "2 025 ans"


@pytest.mark.parametrize(
    ("question", "lang", "expected"),
    [
        (YEAR_NUMBER, "fr", "2025 ans"),
        (YEAR_NUMBER, "en", "2025 years"),
        (YEAR_NUMBER, None, "2025 ans"),
        (PLENARY_NUMBER, "en", "7 e"),
        (ROUGH, "fr", "30,5 ± 2"),
        (ROUGH, "en", "30.5 ± 2"),
        (q(Kind.NUMERIC, number=2.0, tolerance=0.5, unit=t("km")), "en", "2 ± 0.5 km"),
        (q(Kind.NUMERIC, number=-3), "fr", "-3"),
    ],
)
def test_numeric_expected(question: Question, lang: str | None, expected: str) -> None:
    assert expected_answer(question, lang) == expected
    assert grade(question, "x", lang=lang).expected == expected


def test_numeric_rejects_non_str() -> None:
    with pytest.raises(BadResponse):
        grade(YEAR_NUMBER, 2025)


# --- choice and true/false -----------------------------------------------------------------------

CITY = q(
    Kind.CHOICE,
    choices=(
        Choice(t("Paris"), True, feedback=t("Oui, à Paris.", "Yes, in Paris.")),
        Choice(
            t("Rabat"), False, feedback=t("Non : la réunion précédente.", "No: the previous one.")
        ),
        Choice(t("Marseille", "Marseilles"), False),
    ),
)


@pytest.mark.parametrize(
    ("pick", "lang", "outcome", "given", "feedback"),
    [
        (0, "fr", C, "Paris", "Oui, à Paris."),
        (0, "en", C, "Paris", "Yes, in Paris."),
        (1, "fr", W, "Rabat", "Non : la réunion précédente."),
        (2, "en", W, "Marseilles", None),
        (2, None, W, "Marseille", None),
    ],
)
def test_choice(
    pick: int, lang: str | None, outcome: Outcome, given: str, feedback: str | None
) -> None:
    verdict = grade(CITY, pick, lang=lang)
    assert verdict.outcome is outcome
    assert verdict.score == (1.0 if outcome is C else 0.0)
    assert verdict.expected == "Paris"
    assert verdict.given == given
    assert verdict.feedback == feedback


@pytest.mark.parametrize("bad", [-1, 3, 99, True, "0", 0.0, None, [0]])
def test_choice_bad_response(bad: object) -> None:
    with pytest.raises(BadResponse):
        grade(CITY, bad)  # type: ignore[arg-type]


SEVENTH = q(Kind.TRUE_FALSE, truth=True)
ABOLISHED = q(Kind.TRUE_FALSE, truth=False)


@pytest.mark.parametrize(
    ("question", "answer", "lang", "outcome", "expected", "given"),
    [
        (SEVENTH, True, "fr", C, "Vrai", "Vrai"),
        (SEVENTH, False, "fr", W, "Vrai", "Faux"),
        (SEVENTH, True, "en", C, "True", "True"),
        (ABOLISHED, True, "en", W, "False", "True"),
        (ABOLISHED, False, None, C, "Faux", "Faux"),
        (ABOLISHED, False, "fr-CA", C, "Faux", "Faux"),
        (ABOLISHED, False, "xx", C, "False", "False"),
    ],
)
def test_true_false(
    question: Question, answer: bool, lang: str | None, outcome: Outcome, expected: str, given: str
) -> None:
    verdict = grade(question, answer, lang=lang)
    assert (verdict.outcome, verdict.expected, verdict.given) == (outcome, expected, given)


@pytest.mark.parametrize("bad", [1, 0, "true", None])
def test_true_false_bad_response(bad: object) -> None:
    with pytest.raises(BadResponse):
        grade(SEVENTH, bad)  # type: ignore[arg-type]


# --- multi ---------------------------------------------------------------------------------------

OBJECTIVES = q(
    Kind.MULTI,
    choices=(
        Choice(t("Faciliter les mobilités légales", "Facilitating legal mobility"), True),
        Choice(t("Supprimer les visas", "Abolishing visas"), False, feedback=t("Non.", "No.")),
        Choice(t("Lutter contre l’immigration irrégulière"), True, feedback=t("Oui.", "Yes.")),
        Choice(t("Fermer les frontières"), False),
        Choice(t("Coopérer en matière de réadmission"), True),
    ),
)

MULTI_CASES = [
    ({0, 2, 4}, C, 1.0),
    ([4, 2, 0], C, 1.0),
    ((0, 2, 4, 0), C, 1.0),  # a repeated pick counts once
    ({0, 2}, P, 2 / 3),
    ({0}, P, 1 / 3),
    ({0, 2, 4, 1}, P, 2 / 3),
    ({0, 2, 1}, P, 1 / 3),
    ({0, 1}, W, 0.0),
    ({0, 1, 3}, W, 0.0),  # never below 0
    ({1, 3}, W, 0.0),
    (set(), W, 0.0),
    (frozenset(range(5)), P, 1 / 3),
]


@pytest.mark.parametrize(("picks", "outcome", "score"), MULTI_CASES)
def test_multi(picks: Any, outcome: Outcome, score: float) -> None:
    verdict = grade(OBJECTIVES, picks)
    assert verdict.outcome is outcome
    assert verdict.score == pytest.approx(score)


def test_multi_texts_and_feedback() -> None:
    verdict = grade(OBJECTIVES, [2, 1], lang="en")
    assert verdict.expected == (
        "Facilitating legal mobility; Lutter contre l’immigration irrégulière; "
        "Coopérer en matière de réadmission"
    )
    assert verdict.given == "Abolishing visas; Lutter contre l’immigration irrégulière"
    assert verdict.feedback == "No.\nYes."
    assert grade(OBJECTIVES, [0]).feedback is None


def test_multi_without_right_choices() -> None:
    question = q(Kind.MULTI, choices=(Choice(t("a"), False), Choice(t("b"), False)))
    assert grade(question, []).outcome is C
    assert grade(question, [1]).outcome is W


@pytest.mark.parametrize("bad", [0, "02", {0: 1}, [0, 5], [-1], [True], [0.0], None])
def test_multi_bad_response(bad: object) -> None:
    with pytest.raises(BadResponse):
        grade(OBJECTIVES, bad)  # type: ignore[arg-type]


# --- order ---------------------------------------------------------------------------------------

CHRONOLOGY = q(
    Kind.ORDER,
    items=(
        t("Déclaration d’intention (déc. 2020)", "Declaration of intent (Dec 2020)"),
        t("Déclaration de Rabat (oct. 2024)", "Rabat declaration (Oct 2024)"),
        t("7e réunion plénière (juin 2025)", "7th plenary meeting (June 2025)"),
        t("Feuille de route (2026)", "Roadmap (2026)"),
    ),
)

ORDER_CASES = [
    ([0, 1, 2, 3], C, 1.0),
    ((0, 1, 3, 2), P, 0.75),
    ([1, 0, 2, 3], P, 0.75),
    ([3, 0, 1, 2], P, 0.75),  # one item moved: the three others keep their order
    ([1, 0, 3, 2], P, 0.5),
    ([2, 3, 0, 1], P, 0.5),
    ([3, 2, 1, 0], W, 0.25),  # reversed: no two items in the right relative order
]


@pytest.mark.parametrize(("order", "outcome", "score"), ORDER_CASES)
def test_order(order: list[int], outcome: Outcome, score: float) -> None:
    verdict = grade(CHRONOLOGY, order)
    assert verdict.outcome is outcome
    assert verdict.score == pytest.approx(score)


def test_order_texts() -> None:
    verdict = grade(CHRONOLOGY, [1, 0, 2, 3], lang="en")
    assert verdict.expected.startswith("Declaration of intent (Dec 2020) → Rabat declaration")
    assert verdict.given.startswith("Rabat declaration (Oct 2024) → Declaration of intent")
    assert expected_answer(CHRONOLOGY, "fr").count(" → ") == 3


def test_order_of_two_swapped_is_wrong() -> None:
    question = q(Kind.ORDER, items=(t("a"), t("b")))
    assert grade(question, [1, 0]).outcome is W
    assert grade(question, [0, 1]).outcome is C


@pytest.mark.parametrize("bad", [[0, 1, 2], [0, 1, 2, 2], [0, 1, 2, 4], "0123", {0, 1, 2, 3}, 3])
def test_order_bad_response(bad: object) -> None:
    with pytest.raises(BadResponse):
        grade(CHRONOLOGY, bad)  # type: ignore[arg-type]


# --- match ---------------------------------------------------------------------------------------

WHO = q(
    Kind.MATCH,
    pairs=(
        Pair(
            t("Khalid Zerouali"), t("Wali Directeur de la Migration", "Wali, Director of Migration")
        ),
        Pair(t("Frédéric Joram"), t("Directeur de l’immigration", "Director of Immigration")),
        Pair(t("Rabat"), t("Capitale du Maroc", "Capital of Morocco")),
        Pair(t("Paris"), t("Capitale de la France", "Capital of France")),
    ),
)

MATCH_CASES = [
    ({0: 0, 1: 1, 2: 2, 3: 3}, C, 1.0),
    ({0: 1, 1: 0, 2: 2, 3: 3}, P, 0.5),
    ({0: 0, 1: 1, 2: 3, 3: 2}, P, 0.5),
    ({0: 0}, P, 0.25),  # unanswered lefts count as wrong
    ({0: 1, 1: 2, 2: 3, 3: 0}, W, 0.0),
    ({}, W, 0.0),
]


@pytest.mark.parametrize(("links", "outcome", "score"), MATCH_CASES)
def test_match(links: dict[int, int], outcome: Outcome, score: float) -> None:
    verdict = grade(WHO, links)
    assert verdict.outcome is outcome
    assert verdict.score == pytest.approx(score)


def test_match_texts() -> None:
    verdict = grade(WHO, {1: 0, 0: 0}, lang="en")
    assert verdict.given == (
        "Khalid Zerouali → Wali, Director of Migration; "
        "Frédéric Joram → Wali, Director of Migration"
    )
    assert (
        expected_answer(WHO, "fr").split("; ")[1] == "Frédéric Joram → Directeur de l’immigration"
    )


def test_match_same_right_text_is_interchangeable() -> None:
    question = q(Kind.MATCH, pairs=(Pair(t("A"), t("Ministre")), Pair(t("B"), t("Ministre"))))
    assert grade(question, {0: 1, 1: 0}).outcome is C


@pytest.mark.parametrize("bad", [[0, 1, 2, 3], {0: 4}, {4: 0}, {"0": 0}, {0: None}, 0])
def test_match_bad_response(bad: object) -> None:
    with pytest.raises(BadResponse):
        grade(WHO, bad)  # type: ignore[arg-type]


# --- cloze ---------------------------------------------------------------------------------------

COCHAIRS = q(
    Kind.CLOZE,
    cloze=t(
        "La réunion était co-présidée par {{Khalid Zerouali|Zerouali}} et {{Frédéric Joram|Joram}}"
        " à {{Paris}} en {{2025}}.",
        "The meeting was co-chaired by {{Khalid Zerouali|Zerouali}} and {{Frédéric Joram|Joram}}"
        " in {{Paris}} in {{2025}}.",
    ),
)
SEA = q(
    Kind.CLOZE,
    cloze=t(
        "La {{Méditerranée}} sépare la France et le Maroc.", "The {{Mediterranean Sea}} separates."
    ),
)
STRICT_CLOZE = dataclasses.replace(SEA, strict_accents=True)
UNEVEN = q(Kind.CLOZE, cloze=t("{{Paris}} et {{Rabat}}", "{{Paris and Rabat}}"))

CLOZE_CASES = [
    (COCHAIRS, ["Khalid Zerouali", "Frédéric Joram", "Paris", "2025"], C, 1.0, False),
    (COCHAIRS, ["zerouali", "« joram »", "PARIS", "2 025"], P, 0.75, False),
    (COCHAIRS, ["Zerouali", "Frederik Joram", "paris", "2025"], C, 1.0, True),
    (COCHAIRS, ["Zeroali", "Jorma", "Pari", "2024"], P, 0.75, True),  # "Jorma": a swap
    (COCHAIRS, ["Zeroali", "Jroma", "Pari", "2024"], P, 0.5, True),
    (COCHAIRS, ["", "", "", ""], W, 0.0, False),
    (COCHAIRS, ["Joram", "Zerouali", "Rabat", "2026"], W, 0.0, False),
    (SEA, ["mediterranee"], C, 1.0, False),
    (SEA, ["mediterranean sea"], C, 1.0, False),  # the same gap in the English variant
    (SEA, ["Méditerannée"], C, 1.0, True),
    (STRICT_CLOZE, ["Méditerranée"], C, 1.0, False),
    (STRICT_CLOZE, ["Mediterranee"], W, 0.0, False),
    (UNEVEN, ["Paris", "Rabat"], C, 1.0, False),
    (UNEVEN, ["Paris and Rabat", "Rabat"], P, 0.5, False),  # gap counts differ: no cross-language
]


@pytest.mark.parametrize(("question", "gaps", "outcome", "score", "typo"), CLOZE_CASES)
def test_cloze(
    question: Question, gaps: list[str], outcome: Outcome, score: float, typo: bool
) -> None:
    verdict = grade(question, gaps, lang="fr")
    assert verdict.outcome is outcome
    assert verdict.score == pytest.approx(score)
    assert verdict.typo is typo
    assert len(verdict.parts) == len(gaps)
    assert all(isinstance(p, Verdict) for p in verdict.parts)


def test_cloze_parts() -> None:
    verdict = grade(COCHAIRS, ["Zerouali", "Frederik Joram", "Rabat", "2025"], lang="en")
    assert verdict.expected == "Khalid Zerouali / Frédéric Joram / Paris / 2025"
    assert verdict.given == "Zerouali / Frederik Joram / Rabat / 2025"
    zerouali, joram, city, year = verdict.parts
    assert zerouali.outcome is C and not zerouali.typo and zerouali.expected == "Khalid Zerouali"
    assert joram.typo and ("insert", "c") in joram.diff
    assert city.outcome is W and city.expected == "Paris" and city.given == "Rabat"
    assert year.outcome is C


def test_cloze_uses_the_language_variant() -> None:
    assert expected_answer(SEA, "en") == "Mediterranean Sea"
    assert expected_answer(SEA, "fr") == "Méditerranée"
    assert expected_answer(UNEVEN, "en") == "Paris and Rabat"
    assert grade(UNEVEN, ["paris and rabat"], lang="en").outcome is C


@pytest.mark.parametrize(
    "bad", [["Zerouali"], ["a", "b", "c", "d", "e"], "abcd", ["a", "b", "c", 4], None, {0: "a"}]
)
def test_cloze_bad_response(bad: object) -> None:
    with pytest.raises(BadResponse):
        grade(COCHAIRS, bad)  # type: ignore[arg-type]


# --- flashcard -----------------------------------------------------------------------------------

LETTERS = q(
    Kind.FLASHCARD,
    back=t("Groupe Migratoire Mixte Permanent", "Permanent Mixed Migration Group"),
)


@pytest.mark.parametrize(
    ("rating", "outcome", "score"),
    [
        (Rating.AGAIN, W, 0.0),
        (Rating.HARD, C, 0.6),
        (Rating.GOOD, C, 1.0),
        (Rating.EASY, C, 1.0),
        (3, C, 1.0),
    ],
)
def test_flashcard(rating: Rating, outcome: Outcome, score: float) -> None:
    verdict = grade(LETTERS, rating, lang="en")
    assert (verdict.outcome, verdict.score) == (outcome, score)
    assert verdict.expected == "Permanent Mixed Migration Group"


@pytest.mark.parametrize("bad", [0, 5, True, "good", None])
def test_flashcard_bad_response(bad: object) -> None:
    with pytest.raises(BadResponse):
        grade(LETTERS, bad)  # type: ignore[arg-type]


# --- shared behaviour ----------------------------------------------------------------------------


def test_bad_response_is_a_quiz_error() -> None:
    assert issubclass(BadResponse, QuizError)


def test_verdict_is_frozen() -> None:
    verdict = grade(RABAT, "Rabat")
    with pytest.raises(dataclasses.FrozenInstanceError):
        verdict.score = 0.5  # type: ignore[misc]


def test_override() -> None:
    verdict = grade(OBJECTIVES, [0, 1])
    overridden = verdict_from_override(verdict)
    assert overridden.outcome is C and overridden.score == 1.0 and overridden.correct
    assert (overridden.expected, overridden.given) == (verdict.expected, verdict.given)
    assert not verdict.correct


@pytest.mark.parametrize(
    ("question", "lang", "expected"),
    [
        (CITY, "fr", "Paris"),
        (JORAM, "en", "Frédéric Joram"),
        (BIG, "en", "Fighting irregular migration"),
        (SEVENTH, "en", "True"),
        (LETTERS, "fr", "Groupe Migratoire Mixte Permanent"),
        (COCHAIRS, "fr", "Khalid Zerouali / Frédéric Joram / Paris / 2025"),
    ],
)
def test_expected_answer(question: Question, lang: str, expected: str) -> None:
    assert expected_answer(question, lang) == expected


def test_import_pulls_no_ui() -> None:
    code = "import sys, gmmp_quiz.grading; assert 'textual' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# --- properties ----------------------------------------------------------------------------------

any_text = st.text(max_size=60)
accented = st.text(alphabet="aeiouAEIOUéèêàçôœæ«»’'-. ,!?ßﬁİ\u00a0\u0301", max_size=30)


@given(st.one_of(any_text, accented), st.booleans())
def test_normalize_is_idempotent(text: str, strict: bool) -> None:
    once = normalize(text, strict_accents=strict)
    assert normalize(once, strict_accents=strict) == once


@given(st.one_of(any_text, accented))
def test_normalized_text_matches_itself(text: str) -> None:
    if normalize(text):
        question = q(Kind.SHORT, answer=t("réponse"), alternatives=(text,))
        assert grade(question, text).outcome is C


@given(st.one_of(any_text, accented))
def test_short_never_raises(text: str) -> None:
    assert isinstance(grade(JORAM, text), Verdict)
    assert isinstance(grade(STRICT, text), Verdict)


@given(any_text)
def test_numeric_never_raises(text: str) -> None:
    verdict = grade(ROUGH, text)
    assert verdict.outcome in (C, W)
    assert (verdict.outcome is C) == (
        (value := parse_number(text)) is not None and abs(value - 30.5) <= 2
    )


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_parse_number_reads_formatted_floats(value: float) -> None:
    assert parse_number(repr(value)) == pytest.approx(value)
    assert parse_number(repr(value).replace(".", ",") + " km") == pytest.approx(value)


@settings(max_examples=50)
@given(st.lists(any_text, min_size=4, max_size=4))
def test_cloze_never_raises(gaps: list[str]) -> None:
    verdict = grade(COCHAIRS, gaps)
    assert 0.0 <= verdict.score <= 1.0
    assert len(verdict.parts) == 4


@given(st.permutations(range(4)))
def test_order_score_bounds(order: list[int]) -> None:
    verdict = grade(CHRONOLOGY, order)
    assert 0.25 <= verdict.score <= 1.0
    assert (verdict.outcome is C) == (list(order) == [0, 1, 2, 3])


# --- one right answer is never a typo of another -------------------------------------------------

TITLES = q(
    Kind.CLOZE,
    cloze=t(
        "Zerouali dirige la {{Migration}} ; Joram dirige l’{{immigration}}.",
        "Zerouali heads {{Migration}}; Joram heads {{Immigration}}.",
    ),
)


@pytest.mark.parametrize(
    ("gaps", "score"),
    [
        (["Migration", "immigration"], 1.0),
        (["immigration", "Migration"], 0.0),  # swapped: each is the other gap's answer
        # "Migraton" is nearer its own gap's answer; "imigration" is one edit from both: ambiguous
        (["Migraton", "imigration"], 0.5),
        (["Migratoin", "immigratoin"], 1.0),  # typos nearer their own gap's answer
        (["migration", "migration"], 0.5),
    ],
)
def test_another_gaps_answer_is_not_a_typo(gaps: list[str], score: float) -> None:
    verdict = grade(TITLES, gaps, lang="fr")
    assert verdict.score == pytest.approx(score)


def test_other_gaps_answers_in_any_language_are_rivals() -> None:
    question = q(Kind.CLOZE, cloze=t("{{Rabat}} puis {{Robot}}", "{{Rabat}} then {{Robot}}"))
    # "Robot" is one edit from "Rabat"'s typo limit but it is gap 2's answer: never gap 1's typo.
    assert grade(question, ["Robot", "Robot"], lang="fr").score == pytest.approx(0.5)
    assert grade(question, ["Rabta", "Robot"], lang="en").correct


def test_a_shown_choice_is_not_a_typo_of_the_answer() -> None:
    # A short question may show texts (choices, items) of its own: typing one is not a typo.
    question = q(
        Kind.SHORT,
        answer=t("Marois"),
        choices=(Choice(t("Marais"), False), Choice(t("Marois"), True)),
    )
    assert not grade(question, "Marais").correct
    assert grade(question, "Marios").correct  # a swap, nearer "Marois" than "Marais"


def test_an_accepted_answer_is_matched_as_itself() -> None:
    question = q(Kind.SHORT, answer=t("Migration"), alternatives=("immigration",))
    verdict = grade(question, "immigration")
    assert verdict.correct and not verdict.typo and verdict.matched == "immigration"


words_st = st.text(alphabet="abcdefghijklmnopqrstuvwxyzé", min_size=1, max_size=12)


@settings(max_examples=200)
@given(st.lists(words_st, min_size=2, max_size=4, unique_by=normalize))
def test_typing_another_gaps_answer_never_scores_for_this_gap(answers: list[str]) -> None:
    sentence = " ".join(f"{{{{{a}}}}}" for a in answers)
    question = q(Kind.CLOZE, cloze=t(sentence))
    for shift in range(1, len(answers)):
        typed = answers[shift:] + answers[:shift]
        verdict = grade(question, typed)
        assert verdict.score == 0.0, (answers, typed)
        assert grade(question, answers).correct


# --- gaps in any order ---------------------------------------------------------------------------

STUDIES = q(
    Kind.CLOZE,
    cloze=t(
        "Le soutien aux {{étudiants}} et aux {{chercheurs}} sert le transfert de {{savoirs}}.",
        "Support for {{students}} and {{researchers}} serves the transfer of {{knowledge}}.",
    ),
    any_order=((0, 1),),
)
CHALLENGES = q(
    Kind.CLOZE,
    cloze=t("Les enjeux {{géostratégiques}} et {{sécuritaires}}."),
    any_order=((0, 1),),
)


@pytest.mark.parametrize(
    ("question", "gaps", "score", "typo"),
    [
        (CHALLENGES, ["géostratégiques", "sécuritaires"], 1.0, False),
        (CHALLENGES, ["sécuritaires", "géostratégiques"], 1.0, False),
        (CHALLENGES, ["securitaires", "geostrategiques"], 1.0, False),
        (CHALLENGES, ["sécuritaries", "géostratégiques"], 1.0, True),
        (CHALLENGES, ["sécuritaires", "sécuritaires"], 0.5, False),  # one answer counts once
        (STUDIES, ["chercheurs", "étudiants", "savoirs"], 1.0, False),
        (STUDIES, ["researchers", "students", "knowledge"], 1.0, False),
        # gap 3 is not in the group: only "étudiants" is in its place
        (STUDIES, ["savoirs", "étudiants", "chercheurs"], 1 / 3, False),
        (STUDIES, ["chercheurs", "chercheurs", "savoirs"], 2 / 3, False),
    ],
)
def test_any_order_gaps(question: Question, gaps: list[str], score: float, typo: bool) -> None:
    verdict = grade(question, gaps, lang="fr")
    assert verdict.score == pytest.approx(score)
    assert verdict.typo is typo


def test_any_order_parts_show_the_answer_each_typed_text_was_taken_for() -> None:
    verdict = grade(STUDIES, ["chercheurs", "chercheurs", "savoirs"], lang="fr")
    first, second, third = verdict.parts
    assert first.correct and first.expected == "chercheurs"
    assert not second.correct and second.expected == "étudiants"  # the one still missing
    assert third.correct and third.expected == "savoirs"
    assert verdict.expected == "étudiants / chercheurs / savoirs"


def test_without_any_order_swapped_gaps_are_wrong() -> None:
    fixed = dataclasses.replace(CHALLENGES, any_order=())
    assert grade(fixed, ["sécuritaires", "géostratégiques"]).score == 0.0


@settings(max_examples=100)
@given(st.lists(words_st, min_size=2, max_size=5, unique_by=normalize), st.randoms())
def test_any_order_accepts_every_permutation(answers: list[str], rnd: Any) -> None:
    question = q(
        Kind.CLOZE,
        cloze=t(" ".join(f"{{{{{a}}}}}" for a in answers)),
        any_order=(tuple(range(len(answers))),),
    )
    typed = list(answers)
    rnd.shuffle(typed)
    assert grade(question, typed).correct


# --- transpositions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "typed"),
    [("grid", "gird"), ("Rabat", "Rbaat"), ("Frédéric Joram", "Frédéirc Joram")],
)
def test_a_swap_of_neighbouring_letters_is_one_typo(answer: str, typed: str) -> None:
    verdict = grade(q(Kind.SHORT, answer=t(answer)), typed)
    assert verdict.correct and verdict.typo and verdict.matched == answer


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=20), st.data())
def test_any_single_swap_is_forgiven(word: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(word) - 2))
    swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    verdict = grade(q(Kind.SHORT, answer=t(word)), swapped)
    assert verdict.correct
    assert verdict.typo is (swapped != word)


def test_a_swap_counts_as_one_edit_under_strict_accents() -> None:
    question = q(Kind.SHORT, answer=t("Méditerranée"), strict_accents=True)
    assert grade(question, "Méditeranrée").correct
    assert not grade(question, "Mediteranrée").correct  # an accent error is never a typo


# --- answers made only of punctuation or symbols -------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "typed", "outcome"),
    [
        ("?", "?", C),
        ("?", " ? ", C),
        ("?", "!", W),
        ("?", "", W),
        ("—", "—", C),
        ("—", "-", W),
        ("%", "%", C),
        ("%", "％", C),  # a full-width sign is the same sign
        ("?!", "?!", C),
        ("?!", "!?", W),
        ("...", "..", W),  # no typo tolerance for marks
    ],
)
def test_punctuation_only_answers(answer: str, typed: str, outcome: Outcome) -> None:
    assert grade(q(Kind.SHORT, answer=t(answer)), typed).outcome is outcome


def test_punctuation_only_gap() -> None:
    question = q(Kind.CLOZE, cloze=t("Un point d’interrogation : {{?}} ; un tiret : {{—}}."))
    assert grade(question, ["?", "—"]).correct
    assert grade(question, ["—", "?"]).score == 0.0
    assert grade(question, ["", ""]).score == 0.0


@given(st.text(min_size=1, max_size=20).filter(str.strip))
def test_any_answer_typed_exactly_is_right(text: str) -> None:
    question = q(Kind.SHORT, answer=t("réponse"), alternatives=(text,))
    assert grade(question, text).outcome is C
