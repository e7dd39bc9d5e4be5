"""Study statistics from the history or the per-hour counters: accuracy per day, mastery, most
missed, forecast, streak."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from gmmp_quiz.glance import Glance, SetBasis, to_micros
from gmmp_quiz.marking import question_label
from gmmp_quiz.model import LText, Question, QuestionSet, SetFigures, parse_stamp
from gmmp_quiz.scheduling import (
    card_stability,
    due_at,
    new_introduced_today,
    state_due,
)
from gmmp_quiz.store.state import is_miss, is_missed

__all__ = [
    "MASTERY_STABILITY_DAYS",
    "DayStat",
    "Mastery",
    "MissedStat",
    "SetFigures",
    "Stats",
    "compute_stats",
    "is_mastered",
    "set_figures",
]

MASTERY_STABILITY_DAYS = 21.0
"""FSRS stability (days until recall falls to 90%) from which a rightly answered question counts
as mastered: the same three weeks as Anki's "mature" cards."""


MASTERY_CORRECT = 2
"""Right answers that count as mastery for a question that has no card (flashcards imported before
scheduling, or progress imported from elsewhere)."""


def is_mastered(state: Any) -> bool:
    """Latest answer right, and a card stable for 21 days (without a card: 2 right answers)."""
    if state is None or getattr(state, "last_result", None) != "correct":
        return False
    card = getattr(state, "card", None)
    if not card:
        return int(getattr(state, "correct", 0) or 0) >= MASTERY_CORRECT
    return card_stability(card) >= MASTERY_STABILITY_DAYS


def set_figures(
    sets: Sequence[QuestionSet],
    states: Mapping[tuple[str, str], Any],
    now: datetime,
    new_per_day: int,
) -> dict[str, SetFigures]:
    """Questions, mastered, due, missed, next due and new per set, from the question states.

    `new_per_day` is the learner's daily limit of new questions; those already introduced
    today (in the local time zone of `now`) are taken from it.
    """
    return figure_basis(sets, states, now, new_per_day).figures(now)


def figure_basis(
    sets: Sequence[QuestionSet],
    states: Mapping[tuple[str, str], Any],
    now: datetime,
    new_per_day: int,
) -> Glance:
    """What the sets' figures are made of, apart from the present moment (see `glance`): the
    figures at any later time, as long as nothing is answered meanwhile."""
    local = now.astimezone().tzinfo or UTC
    bases = {}
    for qset in sets:
        seen = mastered = missed = 0
        due_times = []
        for question_id in qset.question_ids():
            state = states.get((qset.id, question_id))
            if state is None:
                continue
            seen += 1
            mastered += is_mastered(state)
            missed += is_missed(state)
            when = state_due(state)
            if when is not None:
                due_times.append(to_micros(when))
        due_times.sort()
        bases[qset.id] = SetBasis(len(qset.questions), seen, mastered, missed, tuple(due_times))
    today = now.astimezone(local).date().isoformat()
    return Glance(bases, new_per_day, today, new_introduced_today(states, now, local))


@dataclass(frozen=True)
class DayStat:
    """The answers given on one local day."""

    day: date
    answers: int
    correct: int

    @property
    def accuracy(self) -> float:
        """Share of the day's answers that were right (0..1)."""
        return self.correct / self.answers if self.answers else 0.0

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "date": self.day.isoformat(),
            "answers": self.answers,
            "correct": self.correct,
            "accuracy": self.accuracy,
        }


@dataclass(frozen=True)
class Mastery:
    """How much of a group of questions (a set, a tag, a section) is seen and mastered."""

    key: str
    label: str
    questions: int
    seen: int
    mastered: int

    @property
    def share(self) -> float:
        """Mastered share of the group's questions (0..1)."""
        return self.mastered / self.questions if self.questions else 0.0

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "key": self.key,
            "label": self.label,
            "questions": self.questions,
            "seen": self.seen,
            "mastered": self.mastered,
            "share": self.share,
        }


@dataclass(frozen=True)
class MissedStat:
    """One of the most missed questions."""

    set_id: str
    question_id: str
    prompt: str
    times_missed: int
    last_missed: datetime | None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "set_id": self.set_id,
            "question_id": self.question_id,
            "prompt": self.prompt,
            "times_missed": self.times_missed,
            "last_missed": self.last_missed.isoformat() if self.last_missed else None,
        }


