"""Time the Stats screen's figures at 100,000 recorded answers: counters path and history path.

Usage: python bench/stats.py [--past 100000] [--repeat 5]
The counters path is what the screen does (question states + per-hour counters +
compute_stats); the history path reads every answer from the journal, as it did before.
The last line printed is one JSON object with the figures (milliseconds, best of --repeat).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).parent))

from record import PER_SET, SETS, build

from gmmp_quiz.model import Kind, LText, Question, QuestionSet
from gmmp_quiz.stats import compute_stats
from gmmp_quiz.store.progress import ProgressStore


def question_sets() -> list[QuestionSet]:
    """The sets the built store's answers belong to."""
    return [
        QuestionSet(
            id=f"set{s}",
            title=LText.plain(f"Set {s}"),
            language="und",
            questions=tuple(
                Question(
                    id=f"q{i}",
                    kind=Kind.SHORT,
                    prompt=LText.plain(f"Question {i}"),
                    answer=LText.plain("Rabat"),
                    tags=(f"tag{i % 7}",),
                )
                for i in range(PER_SET)
            ),
        )
        for s in range(SETS)
    ]


def best(repeat: int, run: object) -> float:
    """Best of `repeat` runs of `run()`, in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        samples.append((time.perf_counter() - start) * 1000)
    return min(samples)


def main() -> None:
    """Build the store, time both paths, check they agree, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--past", type=int, default=100_000, help="answers in the store")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sets = question_sets()
    tz = ZoneInfo("Europe/Paris")
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        home = Path(tmp)
        # One answer every 5 minutes: about a year, some 8,000 UTC hours.
        build(home, args.past, every=timedelta(minutes=5))
        with ProgressStore.open(home, backup=False) as store:
            now = datetime.now(UTC)

            def counters() -> object:
                states = store.states()
                return compute_stats(sets, states, None, now, tz, hourly=store.hourly_by_set())

            def history() -> object:
                return compute_stats(sets, store.states(), store.attempts(), now, tz)

            assert counters() == history(), "the two paths disagree"
            result = {
                "past": args.past,
                "counters_ms": best(args.repeat, counters),
                "history_ms": best(max(1, args.repeat // 2), history),
            }
    for name, value in result.items():
        print(f"{name:14} {value:10.1f}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
