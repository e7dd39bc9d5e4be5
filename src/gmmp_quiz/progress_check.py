"""Checks of progress records (imported, replayed or read back) and safe display of their ids.

Every value that later reaches a date parser, the scheduler or a counter is checked here, so
that a bad record is refused (import) or set aside (store) instead of failing at every start.
Each check returns None for a good record, else a short reason.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Any

from gmmp_quiz.i18n import _
from gmmp_quiz.progress_state import OUTCOMES

# The id form of sets and questions (as validation.ID_RE), answers and sessions.
ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
# Years the date arithmetic of stats and scheduling can never overflow from.
MIN_YEAR = 1900
MAX_YEAR = 9000
# C0 and C1 controls (tab and newline included: they have no place in an id), DEL, bidi.
_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# fsrs card states: learning, review, relearning.
CARD_STATES = (1, 2, 3)
MAX_COUNT = 10**12


def _field(name: str, problem: str) -> str:
    # A field's name (the export file's key, the same in every language), then its problem.
    return _("{name} {problem}").format(name=name, problem=problem)


def _card_field(name: str, problem: str) -> str:
    return _("card {name} {problem}").format(name=name, problem=problem)


def _whole(name: str) -> str:
    return _("{name} must be a whole number >= 0").format(name=name)


def _one_of(name: str) -> str:
    return _("{name} must be one of {values}").format(name=name, values=", ".join(OUTCOMES))


def stamp_problem(value: Any) -> str | None:
    """Why `value` is not an ISO date-time with a zone in a usable range (None when it is)."""
    if not isinstance(value, str) or len(value) > 40:
        return _("must be an ISO date with a time zone")
    try:
        when = datetime.fromisoformat(value)
        if when.tzinfo is None:
            return _("{value} has no time zone").format(value=repr(value))
        if not value.endswith("+00:00"):
            when = when.astimezone(UTC)
    except (ValueError, OverflowError):
        return _("{value} is not an ISO date with a time zone").format(value=repr(value))
    if not MIN_YEAR <= when.year <= MAX_YEAR:
        return _("{value} is out of range ({low} to {high})").format(
            value=repr(value), low=MIN_YEAR, high=MAX_YEAR
        )
    return None


def _optional_stamp(value: Any) -> str | None:
    return None if value is None else stamp_problem(value)


def id_problem(value: Any, *, empty: bool = False) -> str | None:
    """Why `value` is not an id (letters, digits, '.', '_', '-'; at most 100 characters)."""
    if not isinstance(value, str):
        return _("must be a string")
    if empty and value == "":
        return None
    if not ID_RE.fullmatch(value):
        return _("{value} is not an id (letters, digits, '.', '_', '-')").format(
            value=repr(visible(value))
        )
    return None


def _number(value: Any, low: float, high: float) -> bool:
    # `low <= value <= high` is False for NaN; infinity is out of every range used here.
    kind = type(value)
    return (kind is float or kind is int) and low <= value <= high


def _count(value: Any) -> bool:
    return type(value) is int and 0 <= value <= MAX_COUNT


def json_problem(value: Any, depth: int = 0) -> str | None:
    """Why `value` is not plain JSON data without NaN or infinity (None when it is)."""
    if depth > 50:
        return _("is nested too deeply")
    if value is None or isinstance(value, bool | str | int):
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else _("holds NaN or infinity")
    if isinstance(value, list | tuple):  # a tuple is written as a list
        for item in value:
            found = json_problem(item, depth + 1)
            if found:
                return found
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return _("has a key that is not a string")
            found = json_problem(item, depth + 1)
            if found:
                return found
        return None
    return _("is not JSON data")


def card_problem(card: Any, *, deep: bool = True) -> str | None:
    """Why `card` is not a usable scheduler card (None, or a dict of checked fsrs fields).

    `deep` also looks for NaN in fields the scheduler does not read.
    """
    if card is None:
        return None
    if not isinstance(card, dict):
        return _("card must be an object")
    if "card_id" in card and not (
        isinstance(card["card_id"], int) and not isinstance(card["card_id"], bool)
    ):
        return _("card card_id must be a whole number")
    if "state" in card and card["state"] not in CARD_STATES:
        return _("card state must be 1, 2 or 3")
    if "step" in card and card["step"] is not None and not _count(card["step"]):
        return _("card step must be a whole number >= 0")
    for name, high in (("stability", 1e6), ("difficulty", 100.0)):
        if name in card and card[name] is not None and not _number(card[name], 0.0, high):
            return _("card {name} must be a number between 0 and {high}").format(
                name=name, high=f"{high:g}"
            )
    if "due" in card:
        found = stamp_problem(card["due"])
        if found:
            return _card_field("due", found)
    if "last_review" in card:
        found = _optional_stamp(card["last_review"])
        if found:
            return _card_field("last_review", found)
    found = json_problem(card) if deep else None
    return _("card {problem}").format(problem=found) if found else None


def attempt_problem(data: Any) -> str | None:
    """Why `data` is not a recorded answer of the store's form (None when it is)."""
    if not isinstance(data, dict):
        return _("an answer must be an object")
    for name in ("id", "set_id", "question_id"):
        found = id_problem(data.get(name))
        if found:
            return _field(name, found)
    found = id_problem(data.get("session_id"), empty=True)
    if found:
        return _field("session_id", found)
    mode = data.get("mode")
    if not isinstance(mode, str) or not mode or _CONTROL_RE.search(mode) or len(mode) > 40:
        return _("mode must be a short word")
    found = stamp_problem(data.get("at"))
    if found:
        return _field("at", found)
    if data.get("outcome") not in OUTCOMES:
        return _one_of("outcome")
    if not _number(data.get("score"), 0.0, 1.0):
        return _("score must be a number between 0 and 1")
    if not _number(data.get("elapsed_s"), 0.0, 1e9):
        return _("elapsed_s must be a number of seconds >= 0")
    for name in ("typo", "overridden"):
        if not isinstance(data.get(name, False), bool):
            return _("{name} must be true or false").format(name=name)
    found = json_problem(data.get("answer"))
    if found:
        return _field("answer", found)
    return None


