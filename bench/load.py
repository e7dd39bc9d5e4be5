"""Time loading 10,000 questions in 100 files: cold (no cache), warm (cache) and plain YAML parse.

Usage: python bench/load.py [--files 100] [--per-file 100] [--repeat 3] [--profile cold|warm]
Each figure is the best of --repeat rounds (the cache is wiped before each cold round).
The last line printed is one JSON object: cold_s, warm_s, parse_s, cold_ratio, warm_ratio.
Targets: cold <= 1.2 x parse, warm <= 0.05 x parse.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import tempfile
import time
from pathlib import Path

import yaml

try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as Loader  # type: ignore[assignment]

TYPES = (
    "flashcard",
    "choice",
    "multi",
    "true_false",
    "short",
    "numeric",
    "cloze",
    "order",
    "match",
)


def q(text: str) -> str:
    """A double-quoted YAML scalar."""
    return json.dumps(text, ensure_ascii=False)


def bi(fr: str, en: str) -> str:
    """A bilingual text as a flow map."""
    return "{fr: " + q(fr) + ", en: " + q(en) + "}"


def question(i: int) -> str:
    """One question of a type chosen by i, with bilingual texts."""
    kind = TYPES[i % len(TYPES)]
    lines = [f"  - id: q{i}", f"    type: {kind}"]
    prompt = bi(f"Question numéro {i} : quelle réponse ?", f"Question number {i}: which answer?")
    explain = bi(f"Parce que c'est la réponse {i}.", f"Because it is answer {i}.")
    if kind == "flashcard":
        lines += [f"    front: {prompt}", "    back: " + bi(f"Réponse {i}", f"Answer {i}")]
    else:
        lines.append(f"    prompt: {prompt}")
    if kind in ("choice", "multi"):
        lines.append("    choices:")
        for c in range(4):
            lines.append("      - " + bi(f"Choix {c} de {i}", f"Choice {c} of {i}"))
        if kind == "choice":
            lines.append(f"    answer: {q(f'Choix 0 de {i}')}")
        else:
            lines.append(f"    answers: [{q(f'Choix 0 de {i}')}, {q(f'Choice 2 of {i}')}]")
    elif kind == "true_false":
        lines.append(f"    answer: {'true' if i % 2 else 'false'}")
    elif kind == "short":
        lines.append("    answer: " + bi(f"Réponse {i}", f"Answer {i}"))
        lines.append(f"    alternatives: [{q(f'rep {i}')}, {q(f'ans {i}')}]")
    elif kind == "numeric":
        lines += [f"    answer: {i}", "    tolerance: 1", "    unit: " + bi("jours", "days")]
    elif kind == "cloze":
        lines.append("    text:")
        lines.append(f"      fr: {q(f'Le nombre {{{{{i}}}}} suit {{{{{i - 1}|avant}}}}.')}")
        lines.append(f"      en: {q(f'The number {{{{{i}}}}} follows {{{{{i - 1}|before}}}}.')}")
    elif kind == "order":
        lines.append("    items:")
        for c in range(4):
            lines.append("      - " + bi(f"Étape {c} de {i}", f"Step {c} of {i}"))
    elif kind == "match":
        lines.append("    pairs:")
        for c in range(3):
            lines.append(f"      - left: {q(f'Gauche {c}/{i}')}")
            lines.append("        right: " + bi(f"Droite {c}/{i}", f"Right {c}/{i}"))
    lines.append(f"    explanation: {explain}")
    lines.append(f"    tags: [bench, t{i % 7}]")
    return "\n".join(lines) + "\n"


def write_sets(directory: Path, files: int, per_file: int) -> list[Path]:
    """Write the benchmark sets; returns their paths."""
    out = []
    for f in range(files):
        head = (
            f"id: bench-{f}\ntitle: {bi(f'Jeu {f}', f'Set {f}')}\nlanguage: fr\n"
            f"description: {bi('Un jeu de test', 'A benchmark set')}\ntags: [bench]\nquestions:\n"
        )
        body = "".join(question(f * per_file + i) for i in range(per_file))
        path = directory / f"set-{f:03}.yaml"
        path.write_text(head + body, encoding="utf-8")
        out.append(path)
    return out


def timed(fn, paths: list[Path]) -> float:
    """Seconds to call fn on every path."""
    start = time.perf_counter()
    for p in paths:
        fn(p)
    return time.perf_counter() - start


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--per-file", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the best is kept")
    parser.add_argument("--profile", choices=("cold", "warm"), help="print a cProfile of a phase")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="gmmp-bench-") as tmp:
        root = Path(tmp)
        os.environ["GMMP_QUIZ_HOME"] = str(root / "home")  # fresh, empty cache
        from gmmp_quiz import paths
        from gmmp_quiz.sets.loading import load_set

        sets_dir = root / "sets"
        sets_dir.mkdir()
        files = write_sets(sets_dir, args.files, args.per_file)
        size = sum(p.stat().st_size for p in files)
        print(f"{len(files)} files, {args.files * args.per_file} questions, {size / 1e6:.1f} MB")

        def parse(p: Path) -> None:
            yaml.load(p.read_bytes(), Loader=Loader)

        def load(p: Path) -> None:
            load_set(p, use_cache=True)

        parse(files[0])  # import/warm-up, not counted
        parse_s = cold_s = warm_s = float("inf")
        profiler = cProfile.Profile()
        for _ in range(max(1, args.repeat)):
            parse_s = min(parse_s, timed(parse, files))
            shutil.rmtree(paths.cache_dir(), ignore_errors=True)
            if args.profile == "cold":
                cold_s = min(cold_s, profiler.runcall(timed, load, files))
            else:
                cold_s = min(cold_s, timed(load, files))
            if args.profile == "warm":
                warm_s = min(warm_s, profiler.runcall(timed, load, files))
            else:
                warm_s = min(warm_s, timed(load, files))
        entries = len(list(paths.cache_dir().glob("sets/*.marshal")))
        assert entries == len(files), entries
        print(f"plain CSafeLoader parse: {parse_s:.3f} s")
        print(f"cold load (no cache):    {cold_s:.3f} s  ({cold_s / parse_s:.2f} x parse)")
        print(f"warm load (cache):       {warm_s:.3f} s  ({warm_s / parse_s:.3f} x parse)")
        if args.profile:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        result = {
            "cold_s": round(cold_s, 4),
            "warm_s": round(warm_s, 4),
            "parse_s": round(parse_s, 4),
            "cold_ratio": round(cold_s / parse_s, 3),
            "warm_ratio": round(warm_s / parse_s, 4),
        }
        print(json.dumps(result))


if __name__ == "__main__":
    main()
