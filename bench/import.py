"""Benchmark: import 10,000 questions from GIFT and from an Anki-style TSV, beside Anki's import.

Run: python bench/import.py [N]. The last line printed is one JSON object with gift_s, tsv_s,
anki_s and ratio = max(gift_s, tsv_s) / anki_s (anki_s and ratio are null when the `anki` package,
the project's optional extra, is not installed). gift_s and tsv_s are the importer's work: parse
the file and produce the set's YAML text. `gmmp-quiz import` then checks that text with the loader
before it writes it, the check every set gets when loaded: its time is given apart
(gift_validate_s, tsv_validate_s) and in ratio_with_validation. Anki's figure is its CSV import of
the same cards into a new collection (parse, notes and cards written to its SQLite database).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from gmmp_quiz.formats import dump_set, import_text
from gmmp_quiz.loading import load_text


def make_gift(n: int) -> str:
    """N GIFT questions of the common kinds, all different."""
    out = ["$CATEGORY: $course$/top/Bench", ""]
    for i in range(n):
        kind = i % 5
        if kind == 0:
            out.append(
                f"::q{i}::What is the capital of country {i}? {{=City {i} ~Town {i} ~Village {i}}}"
            )
        elif kind == 1:
            out.append(f"Statement number {i} is true. {{T#No.#Yes.}}")
        elif kind == 2:
            out.append(f"Name the river number {i}. {{=River {i} =%50%Stream {i} ####It flows.}}")
        elif kind == 3:
            out.append(f"In which year did event {i} happen? {{#{1000 + i}:1}}")
        else:
            out.append(f"The word number {i} is {{=word{i}}} in the sentence.")
        out.append("")
    return "\n".join(out)


def make_tsv(n: int) -> str:
    """N Anki-style cards: front, back, tags."""
    lines = ["#separator:tab", "#html:false", "#tags column:3"]
    for i in range(n):
        lines.append(f"Front of card {i}: what is {i} squared?\tBack {i * i}\tbench tag{i % 10}")
    return "\n".join(lines) + "\n"


def ours(text: str, fmt: str) -> tuple[float, float, int]:
    """Seconds to import (parse, dump), seconds to validate, and how many questions came out."""
    start = time.perf_counter()
    result = import_text(text, f"bench.{fmt}", fmt)
    yaml_text = dump_set(result.data)
    imported = time.perf_counter()
    qset = load_text(yaml_text, "bench.yaml")
    return imported - start, time.perf_counter() - imported, len(qset.questions)


def anki_import(tsv: str) -> float | None:
    """Seconds for Anki's CSV import of the same cards into a fresh collection, or None."""
    try:
        from anki.collection import Collection, ImportCsvRequest
    except ImportError:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        col = Collection(str(Path(tmp) / "bench.anki2"))
        try:
            path = Path(tmp) / "cards.txt"
            path.write_text(tsv, encoding="utf-8")
            start = time.perf_counter()
            metadata = col.get_csv_metadata(path=str(path), delimiter=None)
            col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata))
            elapsed = time.perf_counter() - start
            count = col.note_count()
        finally:
            col.close()
    print(f"anki: {count} notes imported", file=sys.stderr)
    return elapsed


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    gift, tsv = make_gift(n), make_tsv(n)
    best = {"gift": float("inf"), "tsv": float("inf")}
    check = {"gift": float("inf"), "tsv": float("inf")}
    for _ in range(3):  # best of three: the figures are about the code, not the machine's noise
        for fmt, text in (("gift", gift), ("tsv", tsv)):
            seconds, validate, count = ours(text, fmt)
            best[fmt] = min(best[fmt], seconds)
            check[fmt] = min(check[fmt], validate)
            assert count == n, (fmt, count)
    anki_runs = [anki_import(tsv) for _ in range(3)]
    anki_s = None if anki_runs[0] is None else min(r for r in anki_runs if r is not None)
    print(f"{n} questions: GIFT {best['gift']:.3f} s, TSV {best['tsv']:.3f} s", end="")
    print(f" (+ validation {check['gift']:.3f} s, {check['tsv']:.3f} s)", end="")
    print(f", Anki CSV import {anki_s:.3f} s" if anki_s is not None else " (anki not installed)")
    ratio = None if anki_s is None else round(max(best.values()) / anki_s, 3)
    full = max(best[f] + check[f] for f in best)
    ratio_full = None if anki_s is None else round(full / anki_s, 3)
    print(
        json.dumps(
            {
                "n": n,
                "gift_s": round(best["gift"], 4),
                "tsv_s": round(best["tsv"], 4),
                "gift_validate_s": round(check["gift"], 4),
                "tsv_validate_s": round(check["tsv"], 4),
                "anki_s": None if anki_s is None else round(anki_s, 4),
                "ratio": ratio,
                "ratio_with_validation": ratio_full,
            }
        )
    )


if __name__ == "__main__":
    main()
