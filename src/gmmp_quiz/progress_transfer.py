"""Export of a progress profile to JSON, and import that merges without duplicating answers."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from gmmp_quiz.errors import UserError
from gmmp_quiz.progress_state import Attempt, apply_attempt, empty_doc, key_of

if TYPE_CHECKING:
    from gmmp_quiz.progress import ProgressStore

FORMAT = "gmmp-quiz-progress"
VERSION = 1
_INTS = ("attempts", "correct", "times_missed")


def export_data(store: ProgressStore) -> dict[str, Any]:
    """Everything in the profile as one JSON-able object."""
    states = []
    for _key, doc in store._db.keyed("questions").raw_items():
        plain = {k: v for k, v in doc.items() if k != "prev"}
        states.append(plain)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "profile": store.profile,
        "states": states,
        "attempts": [a.to_dict() for a in store.attempts()],
        "sessions": store.sessions(),
        "settings": store.settings(),
    }


def _state_doc(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise UserError(f"{where}: a question state must be an object")
    set_id, question_id = raw.get("set_id"), raw.get("question_id")
    if not isinstance(set_id, str) or not isinstance(question_id, str):
        raise UserError(f"{where}: set_id and question_id must be strings")
    doc = empty_doc(set_id, question_id)
    doc.update({k: v for k, v in raw.items() if k in doc})
    for name in _INTS:
        if isinstance(doc[name], bool) or not isinstance(doc[name], int) or doc[name] < 0:
            raise UserError(f"{where}: {name} must be a whole number")
    if doc["card"] is not None and not isinstance(doc["card"], dict):
        raise UserError(f"{where}: card must be an object")
    wrong = doc["wrong"]
    if not isinstance(wrong, list) or not all(
        isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) for p in wrong
    ):
        raise UserError(f"{where}: wrong must be a list of [attempt id, answer] pairs")
    for name in ("last_seen", "first_seen", "known_at", "last_result"):
        if doc[name] is not None and not isinstance(doc[name], str):
            raise UserError(f"{where}: {name} must be a string")
    return doc


def parse_export(data: Any, source: str) -> tuple[list[dict[str, Any]], list[Attempt], Any, Any]:
    """Check an export file's content; UserError naming the first problem."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UserError(f"{source}: not a gmmp-quiz progress export (no format {FORMAT!r})")
    if not isinstance(data.get("version"), int) or data["version"] > VERSION:
        raise UserError(
            f"{source}: export version {data.get('version')!r} is not supported; "
            f"this gmmp-quiz reads up to {VERSION}"
        )
    states_raw = data.get("states", [])
    attempts_raw = data.get("attempts", [])
    sessions = data.get("sessions", [])
    settings = data.get("settings", {})
    if not isinstance(states_raw, list) or not isinstance(attempts_raw, list):
        raise UserError(f"{source}: states and attempts must be lists")
    if not isinstance(sessions, list) or not all(
        isinstance(s, dict) and isinstance(s.get("id"), str) and isinstance(s.get("start"), str)
        for s in sessions
    ):
        raise UserError(f"{source}: sessions must be objects with an id and a start")
    if not isinstance(settings, dict):
        raise UserError(f"{source}: settings must be an object")
    states = [_state_doc(raw, f"{source}: states[{i}]") for i, raw in enumerate(states_raw)]
    attempts = []
    for i, raw in enumerate(attempts_raw):
        try:
            attempts.append(Attempt.from_dict(raw))
        except ValueError as exc:
            raise UserError(f"{source}: attempts[{i}]: {exc}") from None
    return states, attempts, sessions, settings


def import_data(store: ProgressStore, data: Any, source: str) -> dict[str, Any]:
    """Merge an export into the store (backed up first); returns what was added."""
    states, attempts, sessions, settings = parse_export(data, source)
    known = {a.id for a in store.attempts()}
    new: list[dict[str, Any]] = []
    for attempt in attempts:
        if attempt.id not in known:
            known.add(attempt.id)
            new.append(attempt.to_dict())
    by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for attempt_dict in new:
        by_key[key_of(attempt_dict["set_id"], attempt_dict["question_id"])].append(attempt_dict)
    table = store._db.keyed("questions")
    changed: dict[str, dict[str, Any]] = {}
    from gmmp_quiz.progress_state import merge_docs

    incoming = {key_of(doc["set_id"], doc["question_id"]): doc for doc in states}
    for key in sorted(set(incoming) | set(by_key)):
        local = table.get_key(key)
        fresh = sorted(by_key.get(key, []), key=lambda a: a["at"])
        if key in incoming:
            merged = merge_docs(local, incoming[key], fresh)
        else:
            # Answers without a state in the file: count them one by one.
            merged = local
            for attempt_dict in fresh:
                merged = apply_attempt(merged, attempt_dict, None)
            assert merged is not None
            merged = {k: v for k, v in merged.items() if k != "prev"}
        current = {k: v for k, v in (local or {}).items() if k != "prev"}
        if merged != current:
            changed[key] = merged
    have_sessions = {s["id"] for s in store.sessions()}
    new_sessions = [s for s in sessions if s["id"] not in have_sessions]
    have_settings = store.settings()
    new_settings = {k: v for k, v in settings.items() if k not in have_settings}
    summary = {
        "attempts_added": len(new),
        "questions_updated": len(changed),
        "sessions_added": len(new_sessions),
        "settings_added": len(new_settings),
        "backup": None,
    }
    if not (new or changed or new_sessions or new_settings):
        return summary
    summary["backup"] = str(store.backup("import"))
    store._commit(
        {
            "op": "import",
            "states": changed,
            "attempts": new,
            "sessions": new_sessions,
            "settings": new_settings,
        }
    )
    store.compact()
    return summary
