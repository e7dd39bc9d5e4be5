"""Benchmark: import 10,000 questions from GIFT, TSV, Moodle XML and .apkg, beside Anki's import.

Run: python bench/import.py [N]. The last line printed is one JSON object with gift_s, tsv_s,
anki_s and ratio = max(gift_s, tsv_s) / anki_s (anki_s and ratio are null when the `anki` package,
the project's optional extra, is not installed). gift_s and tsv_s are the whole of what
`gmmp-quiz import` does before it writes the set: read the file, parse it, write the set's YAML
text and check it with the loader's rules (writer.dump_checked, what the command calls). Their
parts are given apart: *_parse_s (read and parse) and *_write_s (YAML text and check). Not timed:
the look for a set already using the id, which depends on the sets you have. Anki's figure is its
CSV import of the same cards into a new collection (parse, notes and cards written to its SQLite
database). Each figure is the best of a few runs: the machine's noise, not the code, makes the rest.

The same object has xml_s, the GIFT bank's questions written as Moodle XML by our exporter, with
xml_ratio = xml_s / anki_s (Anki has no Moodle XML import: its CSV import of as many cards is the
yardstick), and apkg_s, the import of a package of the TSV's cards that Anki itself wrote, with
anki_apkg_s, Anki's own import of that package into a new collection, and
apkg_ratio = apkg_s / anki_apkg_s.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from gmmp_quiz.formats import import_file
from gmmp_quiz.sets.writer import dump_checked

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


def moodle_xml(gift_path: Path) -> str:
    """The GIFT bank's questions as Moodle XML, written by our exporter (untimed)."""
    from gmmp_quiz.formats.moodlexml_export import export_moodle_xml
    from gmmp_quiz.sets.loading import load_text

    result = import_file(gift_path)
    return export_moodle_xml(load_text(dump_checked(result.data, "bench.yaml")[0], "bench.yaml"))


def ours(path: Path) -> tuple[float, float, int]:
    """Seconds to read and parse, seconds to write and check the YAML, and the questions kept."""
    start = time.perf_counter()
    result = import_file(path)
    parsed = time.perf_counter()
    _, checked = dump_checked(result.data, f"{path.stem}.yaml")
    return parsed - start, time.perf_counter() - parsed, len(checked["questions"])


def anki_package(tsv: str, dest: Path) -> bool:
    """Write the cards as a package made by Anki itself (untimed); False without Anki."""
    try:
        from anki.collection import Collection, ExportAnkiPackageOptions, ImportCsvRequest
    except ImportError:
        return False
    with tempfile.TemporaryDirectory() as tmp:
        col = Collection(str(Path(tmp) / "make.anki2"))
        try:
            path = Path(tmp) / "cards.txt"
            path.write_text(tsv, encoding="utf-8")
            metadata = col.get_csv_metadata(path=str(path), delimiter=None)
            col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata))
            options = ExportAnkiPackageOptions(
                with_scheduling=False, with_deck_configs=False, with_media=False, legacy=True
            )
            col.export_anki_package(out_path=str(dest), options=options, limit=None)
        finally:
            col.close()
    return True


def anki_import_package(package: Path) -> float:
    """Seconds for Anki's own import of a package into a fresh collection."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    with tempfile.TemporaryDirectory() as tmp:
        col = Collection(str(Path(tmp) / "bench.anki2"))
        try:
            request = ImportAnkiPackageRequest(
                package_path=str(package), options=ImportAnkiPackageOptions()
            )
            start = time.perf_counter()
            col.import_anki_package(request)
            elapsed = time.perf_counter() - start
        finally:
            col.close()
    return elapsed


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
    others = {"xml": float("inf"), "apkg": float("inf")}
    anki_apkg_s: float | None = None
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
        extra = {"xml": Path(tmp) / "bench.xml", "apkg": Path(tmp) / "bench.apkg"}
        extra["xml"].write_text(moodle_xml(files["gift"]), encoding="utf-8")
        if not anki_package(tsv, extra["apkg"]):
            del extra["apkg"]
        for _ in range(RUNS):
            for fmt, path in extra.items():
                read_parse, write_check, count = ours(path)
                assert count == n, (fmt, count)
                others[fmt] = min(others[fmt], read_parse + write_check)
        if "apkg" in extra:
            anki_apkg_s = min(anki_import_package(extra["apkg"]) for _ in range(RUNS))
    anki_runs = [anki_import(tsv) for _ in range(RUNS)]
    anki_s = None if anki_runs[0] is None else min(r for r in anki_runs if r is not None)
    print(f"{n} questions: GIFT {total['gift']:.3f} s, TSV {total['tsv']:.3f} s", end="")
    print(f" (of which YAML text and check {write['gift']:.3f} s, {write['tsv']:.3f} s)", end="")
    print(f", Anki CSV import {anki_s:.3f} s" if anki_s is not None else " (anki not installed)")
    ratio = None if anki_s is None else round(max(total.values()) / anki_s, 3)
    apkg_s = None if others["apkg"] == float("inf") else others["apkg"]
    print(f"Moodle XML {others['xml']:.3f} s", end="", file=sys.stderr)
    if apkg_s is not None and anki_apkg_s is not None:
        print(f", .apkg {apkg_s:.3f} s, Anki's .apkg import {anki_apkg_s:.3f} s", file=sys.stderr)
    else:
        print(" (.apkg: anki not installed)", file=sys.stderr)
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
                "xml_s": round(others["xml"], 4),
                "xml_ratio": None if anki_s is None else round(others["xml"] / anki_s, 3),
                "apkg_s": None if apkg_s is None else round(apkg_s, 4),
                "anki_apkg_s": None if anki_apkg_s is None else round(anki_apkg_s, 4),
                "apkg_ratio": (
                    None
                    if apkg_s is None or anki_apkg_s is None
                    else round(apkg_s / anki_apkg_s, 3)
                ),
            }
        )
    )


if __name__ == "__main__":
    main()
