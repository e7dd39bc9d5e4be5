"""Time until the home screen is shown: gmmp-quiz with big data vs a minimal Textual app.

Builds $GMMP_QUIZ_HOME with 10,000 questions in 100 user sets and 100,000 recorded answers, then
starts each app several times in a fresh process (headless, 80x24), interleaved, and prints the
medians. Both are timed the same way: from the process start until the first screen has been
painted and has nothing left to paint or run (Textual's footer, for one, fills in after the
first frame). gmmp-quiz is also timed until the first frame that lists every set in a list that
takes keys, with the highlighted set's details ("listed"; the progress store may still be
opening); until the store is open and the sets found ("ready"); until the first frame with
every set's figures (from the last run's glance, else from the store); and, in a start of its
own (whose key's frames would delay "shown"), until a key pressed once the sets are listed
("down") has moved the highlight and been painted ("keys work"). A bare Textual app with the
home screen's widgets and stylesheet is timed as the minimal app is. The last line is one JSON
object with app_s, baseline_s, ratio (app_s / baseline_s), listed_s, ready_s, keys_s,
keys_ratio (keys_s / baseline_s), lookalike_ratio, figures_s and the ranges of the runs.

Both apps run with their bytecode cached, as an installed app does: a temporary
PYTHONPYCACHEPREFIX filled by a warm-up run of each (else an environment with
PYTHONDONTWRITEBYTECODE recompiles gmmp-quiz's source at every start, and not Textual's).
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

RUNS = 11

SETTLED = """
import time
from textual.screen import Screen

PAINTS = [0]
_paint = Screen._compositor_refresh

PAINT_HOOKS = []  # called after each paint with the screen and the time

def _counted_paint(self):
    PAINTS[0] += 1
    _paint(self)
    for hook in PAINT_HOOKS:
        hook(self, time.time())

Screen._compositor_refresh = _counted_paint

def when_settled(app, callback):
    # Calls back with the time at which the screen had been painted and had nothing left to
    # paint or run. That is checked after a refresh, and confirmed at the next one (no paint in
    # between, still nothing pending): what the other callbacks of the first batch started (a
    # recompose...) is then waited for, and a thread started meanwhile is not counted.
    screen = app.screen
    quiet = []

    def busy():
        return bool(
            screen._callbacks or screen._dirty_widgets or screen._layout_required
            or screen._repaint_required or screen._scroll_required or screen._recompose_required
        )

    def check():
        now = time.time()
        if busy():
            quiet.clear()
        elif quiet and quiet[0][1] == PAINTS[0]:
            callback(screen, quiet[0][0])
            return
        else:
            quiet[:] = [(now, PAINTS[0])]
        screen.call_after_refresh(check)

    screen.call_after_refresh(check)

def mark(what, when):
    print(what, when, flush=True)
"""

BASELINE = (
    SETTLED
    + """
from textual.app import App
from textual.widgets import Label

class Minimal(App):
    def compose(self):
        yield Label("hello")
    def on_mount(self):
        when_settled(self, lambda screen, when: (mark("SHOWN", when), self.exit()))

Minimal().run(headless=True, size=(80, 24))
"""
)

# The home screen's widgets (header, two lists, the set's details, the footer with the same keys)
# and the app's first stylesheet, in a bare Textual app with static text: what Textual itself
# takes to show such a screen, none of gmmp-quiz's modules imported.
LOOKALIKE = (
    SETTLED
    + """
import importlib.util
from pathlib import Path
from textual.app import App
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

spec = importlib.util.find_spec("gmmp_quiz")
tcss = Path(spec.submodule_search_locations[0]) / "ui" / "app.tcss"
CSS = tcss.read_text(encoding="utf-8").partition("/* ==== other screens")[0]
KEYS = [("c", "Count"), ("m", "Missed"), ("t", "Stats"), ("a", "Add sets"),
        ("question_mark", "Help"), ("q", "Quit")]

class Home(App):
    CSS = CSS
    BINDINGS = [Binding(key, "bell", label) for key, label in KEYS]

    def compose(self):
        yield Header(icon="?")
        with Horizontal(id="home-main"):
            with Vertical(id="home-left"):
                rows = [Content.assemble((f"Set {i}", "bold"), "\\n", "  100 questions · …\\n  …")
                        for i in range(101)]
                yield OptionList(*rows, id="sets")
            with Vertical(id="home-right"):
                yield OptionList("1  Quiz · 10 (c)", "2  Review due (…)", "3  Retry missed (…)",
                                 id="modes")
                with VerticalScroll(id="details-box"):
                    yield Static("A set's title\\n" + "Its description, a few lines long. " * 6,
                                 id="set-details")
        yield Footer()

    def on_mount(self):
        when_settled(self, lambda screen, when: (mark("SHOWN", when), self.exit()))

