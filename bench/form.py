"""Time opening the question form (the `w` key) against opening the help (a plain modal).

Usage: python bench/form.py [--repeat 15]
Both screens are pushed in the same running app, interleaved, from the Add sets screen's user
set; each figure is the time until the screen is composed and painted (pilot pause). The help
is the baseline: a screen of a few dozen Statics. Target (issue 10): the form in under 0.2 s on
an idle machine, i.e. a ratio that keeps it there. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


async def measure(repeat: int) -> dict[str, list[float]]:
    """Milliseconds to show the form and the help, `repeat` times each, interleaved."""
    from gmmp_quiz.sets.loading import Discovery, load_set
    from gmmp_quiz.store.progress import ProgressStore
    from gmmp_quiz.ui.app import QuizApp
    from gmmp_quiz.ui.screens.help import HelpScreen
    from gmmp_quiz.ui.screens.question_form import QuestionFormScreen

    home = Path(tempfile.mkdtemp())
    os.environ["GMMP_QUIZ_HOME"] = str(home)
    (home / "questions").mkdir()
    path = home / "questions" / "mine.yaml"
    shutil.copy(ROOT / "tests" / "data" / "ui" / "all-types.yaml", path)
    store = ProgressStore.open(home, backup=False)
    qset = load_set(path, use_cache=False)
    app = QuizApp(Discovery([qset], {}), store, lang="en", seed=1)
    times: dict[str, list[float]] = {"form": [], "help": []}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(repeat):
            for name in ("form", "help"):
                screen = (
                    QuestionFormScreen(path, "en", qset.language)
                    if name == "form"
                    else HelpScreen("en")
                )
                start = time.perf_counter()
                await app.push_screen(screen)
                await pilot.pause()
                times[name].append((time.perf_counter() - start) * 1000)
                app.pop_screen()
                await pilot.pause()
    store.close()
    shutil.rmtree(home, ignore_errors=True)
    return times


def main() -> None:
    """Print each figure (median, min, max) and the ratio, then the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    times = asyncio.run(measure(args.repeat))
    result = {}
    for name, values in times.items():
        result[f"{name}_ms"] = round(statistics.median(values), 1)
        print(
            f"{name:5} median {statistics.median(values):7.1f} ms  "
            f"min {min(values):7.1f}  max {max(values):7.1f}"
        )
    result["form_vs_help"] = round(result["form_ms"] / result["help_ms"], 2)
    print(f"form / help: {result['form_vs_help']}x")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
