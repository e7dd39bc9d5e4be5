"""Problems of a set file as FILE:LINE:COL: message lines, in the error colour."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual.content import Content

from gmmp_quiz.errors import Problem

Part = str | tuple[str, str] | Content


def problems_content(problems: list[Problem], limit: int = 50) -> Content:
    """Problems as FILE:LINE:COL: message lines, in the error colour (never read as markup)."""
    lines: list[Part] = []
    for i, problem in enumerate(problems[:limit]):
        # The file is named above the list: its name is enough on each line.
        shown = replace(problem, path=Path(problem.path).name) if problem.path else problem
        lines += ["\n" if i else "", (str(shown), "$text-error")]
    if len(problems) > limit:
        lines += ["\n", (f"… (+{len(problems) - limit})", "$text-error")]
    return Content.assemble(*lines)
