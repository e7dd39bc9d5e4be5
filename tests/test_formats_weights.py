"""Weights and per-answer feedback in the set format: loaded, refused when absurd, and graded."""

from __future__ import annotations

import textwrap

import pytest

from gmmp_quiz.errors import ValidationError
from gmmp_quiz.grading import expected_answer, grade
from gmmp_quiz.model import Outcome, Question
from gmmp_quiz.sets.loading import load_text


def one(body: str) -> Question:
    """The single question of a set whose question is `body` (YAML, indented as a list item)."""
    text = "id: s\ntitle: T\nlanguage: en\nquestions:\n" + textwrap.indent(
        textwrap.dedent(body).strip(), "  "
    )
    return load_text(text, "s.yaml").questions[0]


def problems(body: str) -> str:
    with pytest.raises(ValidationError) as info:
        one(body)
    return "\n".join(p.message for p in info.value.problems)


CHOICE = """
- id: q
  type: choice
  prompt: Capital?
  choices:
    - Paris
    - {text: Lyon, weight: 25, feedback: "Second city, a quarter of the mark."}
    - {text: Nowhere, weight: -50, feedback: A guess costs.}
  answer: Paris
"""


def test_a_weighted_wrong_choice_earns_its_share_and_shows_its_feedback():
    q = one(CHOICE)
    right, partial, penalty = (grade(q, i) for i in range(3))
    assert (right.outcome, right.score) == (Outcome.CORRECT, 1.0)
    assert (partial.outcome, partial.score) == (Outcome.PARTIAL, 0.25)
    assert partial.feedback == "Second city, a quarter of the mark."
    # A single choice never scores below nothing.
    assert (penalty.outcome, penalty.score, penalty.feedback) == (
        Outcome.WRONG,
        0.0,
        "A guess costs.",
    )


MULTI = """
- id: q
  type: multi
  prompt: Which are primes?
  choices:
    - {text: "2", weight: 50}
    - {text: "3", weight: 50}
    - {text: "4", weight: -100}
    - {text: "1", weight: 0}
  answers: ["2", "3"]
"""


@pytest.mark.parametrize(
    ("picks", "outcome", "score"),
    [
        ({0, 1}, Outcome.CORRECT, 1.0),
        ({0}, Outcome.PARTIAL, 0.5),
        ({0, 1, 3}, Outcome.CORRECT, 1.0),  # a 0% choice costs nothing, as in Moodle
        ({0, 1, 2}, Outcome.WRONG, 0.0),  # -100% wipes out the two right ones
        ({0, 2}, Outcome.WRONG, 0.0),  # never below nothing
        (set(), Outcome.WRONG, 0.0),
    ],
)
def test_multi_weights_add_up_as_moodle_adds_them(picks, outcome, score):
    verdict = grade(one(MULTI), picks)
    assert (verdict.outcome, verdict.score) == (outcome, score)


def test_multi_without_weights_scores_as_before():
    q = one(
        MULTI.replace(", weight: 50", "").replace(", weight: -100", "").replace(", weight: 0", "")
    )
    assert grade(q, {0, 1}).score == 1.0
    assert grade(q, {0}).score == 0.5
    assert grade(q, {0, 1, 2}).outcome is Outcome.PARTIAL
    assert grade(q, {0, 2}).score == 0.0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            (
                'weight: 50}\n    - {text: "3", weight: 50}',
                'weight: 50}\n    - {text: "3", weight: 40}',
            ),
            "add up to 90%, not 100%",
        ),
        (('"4", weight: -100', '"4", weight: 10'), "a wrong choice cannot earn 10%"),
        (('"2", weight: 50', '"2", weight: 150'), "percentage from -100 to 100"),
        (('{text: "3", weight: 50}', '"3"'), "give a weight to every right choice"),
    ],
)
def test_absurd_multi_weights_are_refused(change, message):
    assert message in problems(MULTI.replace(*change))


def test_the_answer_of_a_choice_earns_all_of_the_mark():
    assert "the answer earns 100%" in problems(
        CHOICE.replace("- Paris", "- {text: Paris, weight: 90}")
    )


def test_another_choice_worth_all_of_the_mark_is_right_too():
    q = one(CHOICE.replace("weight: 25", "weight: 100"))
    assert grade(q, 1).outcome is Outcome.CORRECT
    assert expected_answer(q) == "Paris / Lyon"


def test_true_false_feedback_follows_what_was_answered():
    q = one(
        """
        - id: q
          type: true_false
          prompt: The sun is a star.
          answer: true
          feedback: Yes, a G-type star.
          wrong_feedback: It is a star, a G-type one.
        """
    )
    assert grade(q, True).feedback == "Yes, a G-type star."
    assert grade(q, False).feedback == "It is a star, a G-type one."


