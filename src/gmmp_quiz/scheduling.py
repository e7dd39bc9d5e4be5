"""Spaced repetition: a thin wrapper over the fsrs package (clock injected) and the due queue."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from gmmp_quiz.grading import Rating
from gmmp_quiz.model import Question, QuestionSet, parse_stamp

if TYPE_CHECKING:
    import fsrs

__all__ = [
    "DEFAULT_NEW_LIMIT",
    "DEFAULT_RETENTION",
    "DueCounts",
    "card_stability",
    "due_at",
    "due_counts",
    "due_queue",
    "is_due",
    "make_scheduler",
    "new_introduced_today",
    "next_due",
    "review",
]

DEFAULT_RETENTION = 0.9
"""The probability of recall FSRS aims for when it picks the next due date."""

DEFAULT_NEW_LIMIT = 20
"""How many never-seen questions a day of due reviews introduces."""

Pair = tuple[QuestionSet, Question]
Pool = Sequence[Pair]
States = Mapping[tuple[str, str], Any]


def _utc(when: datetime) -> datetime:
    if when.tzinfo is None:
        raise ValueError("a naive datetime has no time zone; pass a UTC-aware one")
    return when.astimezone(UTC)


@lru_cache(maxsize=8)
def _scheduler(desired_retention: float) -> fsrs.Scheduler:
    # fsrs fuzzes intervals with the global random module: off, a fixed clock gives a fixed schedule
    import fsrs  # imported on first use: the home screen's figures need no FSRS

    return fsrs.Scheduler(desired_retention=desired_retention, enable_fuzzing=False)


def _load(card: Mapping[str, Any] | None, now: datetime) -> fsrs.Card:
    import fsrs

    if card:
        try:
            return fsrs.Card.from_dict(dict(card))  # type: ignore[arg-type]
        except (KeyError, TypeError, ValueError):
            pass  # an unreadable card starts over rather than stopping the quiz
    # fsrs would read the wall clock (and sleep 1 ms) for the id and due date: derive both from now.
    return fsrs.Card(card_id=int(now.timestamp() * 1000), due=now)


def review(
    card: Mapping[str, Any] | None,
    rating: Rating,
    now: datetime,
    *,
    desired_retention: float = DEFAULT_RETENTION,
) -> dict[str, Any]:
    """The card after a review rated `rating` at `now` (new card for None), as a JSON-able dict."""
    import fsrs

    now = _utc(now)
    updated, _log = _scheduler(desired_retention).review_card(
        _load(card, now), fsrs.Rating(int(rating)), review_datetime=now
    )
    return dict(updated.to_dict())


def make_scheduler(
    desired_retention: float = DEFAULT_RETENTION,
) -> Callable[[dict[str, Any] | None, Rating, datetime], dict[str, Any]]:
    """A session scheduler (card, rating, now) -> card using FSRS at this retention."""
    if not 0.0 < desired_retention < 1.0:
        raise ValueError(f"desired retention must be between 0 and 1, not {desired_retention}")

    def schedule(card: dict[str, Any] | None, rating: Rating, now: datetime) -> dict[str, Any]:
        return review(card, rating, now, desired_retention=desired_retention)

    return schedule


def due_at(card: Mapping[str, Any]) -> datetime:
    """When a card is next due (UTC-aware)."""
    return parse_stamp(card["due"])


def card_stability(card: Mapping[str, Any] | None) -> float:
    """The card's FSRS stability in days (0 for no card or a card never reviewed)."""
    if not card:
        return 0.0
    value = card.get("stability")
    return float(value) if value is not None else 0.0


def _card(state: Any) -> Mapping[str, Any] | None:
    return getattr(state, "card", None) if state is not None else None


def state_due(state: Any) -> datetime | None:
    """When a question's card falls due (None for a question with no card, or a bad one)."""
    card = _card(state)
    if not card:
        return None
    try:
        return due_at(card)
    except (KeyError, TypeError, ValueError):
        return None