Home().run(headless=True, size=(80, 24))
"""
)

GMMP = (
    SETTLED
    + """
import sys
from gmmp_quiz.cli import main
from gmmp_quiz.ui import app as app_module
from gmmp_quiz.ui.screens.home import HomeScreen
from textual.widgets import OptionList
from textual.widgets._footer import FooterKey

import os

# A run either presses a key once the sets are listed ("keys work"), or presses none: the key's
# own frames would otherwise be counted in the time until the screen has settled ("shown").
PRESS = os.environ.get("BENCH_PRESS") == "1"

def shown(screen, when):
    # Honest only if what is timed is the home screen, keys in its footer.
    assert isinstance(screen, HomeScreen) and screen.query(FooterKey), screen
    mark("SHOWN", when)
    DONE.append("shown")
    finish(screen.app)

WATCH = []

def figures_shown(screen, when):
    # "Figures": the first frame painted with every set's figures (mastered, due, missed), not
    # the "…" shown while they are computed: from the last run's glance, else from the store.
    if "figures shown" in DONE or not isinstance(screen, HomeScreen):
        return
    found = screen.query("#sets")
    if not found or found.first().disabled or found.first().option_count != 101:
        return
    rows = found.first()
    if any("…" in str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count)):
        return
    DONE.append("figures shown")
    mark("FIGURES", when)

PAINT_HOOKS.append(figures_shown)

def on_paint(screen, when):
    # "Listed": the first frame painted with the big data in a list that takes keys (the
    # shipped set and the 100 user sets; the progress store may still be opening), and the
    # highlighted set's details and modes beside it. A key is
    # pressed then, as a learner would on seeing the list, and "keys work" is the first frame
    # painted with the highlight it moved.
    if "listed" not in DONE:
        if not isinstance(screen, HomeScreen):
            return
        found = screen.query("#sets")
        if not found or found.first().disabled or found.first().option_count != 101:
            return
        details, modes = screen.query("#set-details"), screen.query("#modes")
        if not (details and str(details.first().render()).strip() and modes
                and modes.first().option_count):
            return  # the frame is complete with the highlighted set's details and modes
        DONE.append("listed")
        mark("LISTED", when)
        if not PRESS:
            return
        listing = found.first()
        WATCH[:] = [listing, listing.highlighted]
        import threading

        # From another thread, as a terminal's key would come (not from inside this paint).
        app = screen.app
        threading.Thread(target=lambda: app.call_from_thread(app.simulate_key, "down")).start()
    elif WATCH and "keys" not in DONE:
        listing, before = WATCH
        if listing.highlighted != before:
            mark("KEYS", when)
            DONE.append("keys")
            finish(screen.app)

PAINT_HOOKS.append(on_paint)

def ready(screen, when):
    # The store open and the sets found, listed: every key does what it says at once.
    mark("READY", when)

DONE = []

def finish(app):
    if "figures" in DONE and ("keys" in DONE if PRESS else "shown" in DONE):
        app.exit()

_on_mount = HomeScreen.on_mount

async def on_mount(self):
    await _on_mount(self)
    when_settled(self.app, shown)

_show_sets = HomeScreen.show_sets

async def show_sets(self, *args, **kwargs):
    await _show_sets(self, *args, **kwargs)
    when_settled(self.app, ready)

_show_figures = HomeScreen.show_figures

def show_figures(self, figures):
    _show_figures(self, figures)

    def complete(screen, when):
        # The store's figures are shown: the run may end (and close the store as it does).
        DONE.append("figures")
        finish(screen.app)

    when_settled(self.app, complete)

