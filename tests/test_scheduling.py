"""FSRS wrapper and due queue: fixed clocks, hand-built states."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from gmmp_quiz.grading import Rating
from gmmp_quiz.model import Kind, LText, Question, QuestionSet
from gmmp_quiz.scheduling import (
    DueCounts,
    card_stability,
    due_at,
    due_counts,
    due_queue,
    is_due,
    make_scheduler,
    new_introduced_today,
    next_due,
    review,
)

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@dataclass
class State:
    card: dict | None = None
    first_seen: str | None = None


@dataclass
class Attempt:
    at: str
    set_id: str
    question_id: str


def make_set(set_id: str, n: int) -> QuestionSet:
    questions = tuple(
        Question(id=f"q{i}", kind=Kind.SHORT, prompt=LText.plain(f"Q{i}"), answer=LText.plain("a"))
        for i in range(n)
    )
    return QuestionSet(id=set_id, title=LText.plain(set_id), language="en", questions=questions)


def card_due(when: datetime) -> dict[str, Any]:
    return review(None, Rating.GOOD, when - timedelta(minutes=10))


def ids(pairs: list[tuple[QuestionSet, Question]]) -> list[str]:
    return [f"{s.id}/{q.id}" for s, q in pairs]


def test_new_card_rated_good_is_due_later() -> None:
    card = review(None, Rating.GOOD, NOW)
    assert due_at(card) > NOW
    assert card["last_review"] == NOW.isoformat()
    assert card_stability(card) > 0


def test_again_is_sooner_than_good_and_easy_later() -> None:
    again = due_at(review(None, Rating.AGAIN, NOW))
    good = due_at(review(None, Rating.GOOD, NOW))
    easy = due_at(review(None, Rating.EASY, NOW))
    assert NOW < again < good < easy
    assert again - NOW <= timedelta(minutes=10)


def test_review_is_deterministic_for_a_fixed_clock() -> None:
    def history() -> dict:
        card = None
        at = NOW
        for rating in (Rating.GOOD, Rating.GOOD, Rating.GOOD, Rating.AGAIN, Rating.GOOD):
            card = review(card, rating, at)
            at = due_at(card)
        return card

    assert history() == history()


def test_intervals_grow_with_good_reviews() -> None:
    card = review(None, Rating.GOOD, NOW)
    card = review(card, Rating.GOOD, due_at(card))
    first = due_at(card) - datetime.fromisoformat(card["last_review"])
    card = review(card, Rating.GOOD, due_at(card))
    second = due_at(card) - datetime.fromisoformat(card["last_review"])
    assert first >= timedelta(days=1)
    assert second > first


def test_higher_retention_gives_shorter_intervals() -> None:
    def interval(retention: float) -> timedelta:
        card = review(None, Rating.GOOD, NOW, desired_retention=retention)
        card = review(card, Rating.GOOD, due_at(card), desired_retention=retention)
        card = review(card, Rating.GOOD, due_at(card), desired_retention=retention)
        return due_at(card) - datetime.fromisoformat(card["last_review"])

    assert interval(0.95) < interval(0.9) < interval(0.8)


def test_card_dict_round_trips_through_json() -> None:
    card = review(review(None, Rating.GOOD, NOW), Rating.HARD, NOW + timedelta(hours=1))
    back = json.loads(json.dumps(card))
    assert back == card
    later = NOW + timedelta(days=3)
    assert review(back, Rating.GOOD, later) == review(card, Rating.GOOD, later)


def test_unreadable_card_starts_over() -> None:
    assert review({"junk": 1}, Rating.GOOD, NOW) == review(None, Rating.GOOD, NOW)


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError):
        review(None, Rating.GOOD, datetime(2026, 3, 10, 9, 0))


def test_make_scheduler_matches_review() -> None:
    schedule = make_scheduler(0.85)
    assert schedule(None, Rating.GOOD, NOW) == review(
        None, Rating.GOOD, NOW, desired_retention=0.85
    )
    with pytest.raises(ValueError):
        make_scheduler(1.5)


def test_due_at_reads_other_offsets_as_utc() -> None:
    assert due_at({"due": "2026-03-10T10:00:00+01:00"}) == NOW
    assert due_at({"due": "2026-03-10T09:00:00"}) == NOW


def test_is_due() -> None:
    assert is_due(State(card_due(NOW)), NOW)
    assert not is_due(State(card_due(NOW + timedelta(seconds=1))), NOW)
    assert not is_due(State(None), NOW)
    assert not is_due(None, NOW)


def test_due_queue_oldest_due_first_then_new_in_set_order() -> None:
    qs = make_set("s", 6)
    pool = [(qs, q) for q in qs.questions]
    states = {
        ("s", "q0"): State(card_due(NOW - timedelta(hours=1))),
        ("s", "q1"): State(card_due(NOW + timedelta(days=2))),  # not due yet
        ("s", "q2"): State(card_due(NOW - timedelta(days=3))),
        ("s", "q4"): State(None),  # seen but never scheduled: new
        ("s", "q5"): State(card_due(NOW)),  # due exactly now
    }
    assert ids(due_queue(pool, states, NOW)) == ["s/q2", "s/q0", "s/q5", "s/q3", "s/q4"]


def test_due_queue_same_due_time_keeps_pool_order() -> None:
    qs = make_set("s", 3)
    pool = [(qs, q) for q in reversed(qs.questions)]
    states = {("s", q.id): State(card_due(NOW)) for q in qs.questions}
    assert ids(due_queue(pool, states, NOW)) == ["s/q2", "s/q1", "s/q0"]


def test_due_queue_new_daily_limit() -> None:
    qs = make_set("s", 60)
    pool = [(qs, q) for q in qs.questions]
    states = {("s", "q59"): State(card_due(NOW - timedelta(days=1)))}
    queue = due_queue(pool, states, NOW, new_limit=20)
    assert len(queue) == 21
    assert ids(queue)[:3] == ["s/q59", "s/q0", "s/q1"]
    assert ids(queue)[-1] == "s/q19"
    assert len(due_queue(pool, states, NOW, new_limit=20, new_today=15)) == 1 + 5
    assert ids(due_queue(pool, states, NOW, new_limit=20, new_today=25)) == ["s/q59"]
    assert len(due_queue(pool, states, NOW)) == 60


def test_due_counts() -> None:
    qs = make_set("s", 10)
    pool = [(qs, q) for q in qs.questions]
    states = {
        ("s", "q0"): State(card_due(NOW - timedelta(hours=1))),
        ("s", "q1"): State(card_due(NOW + timedelta(days=1))),
        ("s", "q2"): State(card_due(NOW + timedelta(days=4))),
    }
    assert due_counts(pool, states, NOW, new_limit=5, new_today=2) == DueCounts(
        due=1, new=3, unseen=7, later=2
    )
    counts = due_counts(pool, states, NOW)
    assert counts == DueCounts(due=1, new=7, unseen=7, later=2)
    assert counts.total == len(due_queue(pool, states, NOW)) == 8


def test_next_due() -> None:
    states = {
        ("s", "a"): State(card_due(NOW - timedelta(hours=1))),  # already due: not "next"
        ("s", "b"): State(card_due(NOW + timedelta(hours=5))),
        ("s", "c"): State(card_due(NOW + timedelta(hours=2))),
        ("s", "d"): State(None),
    }
    assert next_due(states, NOW) == NOW + timedelta(hours=2)
    assert next_due(list(states.values()), NOW) == NOW + timedelta(hours=2)
    assert next_due({}, NOW) is None


def test_new_introduced_today_from_states_in_local_time() -> None:
    paris = ZoneInfo("Europe/Paris")
    now = datetime(2026, 3, 10, 22, 30, tzinfo=UTC)  # 23:30 in Paris
    states = {
        ("s", "a"): State(first_seen="2026-03-09T23:10:00+00:00"),  # 00:10 Paris, today
        ("s", "b"): State(first_seen="2026-03-09T22:50:00+00:00"),  # 23:50 Paris, yesterday
        ("s", "c"): State(first_seen="2026-03-10T22:00:00+00:00"),
        ("s", "d"): State(first_seen=None),
    }
    assert new_introduced_today(states, now, paris) == 2
    assert new_introduced_today(states, now, UTC) == 1


def test_new_introduced_today_from_attempts() -> None:
    attempts = [
        Attempt("2026-03-10T08:00:00+00:00", "s", "a"),
        Attempt("2026-03-09T08:00:00+00:00", "s", "a"),  # a was first seen yesterday
        Attempt("2026-03-10T08:30:00+00:00", "s", "b"),
        Attempt("2026-03-10T08:40:00+00:00", "s", "b"),
        Attempt("2026-03-10T08:45:00+00:00", "t", "a"),
    ]
    assert new_introduced_today(attempts, NOW, UTC) == 2
    assert new_introduced_today([], NOW, UTC) == 0
