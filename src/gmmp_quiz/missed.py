"""The missed list: every question answered wrong and not yet fixed, with the learner's answers."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any

from gmmp_quiz.errors import QuizError
from gmmp_quiz.grading import Rating, expected_answer, given_text, normalize
from gmmp_quiz.model import Kind, LText, Question, QuestionSet, parse_stamp
from gmmp_quiz.store.state import is_miss, is_missed

__all__ = [
    "MissedEntry",
    "PlannedMiss",
    "all_missed",
    "build_missed",
    "filter_entries",
    "group_by_set",
    "missed_entries",
    "plan_missed",
    "render_answer",
    "retry_pick",
    "search_key",
]

WRONG_SHOWN = 3
# Between the texts of `MissedEntry.search_text`: a search is normalised typed text, never this.
SEPARATOR = "\x00"


@dataclass(frozen=True)
class MissedEntry:
    """One missed question as the missed list shows it."""

    qset: QuestionSet
    question: Question
    times_missed: int
    last_missed: datetime | None
    fixed: bool = False  # missed in the window asked for, but answered right since
    # The stored wrong answers, newest first, and the language the texts below are in.
    raw_answers: tuple[Any, ...] = field(default=(), compare=False, repr=False)
    lang: str | None = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> tuple[str, str]:
        """Set id and question id: what progress is keyed by."""
        return (self.qset.id, self.question.id)

    # The texts below are made when first asked for: a list of thousands of missed questions
    # shows a page of them, and rendering an answer means grading it.
    @cached_property
    def wrong_answers(self) -> tuple[str, ...]:
        """The learner's latest wrong answers as text, newest first (each text once)."""
        shown: list[str] = []
        tried: set[str] = set()
        for answer in self.raw_answers:
            # The same wrong answer given many times is rendered (graded) once.
            raw_key = json.dumps(answer, sort_keys=True, default=str)
            if raw_key in tried:
                continue
            tried.add(raw_key)
            text = render_answer(self.question, answer, self.lang)
            if text not in shown:
                shown.append(text)
            if len(shown) == WRONG_SHOWN or len(tried) >= 4 * WRONG_SHOWN:
                break
        return tuple(shown)

    @cached_property
    def expected(self) -> str:
        """The right answer as text."""
        return expected_answer(self.question, self.lang)

    @cached_property
    def explanation(self) -> str | None:
        """The question's explanation, if it has one."""
        return _text(self.question.explanation, self.lang)

    @property
    def search_texts(self) -> tuple[str, ...]:
        """Every text a search looks in (prompt, answers, right choices), normalised."""
        q = self.question
        texts: list[str] = [*q.prompt.variants(), self.expected, *self.wrong_answers]
        if q.answer is not None:
            texts.extend(q.answer.variants())
        texts.extend(q.alternatives)
        if q.back is not None:
            texts.extend(q.back.variants())
        texts.extend(v for c in q.choices if c.correct for v in c.text.variants())
        return tuple(normalize(t) for t in texts)

    # Normalised once per entry (and kept as one string, not one per text), so that a search
    # typed in the Missed screen only looks in a string already prepared.
    @cached_property
    def search_text(self) -> str:
        """`search_texts` joined by a character no search holds: one `in` test per entry."""
        return SEPARATOR.join(self.search_texts)

    @cached_property
    def tag_keys(self) -> frozenset[str]:
        """The question's tags and their names in every language, normalised."""
        return frozenset(
            normalize(name)
            for tag in self.question.tags
            for name in (tag, *_tag_names(self.qset, tag))
        )

    @cached_property
    def section_keys(self) -> tuple[str, ...]:
        """The question's source (its section) in every language, normalised."""
        return tuple(normalize(s) for s in _section_of(self.question))


