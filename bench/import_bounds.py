"""Benchmark: hostile importer inputs cost about what an ordinary file of the same size costs.

Run: python bench/import_bounds.py. For each input of the reliability probe (R5) -- 20,000
identical Anki cards, a GIFT file of 8,000 unmatched braces, a `#guid column:500000000` header,
an Open Trivia DB question with 50,000 wrong answers, a Moodle cloze of 20,000 parts -- it times
`formats.import_file` (refusals included) and measures the peak of Python's allocations with
tracemalloc. Each time is given as a ratio to an ordinary file of the same format and about the
same size imported in the same run (the baseline), so the figures mean the same on any machine.
The last line is one JSON object: per input, seconds, ratio to its baseline, peak MB and outcome.
"""

from __future__ import annotations

import contextlib
import gc
import json
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from gmmp_quiz.errors import ValidationError
from gmmp_quiz.formats import import_file

RUNS = 3


def hostile() -> dict[str, tuple[str, str, str]]:
    """name -> (file name, hostile text, an ordinary text of about the same size)."""
    n = 20_000
    dup = "front\tback\n" * n
    ordinary_tsv = "".join(f"front {i}\tback {i}\n" for i in range(n))
    k = 8_000
    braces = "Q " + "{" * k + "\n\n" + "}\n\n" * k
    ordinary_gift = "".join(f"Q{i} {{=a}}\n\n" for i in range(len(braces) // 11))
    guid = "#separator:tab\n#guid column:500000000\nask\treply\n"
    small_tsv = "#separator:tab\nask\treply\n"
    wrong = [f"wrong {i}" for i in range(50_000)]
    one = {"type": "multiple", "question": "Q?", "correct_answer": "right"}
    opentdb = json.dumps({"response_code": 0, "results": [one | {"incorrect_answers": wrong}]})
    many = [one | {"question": f"Q{i}?", "incorrect_answers": ["a", "b", "c"]} for i in range(7000)]
    ordinary_json = json.dumps({"response_code": 0, "results": many})
    parts = "".join(f"w{i} {{1:SA:=a{i}}} " for i in range(20_000))
    cloze = f"Fill: {parts}\n"
    return {
        "identical_anki_cards": ("dup.tsv", dup, ordinary_tsv),
        "unmatched_braces_gift": ("braces.gift", braces, ordinary_gift),
        "guid_column_500000000": ("guid.txt", guid, small_tsv),
        "opentdb_50000_wrong": ("wrong.json", opentdb, ordinary_json),
        "cloze_20000_parts": ("cloze.gift", cloze, ordinary_gift[: len(cloze)]),
    }


def measure(path: Path) -> tuple[float, float, str]:
    """Best seconds over RUNS, peak MB of allocations, and 'imported N' or 'refused'."""
    best = float("inf")
    outcome = ""
    for _ in range(RUNS):
        start = time.perf_counter()
        try:
            result = import_file(path)
            outcome = f"imported {len(result.data['questions'])}"
        except ValidationError as exc:
            outcome = f"refused: {exc.problems[0].message}"
        best = min(best, time.perf_counter() - start)
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    with contextlib.suppress(ValidationError):
        import_file(path)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return best, peak, outcome


def main() -> None:
    out: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, (file_name, bad, ordinary) in hostile().items():
            bad_path = Path(tmp) / file_name
            base_path = Path(tmp) / f"base-{file_name}"
            bad_path.write_text(bad, encoding="utf-8")
            base_path.write_text(ordinary, encoding="utf-8")
            seconds, peak, outcome = measure(bad_path)
            base_s, base_peak, _ = measure(base_path)
            size = len(bad.encode()) / 1e6
            ratio = seconds / base_s
            print(
                f"{name}: {seconds:.3f} s ({ratio:.2f}x an ordinary file), "
                f"peak {peak:.1f} MB (ordinary {base_peak:.1f}), file {size:.2f} MB: "
                f"{outcome[:70]}",
                file=sys.stderr,
            )
            out[name] = {
                "s": round(seconds, 4),
                "ratio": round(ratio, 3),
                "peak_mb": round(peak, 2),
                "base_peak_mb": round(base_peak, 2),
                "file_mb": round(size, 3),
                "outcome": outcome,
            }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