SHORT = """
- id: q
  type: short
  prompt: Where was he born?
  answer: Bethlehem
  feedback: Right.
  wrong_feedback: Think of the town of David.
  alternatives:
    - Beit Lahm
    - {text: Judea, weight: 25, feedback: "The region, not the town."}
    - {text: Nazareth, weight: 0, feedback: He grew up there.}
"""


@pytest.mark.parametrize(
    ("answer", "outcome", "score", "feedback"),
    [
        ("Bethlehem", Outcome.CORRECT, 1.0, "Right."),
        ("beit lahm", Outcome.CORRECT, 1.0, "Right."),
        ("Judea", Outcome.PARTIAL, 0.25, "The region, not the town."),
        ("Nazareth", Outcome.WRONG, 0.0, "He grew up there."),
        ("Rome", Outcome.WRONG, 0.0, "Think of the town of David."),
    ],
)
def test_short_answers_earn_their_weight_with_their_own_feedback(answer, outcome, score, feedback):
    verdict = grade(one(SHORT), answer)
    assert (verdict.outcome, verdict.score, verdict.feedback) == (outcome, score, feedback)
    assert verdict.expected == "Bethlehem"


NUMERIC = """
- id: q
  type: numeric
  prompt: Pi to three decimals?
  answer: [3.141, 3.142]
  feedback: Yes.
  wrong_feedback: About 3.14.
  alternatives:
    - {answer: 3.14, tolerance: 0.005, weight: 50, feedback: "Close: one more decimal."}
    - {answer: [3, 4], weight: 10}
"""


@pytest.mark.parametrize(
    ("answer", "outcome", "score", "feedback"),
    [
        ("3.1415", Outcome.CORRECT, 1.0, "Yes."),
        ("3.142", Outcome.CORRECT, 1.0, "Yes."),
        ("3.144", Outcome.PARTIAL, 0.5, "Close: one more decimal."),
        ("3.9", Outcome.PARTIAL, 0.1, None),
        ("5", Outcome.WRONG, 0.0, "About 3.14."),
    ],
)
def test_numeric_ranges_and_weighted_numbers(answer, outcome, score, feedback):
    verdict = grade(one(NUMERIC), answer)
    assert (verdict.outcome, verdict.score, verdict.feedback) == (outcome, score, feedback)


def test_a_range_reads_as_written():
    q = one(NUMERIC)
    assert expected_answer(q) == "3.141 to 3.142"
    assert expected_answer(q, "fr") == "3,141 à 3,142"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("answer: [3.142, 3.141]", "starts after its end"),
        ("answer: [1, 2, 3]", "a range is two numbers"),
        ("answer: 3\n  alternatives:\n    - {answer: 3, weight: -5}", "percentage from 0 to 100"),
        ("answer: 3\n  alternatives:\n    - {weight: 5}", "has no 'answer'"),
    ],
)
def test_bad_numeric_answers_are_refused(body, message):
    text = f"- id: q\n  type: numeric\n  prompt: P?\n  {body}\n"
    assert message in problems(text)


MATCH = """
- id: q
  type: match
  prompt: Match.
  pairs:
    - {left: Canada, right: Ottawa}
    - {left: Italy, right: Rome}
  distractors: [Paris]
"""


def test_a_distractor_is_a_right_item_that_is_never_right():
    q = one(MATCH)
    assert [d.get() for d in q.distractors] == ["Paris"]
    verdict = grade(q, {0: 0, 1: 2})  # index 2: past the pairs, the distractor
    assert (verdict.outcome, verdict.score) == (Outcome.PARTIAL, 0.5)
    assert verdict.given == "Canada → Ottawa; Italy → Paris"
    assert "repeat 'Rome'" in problems(MATCH.replace("[Paris]", "[Rome]"))


CLOZE = """
- id: q
  type: cloze
  text: "The {{Seine}} flows through {{Paris}}."
  options: [null, [Lyon, Paris, Rome]]
"""


def test_a_cloze_gap_may_offer_choices_with_its_answer_among_them():
    q = one(CLOZE)
    assert q.gap_options[0] is None
    assert [o.get() for o in q.gap_options[1]] == ["Lyon", "Paris", "Rome"]
    assert grade(q, ["Seine", "Paris"]).outcome is Outcome.CORRECT
    assert "does not offer the gap's answer 'Paris'" in problems(CLOZE.replace("Paris,", "Nice,"))
    assert "options has 1 entries for 2 gap(s)" in problems(CLOZE.replace("null, ", ""))


def test_a_lone_star_accepts_any_answer_but_not_an_empty_one():
    q = one(SHORT.replace("- Beit Lahm", "- {text: '*', weight: 10, wildcard: true}"))
    assert grade(q, "Rome").score == 0.1
    assert grade(q, "  ").score == 0.0