def _response(question: Question, answer: Any) -> Any:
    """The stored (JSON) form of an answer back as a grading response."""
    kind = question.kind
    if kind is Kind.FLASHCARD:
        return Rating(int(answer))
    if kind is Kind.MATCH and isinstance(answer, Mapping):
        return {int(k): int(v) for k, v in answer.items()}
    if kind in (Kind.MULTI, Kind.ORDER) and isinstance(answer, list):
        return [int(i) for i in answer]
    return answer


def render_answer(question: Question, answer: Any, lang: str | None = None) -> str:
    """A stored answer as the text the learner chose or typed (as `Verdict.given` shows it)."""
    if answer is None:
        return ""
    try:
        return given_text(question, _response(question, answer), lang=lang)
    except (QuizError, TypeError, ValueError, IndexError, KeyError):
        # The question was edited since (fewer choices, other gaps): show the raw answer.
        if isinstance(answer, list):
            return " / ".join(str(a) for a in answer)
        return str(answer)


def _text(text: LText | None, lang: str | None) -> str | None:
    return None if text is None else text.get(lang)


def _when(stamp: str | None) -> datetime | None:
    return parse_stamp(stamp) if stamp else None


def _utc_stamp(stamp: str) -> str:
    # UTC stamps in ISO form sort as text in time order: parse only the other ones.
    return stamp if stamp.endswith("+00:00") else _when(stamp).isoformat()  # type: ignore[union-attr]


@dataclass
class _Misses:
    count: int = 0
    last: str = ""
    answers: list[tuple[str, Any]] = field(default_factory=list)


def _collect(attempts: Iterable[Any]) -> dict[tuple[str, str], _Misses]:
    misses: dict[tuple[str, str], _Misses] = {}
    for attempt in attempts:
        if not is_miss(attempt):
            continue
        key = (attempt.set_id, attempt.question_id)
        row = misses.get(key)
        if row is None:
            row = misses[key] = _Misses()
        at = _utc_stamp(attempt.at)
        row.count += 1
        row.answers.append((at, attempt.answer))
        if at > row.last:
            row.last = at
    return misses


def search_key(search: str) -> str:
    """A search as `filter_entries` looks for it: normalised (entries found for a key hold
    every entry found for a longer key that starts with it)."""
    return normalize(search).replace(SEPARATOR, "")


def _matches_text(entry: MissedEntry, needle: str) -> bool:
    return needle in entry.search_text


def _section_of(question: Question) -> tuple[str, ...]:
    return () if question.source is None else question.source.variants()


def missed_entries(
    sets: Sequence[QuestionSet],
    states: Mapping[tuple[str, str], Any],
    attempts: Iterable[Any] | None,
    now: datetime,
    *,
    days: int | None = None,
    set_id: str | Collection[str] | None = None,
    tag: str | None = None,
    section: str | None = None,
    search: str | None = None,
    lang: str | None = None,
) -> list[MissedEntry]:
    """The missed questions of `sets`, grouped by set, most often missed first within a set.

    A question is listed while its latest answer is wrong or partial and it was not marked known
    since; with `days`, questions missed in the last `days` days are listed too (`fixed` is then
    True for those answered right since). Filters: set id(s), a question tag, a section (text in
    the question's `source`) and a search over prompt and answers, all case and accent blind.

    With `attempts` None, everything comes from the per-question states (miss counts, the last
    miss and the last wrong answers the store keeps), so the cost does not grow with the
    history; given a history, counts, times and answers are taken from it instead.
    """
    everything = all_missed(sets, states, attempts, now, days=days, set_id=set_id, lang=lang)
    return filter_entries(everything, tag=tag, section=section, search=search)


