"""Time recording answers in the progress store at 100 and 100,000 past answers.

Usage: python bench/record.py [--anki] [--n 200]
The last line printed is one JSON object with the figures (milliseconds).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from gmmp_quiz.store.journal import encode
from gmmp_quiz.store.progress import SCHEMA_VERSION, Attempt, ProgressStore, profile_dir
from gmmp_quiz.store.state import apply_attempt, count_into, hour_key, hour_of, key_of

SETS = 10
PER_SET = 100
CARD = {
    "card_id": 1,
    "state": 2,
    "step": None,
    "stability": 12.5,
    "difficulty": 5.1,
    "due": "2026-12-01T10:00:00+00:00",
    "last_review": "2026-11-20T10:00:00+00:00",
}


START = datetime(2025, 1, 1, tzinfo=UTC)


def _attempt(
    i: int,
    questions: int,
    every: timedelta | None = None,
    set_prefix: str = "set",
    ids: str = "local",
) -> dict[str, Any]:
    q = i % questions
    if every is None:
        at = f"2025-{1 + (i // 1_000_000) % 12:02d}-01T00:00:00.{i:06d}+00:00"
    else:
        at = (START + i * every).isoformat()
    return {
        "id": uuid.uuid4().hex,
        "at": at,
        "set_id": f"{set_prefix}{q // PER_SET}",
        # Question ids count from 0 in each set ("local") or across the sets ("global").
        "question_id": f"q{q % PER_SET}" if ids == "local" else f"q{q}",
        "answer": ["Rabat", "Fès"][i % 2],
        "outcome": ("correct", "wrong", "partial", "correct")[i % 4],
        "score": (1.0, 0.0, 0.5, 1.0)[i % 4],
        "elapsed_s": 4.2,
        "mode": "quiz",
        "session_id": "bench",
        "typo": False,
        "overridden": False,
    }


def build(
    home: Path,
    past: int,
    every: timedelta | None = None,
    set_prefix: str = "set",
    ids: str = "local",
) -> None:
    """Write a store with `past` answers directly (journal + state snapshot), without fsyncs.

    With `every`, the answers are that far apart from 2025-01-01 (else all in one hour). The
    answers go to sets `{set_prefix}0`, `{set_prefix}1`... of PER_SET questions each, numbered
    from q0 in each set, or (ids="global") on from one set to the next, as bench/load.py's sets.
    """
    questions = min(past, SETS * PER_SET)
    directory = profile_dir(home, "default")
    directory.mkdir(parents=True)
    docs: dict[str, Any] = {}
    hours: dict[str, Any] = {}
    offset = 0
    with open(directory / "journal.jsonl", "wb") as journal:
        for i in range(past):
            attempt = _attempt(i, questions, every, set_prefix, ids)
            line = encode({"s": i + 1, "op": "a", "a": attempt, "card": CARD})
            journal.write(line)
            offset += len(line)
            key = key_of(attempt["set_id"], attempt["question_id"])
            docs[key] = apply_attempt(docs.get(key), attempt, CARD)
            # The per-hour answer counters, as the store keeps them (skipped answers excepted).
            if attempt["outcome"] != "skipped":
                set_id, hour = attempt["set_id"], hour_of(attempt["at"])
                hkey = hour_key(set_id, hour)
                hours[hkey] = count_into(hours.get(hkey), set_id, hour, attempt["outcome"], 1)
    meta = {"schema": SCHEMA_VERSION, "applied_seq": past, "applied_offset": offset}
    state = {"questions": docs, "hours": hours, "meta": {"store": meta}}
    (directory / "state.json").write_text(json.dumps(state, separators=(",", ":")))


def time_records(home: Path, n: int) -> list[float]:
    """Milliseconds taken by each of `n` record() calls on the store in `home`."""
    times = []
    with ProgressStore.open(home, backup=False) as store:
        for i in range(n):
            attempt = Attempt(
                id=uuid.uuid4().hex,
                at=f"2026-11-28T12:00:{i % 60:02d}+00:00",
                set_id=f"set{i % SETS}",
                question_id=f"q{i % PER_SET}",
                answer="Rabat",
                outcome="correct" if i % 3 else "wrong",
                score=1.0 if i % 3 else 0.0,
                elapsed_s=3.0,
                mode="quiz",
                session_id="bench",
            )
            start = time.perf_counter()
            store.record(attempt, card=CARD)
            times.append((time.perf_counter() - start) * 1000)
    return times


def time_open(home: Path, *, backup: bool, repeat: int = 5) -> float:
    """Median milliseconds to open the store (the background backup is not waited for)."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        store = ProgressStore.open(home, backup=backup)
        samples.append((time.perf_counter() - start) * 1000)
        store.close()
    return statistics.median(samples)


