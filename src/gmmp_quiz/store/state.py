"""Records of the progress store (Attempt, QuestionState) and the pure rules that update them."""

from __future__ import annotations

import copy
import json
from dataclasses import MISSING, asdict, dataclass, field, fields
from typing import Any

from gmmp_quiz.i18n import _
from gmmp_quiz.model import MISSED, parse_stamp

WRONG_KEPT = 3


@dataclass(frozen=True)
class Attempt:
    """One answer given to one question, as recorded in the history."""

    id: str
    at: str
    set_id: str
    question_id: str
    answer: Any
    outcome: str
    score: float
    elapsed_s: float
    mode: str
    session_id: str
    typo: bool = False
    overridden: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> Attempt:
        """Read the JSON form; ValueError when a field is missing or of the wrong type."""
        if not isinstance(data, dict):
            raise ValueError(_("an attempt must be a JSON object"))
        # The dataclass would name a missing field in Python's English: name it here.
        missing = [f.name for f in fields(cls) if f.name not in data and f.default is MISSING]
        if missing:
            raise ValueError(
                _("attempt {id}: {names} missing").format(
                    id=repr(data.get("id")), names=", ".join(missing)
                )
            )
        attempt = cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})
        attempt.validate()
        return attempt

    def validate(self) -> None:
        """Raise ValueError unless every field has a usable value (see store.check)."""
        from gmmp_quiz.store.check import attempt_problem

        found = attempt_problem(self.__dict__)
        if found:
            raise ValueError(_("attempt {id}: {problem}").format(id=repr(self.id), problem=found))


@dataclass(frozen=True)
class QuestionState:
    """What the store knows of one question: counters, last answer and the scheduler's card."""

    set_id: str
    question_id: str
    attempts: int
    correct: int
    last_answer: Any
    last_result: str | None
    last_seen: str | None
    times_missed: int
    card: dict[str, Any] | None
    known_at: str | None
    last_wrong_answers: list[Any] = field(default_factory=list)
    first_seen: str | None = None
    last_missed: str | None = None
    """When the latest wrong or partial answer still counted as missed was given (UTC ISO)."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return asdict(self)


def key_of(set_id: str, question_id: str) -> str:
    """The document key of a question in the state tables."""
    return json.dumps([set_id, question_id], ensure_ascii=False)


def empty_doc(set_id: str, question_id: str) -> dict[str, Any]:
    """The state of a question never seen."""
    return {
        "set_id": set_id,
        "question_id": question_id,
        "attempts": 0,
        "correct": 0,
        "last_answer": None,
        "last_result": None,
        "last_seen": None,
        "times_missed": 0,
        "card": None,
        "known_at": None,
        "first_seen": None,
        "last_missed": None,
        # (attempt id, answer) pairs, so that an override removes exactly its own answer
        "wrong": [],
        "last_attempt": None,
    }


_SCALARS = (str, int, float, bool, type(None))


def copy_json(value: Any) -> Any:
    """A copy of a JSON value (what `copy.deepcopy` gives, several times faster)."""
    # States are copied for every question on each home, stats and review pass: deepcopy's
    # memo bookkeeping was most of that time.
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, dict):
        return {k: v if isinstance(v, _SCALARS) else copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [v if isinstance(v, _SCALARS) else copy_json(v) for v in value]
    return copy.deepcopy(value)


def to_state(doc: dict[str, Any], *, share_card: bool = False) -> QuestionState:
    """The public view of a state document (`share_card`: the card itself, not a copy)."""
    return QuestionState(
        set_id=doc["set_id"],
        question_id=doc["question_id"],
        attempts=doc["attempts"],
        correct=doc["correct"],
        last_answer=copy_json(doc["last_answer"]),
        last_result=doc["last_result"],
        last_seen=doc["last_seen"],
        times_missed=doc["times_missed"],
        card=doc["card"] if share_card else copy_json(doc["card"]),
        known_at=doc["known_at"],
        last_wrong_answers=[copy_json(answer) for _id, answer in doc["wrong"]],
        first_seen=doc["first_seen"],
        last_missed=doc.get("last_missed"),
    )


def _plain(doc: dict[str, Any]) -> dict[str, Any]:
    """A copy of `doc` without its undo information."""
    out = dict(doc)
    out.pop("prev", None)
    return out


def apply_attempt(
    doc: dict[str, Any] | None, attempt: dict[str, Any], card: dict[str, Any] | None
) -> dict[str, Any]:
    """The state after `attempt`; it keeps the state before it so the attempt can be undone."""
    old = doc if doc is not None else empty_doc(attempt["set_id"], attempt["question_id"])
    new = _plain(old)
    outcome = attempt["outcome"]
    new["attempts"] = old["attempts"] + 1
    new["correct"] = old["correct"] + (outcome == "correct")
    new["last_answer"] = attempt["answer"]
    new["last_result"] = outcome
    new["last_seen"] = attempt["at"]
    if outcome in MISSED:
        new["times_missed"] = old["times_missed"] + 1
        new["wrong"] = [*old["wrong"], [attempt["id"], attempt["answer"]]][-WRONG_KEPT:]
        new["last_missed"] = later(old.get("last_missed"), attempt["at"])
    new["first_seen"] = old["first_seen"] or attempt["at"]
    if card is not None:
        new["card"] = card
    new["last_attempt"] = attempt
    new["prev"] = _plain(doc) if doc is not None else None
    return new


def can_undo(doc: dict[str, Any] | None, attempt_id: str) -> bool:
    """Whether `attempt_id` is the question's latest attempt and its previous state is known."""
    return (
        doc is not None
        and "prev" in doc
        and (doc.get("last_attempt") or {}).get("id") == attempt_id
    )