def all_missed(
    sets: Sequence[QuestionSet],
    states: Mapping[tuple[str, str], Any],
    attempts: Iterable[Any] | None,
    now: datetime,
    *,
    days: int | None = None,
    set_id: str | Collection[str] | None = None,
    lang: str | None = None,
) -> list[MissedEntry]:
    """`missed_entries` without the tag, section and search filters (see there)."""
    if attempts is None:
        planned = plan_missed(sets, states, now, days=days, set_id=set_id)
        return build_missed(planned, lang)
    since = None if days is None else now.astimezone(UTC) - timedelta(days=days)
    misses = _collect(attempts)
    wanted_sets = {set_id} if isinstance(set_id, str) else set(set_id or ())
    entries: list[MissedEntry] = []
    for qset in sets:
        if wanted_sets and qset.id not in wanted_sets:
            continue
        rows: list[tuple[int, MissedEntry]] = []
        for position, question in enumerate(qset.questions):
            key = (qset.id, question.id)
            state = states.get(key)
            row = misses.get(key)
            missed_now = is_missed(state)
            last = _when(row.last) if row is not None else None
            recent = since is not None and last is not None and last >= since
            if not (missed_now or recent):
                continue
            if not missed_now and _known_after(state, row):
                continue  # marked known after its last miss
            rows.append((position, _entry(qset, question, state, row, lang, fixed=not missed_now)))
        # Most missed first, then the latest missed, then the set's own order.
        rows.sort(
            key=lambda r: (
                -r[1].times_missed,
                -(r[1].last_missed.timestamp() if r[1].last_missed else 0.0),
                r[0],
            )
        )
        entries.extend(entry for _pos, entry in rows)
    return entries


@dataclass(frozen=True)
class PlannedMiss:
    """A question the missed list shows, told from its state before the question is built."""

    qset: QuestionSet
    position: int  # in the set
    state: Any
    fixed: bool


def plan_missed(
    sets: Sequence[QuestionSet],
    states: Mapping[tuple[str, str], Any],
    now: datetime,
    *,
    days: int | None = None,
    set_id: str | Collection[str] | None = None,
) -> list[PlannedMiss]:
    """What `all_missed` lists from the states alone, in its order, without building a question.

    `build_missed` then builds the entries of all of them, or of the first page first.
    """
    since = None if days is None else now.astimezone(UTC) - timedelta(days=days)
    wanted_sets = {set_id} if isinstance(set_id, str) else set(set_id or ())
    listed = _listed_by_state(states, since)
    planned: list[PlannedMiss] = []
    for qset in sets:
        wanted = listed.get(qset.id)
        if not wanted or (wanted_sets and qset.id not in wanted_sets):
            continue  # nothing to list here
        rows: list[tuple[tuple[int, float, int], PlannedMiss]] = []
        for position, qid in enumerate(qset.question_ids()):
            if qid not in wanted:
                continue
            state = states.get((qset.id, qid))
            count, last = _state_misses(state)
            # Most missed first, then the latest missed, then the set's own order.
            order = (-count, -(last.timestamp() if last else 0.0), position)
            rows.append((order, PlannedMiss(qset, position, state, fixed=not is_missed(state))))
        rows.sort(key=lambda r: r[0])
        planned.extend(row for _order, row in rows)
    return planned


def build_missed(planned: Sequence[PlannedMiss], lang: str | None = None) -> list[MissedEntry]:
    """The entries of `planned`, in its order; only their questions are built."""
    positions: dict[int, tuple[QuestionSet, list[int]]] = {}
    for row in planned:
        positions.setdefault(id(row.qset), (row.qset, []))[1].append(row.position)
    questions: dict[tuple[int, int], Question] = {}
    for qset, wanted in positions.values():
        pick = getattr(qset.questions, "pick", None)
        picked = pick(wanted) if callable(pick) else [qset.questions[i] for i in wanted]
        for position, question in zip(wanted, picked, strict=True):
            questions[(id(qset), position)] = question
    return [
        _entry(
            row.qset,
            questions[(id(row.qset), row.position)],
            row.state,
            None,
            lang,
            fixed=row.fixed,
        )
        for row in planned
    ]


