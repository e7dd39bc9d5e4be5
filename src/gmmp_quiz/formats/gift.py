"""Moodle GIFT import: every GIFT question kind mapped to the project's question types.

The file is cut into question blocks (gift_lexer), each question's parts are found here, and its
kind is converted by gift_kinds (gift_cloze for the texts with several gaps).
"""

from __future__ import annotations

import re
from typing import Any

from gmmp_quiz.errors import Problem, ValidationError
from gmmp_quiz.formats.common import IdAllocator, ImportResult, Notes, tag_word, unique
from gmmp_quiz.formats.gift_cloze import moodle_cloze, several_blocks
from gmmp_quiz.formats.gift_context import Collector
from gmmp_quiz.formats.gift_kinds import Kinds
from gmmp_quiz.formats.gift_lexer import (
    CATEGORY_RE,
    COMMENT_RE,
    EMBEDDED_CLOZE_RE,
    ESCAPE_RE,
    ESCAPES,
    FORMAT_RE,
    GAP,
    ID_COMMENT_RE,
    INLINE_COMMENT_RE,
    MODES,
    TAG_COMMENT_RE,
    TITLE_RE,
    Block,
    question_blocks,
    unescape,
)
from gmmp_quiz.i18n import _, ngettext


class _Parser(Collector):
    """Parses one GIFT file into question data, notes and errors."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.first_category: list[str] = []

    def run(self, text: str) -> None:
        for lines in question_blocks(text):
            self.block(lines)

    def block(self, lines: list[tuple[int, str]]) -> None:
        qid_label = ""
        tags: list[str] = []
        body: list[tuple[int, str]] = []
        for lineno, line in lines:
            if COMMENT_RE.match(line):
                m = ID_COMMENT_RE.search(line)
                if m:
                    qid_label = m.group(1).strip()
                tags.extend(t.strip() for t in TAG_COMMENT_RE.findall(line) if t.strip())
                continue
            m = CATEGORY_RE.match(line)
            if m:
                self.set_category(m.group(1))
                continue
            body.append((lineno, line))
        if not body:
            return
        joined = body[0][1] if len(body) == 1 else "\n".join(line for _, line in body)
        if "\\" in joined:
            joined = ESCAPE_RE.sub(lambda m: ESCAPES[m.group(1)], joined)
        block = Block(body[0][0], joined)
        self.question(block, qid_label, tags)

    def set_category(self, value: str) -> None:
        parts = [p.strip() for p in value.strip().split("/")]
        parts = [p for p in parts if p and p.lower() != "top" and not re.fullmatch(r"\$\w*\$", p)]
        # Kept without repeats: most questions take these tags as they are.
        self.category = unique([tag_word(p) for p in parts])
        if not self.first_category and parts:
            self.first_category = parts

    # -- one question ----------------------------------------------------------------------
    def question(self, block: Block, qid_label: str, tags: list[str]) -> None:
        text = block.text
        line = block.start
        title = ""
        m = TITLE_RE.match(text)
        if m:
            title = unescape(m.group(1)).strip()
            text = text[m.end() :]
            offset = m.end()
        else:
            offset = 0
        html_mode: bool | None = None
        m = FORMAT_RE.match(text)
        if m:
            html_mode = MODES[m.group(1).lower()]
            text = text[m.end() :]
            offset += m.end()
        start = text.find("{")
        if start < 0:
            if "}" in text:
                self.error(
                    block.line_at(offset + text.find("}")), _("'}' without '{': escape it as \\}")
                )
                return
            self.notes.skip(line, _("a description (no answer in braces): not a question, skipped"))
            return
        end = text.find("}", start)
        if end < 0:
            self.error(
                block.line_at(offset + start),
                _("'{' is never closed: add '}' (or escape it as \\{)"),
            )
            return
        answer_line = block.line_at(offset + start)
        stem, inner, tail = text[:start], text[start + 1 : end], text[end + 1 :]
        if "//" in stem:
            stem = INLINE_COMMENT_RE.sub("", stem)
        if EMBEDDED_CLOZE_RE.match(inner):
            ctx = Kinds(self, line, answer_line, html_mode, title, qid_label, tags, text, "")
            moodle_cloze(ctx, text)
            return
        # A `// comment` inside the braces or after them is no part of an answer or the text.
        if "//" in inner:
            inner = INLINE_COMMENT_RE.sub("", inner)
        if "//" in tail:
            tail = INLINE_COMMENT_RE.sub("", tail)
        if "{" in tail or "}" in tail:
            ctx = Kinds(self, line, answer_line, html_mode, title, qid_label, tags, text, "")
            several_blocks(ctx, text)
            return
        general = ""
        pos = inner.find("####")
        if pos >= 0:
            inner, general = inner[:pos], inner[pos + 4 :]
        stripped = inner.strip()
        raw_prompt = stem + GAP + tail if tail.strip() else stem
        ctx = Kinds(self, line, answer_line, html_mode, title, qid_label, tags, raw_prompt, general)
        if not stripped:
            ctx.essay()
        elif stripped.startswith("#"):
            ctx.numeric(stripped[1:])
        elif "~" in stripped:
            ctx.choice(stripped)
        elif "=" in stripped and "->" in stripped:
            ctx.match(stripped)
        else:
            check = stripped.split("#", 1)[0].strip()
            if check.upper() in ("T", "TRUE", "F", "FALSE"):
                ctx.true_false(stripped)
            else:
                ctx.short(stripped)


def parse(text: str, path: str) -> ImportResult:
    """Import a Moodle GIFT text: each malformed question is skipped and reported at its line.

    As Moodle's "continue past errors": the good questions come in, each bad one is a
    `FILE:LINE: why` note and counts as skipped. A file with no good question at all is a
    ValidationError listing why.
    """
    parser = _Parser(path)
    parser.run(text)
    if not parser.questions:
        found = parser.notes.skipped + len(parser.errors)
        why = (
            ngettext(
                "no question could be imported: each of the {found} item(s) found was skipped",
                "no question could be imported: each of the {found} item(s) found was skipped",
                found,
            ).format(found=found)
            if found
            else _("no question could be imported: is this a GIFT file?")
        )
        raise ValidationError(parser.errors + [Problem(path, 0, 0, why)] + parser.notes.items[:20])
    notes = sorted(parser.notes.items + parser.errors, key=lambda p: p.line)
    data: dict[str, Any] = {"questions": parser.questions}
    if parser.first_category:
        data["title"] = parser.first_category[-1]
    skipped = parser.notes.skipped + len(parser.errors)
    return ImportResult(data, notes, skipped, "gift", bad=len(parser.errors))


def embedded_cloze(
    text: str,
    *,
    notes: Notes,
    ids: IdAllocator,
    line: int,
    html_mode: bool | None,
    label: str,
    tags: list[str],
    general: str = "",
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """A Moodle cloze text ({1:SA:=a~b}...) as one question, for other importers (Moodle XML).

    Notes and ids are the caller's; the problems returned are the text's errors.
    """
    parser = _Parser(notes.path)
    parser.notes, parser.ids = notes, ids
    ctx = Kinds(parser, line, line, html_mode, label, "", tags, text, general)
    moodle_cloze(ctx, text)
    return (parser.questions[0] if parser.questions else None), parser.errors
