"""kill -9 of a process recording answers: every acknowledged answer survives, many times over."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from gmmp_quiz.store.progress import ProgressStore

WRITER = r"""
import random, sys, uuid
from pathlib import Path
import gmmp_quiz.store.progress as progress
progress.COMPACT_EVERY = int(sys.argv[2])
progress.SEAL_AT = int(sys.argv[4])  # the journal sealed into a segment at open and at close
store = progress.ProgressStore.open(Path(sys.argv[1]), backup=sys.argv[3] == "1")
print("open", flush=True)
i = 0
while True:
    i += 1
    outcome = random.choice(["correct", "wrong", "partial", "skipped"])
    attempt = progress.Attempt(
        id=uuid.uuid4().hex, at="2026-11-28T12:00:00+00:00", set_id="s",
        question_id=f"q{i % 5}", answer="x" * random.randint(0, 2000), outcome=outcome,
        score=1.0 if outcome == "correct" else 0.0, elapsed_s=1.0, mode="quiz", session_id="",
    )
    store.record(attempt, card={"n": i})
    print(attempt.id, flush=True)
    if i % 5 == 0:
        store.set_setting("last", i)
        print(f"setting {i}", flush=True)
"""

KILLS_PER_HOME = 15
HOMES = 4


def _rounds(home: Path, seed: int) -> tuple[list[str], int]:
    """Kill a writer KILLS_PER_HOME times; returns the problems found and the answers acked."""
    rng = random.Random(seed)
    problems: list[str] = []
    all_acked: set[str] = set()
    for n in range(KILLS_PER_HOME):
        args = [
            str(home),
            str(rng.choice([2, 10, 1000])),
            rng.choice(["0", "1"]),
            str(rng.choice([1, 20_000, 1 << 20])),
        ]
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(os.environ),
        )
        assert child.stdout is not None
        if rng.random() < 0.2:
            # During start-up: recovery, compaction at open, the background backup.
            time.sleep(rng.uniform(0.0, 0.3))
            first = b""
        else:
            first = child.stdout.readline()
            time.sleep(rng.uniform(0.0, 0.1))
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate()
        out = first + out
        if child.returncode != -signal.SIGKILL:
            problems.append(f"round {n}: writer ended by itself: {err.decode()[-500:]}")
        lines = out.decode().split("\n")[:-1]  # a last line cut by the kill was not seen
        acked = {x for x in lines if x != "open" and not x.startswith("setting ")}
        all_acked |= acked
        settings = [int(x.split()[1]) for x in lines if x.startswith("setting ")]
        with ProgressStore.open(home, backup=rng.random() < 0.3) as store:
            have = {a.id for a in store.attempts()}
            if all_acked - have:
                said = " | ".join(store.warnings) or "no warning"
                problems.append(f"round {n}: lost {len(all_acked - have)} answers ({said})")
            counted = sum(s.attempts for s in store.states().values())
            if counted != len(have):
                problems.append(f"round {n}: states count {counted}, history {len(have)}")
            if settings and store.get_setting("last", 0) < max(settings):
                problems.append(f"round {n}: setting lost")
            # A torn last record is expected after a kill; any other recovery is reported, with
            # its message, so that a loss comes with its cause.
            problems.extend(
                f"round {n}: {w}" for w in store.warnings if not w.startswith("The last record in")
            )
    return problems, len(all_acked)


def test_kill_9_while_recording_loses_nothing(tmp_path: Path) -> None:
    homes = [tmp_path / f"h{i}" for i in range(HOMES)]
    with ThreadPoolExecutor(HOMES) as pool:
        results = list(pool.map(_rounds, homes, range(HOMES)))
    assert HOMES * KILLS_PER_HOME >= 50
    assert [p for problems, _ in results for p in problems] == []
    # The kills landed while answers were being recorded, not only during start-up.
    assert all(acked > KILLS_PER_HOME for _, acked in results)
