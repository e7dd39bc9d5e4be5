"""GIFT questions that become a cloze: several answer blocks, or a Moodle embedded cloze text."""

from __future__ import annotations

import re
from typing import Any

from gmmp_quiz.formats.common import unique
from gmmp_quiz.formats.gift_kinds import Kinds
from gmmp_quiz.formats.gift_lexer import (
    BRACES_RE,
    EMBEDDED_KINDS,
    EMBEDDED_PART_RE,
    ESCAPE_CHARS,
    GAP,
    GAP_FREE_RE,
    INLINE_COMMENT_RE,
    MARKER_RE,
    Numbered,
    casefold_unique,
    marker,
)
from gmmp_quiz.i18n import _


def several_blocks(ctx: Kinds, text: str) -> None:
    """Two or more answer blocks: a cloze when each is a plain typed answer, else skipped."""
    gaps: list[list[str]] = []
    for m in BRACES_RE.finditer(text):
        inner = INLINE_COMMENT_RE.sub("", m.group(1)).strip()
        answers = ctx.answers(inner, "=") if inner and inner[0] == "=" else None
        if (
            not answers
            or any(c in inner for c in "~#")
            or "->" in inner
            or any(a.weight != 100 for a in answers)
        ):
            ctx.skip(
                _(
                    "more than one answer block, not all of them plain typed answers {=a =b}: "
                    "skipped"
                )
            )
            return
        gaps.append(casefold_unique([t for a in answers if (t := ctx.text(a.text))]))
    if any(not g or any("|" in a or "{{" in a or "}}" in a for a in g) for g in gaps):
        ctx.skip(_("more than one answer block whose answers cannot be gaps: skipped"))
        return
    ctx.raw_prompt = BRACES_RE.sub(Numbered(), text)
    cleaned = ctx.prompt()
    if "{{" in cleaned or "}}" in cleaned:
        ctx.skip(_("more than one answer block in a text holding '{{': skipped"))
        return
    cleaned = MARKER_RE.sub(lambda m: "{{" + "|".join(gaps[int(m.group(1))]) + "}}", cleaned)
    if not GAP_FREE_RE.sub("", cleaned).strip():
        ctx.skip(_("more than one answer block without text around them: skipped"))
        return
    ctx.note(_("{n} answer blocks: imported as a cloze with {n} gaps").format(n=len(gaps)))
    ctx.finish({"type": "cloze", "text": cleaned}, cleaned, [a for g in gaps for a in g])


def moodle_cloze(ctx: Kinds, text: str) -> None:
    """A Moodle cloze text ({1:SA:=a~b}, {1:MC:~x~=y}...): converted when simple."""
    parts = list(BRACES_RE.finditer(text))
    gaps: list[list[str]] = []
    gap_options: list[list[str] | None] = []  # a multiple-choice gap keeps its choices
    choice_part: list[tuple[str, bool, str]] | None = None
    dropped_feedback = False
    for m in parts:
        part = EMBEDDED_PART_RE.match(m.group(1))
        kind = EMBEDDED_KINDS.get(part.group(1).upper()) if part else None
        if part is None or kind is None:
            what = part.group(1) if part else _("an answer block mixed with cloze parts")
            ctx.skip(
                _("an embedded Moodle cloze question with {what}: not supported, skipped").format(
                    what=what
                )
            )
            return
        right: list[str] = []
        options: list[tuple[str, bool, str]] = []
        for raw in part.group(2).split("~"):
            m2 = re.match(r"^\s*(=|%(-?[0-9]+(?:\.[0-9]*)?)%)?(.*)$", raw, re.DOTALL)
            assert m2 is not None  # the pattern matches any text
            answer, __, feedback = m2.group(3).partition("#")
            dropped_feedback = dropped_feedback or bool(feedback.strip())
            weight = 100.0 if m2.group(1) == "=" else float(m2.group(2) or 0)
            value = ctx.text(answer)
            if kind == "num":
                value, __, tol = value.partition(":")
                value = value.strip()
                if value and tol.strip() not in ("", "0"):
                    ctx.note(
                        _("tolerance {tolerance} of gap {gap} dropped").format(
                            tolerance=tol.strip(), gap=len(gaps) + 1
                        )
                    )
            if not value:
                continue
            if 0 < weight < 100 and kind != "mc":
                ctx.note(
                    _(
                        "partial credit ({weight:g}%) for {value!r}: accepted as a full answer"
                    ).format(weight=weight, value=value)
                )
            if weight > 0:
                right.append(value)
            options.append((value, weight >= 100, ""))
        if not right:
            ctx.skip(_("an embedded Moodle cloze part without a right answer: skipped"))
            return
        if kind == "mc" and len(parts) == 1:
            choice_part = options
        if kind == "mc":
            offered = unique([t for t, _, _ in options])
            answer = next((t for t, ok, _ in options if ok), right[0])
            gaps.append([answer])
            gap_options.append(offered if len(offered) > 1 else None)
        else:
            gaps.append(casefold_unique(right))
            gap_options.append(None)
    if dropped_feedback:
        ctx.note(_("feedback inside embedded cloze answers dropped"))
    # Each part becomes a numbered marker (one pass each way: splicing part by part was
    # quadratic in a text of many parts).
    raw_prompt = BRACES_RE.sub(Numbered(), text)
    cleaned = ctx.text(raw_prompt)
    if choice_part is not None:
        ctx.raw_prompt = raw_prompt.replace(marker(0), GAP)
        ctx.note(_("an embedded Moodle cloze question: imported as a choice"))
        ctx.choice(
            " ".join(("=" if ok else "~") + t.translate(ESCAPE_CHARS) for t, ok, _ in choice_part)
        )
        return
    if any("|" in a or "{{" in a or "}}" in a for g in gaps for a in g) or "{{" in cleaned:
        ctx.skip(_("an embedded Moodle cloze question whose answers cannot be gaps: skipped"))
        return
    found: set[int] = set()

    def fill(m: re.Match[str]) -> str:
        index = int(m.group(1))
        found.add(index)
        return "{{" + "|".join(gaps[index]) + "}}"

    cleaned = MARKER_RE.sub(fill, cleaned)
    if len(found) != len(gaps) or not GAP_FREE_RE.sub("", cleaned).strip():
        ctx.skip(_("an embedded Moodle cloze question without text around its gaps: skipped"))
        return
    ctx.note(_("an embedded Moodle cloze question: imported as a cloze"))
    question: dict[str, Any] = {"type": "cloze", "text": cleaned}
    if any(gap_options):
        question["options"] = gap_options
    ctx.finish(question, cleaned, [a for g in gaps for a in g])
