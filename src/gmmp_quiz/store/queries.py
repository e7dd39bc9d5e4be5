"""What the store answers without changing anything: states, counters, history, sessions."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gmmp_quiz.model import MISSED
from gmmp_quiz.store.check import history_problem
from gmmp_quiz.store.journal import Journal, history
from gmmp_quiz.store.state import Attempt, QuestionState, copy_json, key_of, to_state
from gmmp_quiz.store.tables import StateDB

_ATTEMPT_FIELDS = {f.name for f in dataclasses.fields(Attempt)}


class StoreQueries:
    """The read side of ProgressStore (which sets the attributes declared here)."""

    journal_path: Path
    # Answers of the history left out by the last full `attempts()` for their bad values.
    history_skipped: int
    _db: StateDB
    _journal: Journal
    _mutex: threading.RLock

    def state(self, set_id: str, question_id: str) -> QuestionState | None:
        """The state of one question, or None if it has none."""
        doc = self._db.keyed("questions").get_key(key_of(set_id, question_id))
        return to_state(doc) if doc is not None else None

    def states(self, set_id: str | None = None) -> dict[tuple[str, str], QuestionState]:
        """The states of every question (of one set when `set_id` is given).

        Their cards are the store's own, not copies: read them, never change them (the store
        replaces a card, it never changes one, so they stay as they were when read).
        """
        out: dict[tuple[str, str], QuestionState] = {}
        with self._mutex:  # the UI may record from a worker thread meanwhile
            docs = self._db.keyed("questions").raw_items()
        for _key, doc in docs:
            if set_id is None or doc["set_id"] == set_id:
                # Not copying every card halves the time home, stats and review take here.
                out[(doc["set_id"], doc["question_id"])] = to_state(doc, share_card=True)
        return out

    def missed_states(self, *, ever: bool = False) -> dict[tuple[str, str], QuestionState]:
        """The states the missed list may show: latest answer missed (`ever`: any miss at all).

        A superset of what `session.is_missed` keeps (it also looks at `known_at`), found without
        copying the state of every question.
        """
        with self._mutex:
            docs = self._db.keyed("questions").raw_items()
        return {
            (doc["set_id"], doc["question_id"]): to_state(doc, share_card=True)
            for _key, doc in docs
            if doc["last_result"] in MISSED or (ever and doc.get("last_missed"))
        }

    def question_docs(self) -> list[dict[str, Any]]:
        """Every question's stored record as an export holds it (without its undo data).

        The values inside are the store's own: read them, never change them (as `states`).
        """
        with self._mutex:
            docs = self._db.keyed("questions").raw_items()
        return [{k: v for k, v in doc.items() if k != "prev"} for _key, doc in docs]

    def hourly(self, set_id: str | None = None) -> dict[str, tuple[int, int]]:
        """Answers and right answers per UTC hour ("2026-11-28T14"), of one set or all.

        Skipped answers are not counted; kept exact by every change, so no history is read.
        """
        out: dict[str, tuple[int, int]] = {}
        for sid, hours in self.hourly_by_set().items():
            if set_id is None or sid == set_id:
                for hour, (n, c) in hours.items():
                    old = out.get(hour, (0, 0))
                    out[hour] = (old[0] + n, old[1] + c)
        return out

    def hourly_by_set(self) -> dict[str, dict[str, tuple[int, int]]]:
        """`hourly` for each set: set id -> UTC hour -> (answers, right answers)."""
        with self._mutex:
            docs = self._db.keyed("hours").raw_items()
        out: dict[str, dict[str, tuple[int, int]]] = {}
        for _key, doc in docs:
            out.setdefault(doc["set_id"], {})[doc["hour"]] = (doc["answers"], doc["correct"])
        return out

    def attempts(self, set_id: str | None = None) -> Iterator[Attempt]:
        """The history, oldest first (read from the journal only when iterated)."""
        rows = history(self.journal_path, self._journal.size)
        # Answers are journaled as they are given, so the history is nearly always in order already.
        if any(str(a[0]) > str(b[0]) for a, b in zip(rows, rows[1:], strict=False)):
            rows.sort(key=lambda x: (str(x[0]), x[1]))
        fields = _ATTEMPT_FIELDS
        self.history_skipped = 0
        for _at, _order, attempt in rows:
            if set_id is None or attempt["set_id"] == set_id:
                if history_problem(attempt) is not None:
                    # Bad values (an old import, a hand edit): left out, and counted for doctor.
                    self.history_skipped += 1
                    continue
                if attempt.keys() == fields:
                    # Every field present: fill the frozen instance directly, much faster than
                    # __init__ over 100,000 answers.
                    record = object.__new__(Attempt)
                    record.__dict__.update(attempt)
                    yield record
                    continue
                try:
                    yield Attempt(**attempt)
                except TypeError:
                    continue  # a hand-edited record of the wrong shape

    def sessions(self) -> list[dict[str, Any]]:
        """Every session, oldest first."""
        with self._mutex:
            docs = self._db.keyed("sessions").raw_items()
        found = [copy_json(doc) for _k, doc in docs]
        return sorted(found, key=lambda s: (s["start"], s["id"]))

    def get_setting(self, key: str, default: Any = None) -> Any:
        """An app setting (last set, mode, theme, language...)."""
        doc = self._db.keyed("settings").get_key(key)
        return copy_json(doc["value"]) if doc is not None else default

    def settings(self) -> dict[str, Any]:
        """Every app setting."""
        with self._mutex:
            docs = self._db.keyed("settings").raw_items()
        return {k: copy_json(d["value"]) for k, d in docs}
