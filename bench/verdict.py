"""Time from the answer key to the verdict drawn, in a real app run with a long history.

Builds a home as bench/scale.py does (10 sets of 1,000 questions of all nine types, a history
imported through `gmmp-quiz progress import`, 10,000 answers unless --answers says otherwise),
then runs the app headless at 80x24 in a fresh process and plays a quiz: choice, true/false,
short and numeric questions, each answered with its last key (a digit, or Enter after the typed
text), then Enter to go on. Each answer is interleaved with a baseline on the same app: a key
that changes one label on a one-label screen. Both are timed from the key posted until the first
frame painted after the key was handled (the verdict, or the new label, is then on screen); the
answer is also timed until the screen has settled (the feedback scrolled into view, nothing left
to paint). The ratio is taken pair by pair.

`--old DIR` runs the same probe on another checkout's `src/` too (e.g. `git worktree add
/tmp/old main`), interleaved process by process, for an A/B. `--profile` prints where the
answer's time goes (cProfile over the answers only). Medians [ranges]; the last line is JSON.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import scale as scale_bench  # noqa: E402
from scale import spread  # noqa: E402

PROBE = (
    r"""
import asyncio, cProfile, io, json, pstats, sys, time
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static
from gmmp_quiz.sets.loading import discover_sets
from gmmp_quiz.store.progress import ProgressStore
from gmmp_quiz.ui.app import QuizApp
from gmmp_quiz.ui.screens.quiz import QuizScreen

COUNT, SEED, PROFILE = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
KINDS = {"choice", "true_false", "short", "numeric"}
KEYS = {"choice": ["1"], "true_false": ["1"], "short": list("paris") + ["enter"],
        "numeric": ["4", "2", "enter"]}

PAINTS = []
VERDICTS = []  # frames painted with the verdict (the #feedback widget) on screen
_paint = Screen._compositor_refresh

def _spy(self):
    _paint(self)
    now = time.perf_counter()
    PAINTS.append(now)
    if isinstance(self, QuizScreen) and self.answered:
        feedback = self.query_one("#feedback")
        if feedback in self._compositor.visible_widgets and feedback.region.height:
            VERDICTS.append(now)

Screen._compositor_refresh = _spy
HANDLED = []
_show = QuizScreen.show_feedback

def _shown(self, verdict):
    _show(self, verdict)
    HANDLED.append(time.perf_counter())

QuizScreen.show_feedback = _shown
QuizScreen.SETTLE_S = 0

"""
    + scale_bench.PLAIN_SCREEN
    + r"""

async def drawn(after, paints):
    while not HANDLED or HANDLED[-1] < after or not paints or paints[-1] < HANDLED[-1]:
        await asyncio.sleep(0.0005)
    return next(t for t in paints if t >= HANDLED[-1])

async def main():
    import random
    store = ProgressStore.open(backup=False)
    discovery = discover_sets([])
    rng = random.Random(SEED)
    picked = [(s, q) for s in discovery.sets for q in s.questions if q.kind.value in KINDS]
    picked = rng.sample(picked, COUNT)
    app = QuizApp(discovery, store, lang="en")
    answer, settled, base, kinds = [], [], [], []
    profile = cProfile.Profile()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete(); await pilot.pause()
        app.start_session(picked)
        await pilot.pause(); await pilot.pause(0.05)
        quiz = app.screen
        assert isinstance(quiz, QuizScreen)
        for i in range(COUNT):
            plain = Plain()
            app.push_screen(plain); await pilot.pause(); await pilot.pause(0.02)
            t0 = time.perf_counter()
            await pilot.press("x")
            base.append(await drawn(t0, PAINTS) - t0)
            app.pop_screen(); await pilot.pause(); await pilot.pause(0.02)
            kind = quiz.session.current.question.kind.value
            keys = KEYS[kind]
            if len(keys) > 1:
                await pilot.press(*keys[:-1]); await pilot.pause(); await pilot.pause(0.02)
            if PROFILE:
                profile.enable()
            t0 = time.perf_counter()
            await pilot.press(keys[-1])
            answer.append(await drawn(t0, VERDICTS) - t0)
            if PROFILE:
                profile.disable()
            await pilot.pause(); await pilot.pause()
            settled.append(PAINTS[-1] - t0)
            assert quiz.answered, kind
            kinds.append(kind)
            await pilot.press("enter"); await pilot.pause(); await pilot.pause(0.02)
    store.close()
    out = {"answer": answer, "settled": settled, "base": base, "kinds": kinds}
    if PROFILE:
        text = io.StringIO()
        pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(70)
        out["profile"] = text.getvalue()
    print(json.dumps(out))

asyncio.run(main())
"""
)


def probe(home: Path, src: Path | None, count: int, seed: int, profile: bool) -> dict[str, Any]:
    """Play `count` answers in a fresh app process; the timings (and profile) it reports."""
    return scale_bench.child(PROBE, home, str(count), str(seed), "1" if profile else "0", src=src)


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Pooled figures over a variant's runs: ms and pair-by-pair ratios."""
    answer = [a for r in runs for a in r["answer"]]
    settled = [s for r in runs for s in r["settled"]]
    base = [b for r in runs for b in r["base"]]
    return {
        "answers": len(answer),
        "verdict_ms": spread(answer, 1000),
        "settled_ms": spread(settled, 1000),
        "baseline_ms": spread(base, 1000),
        "ratio": spread([a / b for a, b in zip(answer, base, strict=True)]),
        "settled_ratio": spread([s / b for s, b in zip(settled, base, strict=True)]),
        "run_medians_ratio": [
            round(statistics.median(a / b for a, b in zip(r["answer"], r["base"], strict=True)), 2)
            for r in runs
        ],
    }


def main() -> None:
    """Build the home, run the probes interleaved, print the figures and the JSON line."""
    parser = scale_bench.ab_parser(__doc__.splitlines()[0], 10_000)
    parser.add_argument("--count", type=int, default=12, help="answers per process")
    args = parser.parse_args()
    with scale_bench.ab_home(args, "gmmp-verdict-") as (home, variants):
        if args.profile:
            print(probe(home, None, args.count, 1, True)["profile"])
            return
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in variants}
        rng = random.Random(11)
        for round_no in range(args.rounds):
            order = list(variants)
            rng.shuffle(order)
            for name in order:
                runs[name].append(probe(home, variants[name], args.count, round_no, False))
        results = {name: summary(r) for name, r in runs.items()}
        for name, result in results.items():
            print(f"{name}: {result['answers']} answers over {args.rounds} runs")
            for key in ("verdict_ms", "settled_ms", "baseline_ms", "ratio", "settled_ratio"):
                value = result[key]
                print(f"  {key:<14} {value['median']} [{value['min']}-{value['max']}]")
            print(f"  run medians    {result['run_medians_ratio']}")
        print(json.dumps({"answers_in_history": args.answers, **results}))


if __name__ == "__main__":
    main()