def is_due(state: Any, now: datetime) -> bool:
    """Whether a question's card is due at `now` (False for a question with no card)."""
    due = state_due(state)
    return due is not None and due <= _utc(now)


def _split(
    pool: Pool, states: States, now: datetime
) -> tuple[
    list[tuple[datetime, int, tuple[QuestionSet, Question]]],
    list[tuple[QuestionSet, Question]],
    int,
]:
    """The due (due, position, pair) rows, the new pairs, and how many are scheduled for later."""
    now = _utc(now)
    due: list[tuple[datetime, int, tuple[QuestionSet, Question]]] = []
    new: list[tuple[QuestionSet, Question]] = []
    later = 0
    for position, pair in enumerate(pool):
        when = state_due(states.get((pair[0].id, pair[1].id)))
        if when is None:
            new.append(pair)
        elif when <= now:
            due.append((when, position, pair))
        else:
            later += 1
    due.sort(key=lambda row: (row[0], row[1]))
    return due, new, later


def _new_room(new_limit: int | None, new_today: int) -> int | None:
    return None if new_limit is None else max(0, new_limit - new_today)


def due_queue(
    pool: Pool,
    states: States,
    now: datetime,
    *,
    new_limit: int | None = None,
    new_today: int = 0,
    rng: random.Random | None = None,
) -> list[tuple[QuestionSet, Question]]:
    """Questions due at `now` (oldest due first), then new ones up to the day's remaining limit.

    New questions come in the set's order, or shuffled with `rng`: in a set written in order, one
    question's explanation often gives the next one's answer away.
    """
    due, new, _later = _split(pool, states, now)
    room = _new_room(new_limit, new_today)
    if rng is not None:
        new = list(new)
        rng.shuffle(new)
    return [row[2] for row in due] + (new if room is None else new[:room])


@dataclass(frozen=True)
class DueCounts:
    """How many questions of a pool are due now, new today, unseen and scheduled for later."""

    due: int
    new: int
    unseen: int
    later: int

    @property
    def total(self) -> int:
        """What a due session would ask now."""
        return self.due + self.new


def due_counts(
    pool: Pool,
    states: States,
    now: datetime,
    *,
    new_limit: int | None = None,
    new_today: int = 0,
) -> DueCounts:
    """The counts behind `due_queue` for the same arguments, for a home screen or `--json`."""
    due, new, later = _split(pool, states, now)
    room = _new_room(new_limit, new_today)
    fresh = len(new) if room is None else min(room, len(new))
    return DueCounts(due=len(due), new=fresh, unseen=len(new), later=later)


def next_due(states: States | Iterable[Any], now: datetime) -> datetime | None:
    """The first time after `now` that a card falls due, None when no card is scheduled later."""
    now = _utc(now)
    values = states.values() if isinstance(states, Mapping) else states
    best: datetime | None = None
    for state in values:
        when = state_due(state)
        if when is not None and when > now and (best is None or when < best):
            best = when
    return best


def _local_day(stamp: str, tz: tzinfo) -> date:
    return parse_stamp(stamp).astimezone(tz).date()


def new_introduced_today(
    history: States | Iterable[Any],
    now: datetime,
    tz: tzinfo,
) -> int:
    """How many questions were first seen on `now`'s local day, from states or from attempts.

    States are read through their `first_seen`; attempts (with `at`, `set_id`, `question_id`) must
    be the whole history, since a question is new today only if no earlier attempt exists.
    """
    today = _utc(now).astimezone(tz).date()
    values = list(history.values() if isinstance(history, Mapping) else history)
    if not values:
        return 0
    if hasattr(values[0], "first_seen"):
        return sum(
            1
            for s in values
            if getattr(s, "first_seen", None) and _local_day(s.first_seen, tz) == today
        )
    first: dict[tuple[str, str], datetime] = {}
    for attempt in values:
        key = (attempt.set_id, attempt.question_id)
        at = parse_stamp(attempt.at)
        seen = first.get(key)
        if seen is None or at < seen:
            first[key] = at
    return sum(1 for at in first.values() if at.astimezone(tz).date() == today)
