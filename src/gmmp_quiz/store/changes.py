"""The changes a learner makes to a profile (answers, undo, "I was right", sessions, settings,
import, reset), each journaled through ProgressStore._commit."""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gmmp_quiz.i18n import _
from gmmp_quiz.model import MISSED
from gmmp_quiz.store.errors import UnknownRecordError
from gmmp_quiz.store.ops import Op
from gmmp_quiz.store.queries import StoreQueries
from gmmp_quiz.store.state import Attempt, QuestionState, can_undo, key_of, to_state


class StoreChanges(StoreQueries):
    """The write side of ProgressStore's API (which provides the hooks declared here)."""

    _mutex: threading.RLock

    def _commit(self, op: dict[str, Any]) -> None:
        raise NotImplementedError

    def _check_open(self) -> None:
        raise NotImplementedError

    def backup(self, reason: str) -> Path:
        """Back up the store now; returns the backup's path."""
        raise NotImplementedError

    def compact(self) -> None:
        """Rewrite the state file now."""
        raise NotImplementedError

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the store for a read-then-write that no other thread may interleave with."""
        with self._mutex:
            self._check_open()
            yield

    def record(self, attempt: Attempt, *, card: dict[str, Any] | None = None) -> QuestionState:
        """Save `attempt` (durably, before returning) and update its question's state and card."""
        # Checked (as every change) by _commit, before it is journaled.
        op: dict[str, Any] = {"op": Op.ANSWER, "a": attempt.to_dict()}
        if card is not None:
            op["card"] = card
        self._commit(op)
        state = self.state(attempt.set_id, attempt.question_id)
        assert state is not None
        return state

    def _latest(self, attempt_id: str) -> tuple[str, dict[str, Any]] | None:
        for key, doc in self._db.keyed("questions").raw_items():
            if (doc.get("last_attempt") or {}).get("id") == attempt_id:
                return key, doc
        return None

    def undo(self, attempt_id: str) -> QuestionState | None:
        """Remove the latest attempt of a question; its state before that attempt is restored."""
        with self._mutex:
            self._check_open()
            found = self._latest(attempt_id)
            if found is None or not can_undo(found[1], attempt_id):
                raise UnknownRecordError(
                    _(
                        "answer {id} cannot be undone: it is not the latest answer to its "
                        "question, or it is unknown."
                    ).format(id=attempt_id)
                )
            key, _doc = found
            self._commit({"op": Op.UNDO, "id": attempt_id, "k": key})
            doc = self._db.keyed("questions").get_key(key)
            return to_state(doc) if doc is not None else None

    def override(
        self, attempt_id: str, *, score: float = 1.0, card: dict[str, Any] | None = None
    ) -> QuestionState:
        """Count an attempt as correct ("I was right"); the question's state is recomputed."""
        if not 0.0 <= score <= 1.0:
            raise ValueError("score must be between 0 and 1")
        with self._mutex:
            self._check_open()
            found = self._latest(attempt_id)
            history: list[Attempt] | None = None
            if found is not None:
                original = found[1]["last_attempt"]
            else:
                history = list(self.attempts())
                original = next((a.to_dict() for a in history if a.id == attempt_id), None)
            if original is None:
                raise UnknownRecordError(f"no recorded answer {attempt_id}")
            key = key_of(original["set_id"], original["question_id"])
            doc = self._db.keyed("questions").get_key(key)
            if doc is None:
                raise UnknownRecordError(f"no recorded answer {attempt_id}")
            new = {**original, "outcome": "correct", "score": score, "overridden": True}
            op: dict[str, Any] = {"op": Op.OVERRIDE, "k": key, "a": new, "was": original["outcome"]}
            if original["outcome"] in MISSED and (found is None or "prev" not in doc):
                # The latest miss left cannot be told from the state: take it from the history.
                op.update(self._misses_left(doc, original, history))
            if card is not None:
                op["card"] = card
            self._commit(op)
            state = self.state(original["set_id"], original["question_id"])
            assert state is not None
            return state

    def _misses_left(
        self, doc: dict[str, Any], original: dict[str, Any], history: list[Attempt] | None
    ) -> dict[str, Any]:
        """The latest misses of a question once `original` is overridden ("lm", "plm")."""
        if history is None:
            history = list(self.attempts(original["set_id"]))
        latest = (doc.get("last_attempt") or {}).get("id")
        stamps = [
            (a.at, a.id)
            for a in history
            if a.set_id == original["set_id"]
            and a.question_id == original["question_id"]
            and a.outcome in MISSED
            and a.id != original["id"]
        ]
        out: dict[str, Any] = {"lm": max((at for at, _i in stamps), default=None)}
        if doc.get("prev") is not None and latest != original["id"]:
            out["plm"] = max((at for at, i in stamps if i != latest), default=None)
        return out

    def mark_known(self, set_id: str, question_id: str, at: str) -> None:
        """Record that the learner marked the question as known at `at`."""
        self._commit({"op": Op.KNOWN, "k": key_of(set_id, question_id), "at": at})

    def set_card(self, set_id: str, question_id: str, card: dict[str, Any]) -> None:
        """Replace the scheduler's card of a question."""
        self._commit({"op": Op.CARD, "k": key_of(set_id, question_id), "card": card})

    def start_session(self, set_id: str, mode: str, at: str) -> str:
        """Start a quiz session; returns its id."""
        session_id = uuid.uuid4().hex
        session = {
            "id": session_id,
            "set_id": set_id,
            "mode": mode,
            "start": at,
            "end": None,
            "answered": 0,
            "correct": 0,
            "score": None,
        }
        self._commit({"op": Op.SESSION_START, "id": session_id, "session": session})
        return session_id

    def end_session(
        self, session_id: str, at: str, *, answered: int, correct: int, score: float
    ) -> None:
        """Close a session with its totals."""
        if self._db.keyed("sessions").get_key(session_id) is None:
            raise UnknownRecordError(f"no session {session_id}")
        end = {"end": at, "answered": answered, "correct": correct, "score": score}
        self._commit({"op": Op.SESSION_END, "id": session_id, "end": end})

    def set_setting(self, key: str, value: Any) -> None:
        """Save an app setting durably; the value must be JSON-able."""
        self._commit({"op": Op.SETTING, "k": key, "v": value})

    def reset(self, set_id: str | None = None) -> Path:
        """Erase the progress, history and sessions of one set (or all; settings stay).

        A backup is made first; returns its path.
        """
        with self._mutex:
            saved = self.backup("reset")
            self._commit({"op": Op.RESET, "set_id": set_id})
            return saved

    def apply_import(
        self,
        states: dict[str, dict[str, Any]],
        attempts: list[dict[str, Any]],
        sessions: list[dict[str, Any]],
        settings: dict[str, Any],
    ) -> Path:
        """Merge checked records into the store (store.transfer computes them), after a backup.

        `states` are the new records of the questions it changes, by key; `attempts`, `sessions`
        and `settings` the ones not here yet. Returns the backup's path.
        """
        with self.exclusive():
            saved = self.backup("import")
            self._commit(
                {
                    "op": Op.IMPORT,
                    "states": states,
                    "attempts": attempts,
                    "sessions": sessions,
                    "settings": settings,
                }
            )
            self.compact()
            return saved
