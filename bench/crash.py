"""Kill -9 writers hundreds of times; count acknowledged answers and sets lost.

Usage: python bench/crash.py [--rounds 300] [--ops answers,progress-import,import,add-replace]
"answers": each round starts a writer that prints every answer id after `record` returned, kills
it at a random moment (during start-up, recording, compaction or a backup), then opens the store
and checks that every printed answer is there.
"progress-import": kills `gmmp-quiz progress import` of a big export; the store must then hold
every answer it held before, and the import whole or not at all.
"import" / "add-replace": kills `gmmp-quiz import bank.gift` / `gmmp-quiz add --replace` while
they replace a user's set kept under another file name; the set must then be there (old or new),
and valid.
The last line is JSON; "losses" must be 0.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gmmp_quiz.store.progress import Attempt, ProgressStore

WRITER = r"""
import random, sys, uuid
from pathlib import Path
import gmmp_quiz.store.progress as progress
progress.COMPACT_EVERY = int(sys.argv[2])
progress.SEAL_AT = int(sys.argv[4])  # the journal sealed into a segment at open
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
    seal = rng.choice([1, 50_000, 1 << 20])
    args = [str(home), str(rng.choice([3, 20, 1000])), rng.choice(["0", "1"]), str(seal)]
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


def kill_delay(rng: random.Random, duration: float) -> float:
    """When to kill a run that took `duration` once: anywhere, or often near its end (the writes).

    The range goes past the end: the machine's load changes how long each run takes.
    """
    if rng.random() < 0.5:
        return rng.uniform(0.0, duration * 1.5)
    return rng.uniform(duration * 0.6, duration * 1.3)


