"""Export of a progress profile to JSON, and import that merges without duplicating answers."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from gmmp_quiz.errors import UserError
from gmmp_quiz.i18n import _
from gmmp_quiz.model import parse_stamp
from gmmp_quiz.store.check import (
    session_problem,
    setting_problem,
    stamp_problem,
    state_problem,
    visible,
)
from gmmp_quiz.store.progress import ProgressStore
from gmmp_quiz.store.state import Attempt, apply_attempt, empty_doc, key_of, merge_docs

FORMAT = "gmmp-quiz-progress"
VERSION = 1


def export_data(store: ProgressStore) -> dict[str, Any]:
    """Everything in the profile as one JSON-able object."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "profile": store.profile,
        "states": store.question_docs(),
        "attempts": [a.to_dict() for a in store.attempts()],
        "sessions": store.sessions(),
        "settings": store.settings(),
    }


def utc(stamp: str) -> str:
    """A checked ISO stamp in the store's form (UTC, "+00:00"), so that stamps compare as text."""
    if stamp.endswith("+00:00"):
        return stamp
    return parse_stamp(stamp).isoformat()


def _utc_fields(doc: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {**doc, **{n: utc(doc[n]) for n in names if isinstance(doc.get(n), str)}}


_STAMPS = ("last_seen", "first_seen", "known_at", "last_missed")


def _state_doc(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise UserError(_("{where}: a question state must be an object").format(where=where))
    set_id, question_id = raw.get("set_id"), raw.get("question_id")
    if not isinstance(set_id, str) or not isinstance(question_id, str):
        raise UserError(_("{where}: set_id and question_id must be strings").format(where=where))
    doc = empty_doc(set_id, question_id)
    doc.update({k: v for k, v in raw.items() if k in doc})
    found = state_problem(doc)
    if found:
        raise UserError(_("{where}: {problem}").format(where=where, problem=found))
    doc = _utc_fields(doc, _STAMPS)
    if doc["last_attempt"] is not None:
        doc["last_attempt"] = _utc_fields(doc["last_attempt"], ("at",))
    return doc


_SESSION = {"mode": "quiz", "end": None, "answered": 0, "correct": 0, "score": None}


def _session(raw: Any, where: str) -> dict[str, Any]:
    found = session_problem(raw)
    if found:
        raise UserError(_("{where}: {problem}").format(where=where, problem=found))
    mode = raw.get("mode", "quiz")
    if not isinstance(mode, str) or not 0 < len(mode) <= 40 or not mode.isprintable():
        raise UserError(_("{where}: mode must be a short word").format(where=where))
    return _utc_fields({**_SESSION, **raw}, ("start", "end"))


def parse_export(data: Any, source: str) -> tuple[list[dict[str, Any]], list[Attempt], Any, Any]:
    """Check every field of an export file's content; UserError naming the first problem."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UserError(
            _("{source}: not a gmmp-quiz progress export (no format {FORMAT!r})").format(
                source=source, FORMAT=FORMAT
            )
        )
    if not isinstance(data.get("version"), int) or data["version"] > VERSION:
        raise UserError(
            _(
                "{source}: export version {value!r} is not supported; this gmmp-quiz reads up "
                "to {VERSION}"
            ).format(source=source, value=data.get("version"), VERSION=VERSION)
        )
    states_raw = data.get("states", [])
    attempts_raw = data.get("attempts", [])
    sessions_raw = data.get("sessions", [])
    settings = data.get("settings", {})
    if not isinstance(states_raw, list) or not isinstance(attempts_raw, list):
        raise UserError(_("{source}: states and attempts must be lists").format(source=source))
    if not isinstance(sessions_raw, list):
        raise UserError(_("{source}: sessions must be a list").format(source=source))
    if not isinstance(settings, dict):
        raise UserError(_("{source}: settings must be an object").format(source=source))
    states = [_state_doc(raw, f"{source}: states[{i}]") for i, raw in enumerate(states_raw)]
    attempts = []
    for i, raw in enumerate(attempts_raw):
        try:
            if isinstance(raw, dict) and isinstance(raw.get("at"), str):
                found = stamp_problem(raw["at"])
                if found:
                    raise ValueError(
                        _("attempt {id}: at {problem}").format(
                            id=repr(raw.get("id")), problem=found
                        )
                    )
                raw = {**raw, "at": utc(raw["at"])}
            # Answers are kept as typed, control characters too (an export must import back):
            # they are shown escaped (review) or as text, never as markup or raw escapes.
            attempts.append(Attempt.from_dict(raw))
        except ValueError as exc:
            raise UserError(
                _("{source}: attempts[{i}]: {exc}").format(source=source, i=i, exc=exc)
            ) from None
    sessions = [_session(raw, f"{source}: sessions[{i}]") for i, raw in enumerate(sessions_raw)]
    for key, value in settings.items():
        found = setting_problem(key, value)
        if found:
            raise UserError(
                _("{source}: settings[{value!r}] {found}").format(
                    source=source, value=visible(str(key)), found=found
                )
            )
    return states, attempts, sessions, settings


def import_data(store: ProgressStore, data: Any, source: str = "import") -> dict[str, Any]:
    """Merge an export into the store (backed up first); returns what was added.

    Answers already here (by id) are skipped, so importing the same file twice changes nothing.
    """
    states, attempts, sessions, settings = parse_export(data, source)
    with store.exclusive():
        return _merge(store, states, attempts, sessions, settings)


def _merge(
    store: ProgressStore,
    states: list[dict[str, Any]],
    attempts: list[Attempt],
    sessions: list[dict[str, Any]],
    settings: dict[str, Any],
) -> dict[str, Any]:
    known = {a.id for a in store.attempts()}
    new: list[dict[str, Any]] = []
    for attempt in attempts:
        if attempt.id not in known:
            known.add(attempt.id)
            new.append(attempt.to_dict())
    by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for attempt_dict in new:
        by_key[key_of(attempt_dict["set_id"], attempt_dict["question_id"])].append(attempt_dict)
    here = {key_of(doc["set_id"], doc["question_id"]): doc for doc in store.question_docs()}
    changed: dict[str, dict[str, Any]] = {}
    incoming = {key_of(doc["set_id"], doc["question_id"]): doc for doc in states}
    for key in sorted(set(incoming) | set(by_key)):
        local = here.get(key)
        fresh = sorted(by_key.get(key, []), key=lambda a: a["at"])
        if key in incoming:
            merged = merge_docs(local, incoming[key], fresh)
        else:
            # Answers without a state in the file: count them one by one.
            counted = local
            for attempt_dict in fresh:
                counted = apply_attempt(counted, attempt_dict, None)
            assert counted is not None
            merged = {k: v for k, v in counted.items() if k != "prev"}
        if merged != (local or {}):
            changed[key] = merged
    have_sessions = {s["id"] for s in store.sessions()}
    new_sessions = [s for s in sessions if s["id"] not in have_sessions]
    have_settings = store.settings()
    new_settings = {k: v for k, v in settings.items() if k not in have_settings}
    summary: dict[str, Any] = {
        "attempts_added": len(new),
        "questions_updated": len(changed),
        "sessions_added": len(new_sessions),
        "settings_added": len(new_settings),
        "backup": None,
    }
    if new or changed or new_sessions or new_settings:
        saved = store.apply_import(changed, new, new_sessions, new_settings)
        summary["backup"] = str(saved)
    return summary