def time_compact(home: Path) -> float:
    """Milliseconds to rewrite the state file (done every 1000 changes and at close)."""
    with ProgressStore.open(home, backup=False) as store:
        start = time.perf_counter()
        store.compact()
        return (time.perf_counter() - start) * 1000


def p90(values: list[float]) -> float:
    """The 90th percentile."""
    return statistics.quantiles(values, n=10)[-1]


def bench_store(n: int) -> dict[str, Any]:
    """The figures for the gmmp-quiz store."""
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        small, large = Path(tmp, "small"), Path(tmp, "large")
        t0 = time.perf_counter()
        build(small, 100)
        build(large, 100_000)
        print(f"built stores in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        at_100 = time_records(small, n)
        at_100k = time_records(large, n)
        result = {
            "median_ms_100": statistics.median(at_100),
            "p90_ms_100": p90(at_100),
            "median_ms_100k": statistics.median(at_100k),
            "p90_ms_100k": p90(at_100k),
            "ratio": statistics.median(at_100k) / statistics.median(at_100),
            "open_ms_100k": time_open(large, backup=False),
            "open_with_backup_ms_100k": time_open(large, backup=True),
            "compact_ms_100k": time_compact(large),
        }
    for name, value in result.items():
        print(f"{name:26} {value:8.3f}")
    return result


def bench_anki(n: int) -> dict[str, Any]:
    """The same figures with Anki's collection, when the `anki` package is installed."""
    keys = ("median_ms_100", "median_ms_100k", "p90_ms_100k", "ratio", "open_ms_100k")
    try:
        from anki.collection import Collection  # type: ignore[import-not-found]
    except ImportError:
        print("note: the `anki` package is not installed (pip install 'gmmp-quiz[anki]');")
        print("      no Anki figures.")
        return dict.fromkeys(keys)
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        medians = {}
        for past in (100, 100_000):
            path = str(Path(tmp, f"c{past}.anki2"))
            col = Collection(path)
            notetype = col.models.by_name("Basic")
            deck = col.decks.id("bench")
            for i in range(min(past, 1000)):
                note = col.new_note(notetype)
                note["Front"], note["Back"] = f"q{i}", "a"
                col.add_note(note, deck)
            # Past reviews go straight into the review log, as Anki keeps them.
            card_ids = col.find_cards("")
            rows = [
                (1_600_000_000_000 + i, card_ids[i % len(card_ids)], -1, 3, 1, 0, 2500, 4000, 1)
                for i in range(past)
            ]
            col.db.executemany("insert into revlog values (?,?,?,?,?,?,?,?,?)", rows)
            col.close()
            start = time.perf_counter()
            col = Collection(path)
            if past == 100_000:
                figures["open_ms_100k"] = (time.perf_counter() - start) * 1000
            col.decks.select(deck)
            times = []
            for _ in range(n):
                card = col.sched.getCard()
                if card is None:
                    break
                start = time.perf_counter()
                col.sched.answerCard(card, 3)
                times.append((time.perf_counter() - start) * 1000)
            col.close()
            medians[past] = times
        figures["median_ms_100"] = statistics.median(medians[100])
        figures["median_ms_100k"] = statistics.median(medians[100_000])
        figures["p90_ms_100k"] = p90(medians[100_000])
        figures["ratio"] = figures["median_ms_100k"] / figures["median_ms_100"]
    for name, value in figures.items():
        print(f"{name:26} {value:8.3f}")
    return figures


def main() -> None:
    """Run the benchmark and print the figures, the last line as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--anki", action="store_true", help="bench Anki's collection instead")
    parser.add_argument("--n", type=int, default=200, help="answers recorded per store")
    args = parser.parse_args()
    result = bench_anki(args.n) if args.anki else bench_store(args.n)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