def gq(home: Path, *args: str) -> subprocess.Popen[bytes]:
    """Start gmmp-quiz with `home` as its home."""
    env = dict(os.environ, GMMP_QUIZ_HOME=str(home))
    return subprocess.Popen(
        [sys.executable, "-m", "gmmp_quiz", *args, "--lang", "en"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )


def _attempt_dict(i: int, prefix: str) -> dict[str, object]:
    return {
        "id": f"{prefix}{i}",
        "at": f"2026-11-{1 + i % 28:02d}T12:{i % 60:02d}:00+00:00",
        "set_id": "bench",
        "question_id": f"q{i % 500}",
        "answer": "x" * (i % 50),
        "outcome": ("correct", "wrong", "partial", "skipped")[i % 4],
        "score": (1.0, 0.0, 0.5, 0.0)[i % 4],
        "elapsed_s": 2.0,
        "mode": "quiz",
        "session_id": "",
        "typo": False,
        "overridden": False,
    }


class ImportRounds:
    """Kills during `progress import` of an export of `size` answers into a store of 300."""

    def __init__(self, tmp: Path, size: int) -> None:
        self.base = tmp / "pi-base"
        with ProgressStore.open(self.base, backup=False) as store:
            for i in range(300):
                store.record(Attempt(**_attempt_dict(i, "old")))  # type: ignore[arg-type]
            self.before = {a.id for a in store.attempts()}
        export = {
            "format": "gmmp-quiz-progress",
            "version": 1,
            "attempts": [_attempt_dict(i, "new") for i in range(size)],
        }
        self.export = tmp / "export.json"
        self.export.write_text(json.dumps(export))
        self.new = {f"new{i}" for i in range(size)}
        self.duration = self._timed(tmp / "pi-timing")

    def _timed(self, home: Path) -> float:
        shutil.copytree(self.base, home)
        start = time.perf_counter()
        gq(home, "progress", "import", str(self.export)).wait()
        shutil.rmtree(home)
        return time.perf_counter() - start

    def round(self, home: Path, rng: random.Random) -> tuple[int, str]:
        """One kill: (answers lost, "none", "all" or "partial")."""
        shutil.copytree(self.base, home)
        child = gq(home, "progress", "import", str(self.export))
        time.sleep(kill_delay(rng, self.duration))
        child.send_signal(signal.SIGKILL)
        child.wait()
        with ProgressStore.open(home, backup=False) as store:
            have = {a.id for a in store.attempts()}
        shutil.rmtree(home)
        got = len(have & self.new)
        kind = "none" if got == 0 else "all" if got == len(self.new) else "partial"
        return len(self.before - have) + (kind == "partial"), kind


OLD_SET = "id: {id}\ntitle: Old {id}\nlanguage: en\nquestions:\n" + (
    "  - id: q1\n    type: true_false\n    prompt: The old set\n    answer: true\n"
)


class SetRounds:
    """Kills during `import bank.gift` / `add --replace` of a user's set kept as `my-*.yaml`."""

    def __init__(self, tmp: Path, op: str, size: int) -> None:
        self.op = op
        self.set_id = "bank" if op == "import" else "capitals"
        self.base = tmp / f"{op}-base"
        (self.base / "questions").mkdir(parents=True)
        (self.base / "questions" / f"my-{self.set_id}.yaml").write_text(
            OLD_SET.format(id=self.set_id)
        )
        if op == "import":
            self.source = tmp / "bank.gift"
            self.source.write_text(
                "".join(f"::q{i}::Statement {i} is true {{T}}\n\n" for i in range(size))
            )
            self.args = ("import", str(self.source))
        else:
            self.source = tmp / "capitals-v2.yaml"
            body = "".join(
                f"  - id: q{i}\n    type: true_false\n    prompt: Statement {i}\n    answer: true\n"
                for i in range(size)
            )
            self.source.write_text(
                f"id: capitals\ntitle: New capitals\nlanguage: en\nquestions:\n{body}"
            )
            self.args = ("add", str(self.source), "--replace")
        home = tmp / f"{op}-timing"
        shutil.copytree(self.base, home)
        start = time.perf_counter()
        gq(home, *self.args).wait()
        self.duration = time.perf_counter() - start
        assert self._titles(home) == ["New capitals" if op != "import" else "bank"], home
        shutil.rmtree(home)

    def _titles(self, home: Path) -> list[str]:
        """The titles of the sets with the id, read as the app reads them."""
        env = dict(os.environ, GMMP_QUIZ_HOME=str(home))
        done = subprocess.run(
            [sys.executable, "-m", "gmmp_quiz", "list", "--json"],
            capture_output=True,
            env=env,
            check=True,
        )
        found = json.loads(done.stdout)
        return [s["title"] for s in found["sets"] if s["id"] == self.set_id]

    def round(self, home: Path, rng: random.Random) -> tuple[int, str]:
        """One kill: (1 when the set is missing or unreadable, else 0; "old" or "new")."""
        shutil.copytree(self.base, home)
        child = gq(home, *self.args)
        time.sleep(kill_delay(rng, self.duration))
        child.send_signal(signal.SIGKILL)
        child.wait()
        titles = self._titles(home)
        shutil.rmtree(home)
        if not titles:
            return 1, "missing"
        return 0, "old" if titles[0].startswith("Old") else "new"


def main() -> None:
    """Run the rounds and print the losses."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--ops",
        default="answers",
        help="comma-separated: answers, progress-import, import, add-replace (or all)",
    )
    parser.add_argument("--size", type=int, default=5000, help="answers or questions per file")
    args = parser.parse_args()
    ops = OPS if args.ops == "all" else args.ops.split(",")
    rng = random.Random(args.seed)
    losses = acked = torn = 0
    outcomes: dict[str, dict[str, int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp, "answers")
        if "answers" in ops:
            for n in range(args.rounds):
                got, lost, warnings = crash_round(home, rng)
                acked += got
                losses += lost
                torn += sum("incomplete" in w for w in warnings)
                if lost:
                    print(f"round {n}: {lost} lost", file=sys.stderr)
        others: dict[str, ImportRounds | SetRounds] = {}
        if "progress-import" in ops:
            others["progress-import"] = ImportRounds(Path(tmp), args.size)
        for op in ("import", "add-replace"):
            if op in ops:
                others[op] = SetRounds(Path(tmp), op, args.size)
        for op, rounds in others.items():
            counts = outcomes.setdefault(op, {})
            for n in range(args.rounds):
                lost, kind = rounds.round(Path(tmp, "round"), rng)
                counts[kind] = counts.get(kind, 0) + 1
                losses += lost
                if lost:
                    print(f"{op} round {n}: {kind}, {lost} lost", file=sys.stderr)
            print(f"{op}: {args.rounds} kills, {counts}")
    if "answers" in ops:
        print(f"rounds {args.rounds}, answers acknowledged {acked}, torn records dropped {torn}")
    print(f"losses {losses}")
    result = {"rounds": args.rounds, "acknowledged": acked, "torn": torn, "losses": losses}
    print(json.dumps({**result, "kills": outcomes}))


OPS = ["answers", "progress-import", "import", "add-replace"]


if __name__ == "__main__":
    main()
