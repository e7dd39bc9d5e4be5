"""The Missed screen with a long history: opened (first, or right after Stats) and searched.

Builds a home as bench/scale.py does (10 sets of 1,000 questions, a history of --answers answers
imported through `gmmp-quiz progress import`), then runs bench/scale.py's app probe headless at
80x24, one fresh process a run, in both orders: Stats then Missed then its search keys, and the
Missed screen opened first. A search key is timed from the key posted until the first frame
painted with the list filtered for the text typed ("listed"; "echo" is the frame showing the
typed text), next to a key that changes one label on a one-label screen, timed the same way in
the same process. Text is also typed a key every 30 ms without waiting: each key's echo, and the
list filtered for the whole text after the last key.

`--old DIR` runs the same probes on another checkout's `src/` too, interleaved process by
process, for an A/B. `--profile` prints where the search keys' time goes (cProfile). Medians
[ranges] over the runs; the last line is JSON.
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


def probe(home: Path, src: Path | None, mode: str, profile: bool) -> dict[str, Any]:
    """One app process running the probe in `mode`; what it reports."""
    return scale_bench.child(scale_bench.APP_PROBE, home, mode, "1" if profile else "0", src=src)


def summary(runs: list[dict[str, Any]], firsts: list[dict[str, Any]]) -> dict[str, Any]:
    """A variant's figures over its runs (ms; ratios to the baseline key of the same run)."""
    return {
        "runs": len(runs),
        "search_key_max_ms": spread([r["search_key_s"] for r in runs], 1000),
        "search_key_median_ms": spread([r["search_key_median_s"] for r in runs], 1000),
        "baseline_key_ms": spread([r["key_s"] for r in runs], 1000),
        "search_key_max_ratio": spread([r["search_key_s"] / r["key_s"] for r in runs]),
        "search_key_median_ratio": spread([r["search_key_median_s"] / r["key_s"] for r in runs]),
        "search_echo_max_ms": spread([r["search_echo_max_s"] for r in runs], 1000),
        "typing_echo_max_ms": spread([r["typing_echo_max_s"] for r in runs], 1000),
        "typing_listed_ms": spread([r["typing_listed_s"] for r in runs], 1000),
        "missed_after_stats_s": spread([r["missed_s"] for r in runs]),
        "missed_first_s": spread([r["missed_s"] for r in firsts]),
        "push_s": spread([r["push_s"] for r in runs + firsts]),
        "per_key_listed_ms": [
            round(statistics.median(r["search_listed_s"][i] for r in runs) * 1000, 1)
            for i in range(len(runs[0]["search_listed_s"]))
        ],
        "keys": runs[0]["keys"],
        "missed_listed": runs[0]["missed_n"],
    }


def main() -> None:
    """Build the home, run the probes interleaved, print the figures and the JSON line."""
    parser = scale_bench.ab_parser(__doc__.splitlines()[0], 100_000)
    args = parser.parse_args()
    with scale_bench.ab_home(args, "gmmp-missed-") as (home, variants):
        if args.profile:
            print(probe(home, None, "stats-first", True)["profile"])
            return
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in variants}
        firsts: dict[str, list[dict[str, Any]]] = {name: [] for name in variants}
        rng = random.Random(11)
        for _ in range(args.rounds):
            order = [(name, mode) for name in variants for mode in ("stats-first", "missed-first")]
            rng.shuffle(order)
            for name, mode in order:
                result = probe(home, variants[name], mode, False)
                (runs if mode == "stats-first" else firsts)[name].append(result)
        results = {name: summary(runs[name], firsts[name]) for name in variants}
        for name, result in results.items():
            print(f"{name}: {result['runs']} runs, {result['missed_listed']} missed listed")
            for key, value in result.items():
                if isinstance(value, dict):
                    print(f"  {key:<24} {value['median']} [{value['min']}-{value['max']}]")
            print(f"  per key listed ms        {result['per_key_listed_ms']}")
        print(json.dumps({"answers_in_history": args.answers, **results}))


if __name__ == "__main__":
    main()
