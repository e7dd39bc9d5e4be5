"""Stats from a scripted history, every figure checked against hand-computed values."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from gmmp_quiz.model import Kind, LText, Question, QuestionSet
from gmmp_quiz.stats import DayStat, Mastery, compute_stats, is_mastered

PARIS = ZoneInfo("Europe/Paris")  # UTC+1 in early March 2026
NOW = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)  # 09:00 in Paris


@dataclass(frozen=True)
class Attempt:
    at: str
    set_id: str
    question_id: str
    outcome: str
    overridden: bool = False


@dataclass(frozen=True)
class State:
    last_result: str | None
    card: dict[str, Any] | None = None


def card(stability: float, due: str) -> dict[str, Any]:
    return {"state": 2, "step": None, "stability": stability, "difficulty": 5.0, "due": due}


def q(qid: str, tags: tuple[str, ...] = (), source: str | None = None) -> Question:
    return Question(
        id=qid,
        kind=Kind.SHORT,
        prompt=LText.plain(f"Prompt {qid}"),
        answer=LText.plain("x"),
        tags=tags,
        source=LText.plain(source) if source else None,
    )


SET_A = QuestionSet(
    id="a",
    title=LText.plain("Set A"),
    language="und",
    questions=(
        q("q1", ("x",), "S1"),
        q("q2", ("x", "y"), "S1"),
        q("q3", ("y",)),
        q("q4", (), "S2"),
        q("q5"),
    ),
)
SET_B = QuestionSet(
    id="b", title=LText.plain("Set B"), language="und", questions=(q("p1", ("x",)), q("p2", ("y",)))
)
SETS = [SET_A, SET_B]

HISTORY = [
    Attempt("2026-03-06T10:00:00+00:00", "a", "q1", "wrong"),
    Attempt("2026-03-06T10:05:00+00:00", "a", "q1", "correct"),
    Attempt("2026-03-07T23:30:00+00:00", "a", "q2", "partial"),  # 00:30 on the 8th in Paris
    Attempt("2026-03-08T12:00:00+00:00", "a", "q2", "wrong"),
    Attempt("2026-03-08T12:01:00.250000+00:00", "a", "q2", "correct"),
    Attempt("2026-03-09T22:59:00+00:00", "b", "p1", "wrong"),  # 23:59 on the 9th in Paris
    Attempt("2026-03-09T23:00:00+00:00", "b", "p1", "wrong"),  # midnight: the 10th in Paris
    Attempt("2026-03-10T07:00:00+00:00", "a", "q3", "correct"),
    Attempt("2026-03-10T07:01:00+00:00", "a", "q3", "skipped"),  # not an answer
    Attempt("2026-03-10T07:02:00+00:00", "a", "q4", "correct", overridden=True),
    Attempt("2026-03-09T10:00:00+00:00", "gone", "z", "wrong"),  # a set not asked for
]

STATES = {
    ("a", "q1"): State("correct", card(30.0, "2026-03-12T10:00:00+00:00")),
    ("a", "q2"): State("correct", card(5.0, "2026-03-09T10:00:00+00:00")),  # overdue
    ("a", "q3"): State("correct", card(21.0, "2026-03-23T22:30:00+00:00")),  # 23:30 Paris
    ("a", "q4"): State("correct", None),
    ("a", "q5"): State("wrong", card(25.0, "2026-03-24T10:00:00+00:00")),  # past the 14 days
    ("b", "p1"): State("wrong", card(40.0, "2026-03-10T23:30:00+00:00")),  # the 11th in Paris
    ("gone", "z"): State("wrong", card(1.0, "2026-03-10T09:00:00+00:00")),
}


def stats(now: datetime = NOW, tz: Any = PARIS, **kw: Any):
    return compute_stats(SETS, STATES, HISTORY, now, tz, **kw)


def test_accuracy_and_answers_per_local_day() -> None:
    s = stats()
    assert s.today == date(2026, 3, 10)
    assert s.days == (
        DayStat(date(2026, 3, 6), 2, 1),
        DayStat(date(2026, 3, 8), 3, 1),
        DayStat(date(2026, 3, 9), 1, 0),
        DayStat(date(2026, 3, 10), 3, 2),
    )
    assert [d.accuracy for d in s.days] == [0.5, 1 / 3, 0.0, 2 / 3]
    assert (s.answers, s.correct, s.accuracy) == (9, 4, 4 / 9)
    assert s.answers_per_day(6) == [
        (date(2026, 3, 5), 0),
        (date(2026, 3, 6), 2),
        (date(2026, 3, 7), 0),
        (date(2026, 3, 8), 3),
        (date(2026, 3, 9), 1),
        (date(2026, 3, 10), 3),
    ]


def test_days_in_utc_differ_across_midnight() -> None:
    s = stats(tz=UTC)
    assert s.days == (
        DayStat(date(2026, 3, 6), 2, 1),
        DayStat(date(2026, 3, 7), 1, 0),
        DayStat(date(2026, 3, 8), 2, 1),
        DayStat(date(2026, 3, 9), 2, 0),
        DayStat(date(2026, 3, 10), 2, 2),
    )


def test_is_mastered() -> None:
    assert is_mastered(State("correct", card(21.0, "2026-04-01T00:00:00+00:00")))
    assert not is_mastered(State("correct", card(20.9, "2026-04-01T00:00:00+00:00")))
    assert not is_mastered(State("wrong", card(90.0, "2026-04-01T00:00:00+00:00")))
    assert not is_mastered(State("partial", card(90.0, "2026-04-01T00:00:00+00:00")))
    assert not is_mastered(State("correct", None))
    assert not is_mastered(None)


def test_mastery_per_set_tag_and_section() -> None:
    s = stats()
    assert s.by_set == (Mastery("a", "Set A", 5, 5, 2), Mastery("b", "Set B", 2, 1, 0))
    assert s.by_set[0].share == 0.4
    assert s.by_tag == (Mastery("x", "x", 3, 3, 1), Mastery("y", "y", 3, 2, 1))
    assert s.by_section == (Mastery("S1", "S1", 2, 2, 1), Mastery("S2", "S2", 1, 1, 0))


def test_top_missed() -> None:
    top = stats().top_missed
    assert [(m.set_id, m.question_id, m.times_missed) for m in top] == [
        ("b", "p1", 2),  # 2 misses, the latest on the 9th
        ("a", "q2", 2),  # 2 misses, the latest on the 8th
        ("a", "q1", 1),
    ]
    assert top[0].prompt == "Prompt p1"
    assert top[0].last_missed == datetime(2026, 3, 9, 23, 0, tzinfo=UTC)
    assert [m.question_id for m in stats(top=2).top_missed] == ["p1", "q2"]


def test_forecast_next_14_local_days() -> None:
    forecast = stats().forecast
    assert len(forecast) == 14
    assert forecast[0][0] == date(2026, 3, 10)
    assert forecast[-1][0] == date(2026, 3, 23)
    counts = [n for _d, n in forecast]
    # overdue q2 today, p1 on the 11th (Paris), q1 on the 12th, q3 on the 23rd; q5 after the window
    assert counts == [1, 1, 1] + [0] * 10 + [1]
    utc_counts = [n for _d, n in stats(tz=UTC).forecast]
    assert utc_counts == [2, 0, 1] + [0] * 10 + [1]


def test_streak_in_local_days() -> None:
    assert stats().streak == 3  # the 8th, 9th and 10th in Paris; nothing on the 7th
    assert stats(tz=UTC).streak == 5  # the 6th to the 10th in UTC
    # Late on the 11th in Paris, nothing yet that day: the streak still ends yesterday.
    assert stats(now=datetime(2026, 3, 11, 22, 30, tzinfo=UTC)).streak == 3
    # Just after midnight in Paris on the 12th: two days without study.
    assert stats(now=datetime(2026, 3, 11, 23, 5, tzinfo=UTC)).streak == 0


def test_empty_history() -> None:
    s = compute_stats(SETS, {}, [], NOW, PARIS)
    assert (s.answers, s.accuracy, s.days, s.top_missed, s.streak) == (0, 0.0, (), (), 0)
    assert [n for _d, n in s.forecast] == [0] * 14
    assert s.by_set == (Mastery("a", "Set A", 5, 0, 0), Mastery("b", "Set B", 2, 0, 0))


def test_to_dict_is_json() -> None:
    data = json.loads(json.dumps(stats().to_dict()))
    assert data["today"] == "2026-03-10"
    assert (data["answers"], data["correct"], data["streak"]) == (9, 4, 3)
    assert data["days"][0] == {"date": "2026-03-06", "answers": 2, "correct": 1, "accuracy": 0.5}
    assert data["mastery"]["by_set"][0] == {
        "key": "a",
        "label": "Set A",
        "questions": 5,
        "seen": 5,
        "mastered": 2,
        "share": 0.4,
    }
    assert "21" in data["mastery"]["rule"]
    assert data["top_missed"][0]["last_missed"] == "2026-03-09T23:00:00+00:00"
    assert data["forecast"][1] == {"date": "2026-03-11", "due": 1}


def test_core_modules_do_not_import_textual() -> None:
    import subprocess
    import sys

    code = (
        "import sys, gmmp_quiz.scheduling, gmmp_quiz.missed, gmmp_quiz.stats; "
        "sys.exit('textual' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


# -- the counters path: per-hour counters and question states instead of the history ----------


def _recorded_store(home: Any) -> Any:
    """A store holding HISTORY, then an undo, an override of an older miss and a reset."""
    from answers import answer

    from gmmp_quiz.store.progress import ProgressStore

    def record(store: Any, at: str, set_id: str, qid: str, outcome: str) -> str:
        attempt = answer(set_id, qid, outcome, at)
        store.record(attempt)
        return attempt.id

    store = ProgressStore.open(home, backup=False)
    ids = [record(store, a.at, a.set_id, a.question_id, a.outcome) for a in HISTORY]
    store.override(ids[-2])  # q4, the latest answer to it
    # An older miss of p1 overridden (its latest miss stays), then one of q2 (the latest left).
    store.override(ids[5])
    later = record(store, "2026-03-10T07:30:00+00:00", "a", "q2", "correct")
    store.override(ids[3])
    undone = record(store, "2026-03-10T07:40:00+00:00", "a", "q5", "wrong")
    store.undo(undone)
    record(store, "2026-03-10T07:45:00+00:00", "c", "q1", "wrong")
    store.reset("c")
    assert later
    return store


def _both(store: Any, tz: Any) -> tuple[Any, Any]:
    states = store.states()
    from_history = compute_stats(SETS, states, store.attempts(), NOW, tz)
    from_counters = compute_stats(SETS, states, None, NOW, tz, hourly=store.hourly_by_set())
    return from_history, from_counters


def test_counters_and_history_agree(tmp_path: Any) -> None:
    store = _recorded_store(tmp_path / "home")
    try:
        for tz in (PARIS, UTC, ZoneInfo("America/New_York")):
            from_history, from_counters = _both(store, tz)
            assert from_counters == from_history
        from_history, _ = _both(store, PARIS)
        assert from_history.answers == 10 and from_history.top_missed
        assert [(m.question_id, m.times_missed) for m in from_history.top_missed] == [
            ("p1", 1),
            ("q2", 1),
            ("q1", 1),
        ]
        assert from_history.top_missed[1].last_missed == datetime(2026, 3, 7, 23, 30, tzinfo=UTC)
    finally:
        store.close()
    # Reopened (replayed or compacted), the counters are the same.
    from gmmp_quiz.store.progress import ProgressStore

    with ProgressStore.open(tmp_path / "home", backup=False) as store:
        from_history, from_counters = _both(store, PARIS)
        assert from_counters == from_history


def test_counters_hour_belongs_to_the_local_day_it_starts_in() -> None:
    # India is UTC+5:30: the UTC hour 18:00-19:00 is 23:30-00:30 local, counted on its first day.
    india = ZoneInfo("Asia/Kolkata")
    hourly = {"a": {"2026-03-09T18": (2, 1)}}
    s = compute_stats(SETS, {}, None, NOW, india, hourly=hourly)
    assert s.days == (DayStat(date(2026, 3, 9), 2, 1),)
    assert s.top_missed == ()
    # Counters of sets not asked for are left out, as their attempts are.
    s = compute_stats(SETS, {}, None, NOW, PARIS, hourly={"gone": {"2026-03-09T18": (2, 1)}})
    assert s.days == ()


# -- per-set figures (home's list) ---------------------------------------------------------------


def test_set_figures_count_each_set_from_the_states() -> None:
    from gmmp_quiz.stats import SetFigures, set_figures
    from gmmp_quiz.store.state import QuestionState

    def state(qid: str, result: str, card_: dict[str, Any] | None, first: str) -> QuestionState:
        return QuestionState(
            "a",
            qid,
            1,
            int(result == "correct"),
            None,
            result,
            first,
            0,
            card_,
            None,
            first_seen=first,
        )

    today = NOW.isoformat()
    states = {
        ("a", "q1"): state("q1", "correct", card(30.0, "2026-04-01T00:00:00+00:00"), today),
        ("a", "q2"): state("q2", "wrong", card(1.0, "2026-03-09T00:00:00+00:00"), "2026-03-01"),
        ("a", "gone"): state("gone", "wrong", None, "2026-03-01"),  # not in the set any more
    }
    figures = set_figures([SET_A, SET_B], states, NOW, new_per_day=3)
    a = figures["a"]
    assert (a.questions, a.seen, a.mastered, a.due, a.missed) == (5, 2, 1, 1, 1)
    assert a.next_due == datetime(2026, 4, 1, tzinfo=UTC)
    assert a.new == 2  # 3 a day, one already introduced today
    assert figures["b"] == SetFigures(len(SET_B.questions), new=2)