@dataclass(frozen=True)
class Stats:
    """Every figure of the stats screen and of `stats --json`."""

    today: date
    answers: int
    correct: int
    days: tuple[DayStat, ...]  # local days with at least one answer, oldest first
    by_set: tuple[Mastery, ...]
    by_tag: tuple[Mastery, ...]
    by_section: tuple[Mastery, ...]
    top_missed: tuple[MissedStat, ...]
    forecast: tuple[tuple[date, int], ...]  # today (with overdue cards) and the next days
    streak: int  # consecutive study days ending today or yesterday

    @property
    def accuracy(self) -> float:
        """Share of all answers that were right (0..1)."""
        return self.correct / self.answers if self.answers else 0.0

    def answers_per_day(self, count: int = 30) -> list[tuple[date, int]]:
        """Answers on each of the last `count` local days up to today, zeros included."""
        per_day = {d.day: d.answers for d in self.days}
        first = self.today - timedelta(days=count - 1)
        return [
            (first + timedelta(days=i), per_day.get(first + timedelta(days=i), 0))
            for i in range(count)
        ]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (dates as ISO strings)."""
        return {
            "today": self.today.isoformat(),
            "answers": self.answers,
            "correct": self.correct,
            "accuracy": self.accuracy,
            "days": [d.to_dict() for d in self.days],
            "mastery": {
                "rule": (
                    f"latest answer correct and FSRS stability >= {MASTERY_STABILITY_DAYS:g} days"
                ),
                "by_set": [m.to_dict() for m in self.by_set],
                "by_tag": [m.to_dict() for m in self.by_tag],
                "by_section": [m.to_dict() for m in self.by_section],
            },
            "top_missed": [m.to_dict() for m in self.top_missed],
            "forecast": [{"date": d.isoformat(), "due": n} for d, n in self.forecast],
            "streak": self.streak,
        }


class _DayCache:
    """Local dates of ISO stamps, cached per UTC hour when that hour lies within one local date."""

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz
        self.hours: dict[str, date | None] = {}

    def __call__(self, stamp: str) -> date:
        # The store writes UTC stamps; other offsets take the slow path.
        if stamp.endswith("+00:00"):
            hour = stamp[:13]
            day = self.hours.get(hour, _UNSET)
            if day is _UNSET:
                start = datetime.fromisoformat(hour + ":00:00+00:00")
                first = start.astimezone(self.tz).date()
                last = (start + _HOUR_END).astimezone(self.tz).date()
                # A half-hour offset puts local midnight inside a UTC hour: no shared date then.
                day = self.hours[hour] = first if first == last else None
            if isinstance(day, date):
                return day
        return parse_stamp(stamp).astimezone(self.tz).date()


_UNSET: Any = object()
_HOUR_END = timedelta(minutes=59, seconds=59, microseconds=999999)


def _grouped(
    groups: dict[str, tuple[str, list[tuple[str, str]]]],
    states: Mapping[tuple[str, str], Any],
) -> tuple[Mastery, ...]:
    out = []
    for key, (label, members) in groups.items():
        seen = mastered = 0
        for member in members:
            state = states.get(member)
            if state is not None and getattr(state, "last_result", None) is not None:
                seen += 1
                mastered += is_mastered(state)
        out.append(Mastery(key, label, len(members), seen, mastered))
    return tuple(out)


def _streak(study_days: set[date], today: date) -> int:
    day = today if today in study_days else today - timedelta(days=1)
    count = 0
    while day in study_days:
        count += 1
        day -= timedelta(days=1)
    return count


def _from_hours(
    hourly: Mapping[str, Mapping[str, tuple[int, int]]], set_ids: set[str], tz: tzinfo
) -> tuple[dict[date, int], dict[date, int]]:
    """Answers and right answers per local day from per-set, per-UTC-hour counters."""
    answers: dict[date, int] = {}
    right: dict[date, int] = {}
    days: dict[str, date] = {}
    for set_id, hours in hourly.items():
        if set_id not in set_ids:
            continue
        for hour, (n, c) in hours.items():
            day = days.get(hour)
            if day is None:
                # An hour belongs to the local day of its start.
                start = datetime.fromisoformat(hour + ":00:00+00:00")
                day = days[hour] = start.astimezone(tz).date()
            answers[day] = answers.get(day, 0) + n
            right[day] = right.get(day, 0) + c
    return answers, right


def _from_states(
    states: Mapping[tuple[str, str], Any], set_ids: set[str]
) -> dict[tuple[str, str], list[Any]]:
    """[times missed, last missed (UTC ISO or "")] of each missed question, from its state."""
    misses: dict[tuple[str, str], list[Any]] = {}
    for key, state in states.items():
        n = getattr(state, "times_missed", 0) or 0
        if n > 0 and key[0] in set_ids:
            at = getattr(state, "last_missed", None) or ""
            if at and not at.endswith("+00:00"):
                at = parse_stamp(at).astimezone(UTC).isoformat()
            misses[key] = [n, at]
    return misses


def _outline(qset: QuestionSet) -> Sequence[tuple[str, tuple[str, ...], LText | None]]:
    """Each question's id, tags and source, without building a set not built yet."""
    # Building every question of every set for these three fields kept megabytes of
    # questions that the screens showing the figures never use.
    outline = getattr(qset.questions, "outline", None)
    if callable(outline):
        rows: Sequence[tuple[str, tuple[str, ...], LText | None]] = outline()
        return rows
    return [(q.id, q.tags, q.source) for q in qset.questions]