def _state_misses(state: Any) -> tuple[int, datetime | None]:
    """How often a question was missed, and when last, as its state keeps them."""
    count = getattr(state, "times_missed", 0) or 0
    last = _when(getattr(state, "last_missed", None) or getattr(state, "last_seen", None))
    return count, last


def _listed_by_state(
    states: Mapping[tuple[str, str], Any], since: datetime | None
) -> dict[str, set[str]]:
    """Per set id, the question ids the missed list shows, told from the states alone."""
    listed: dict[str, set[str]] = {}
    for (sid, qid), state in states.items():
        if is_missed(state):
            listed.setdefault(sid, set()).add(qid)
            continue
        if since is None:
            continue
        last = _when(getattr(state, "last_missed", None))
        if last is None or last < since:
            continue
        known = _when(getattr(state, "known_at", None))
        if known is not None and known >= last:
            continue  # marked known after its last miss
        listed.setdefault(sid, set()).add(qid)
    return listed


def filter_entries(
    entries: Iterable[MissedEntry],
    *,
    set_id: str | Collection[str] | None = None,
    tag: str | None = None,
    section: str | None = None,
    search: str | None = None,
) -> list[MissedEntry]:
    """The entries that pass the filters of `missed_entries`, in the same order."""
    wanted_sets = {set_id} if isinstance(set_id, str) else set(set_id or ())
    # --tag takes a tag or its name in any language ("mobilite", "Mobilité", "mobility").
    tag_key = normalize(tag) if tag else None
    section_key = normalize(section) if section else None
    needle = search_key(search) if search else None
    out: list[MissedEntry] = []
    for entry in entries:
        if wanted_sets and entry.qset.id not in wanted_sets:
            continue
        if tag_key is not None and tag_key not in entry.tag_keys:
            continue
        if section_key is not None and not any(section_key in s for s in entry.section_keys):
            continue
        if needle is not None and not _matches_text(entry, needle):
            continue
        out.append(entry)
    return out


def _known_after(state: Any, row: _Misses | None) -> bool:
    known = _when(getattr(state, "known_at", None)) if state is not None else None
    last = _when(row.last) if row is not None else None
    return known is not None and (last is None or known >= last)


def _entry(
    qset: QuestionSet,
    question: Question,
    state: Any,
    row: _Misses | None,
    lang: str | None,
    *,
    fixed: bool,
) -> MissedEntry:
    if row is not None and row.answers:
        # Newest first; the history may come in any order.
        ordered = sorted(row.answers, key=lambda p: p[0], reverse=True)
        raw = [answer for _at, answer in ordered]
        count, last = row.count, _when(row.last)
    else:
        # No history given for it: what the store keeps (its last wrong answers, oldest first).
        raw = list(reversed(getattr(state, "last_wrong_answers", None) or []))
        count, last = _state_misses(state)
    return MissedEntry(
        qset=qset,
        question=question,
        times_missed=count,
        last_missed=last,
        fixed=fixed,
        raw_answers=tuple(raw),
        lang=lang,
    )


def group_by_set(entries: Iterable[MissedEntry]) -> list[tuple[QuestionSet, list[MissedEntry]]]:
    """The entries under their set, in the order the sets first appear."""
    groups: dict[str, tuple[QuestionSet, list[MissedEntry]]] = {}
    for entry in entries:
        groups.setdefault(entry.qset.id, (entry.qset, []))[1].append(entry)
    return list(groups.values())


def retry_pick(entries: Iterable[MissedEntry]) -> list[tuple[QuestionSet, Question]]:
    """The (set, question) pairs of a "retry all missed" session, in list order, each once."""
    seen: set[tuple[str, str]] = set()
    picked: list[tuple[QuestionSet, Question]] = []
    for entry in entries:
        if entry.key not in seen:
            seen.add(entry.key)
            picked.append((entry.qset, entry.question))
    return picked


def _tag_names(qset: QuestionSet, tag: str) -> tuple[str, ...]:
    name = qset.tag_names.get(tag)
    return name.variants() if name is not None else ()