def history_problem(data: Any) -> str | None:
    """`attempt_problem` for the fields that readers of the history use, fast (every answer)."""
    if type(data) is not dict:
        return _("an answer must be an object")
    if type(data.get("set_id")) is not str or type(data.get("question_id")) is not str:
        return _("set_id and question_id must be strings")
    if data.get("outcome") not in OUTCOMES or not _number(data.get("score"), 0.0, 1.0):
        return _("bad outcome or score")
    return stamp_problem(data.get("at"))


_STATE_STAMPS = ("last_seen", "first_seen", "known_at", "last_missed")


def state_problem(doc: Any, *, nested: bool = False) -> str | None:
    """Why `doc` is not a question state of the store's form (None when it is)."""
    if not isinstance(doc, dict):
        return _("a question state must be an object")
    for name in ("set_id", "question_id"):
        found = id_problem(doc.get(name))
        if found:
            return _field(name, found)
    for name in ("attempts", "correct", "times_missed"):
        if not _count(doc.get(name)):
            return _whole(name)
    for name in _STATE_STAMPS:
        found = _optional_stamp(doc.get(name))
        if found:
            return _field(name, found)
    result = doc.get("last_result")
    if result is not None and result not in OUTCOMES:
        return _one_of("last_result")
    found = card_problem(doc.get("card"))
    if found:
        return found
    found = json_problem(doc.get("last_answer"))
    if found:
        return _field("last_answer", found)
    wrong = doc.get("wrong", [])
    if not isinstance(wrong, list) or not all(
        isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) for p in wrong
    ):
        return _("wrong must be a list of [answer id, answer] pairs")
    found = json_problem(wrong)
    if found:
        return _field("wrong", found)
    last = doc.get("last_attempt")
    if last is not None:
        found = attempt_problem(last)
        if found:
            return _("last_attempt: {problem}").format(problem=found)
    if "prev" in doc and doc["prev"] is not None:
        if nested:
            return _("prev is nested")
        found = state_problem(doc["prev"], nested=True)
        if found:
            return _("prev: {problem}").format(problem=found)
    return None


_COUNTERS = ("attempts", "correct", "times_missed")


def stored_state_problem(doc: Any) -> str | None:
    """`state_problem` for the fields that readers use, fast enough to run at every open.

    What the undo and override information holds is checked when it is used (see op_problem).
    """
    if type(doc) is not dict:
        return _("a question state must be an object")
    set_id, question_id = doc.get("set_id"), doc.get("question_id")
    if type(set_id) is not str or type(question_id) is not str:
        return _("set_id and question_id must be strings")
    if _CONTROL_RE.search(set_id) or _CONTROL_RE.search(question_id):
        return _("its ids hold control characters")
    for name in _COUNTERS:
        value = doc.get(name)
        if type(value) is not int or not 0 <= value <= MAX_COUNT:
            return _whole(name)
    for name in _STATE_STAMPS:
        value = doc.get(name)
        if value is not None:
            found = stamp_problem(value)
            if found:
                return _field(name, found)
    result = doc.get("last_result")
    if result is not None and result not in OUTCOMES:
        return _one_of("last_result")
    answer = doc.get("last_answer")
    found = None if answer is None or type(answer) is str else json_problem(answer)
    if found:
        return _field("last_answer", found)
    card = doc.get("card")
    if card is not None:
        return card_problem(card, deep=False)
    return None


def session_problem(doc: Any) -> str | None:
    """Why `doc` is not a quiz session of the store's form (None when it is)."""
    if not isinstance(doc, dict):
        return _("a session must be an object")
    found = id_problem(doc.get("id"))
    if found:
        return _field("id", found)
    if doc.get("set_id") != "*":  # a session over several sets
        found = id_problem(doc.get("set_id"))
        if found:
            return _field("set_id", found)
    found = stamp_problem(doc.get("start"))
    if found:
        return _field("start", found)
    found = _optional_stamp(doc.get("end"))
    if found:
        return _field("end", found)
    for name in ("answered", "correct"):
        if name in doc and not _count(doc[name]):
            return _whole(name)
    score = doc.get("score")
    if score is not None and not _number(score, 0.0, 1e9):
        return _("score must be a number >= 0")
    return json_problem(doc)


HOUR_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d")


def hours_problem(doc: Any) -> str | None:
    """Why `doc` is not an hour's answer counters (None when it is)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("set_id"), str):
        return _("answer counters must name their set")
    hour = doc.get("hour")
    if not isinstance(hour, str) or not HOUR_RE.fullmatch(hour):
        return _("answer counters must name their hour")
    if stamp_problem(hour + ":00:00+00:00"):
        return _("answer counters name a bad hour")
    if not all(_count(doc.get(n)) for n in ("answers", "correct", "missed")):
        return _("answer counters must be whole numbers >= 0")
    return None


def setting_problem(key: Any, value: Any) -> str | None:
    """Why a setting cannot be stored (None when it can)."""
    if not isinstance(key, str) or not key or _CONTROL_RE.search(key) or len(key) > 100:
        return _("a setting name must be a short text")
    return json_problem(value)


def visible(text: str) -> str:
    """`text` with control, escape and bidi characters written as \\x.. / \\u.... escapes."""
    if not _CONTROL_RE.search(text):
        return text
    return _CONTROL_RE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