def _question(qset: QuestionSet, index: int) -> Question:
    """The question at `index` of `qset`, built alone if its set is not built."""
    pick = getattr(qset.questions, "pick", None)
    if callable(pick):
        picked: Sequence[Question] = pick([index])
        return picked[0]
    return qset.questions[index]


def compute_stats(
    sets: Sequence[QuestionSet],
    states: Mapping[tuple[str, str], Any],
    attempts: Iterable[Any] | None,
    now: datetime,
    tz: tzinfo,
    *,
    hourly: Mapping[str, Mapping[str, tuple[int, int]]] | None = None,
    top: int = 10,
    forecast_days: int = 14,
    lang: str | None = None,
) -> Stats:
    """The stats of `sets` from their states and attempt history; days are local days in `tz`.

    Attempts of other sets are ignored, skipped ones are not answers, and an answer counts as
    right when its outcome is "correct" (an "I was right" override included).

    With `hourly` (set id -> UTC hour "2026-11-28T14" -> (answers, right), as
    `ProgressStore.hourly_by_set` gives), no history is needed and `attempts` is ignored: the
    days come from the counters, each hour counted in the local day it starts in (exact for
    time zones whose offset is whole hours; otherwise an answer given in the half hour around
    local midnight may count on the neighbouring day), and the most missed from the states
    (`times_missed`, `last_missed`).
    """
    today = now.astimezone(tz).date()
    set_ids = {s.id for s in sets}
    local_day = _DayCache(tz)

    # One pass over the history: per-day counts and per-question misses.
    answers: dict[date, int] = {}
    right: dict[date, int] = {}
    misses: dict[tuple[str, str], list[Any]] = {}
    hours = local_day.hours
    if hourly is not None:
        answers, right = _from_hours(hourly, set_ids, tz)
        misses = _from_states(states, set_ids)
        attempts = ()
    for attempt in attempts or ():
        if attempt.set_id not in set_ids:
            continue
        outcome = attempt.outcome
        if outcome == "skipped":
            continue
        at = attempt.at
        day = hours.get(at[:13]) if at.endswith("+00:00") else None
        if day is None:
            day = local_day(at)
        answers[day] = answers.get(day, 0) + 1
        if outcome == "correct":
            right[day] = right.get(day, 0) + 1
        elif is_miss(attempt):
            if not at.endswith("+00:00"):
                at = parse_stamp(at).astimezone(UTC).isoformat()
            # UTC stamps in ISO form sort as text in time order: no parsing in the hot loop.
            key = (attempt.set_id, attempt.question_id)
            row = misses.get(key)
            if row is None:
                misses[key] = [1, at]
            else:
                row[0] += 1
                if at > row[1]:
                    row[1] = at
    days = tuple(DayStat(d, n, right.get(d, 0)) for d, n in sorted(answers.items()))

    # Each question's set and position: only the most missed are built (see `_outline`).
    questions: dict[tuple[str, str], tuple[QuestionSet, int]] = {}
    by_set: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    by_tag: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    by_section: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for qset in sets:
        members = by_set.setdefault(qset.id, (qset.title.get(lang), []))[1]
        for index, (question_id, tags, source) in enumerate(_outline(qset)):
            key = (qset.id, question_id)
            questions[key] = (qset, index)
            members.append(key)
            for tag in tags:
                by_tag.setdefault(tag, (qset.tag_label(tag, lang), []))[1].append(key)
            if source is not None:
                section = source.get(lang)
                by_section.setdefault(section, (section, []))[1].append(key)

    # Most missed first, then the latest missed, then by key: stable sorts, last key first.
    ranked = sorted((key, row) for key, row in misses.items() if key in questions)
    ranked.sort(key=lambda kv: kv[1][1], reverse=True)
    ranked.sort(key=lambda kv: kv[1][0], reverse=True)
    top_missed = tuple(
        MissedStat(
            key[0],
            key[1],
            question_label(_question(*questions[key]), lang),
            n,
            parse_stamp(at) if at else None,
        )
        for key, (n, at) in ranked[:top]
    )

    forecast = [0] * forecast_days
    for key in questions:
        card = getattr(states.get(key), "card", None)
        if not card or forecast_days <= 0:
            continue
        offset = (due_at(card).astimezone(tz).date() - today).days
        if offset < forecast_days:
            forecast[max(0, offset)] += 1  # overdue cards are due today

    return Stats(
        today=today,
        answers=sum(d.answers for d in days),
        correct=sum(d.correct for d in days),
        days=days,
        by_set=_grouped(by_set, states),
        by_tag=tuple(sorted(_grouped(by_tag, states), key=lambda m: m.key)),
        by_section=tuple(sorted(_grouped(by_section, states), key=lambda m: m.key)),
        top_missed=top_missed,
        forecast=tuple((today + timedelta(days=i), n) for i, n in enumerate(forecast)),
        streak=_streak(set(answers), today),
    )