HomeScreen.on_mount = on_mount
HomeScreen.show_sets = show_sets
HomeScreen.show_figures = show_figures
_run = app_module.QuizApp.run
app_module.QuizApp.run = lambda self, **kw: _run(self, headless=True, size=(80, 24))
sys.exit(main([]))
"""
)


def _spread(values: list[float]) -> tuple[float, float, float]:
    """The lowest, median and highest value."""
    return min(values), statistics.median(values), max(values)


def time_script(
    code: str,
    env: dict[str, str],
    wanted: tuple[str, ...] = ("SHOWN", "LISTED", "READY", "KEYS", "FIGURES"),
) -> dict[str, float]:
    """Seconds from starting a fresh interpreter running `code` until each (wanted) mark it
    prints."""
    start = time.time()
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"a timed start failed (status {done.returncode}):\n{done.stderr}")
    marks = {}
    for line in done.stdout.splitlines():
        name, _, when = line.partition(" ")
        if name in wanted:
            marks[name] = float(when) - start
    return marks


def main() -> None:
    """Build the big home, time both apps, print the medians and the ratio."""
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        (home / "questions").mkdir(parents=True)
        load_bench.write_sets(home / "questions", 100, 100)
        # The answers are to these very sets, so that the home screen's figures have work to do.
        record_bench.build(home, 100_000, set_prefix="bench-", ids="global")
        env = dict(os.environ, GMMP_QUIZ_HOME=str(home), PYTHONPYCACHEPREFIX=str(Path(tmp) / "pyc"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        # A warm-up each: it fills the bytecode cache, and the first gmmp-quiz start fills the
        # parse cache of the sets, as any first start does.
        time_script(GMMP, env)
        pressing = dict(env, BENCH_PRESS="1")
        time_script(BASELINE, env)
        time_script(LOOKALIKE, env)
        app_runs, base_runs, look_runs = [], [], []
        for _ in range(RUNS):
            # Interleaved so all three see the same machine load.
            # One start without a key (shown, listed, ready, figures), one with (keys work).
            app_runs.append({**time_script(GMMP, env), **time_script(GMMP, pressing, ("KEYS",))})
            base_runs.append(time_script(BASELINE, env))
            look_runs.append(time_script(LOOKALIKE, env))
    shown = [r["SHOWN"] for r in app_runs]
    listed = [r["LISTED"] for r in app_runs]
    ready = [r["READY"] for r in app_runs]
    keys = [r["KEYS"] for r in app_runs]
    complete = [r["FIGURES"] for r in app_runs]
    base = [r["SHOWN"] for r in base_runs]
    look = [r["SHOWN"] for r in look_runs]
    app_s, ready_s, keys_s, figures_s, baseline_s = map(
        statistics.median, (shown, ready, keys, complete, base)
    )
    keys_ratio = [k / b for k, b in zip(keys, base, strict=True)]

    def ms(values: list[float]) -> str:
        low, mid, high = (round(v * 1000) for v in _spread(values))
        return f"median {mid} ms, runs {low}-{high} ms"

    print(f"gmmp-quiz home screen shown (10,000 questions, 100,000 answers): {ms(shown)}")
    print(f"gmmp-quiz home screen lists every set, its list takes keys:      {ms(listed)}")
    print(f"gmmp-quiz home screen ready (store open, sets found):            {ms(ready)}")
    print(f"gmmp-quiz keys work (a key pressed then moves the highlight):    {ms(keys)}")
    print(f"gmmp-quiz every set's figures shown:                             {ms(complete)}")
    print(f"minimal Textual app with one label shown:                        {ms(base)}")
    print(f"bare Textual app with the home screen's widgets shown:           {ms(look)}")
    print(f"ratio: {app_s / baseline_s:.2f} (target <= 1.3)")
    low, mid, high = _spread(keys_ratio)
    print(f"keys work / minimal app shown: {mid:.2f} [{low:.2f}-{high:.2f}] (target <= 1.5)")
    look_ratio = [k / b for k, b in zip(look, base, strict=True)]
    low, mid, high = _spread(look_ratio)
    print(f"bare app with the home's widgets / minimal app: {mid:.2f} [{low:.2f}-{high:.2f}]")
    print(
        json.dumps(
            {
                "app_s": app_s,
                "baseline_s": baseline_s,
                "ratio": app_s / baseline_s,
                "listed_s": statistics.median(listed),
                "ready_s": ready_s,
                "keys_s": keys_s,
                "keys_ratio": statistics.median(keys_ratio),
                "lookalike_ratio": statistics.median(look_ratio),
                "figures_s": figures_s,
                "app_range_s": [min(shown), max(shown)],
                "baseline_range_s": [min(base), max(base)],
            }
        )
    )


if __name__ == "__main__":
    main()
