"""A quiz session as a state machine: pick, answer, record, requeue, skip, undo, sum up."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from gmmp_quiz.grading import Rating, Verdict, grade, verdict_from_override
from gmmp_quiz.model import MISSED, Kind, LText, Mode, Outcome, Question, QuestionSet, tag_label
from gmmp_quiz.store.state import is_missed


def utcnow() -> datetime:
    """The current time, UTC-aware (the default clock)."""
    return datetime.now(UTC)


class Store(Protocol):
    """What a session needs from the progress store (see gmmp_quiz.store.progress.ProgressStore)."""

    def record(self, attempt: Any, *, card: dict[str, Any] | None = None) -> Any: ...  # noqa: D102
    def undo(self, attempt_id: str) -> Any: ...  # noqa: D102
    def override(  # noqa: D102
        self, attempt_id: str, *, score: float = 1.0, card: dict[str, Any] | None = None
    ) -> Any: ...
    def state(self, set_id: str, question_id: str) -> Any: ...  # noqa: D102
    def start_session(self, set_id: str, mode: str, at: str) -> str: ...  # noqa: D102
    def end_session(  # noqa: D102
        self, session_id: str, at: str, *, answered: int, correct: int, score: float
    ) -> None: ...


# A scheduler turns (card, rating, now) into the new card; None leaves cards alone.
Scheduler = Callable[[dict[str, Any] | None, Rating, datetime], dict[str, Any]]


def rating_for(verdict: Verdict, *, flashcard: Rating | None = None) -> Rating:
    """The spaced-repetition rating an answer earns."""
    if flashcard is not None:
        return flashcard
    if verdict.outcome is Outcome.WRONG:
        return Rating.AGAIN
    if verdict.outcome is Outcome.PARTIAL:
        return Rating.HARD if verdict.score >= 0.5 else Rating.AGAIN
    return Rating.HARD if verdict.typo else Rating.GOOD


@dataclass
class Item:
    """A question as shown in this session: its display order of choices, items or pairs."""

    qset: QuestionSet
    question: Question
    order: tuple[int, ...] = ()  # display position -> index of choice/item/left of a pair
    right_order: tuple[int, ...] = ()  # match: display position -> index in match_rights
    repeat: int = 0  # how many times this question already came back in the session

    @property
    def key(self) -> tuple[str, str]:
        """Set id and question id: what progress is keyed by."""
        return (self.qset.id, self.question.id)


@dataclass
class Result:
    """One answer given in the session."""

    item: Item
    verdict: Verdict | None  # None when skipped
    response: Any
    attempt_id: str | None
    elapsed_s: float
    first: bool  # the first time this question was answered in the session
    overridden: bool = False


@dataclass
class Summary:
    """The end of a session in figures."""

    answered: int
    correct: int
    score: float  # 0..1, over first answers
    elapsed_s: float
    skipped: int
    by_tag: dict[str, tuple[int, float]]  # tag -> (questions, mean score)
    missed: list[Result]  # the latest answer of each question still missed (see is_missed)
    tag_names: dict[str, LText] = field(default_factory=dict)  # from the sets' tag_names
    relearned: int = 0  # questions missed at first, answered right later in the session

    def tag_label(self, tag: str, lang: str) -> str:
        """How a tag of `by_tag` reads in `lang`."""
        return tag_label(self.tag_names, tag, lang)


def display_order(n: int, shuffle: bool, rng: random.Random) -> tuple[int, ...]:
    """A permutation of range(n): shuffled unless the question says not to."""
    order = list(range(n))
    if shuffle and n > 1:
        rng.shuffle(order)
    return tuple(order)


def make_item(qset: QuestionSet, question: Question, rng: random.Random, repeat: int = 0) -> Item:
    """Prepare a question for display, shuffling what its set allows."""
    kind = question.kind
    order: tuple[int, ...] = ()
    right: tuple[int, ...] = ()
    if kind in (Kind.CHOICE, Kind.MULTI):
        order = display_order(len(question.choices), question.shuffle, rng)
    elif kind is Kind.ORDER:
        order = display_order(len(question.items), True, rng)
        # An order question shown already in order would give its answer away.
        while len(order) > 1 and order == tuple(range(len(order))):
            order = display_order(len(question.items), True, rng)
    elif kind is Kind.MATCH:
        order = display_order(len(question.pairs), question.shuffle, rng)
        # The distractors (right items with no partner) are shown among the pairs' own.
        right = display_order(len(question.match_rights), True, rng)
    return Item(qset, question, order, right, repeat)


@dataclass
class Session:
    """One run through a list of questions, recording every answer as it is given."""

    items: list[Item]
    store: Store | None
    mode: Mode = Mode.QUIZ
    requeue: bool = True
    lang: str | None = None
    scheduler: Scheduler | None = None
    clock: Callable[[], datetime] = utcnow
    timer: Callable[[], float] = time.monotonic
    rng: random.Random = field(default_factory=random.Random)
    session_id: str = ""
    results: list[Result] = field(default_factory=list)
    _queue: list[Item] = field(default_factory=list)
    _asked_at: float = 0.0
    _started: float = 0.0
    _seen: set[tuple[str, str]] = field(default_factory=set)
    _last: Result | None = None

    def __post_init__(self) -> None:
        self._queue = list(self.items)
        self._started = self.timer()
        self._asked_at = self._started
        if self.store is not None and self.items:
            set_ids = sorted({i.qset.id for i in self.items})
            label = set_ids[0] if len(set_ids) == 1 else "*"
            self.session_id = self.store.start_session(label, self.mode, self._now_iso())
        if not self.session_id:
            self.session_id = uuid.uuid4().hex

    # -- state ------------------------------------------------------------------------------
    @property
    def current(self) -> Item | None:
        """The question being asked, None when the session is over."""
        return self._queue[0] if self._queue else None

    @property
    def finished(self) -> bool:
        """Whether every question has been answered (or skipped)."""
        return not self._queue

    @property
    def done(self) -> int:
        """Questions answered or skipped so far (repeats included)."""
        return len(self.results)

    @property
    def total(self) -> int:
        """Done plus still to come (grows when a missed question is requeued)."""
        answered_current = self._last is not None and bool(self._queue)
        answered_current = answered_current and self._last.item is self._queue[0]  # type: ignore[union-attr]
        return len(self.results) + len(self._queue) - int(answered_current)

    @property
    def score(self) -> float:
        """Mean score of the first answers so far (0..1)."""
        firsts = [r.verdict.score for r in self.results if r.first and r.verdict is not None]
        return sum(firsts) / len(firsts) if firsts else 0.0

    @property
    def last(self) -> Result | None:
        """The latest result, while it can still be undone or overridden."""
        return self._last

    def _now_iso(self) -> str:
        return self.clock().astimezone(UTC).isoformat()

    def _card(self, item: Item) -> dict[str, Any] | None:
        if self.store is None:
            return None
        state = self.store.state(*item.key)
        return getattr(state, "card", None) if state is not None else None

    def _new_card(self, item: Item, rating: Rating) -> dict[str, Any] | None:
        if self.scheduler is None:
            return None
        return self.scheduler(self._card(item), rating, self.clock())

    # -- actions ----------------------------------------------------------------------------
    def mark_shown(self) -> None:
        """Start the answer timer (call when the question appears)."""
        self._asked_at = self.timer()

    def answer(self, response: Any, *, rating: Rating | None = None) -> Verdict:
        """Judge and record the answer to the current question (durable before returning)."""
        item = self.current
        if item is None:
            raise RuntimeError("the session is over")
        question = item.question
        # A flashcard is graded on its rating (None when missing: grade refuses it).
        given: Any = rating if question.kind is Kind.FLASHCARD else response
        verdict = grade(question, given, lang=self.lang)
        flash = rating if question.kind is Kind.FLASHCARD else None
        elapsed = round(self.timer() - self._asked_at, 3)
        attempt_id = self._record(
            item, response, verdict, elapsed, rating_for(verdict, flashcard=flash)
        )
        first = item.key not in self._seen
        self._seen.add(item.key)
        result = Result(item, verdict, response, attempt_id, elapsed, first)
        self.results.append(result)
        self._last = result
        return verdict

    def _record(
        self, item: Item, response: Any, verdict: Verdict, elapsed: float, rating: Rating
    ) -> str | None:
        if self.store is None:
            return None
        from gmmp_quiz.store.state import Attempt

        attempt = Attempt(
            id=uuid.uuid4().hex,
            at=self._now_iso(),
            set_id=item.qset.id,
            question_id=item.question.id,
            answer=_jsonable(response if item.question.kind is not Kind.FLASHCARD else rating),
            outcome=verdict.outcome.value,
            score=verdict.score,
            elapsed_s=elapsed,
            mode=self.mode,
            session_id=self.session_id,
            typo=verdict.typo,
        )
        self.store.record(attempt, card=self._new_card(item, rating))
        return attempt.id

    def override(self) -> Verdict:
        """ "I was right": the latest answer (typed, judged wrong) is recorded as right."""
        result = self._last
        if result is None or result.verdict is None:
            raise RuntimeError("nothing to override")
        verdict = verdict_from_override(result.verdict)
        if self.store is not None and result.attempt_id is not None:
            card = self._new_card(result.item, Rating.HARD)
            self.store.override(result.attempt_id, score=1.0, card=card)
        result.verdict = verdict
        result.overridden = True
        return verdict

    def undo(self) -> bool:
        """Take back the latest answer: its record and card go back, and it is asked again."""
        result = self._last
        if result is None:
            return False
        if self.store is not None and result.attempt_id is not None:
            self.store.undo(result.attempt_id)
        self.results.remove(result)
        if result.first:
            self._seen.discard(result.item.key)
        self._last = None
        self.mark_shown()
        return True

    def skip(self) -> None:
        """Move on without answering (nothing is recorded; the question is not requeued)."""
        item = self.current
        if item is None:
            return
        self.results.append(Result(item, None, None, None, 0.0, item.key not in self._seen))
        self._last = None
        self._queue.pop(0)
        self.mark_shown()

    def advance(self) -> Item | None:
        """Go on after the feedback: requeue a missed question, then show the next one."""
        result = self._last
        item = self._queue.pop(0) if self._queue else None
        if (
            self.requeue
            and item is not None
            and result is not None
            and result.item is item
            and result.verdict is not None
            and not result.verdict.correct
        ):
            # Bring it back a few questions later so the answer is recalled, not just remembered.
            again = make_item(item.qset, item.question, self.rng, item.repeat + 1)
            self._queue.insert(min(len(self._queue), 3), again)
        self._last = None
        self.mark_shown()
        return self.current

    def finish(self) -> Summary:
        """Close the session in the store and sum it up."""
        summary = self.summary()
        if self.store is not None and self.items:
            self.store.end_session(
                self.session_id,
                self._now_iso(),
                answered=summary.answered,
                correct=summary.correct,
                score=summary.score,
            )
        return summary

    def summary(self) -> Summary:
        """Score, time, breakdown by tag and the missed questions."""
        firsts = [r for r in self.results if r.first and r.verdict is not None]
        by_tag: dict[str, list[float]] = {}
        names: dict[str, LText] = {}
        for r in firsts:
            assert r.verdict is not None
            for tag in r.item.question.tags or ("—",):
                by_tag.setdefault(tag, []).append(r.verdict.score)
                if tag in r.item.qset.tag_names:
                    names.setdefault(tag, r.item.qset.tag_names[tag])
        # "Missed" means one thing everywhere (see is_missed): the latest answer was not right.
        latest: dict[tuple[str, str], Result] = {}
        for r in self.results:
            if r.verdict is not None:
                latest[r.item.key] = r
        missed = [r for r in latest.values() if r.verdict and r.verdict.outcome in MISSED]
        first_missed = {r.item.key for r in firsts if r.verdict and not r.verdict.correct}
        relearned = sum(1 for key in first_missed if (v := latest[key].verdict) and v.correct)
        return Summary(
            answered=len(firsts),
            correct=sum(1 for r in firsts if r.verdict and r.verdict.correct),
            score=self.score,
            elapsed_s=self.timer() - self._started,
            skipped=sum(1 for r in self.results if r.verdict is None),
            by_tag={t: (len(v), sum(v) / len(v)) for t, v in sorted(by_tag.items())},
            missed=missed,
            tag_names=names,
            relearned=relearned,
        )


def _jsonable(value: Any) -> Any:
    if isinstance(value, Rating):
        return int(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [
            _jsonable(v) for v in (sorted(value) if isinstance(value, (set, frozenset)) else value)
        ]
    return value


def pick(
    sets: Sequence[QuestionSet],
    *,
    mode: Mode | str = Mode.QUIZ,
    count: int | None = None,
    rng: random.Random | None = None,
    states: dict[tuple[str, str], Any] | None = None,
    now: datetime | None = None,
    new_limit: int | None = 20,
) -> list[tuple[QuestionSet, Question]]:
    """The questions a session of `mode` asks: shuffled (quiz), due first (due), or missed.

    In `due` mode, questions never seen are introduced at most `new_limit` a day, so a big set is
    learned over days.
    """
    if mode not in tuple(Mode):
        raise ValueError(f"unknown mode {mode!r}")
    rng = rng or random.Random()
    states = states or {}
    pool = [(s, q) for s in sets for q in s.questions]
    if mode == Mode.QUIZ:
        rng.shuffle(pool)
    elif mode == Mode.MISSED:
        pool = [(s, q) for s, q in pool if is_missed(states.get((s.id, q.id)))]
        pool.sort(key=lambda sq: -getattr(states[(sq[0].id, sq[1].id)], "times_missed", 0))
    else:
        from gmmp_quiz.scheduling import due_queue, new_introduced_today

        now = now or utcnow()
        new_today = new_introduced_today(states, now, now.astimezone().tzinfo or UTC)
        pool = due_queue(pool, states, now, new_limit=new_limit, new_today=new_today, rng=rng)
    return pool[:count] if count else pool


def build(
    picked: Sequence[tuple[QuestionSet, Question]],
    store: Store | None,
    *,
    mode: Mode | str = Mode.QUIZ,
    rng: random.Random | None = None,
    **options: Any,
) -> Session:
    """A session over the picked questions, each prepared for display."""
    rng = rng or random.Random()
    items = [make_item(s, q, rng) for s, q in picked]
    return Session(items, store, mode=Mode(mode), rng=rng, **options)


def scheduler_for(mode: Mode | str, store: Any = None) -> Scheduler | None:
    """The FSRS scheduler for a session; retrying missed questions leaves the schedule alone."""
    if mode == Mode.MISSED:
        return None
    from gmmp_quiz import settings
    from gmmp_quiz.scheduling import make_scheduler

    return make_scheduler(settings.value(store, "retention"))
