"""Kill -9 a process recording answers, hundreds of times; count acknowledged answers lost.

Usage: python bench/crash.py [--rounds 300]
Each round starts a writer that prints every answer id after `record` returned, kills it at a
random moment (during start-up, recording, compaction or a backup), then opens the store and
checks that every printed answer is there. The last line is JSON; "losses" must be 0.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gmmp_quiz.progress import ProgressStore

WRITER = r"""
import random, sys, uuid
from pathlib import Path
import gmmp_quiz.progress as progress
progress.COMPACT_EVERY = int(sys.argv[2])
store = progress.ProgressStore.open(Path(sys.argv[1]), backup=sys.argv[3] == "1")
i = 0
while True:
    i += 1
    outcome = random.choice(["correct", "wrong", "partial", "skipped"])
    attempt = progress.Attempt(
        id=uuid.uuid4().hex, at="2026-11-28T12:00:00+00:00", set_id="s",
        question_id=f"q{i % 13}", answer="x" * random.randint(0, 3000), outcome=outcome,
        score=1.0 if outcome == "correct" else 0.0, elapsed_s=1.0, mode="quiz", session_id="",
    )
    store.record(attempt, card={"n": i})
    print(attempt.id, flush=True)
    if i % 7 == 0:
        store.set_setting("last", i)
        print(f"setting {i}", flush=True)
"""


def crash_round(home: Path, rng: random.Random) -> tuple[int, int, list[str]]:
    """One kill; returns (answers acknowledged so far this round, answers lost, warnings)."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    args = [str(home), str(rng.choice([3, 20, 1000])), rng.choice(["0", "1"])]
    child = subprocess.Popen([sys.executable, "-c", WRITER, *args], stdout=subprocess.PIPE, env=env)
    time.sleep(rng.uniform(0.0, 0.5))
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate()
    lines = out.decode().split("\n")[:-1]  # the last piece may be cut by the kill
    acked = {line for line in lines if not line.startswith("setting ")}
    settings = [int(line.split()[1]) for line in lines if line.startswith("setting ")]
    with ProgressStore.open(home, backup=rng.random() < 0.5) as store:
        have = {a.id for a in store.attempts()}
        counted = sum(s.attempts for s in store.states().values())
        lost = len(acked - have)
        if counted != len(have):
            lost += 1
            print(f"state counts {counted} answers, history has {len(have)}", file=sys.stderr)
        if settings and (store.get_setting("last") or 0) < max(settings):
            lost += 1
        return len(acked), lost, list(store.warnings)


def main() -> None:
    """Run the rounds and print the losses."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    losses = acked = torn = 0
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        for n in range(args.rounds):
            got, lost, warnings = crash_round(home, rng)
            acked += got
            losses += lost
            torn += sum("incomplete" in w for w in warnings)
            if lost:
                print(f"round {n}: {lost} lost", file=sys.stderr)
    print(f"rounds {args.rounds}, answers acknowledged {acked}, torn records dropped {torn}")
    print(f"losses {losses}")
    print(
        json.dumps({"rounds": args.rounds, "acknowledged": acked, "torn": torn, "losses": losses})
    )


if __name__ == "__main__":
    main()
