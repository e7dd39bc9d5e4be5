"""Benchmark: import 10,000 questions from GIFT and from an Anki-style TSV, beside Anki's import.

Run: python bench/import.py [N]. The last line printed is one JSON object with gift_s, tsv_s,
anki_s and ratio = max(gift_s, tsv_s) / anki_s (anki_s and ratio are null when the `anki` package,
the project's optional extra, is not installed). gift_s and tsv_s are the whole of what
`gmmp-quiz import` does before it writes the set: read the file, parse it, write the set's YAML
text and check it with the loader's rules (formats.dump_checked, what the command calls). Their
parts are given apart: *_parse_s (read and parse) and *_write_s (YAML text and check). Not timed:
the look for a set already using the id, which depends on the sets you have. Anki's figure is its
CSV import of the same cards into a new collection (parse, notes and cards written to its SQLite
database). Each figure is the best of a few runs: the machine's noise, not the code, makes the rest.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from gmmp_quiz.formats import dump_checked, import_file

RUNS = 5


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


def ours(path: Path) -> tuple[float, float, int]:
    """Seconds to read and parse, seconds to write and check the YAML, and the questions kept."""
    start = time.perf_counter()
    result = import_file(path)
    parsed = time.perf_counter()
    _, checked = dump_checked(result.data, f"{path.stem}.yaml")
    return parsed - start, time.perf_counter() - parsed, len(checked["questions"])


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
    total = {"gift": float("inf"), "tsv": float("inf")}
    parse = dict(total)
    write = dict(total)
    with tempfile.TemporaryDirectory() as tmp:
        files = {"gift": Path(tmp) / "bench.gift", "tsv": Path(tmp) / "bench.tsv"}
        files["gift"].write_text(gift, encoding="utf-8")
        files["tsv"].write_text(tsv, encoding="utf-8")
        for _ in range(RUNS):
            for fmt, path in files.items():
                read_parse, write_check, count = ours(path)
                assert count == n, (fmt, count)
                total[fmt] = min(total[fmt], read_parse + write_check)
                parse[fmt] = min(parse[fmt], read_parse)
                write[fmt] = min(write[fmt], write_check)
    anki_runs = [anki_import(tsv) for _ in range(RUNS)]
    anki_s = None if anki_runs[0] is None else min(r for r in anki_runs if r is not None)
    print(f"{n} questions: GIFT {total['gift']:.3f} s, TSV {total['tsv']:.3f} s", end="")
    print(f" (of which YAML text and check {write['gift']:.3f} s, {write['tsv']:.3f} s)", end="")
    print(f", Anki CSV import {anki_s:.3f} s" if anki_s is not None else " (anki not installed)")
    ratio = None if anki_s is None else round(max(total.values()) / anki_s, 3)
    print(
        json.dumps(
            {
                "n": n,
                "gift_s": round(total["gift"], 4),
                "tsv_s": round(total["tsv"], 4),
                "gift_parse_s": round(parse["gift"], 4),
                "tsv_parse_s": round(parse["tsv"], 4),
                "gift_write_s": round(write["gift"], 4),
                "tsv_write_s": round(write["tsv"], 4),
                "anki_s": None if anki_s is None else round(anki_s, 4),
                "ratio": ratio,
            }
        )
    )


if __name__ == "__main__":
    main()
