"""Time until the home screen is shown: gmmp-quiz with big data vs a minimal Textual app.

Builds $GMMP_QUIZ_HOME with 10,000 questions in 100 user sets and 100,000 recorded answers, then
starts each app several times in a fresh process (headless), timing from the process start until
its first screen has been shown (then it exits), and prints the medians. The last line is one JSON
object with app_s, baseline_s and ratio.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import load as load_bench  # noqa: E402
import record as record_bench  # noqa: E402

RUNS = 7

SHOWN = """
import time

def shown(app):
    print("SHOWN", time.time(), flush=True)
    app.exit()
"""

BASELINE = (
    SHOWN
    + """
from textual.app import App
from textual.widgets import Label

class Minimal(App):
    def compose(self):
        yield Label("hello")
    def on_mount(self):
        self.call_after_refresh(shown, self)

Minimal().run(headless=True, size=(80, 24))
"""
)

GMMP = (
    SHOWN
    + """
import sys
from gmmp_quiz.cli import main
from gmmp_quiz.ui import app as app_module
from gmmp_quiz.ui.screens.home import HomeScreen

_on_mount = HomeScreen.on_mount

def on_mount(self):
    _on_mount(self)
    self.call_after_refresh(shown, self.app)

HomeScreen.on_mount = on_mount
_run = app_module.QuizApp.run
app_module.QuizApp.run = lambda self, **kw: _run(self, headless=True, size=(80, 24))
sys.exit(main([]))
"""
)


def time_script(code: str, env: dict[str, str]) -> float:
    """Seconds from starting a fresh interpreter running `code` until its first screen is shown."""
    start = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    )
    shown = next(line for line in done.stdout.splitlines() if line.startswith("SHOWN"))
    return float(shown.split()[1]) - start


def main() -> None:
    """Build the big home, time both apps, print the medians and the ratio."""
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        (home / "questions").mkdir(parents=True)
        load_bench.write_sets(home / "questions", 100, 100)
        record_bench.build(home, 100_000)
        env = dict(os.environ, GMMP_QUIZ_HOME=str(home))
        # A warm-up each: the first gmmp-quiz start fills the parse cache, as any first start does.
        time_script(GMMP, env)
        time_script(BASELINE, env)
        app_times, base_times = [], []
        for _ in range(RUNS):
            # Interleaved so both see the same machine load.
            app_times.append(time_script(GMMP, env))
            base_times.append(time_script(BASELINE, env))
    app_s = statistics.median(app_times)
    baseline_s = statistics.median(base_times)
    print(f"gmmp-quiz home screen (10,000 questions, 100,000 answers): {app_s * 1000:.0f} ms")
    print(f"minimal Textual app with one label:                     {baseline_s * 1000:.0f} ms")
    print(f"ratio: {app_s / baseline_s:.2f} (target <= 1.3)")
    print(json.dumps({"app_s": app_s, "baseline_s": baseline_s, "ratio": app_s / baseline_s}))


if __name__ == "__main__":
    main()