def later(a: str | None, b: str | None) -> str | None:
    """The later of two UTC ISO stamps (None when both are)."""
    if a is None:
        return b
    return a if b is None or a >= b else b


_KEEP: Any = object()


def override_doc(
    doc: dict[str, Any],
    attempt: dict[str, Any],
    was: str,
    card: dict[str, Any] | None,
    last_missed: Any = _KEEP,
    prev_missed: Any = _KEEP,
) -> dict[str, Any]:
    """The state after attempt `attempt["id"]`, first judged `was`, is counted as correct.

    `last_missed` (and `prev_missed`, for the state before the latest attempt) are the times of
    the latest misses left once this one no longer counts; the store computes them when they
    cannot be told from the state (an older attempt overridden).
    """
    new = dict(doc)
    latest = (doc.get("last_attempt") or {}).get("id") == attempt["id"]
    prev = doc.get("prev")
    if was in MISSED:
        if last_missed is _KEEP and latest and "prev" in doc:
            last_missed = prev.get("last_missed") if prev is not None else None
        if last_missed is not _KEEP:
            new["last_missed"] = last_missed
    if was != "correct":
        new["correct"] = doc["correct"] + 1
    if was in MISSED:
        new["times_missed"] = max(0, doc["times_missed"] - 1)
        new["wrong"] = [pair for pair in doc["wrong"] if pair[0] != attempt["id"]]
    if latest:
        new["last_result"] = attempt["outcome"]
        new["last_attempt"] = attempt
    if card is not None:
        new["card"] = card
    if prev is not None and not latest:
        # The state before the latest attempt counted this (older) attempt too.
        new["prev"] = override_doc(prev, attempt, was, None, prev_missed)
    return new


def merge_docs(
    local: dict[str, Any] | None, other: dict[str, Any], new_attempts: list[dict[str, Any]]
) -> dict[str, Any]:
    """The state of a question after importing `other`, whose `new_attempts` were not known here.

    Counters add only what the new attempts bring, so importing the same file twice changes
    nothing; the last answer, result and card come from whichever side was seen last.
    """
    if local is None:
        merged = _plain(other)
        merged["wrong"] = [list(pair) for pair in other.get("wrong", [])][-WRONG_KEPT:]
        missed = [a["at"] for a in new_attempts if a["outcome"] in MISSED]
        merged["last_missed"] = later(other.get("last_missed"), max(missed, default=None))
        return merged
    merged = _plain(local)
    for attempt in new_attempts:
        outcome = attempt["outcome"]
        merged["attempts"] += 1
        merged["correct"] += outcome == "correct"
        merged["times_missed"] += outcome in MISSED
        if merged["first_seen"] is None or attempt["at"] < merged["first_seen"]:
            merged["first_seen"] = attempt["at"]
        if outcome in MISSED:
            merged["last_missed"] = later(merged.get("last_missed"), attempt["at"])
    if (other.get("last_seen") or "") > (local.get("last_seen") or ""):
        for name in ("last_answer", "last_result", "last_seen", "last_attempt"):
            merged[name] = other.get(name)
        if other.get("card") is not None:
            merged["card"] = other["card"]
        seen = {pair[0] for pair in local["wrong"]}
        extra = [list(p) for p in other.get("wrong", []) if p[0] not in seen]
        merged["wrong"] = [*local["wrong"], *extra][-WRONG_KEPT:]
    elif merged["card"] is None:
        merged["card"] = other.get("card")
    if other.get("known_at") and (merged["known_at"] or "") < other["known_at"]:
        merged["known_at"] = other["known_at"]
    return merged


def hour_of(at: str) -> str:
    """The UTC hour of an ISO stamp, as "2026-11-28T14" (a stamp without offset is UTC)."""
    if at.endswith("+00:00"):
        return at[:13]
    return parse_stamp(at).strftime("%Y-%m-%dT%H")


def hour_key(set_id: str, hour: str) -> str:
    """The document key of one set's counters for one UTC hour."""
    return json.dumps([set_id, hour], ensure_ascii=False)


def count_into(
    doc: dict[str, Any] | None, set_id: str, hour: str, outcome: str, sign: int
) -> dict[str, Any]:
    """An hour's counters after adding (sign 1) or removing (-1) one answer of `outcome`."""
    new: dict[str, Any] = (
        dict(doc)
        if doc is not None
        else {"set_id": set_id, "hour": hour, "answers": 0, "correct": 0, "missed": 0}
    )
    new["answers"] += sign
    new["correct"] += sign * (outcome == "correct")
    new["missed"] += sign * (outcome in MISSED)
    return new


def is_missed(state: QuestionState | None) -> bool:
    """Whether a question is missed: its latest answer was not right, and not marked known since.

    The one definition behind the summary, home counts, the Missed screen, `review` and
    `--mode missed`.
    """
    if state is None or state.last_result not in MISSED:
        return False
    known = state.known_at
    return not known or (state.last_seen or "") > known


def is_miss(attempt: Attempt) -> bool:
    """Whether one answer in the history counts as a miss: not right, and not overridden since."""
    return attempt.outcome in MISSED and not attempt.overridden
