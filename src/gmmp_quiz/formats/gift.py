"""Moodle GIFT import: every GIFT question kind mapped to the project's question types."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from gmmp_quiz.errors import Problem, ValidationError
from gmmp_quiz.formats.common import (
    Answer,
    IdAllocator,
    ImportResult,
    Notes,
    Option,
    choice_data,
    content_id,
    id_from_label,
    looks_like_html,
    number,
    right_options,
    short_data,
    tag_word,
    typed_answer,
    unique,
)
from gmmp_quiz.i18n import _, ngettext

# Escaped characters become private-use sentinels while the structure is parsed, then go back.
_ESCAPES = {"\\": "\ue000", "~": "\ue001", "=": "\ue002", "#": "\ue003", "{": "\ue004",
            "}": "\ue005", ":": "\ue006", "n": "\ue007"}  # fmt: skip
_UNESCAPE = {v: ("\n" if k == "n" else k) for k, v in _ESCAPES.items()}
_UNESCAPE_TABLE = str.maketrans(_UNESCAPE)
_ESCAPE_RE = re.compile(r"\\([\\~=#{}:n])")
_GAP = "\ue010"
_BLANK = "_____"

_COMMENT_RE = re.compile(r"^\s*//")
_ID_COMMENT_RE = re.compile(r"\[id:([^\]]*)\]")
_TAG_COMMENT_RE = re.compile(r"\[tag:([^\]]*)\]")
_CATEGORY_RE = re.compile(r"^\s*\$CATEGORY:(.*)$")
_TITLE_RE = re.compile(r"^\s*::(.*?)::", re.DOTALL)
_FORMAT_RE = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
# What each format marker means for the text after it: HTML, plain, or "look and see" (moodle).
_MODES: dict[str, bool | None] = {"html": True, "moodle": None, "plain": False, "markdown": False}
# A `//` comment at the start of a line or after a space (not the `//` of a URL).
_INLINE_COMMENT_RE = re.compile(r"(?:^|(?<=\s))//[^\n]*", re.MULTILINE)
_WEIGHT_RE = re.compile(r"^\s*%(-?[0-9]+(?:\.[0-9]*)?)%")
_EMBEDDED_CLOZE_RE = re.compile(r"^\s*[0-9]*:[A-Za-z_]+:")
_EMBEDDED_PART_RE = re.compile(r"^\s*[0-9]*:([A-Za-z_]+):(.*)$", re.DOTALL)
_BRACES_RE = re.compile(r"\{([^{}]*)\}")
_GAP_FREE_RE = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_EMBEDDED_KINDS = {
    **dict.fromkeys(["SHORTANSWER", "SA", "MW", "SHORTANSWER_C", "SAC", "MWC"], "short"),
    **dict.fromkeys(["NUMERICAL", "NM"], "num"),
    **dict.fromkeys(
        [
            "MULTICHOICE",
            "MC",
            "MULTICHOICE_V",
            "MCV",
            "MULTICHOICE_H",
            "MCH",
            "MULTICHOICE_S",
            "MCS",
            "MULTICHOICE_VS",
            "MCVS",
            "MULTICHOICE_HS",
            "MCHS",
        ],
        "mc",
    ),  # fmt: skip
}
# Texts put back into GIFT answer syntax must have their special characters escaped again.
_ESCAPE_CHARS = str.maketrans({"~": "\ue001", "=": "\ue002", "#": "\ue003", "{": "\ue004",
                               "}": "\ue005", ":": "\ue006"})  # fmt: skip
_NUM = r"[-+]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][-+]?[0-9]+)?"
_RANGE_RE = re.compile(rf"^({_NUM})\s*\.\.\s*({_NUM})$")
_TOL_RE = re.compile(rf"^({_NUM})\s*(?::\s*({_NUM}))?$")


_SENTINEL_RE = re.compile("[\ue000-\ue007]")
_BRACE_RE = re.compile(r"[{}]")
# Answers start at each mark: '=' or '~' in choices, '=' elsewhere.
_SPLIT_RES = {marks: re.compile(f"(?=[{re.escape(marks)}])") for marks in ("=~", "=")}


def _unescape(text: str) -> str:
    if not _SENTINEL_RE.search(text):
        return text
    return text.translate(_UNESCAPE_TABLE)


@dataclass
class _Answer:
    """One answer inside the braces: its mark ('=', '~' or ''), weight, text and feedback."""

    mark: str
    weight: float
    text: str
    feedback: str


class _Block:
    """The lines of one question, with a way to find the line of an offset."""

    def __init__(self, start: int, text: str) -> None:
        self.start = start
        self.text = text

    def line_at(self, offset: int) -> int:
        return self.start + self.text.count("\n", 0, max(offset, 0))


def _blocks(lines: list[str]) -> list[list[tuple[int, str]]]:
    """Group lines into blank-line separated blocks of (line number, line)."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number_, line in enumerate(lines, 1):
        if line.strip():
            current.append((number_, line))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _first_brace(lines: list[tuple[int, str]]) -> str:
    """The first unescaped brace of some lines ('{', '}' or '' when there is none)."""
    # Line by line: an escape never spans a line break, and most blocks are one line.
    for __, line in lines:
        if "\\" in line:
            line = _ESCAPE_RE.sub("", line)
        m = _BRACE_RE.search(line)
        if m:
            return m.group(0)
    return ""


def _code(lines: list[tuple[int, str]]) -> str:
    """The lines of a block that are not comments."""
    return "\n".join(line for _, line in lines if not _COMMENT_RE.match(line))


def _open_braces(text: str, depth: int = 0) -> int:
    """How many '{' are left open after `text`, `depth` being open before (escapes don't count)."""
    for ch in _ESCAPE_RE.sub("", text):
        if ch == "{":
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
    return depth


class _Parser:
    """Parses one GIFT file into question data, notes and errors."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.notes = Notes(path)
        self.errors: list[Problem] = []
        self.ids = IdAllocator(self.notes)
        self.category: list[str] = []
        self.first_category: list[str] = []
        self.questions: list[dict[str, Any]] = []

    def error(self, line: int, message: str) -> None:
        self.errors.append(Problem(self.path, line, 0, message))

    def run(self, text: str) -> None:
        text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        # A blank line inside braces would split a question: such blocks are joined again, but
        # only when the next block closes the braces (else the '{' was left open by mistake).
        merged: list[list[tuple[int, str]]] = []
        # The braces left open by merged[-1]: counted when a block starting with '}' asks, then
        # kept up to date as the block grows (a count of the whole block each time was quadratic).
        depth: int | None = None
        for lines in _blocks(text.split("\n")):
            if merged and _first_brace(lines) == "}":
                if depth is None:
                    depth = _open_braces(_code(merged[-1]))
                if depth:
                    merged[-1].extend(lines)
                    depth = _open_braces(_code(lines), depth)
                    continue
            merged.append(lines)
            depth = None
        for lines in merged:
            self.block(lines)

    def block(self, lines: list[tuple[int, str]]) -> None:
        qid_label = ""
        tags: list[str] = []
        body: list[tuple[int, str]] = []
        for lineno, line in lines:
            if _COMMENT_RE.match(line):
                m = _ID_COMMENT_RE.search(line)
                if m:
                    qid_label = m.group(1).strip()
                tags.extend(t.strip() for t in _TAG_COMMENT_RE.findall(line) if t.strip())
                continue
            m = _CATEGORY_RE.match(line)
            if m:
                self.set_category(m.group(1))
                continue
            body.append((lineno, line))
        if not body:
            return
        joined = body[0][1] if len(body) == 1 else "\n".join(line for _, line in body)
        if "\\" in joined:
            joined = _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(1)], joined)
        block = _Block(body[0][0], joined)
        self.question(block, qid_label, tags)

    def set_category(self, value: str) -> None:
        parts = [p.strip() for p in value.strip().split("/")]
        parts = [p for p in parts if p and p.lower() != "top" and not re.fullmatch(r"\$\w*\$", p)]
        # Kept without repeats: most questions take these tags as they are.
        self.category = unique([tag_word(p) for p in parts])
        if not self.first_category and parts:
            self.first_category = parts

    # -- one question ----------------------------------------------------------------------
    def question(self, block: _Block, qid_label: str, tags: list[str]) -> None:
        text = block.text
        line = block.start
        title = ""
        m = _TITLE_RE.match(text)
        if m:
            title = _unescape(m.group(1)).strip()
            text = text[m.end() :]
            offset = m.end()
        else:
            offset = 0
        html_mode: bool | None = None
        m = _FORMAT_RE.match(text)
        if m:
            html_mode = _MODES[m.group(1).lower()]
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
            stem = _INLINE_COMMENT_RE.sub("", stem)
        if _EMBEDDED_CLOZE_RE.match(inner):
            ctx = _Context(self, line, answer_line, html_mode, title, qid_label, tags, text, "")
            ctx.embedded_cloze(text)
            return
        # A `// comment` inside the braces or after them is no part of an answer or the text.
        if "//" in inner:
            inner = _INLINE_COMMENT_RE.sub("", inner)
        if "//" in tail:
            tail = _INLINE_COMMENT_RE.sub("", tail)
        if "{" in tail or "}" in tail:
            ctx = _Context(self, line, answer_line, html_mode, title, qid_label, tags, text, "")
            ctx.several_blocks(text)
            return
        general = ""
        pos = inner.find("####")
        if pos >= 0:
            inner, general = inner[:pos], inner[pos + 4 :]
        stripped = inner.strip()
        raw_prompt = stem + _GAP + tail if tail.strip() else stem
        ctx = _Context(
            self, line, answer_line, html_mode, title, qid_label, tags, raw_prompt, general
        )
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


class _Context:
    """The parts of one question being converted, with helpers to finish it."""

    def __init__(
        self,
        parser: _Parser,
        line: int,
        answer_line: int,
        html_mode: bool | None,
        title: str,
        qid_label: str,
        tags: list[str],
        raw_prompt: str,
        general: str,
    ) -> None:
        self.p = parser
        self.line = line
        self.answer_line = answer_line
        self.html_mode = html_mode
        self.title = title
        self.qid_label = qid_label
        self.tags = tags
        self.raw_prompt = raw_prompt
        self.general = general
        self._converted: tuple[str, str] | None = None  # (raw prompt, its text)

    def text(self, raw: str) -> str:
        """A piece of the question as plain text; its own [html]/[plain]... marker wins."""
        if not raw:  # no general feedback, no answer feedback: the common case
            return ""
        mode = self.html_mode
        m = _FORMAT_RE.match(raw) if "[" in raw else None
        if m:
            mode = _MODES[m.group(1).lower()]
            raw = raw[m.end() :]
        raw = _unescape(raw)
        text = self.p.notes.text(raw, self.line, mode)
        if "\n" in text and not (mode or (mode is None and looks_like_html(raw))):
            # Lines of a plain text spread over the file keep the file's indentation: not the
            # text's (HTML has its own rules, and keeps a <pre> block's indentation).
            text = "\n".join(line.strip() for line in text.split("\n"))
        return text

    def prompt(self, gap: str = _BLANK) -> str:
        """The question text, with `gap` where the answer braces were in a missing-word question."""
        # Converted once: a missing-word question asks for it up to three times, and the notes
        # on its text (media dropped, control characters) are to be given once.
        if self._converted is None or self._converted[0] != self.raw_prompt:
            self._converted = (self.raw_prompt, self.text(self.raw_prompt))
        return self._converted[1].replace(_GAP, gap)

    def has_gap(self) -> bool:
        return _GAP in self.raw_prompt

    def skip(self, message: str) -> None:
        self.p.notes.skip(self.line, message)

    def note(self, message: str) -> None:
        self.p.notes.add(self.line, message)

    def error(self, message: str) -> None:
        self.p.error(self.answer_line, message)

    def answers(self, inner: str, marks: str) -> list[_Answer] | None:
        """Split the braces' content into answers starting with one of `marks`."""
        parts = _SPLIT_RES[marks].split(inner)
        out: list[_Answer] = []
        head = parts[0].strip()
        if head:
            if marks == "=":
                parts[0] = "=" + parts[0]  # lenient: '{Paris}' is a short answer without its '='
            else:
                self.error(
                    _("text {value!r} before the first answer: start answers with = or ~").format(
                        value=_unescape(head)
                    )
                )
                return None
        for part in parts:
            if not part.strip():
                continue
            mark, rest = part[0], part[1:]
            weight = 100.0 if mark == "=" else 0.0
            m = _WEIGHT_RE.match(rest)
            if m:
                weight = float(m.group(1))
                rest = rest[m.end() :]
            answer, __, feedback = rest.partition("#")
            out.append(_Answer(mark, weight, answer, feedback))
        return out

    def finish(self, question: dict[str, Any], prompt_text: str, answers: list[str]) -> None:
        """Give the question its id, explanation and tags, and add it to the set."""
        if self.qid_label:
            wanted = id_from_label(self.qid_label)
        elif self.title:
            wanted = id_from_label(self.title)
        else:
            wanted = content_id(prompt_text, answers)
        general = self.text(self.general)
        data: dict[str, Any] = {"id": self.p.ids.allocate(wanted, self.line)}
        data.update(question)
        if general and data["type"] != "flashcard":
            data["explanation"] = general
        if self.tags:
            tags = unique([*self.p.category, *(tag_word(t) for t in self.tags)])
        else:
            tags = list(self.p.category)
        if tags:
            data["tags"] = tags
        self.p.questions.append(data)

    def with_prompt(self) -> str | None:
        """The prompt, or None (skipped with a note) when the question has no text."""
        prompt = self.prompt()
        if not prompt:
            self.skip(_("a question without text: skipped"))
            return None
        return prompt

    # -- kinds -----------------------------------------------------------------------------
    def choice(self, inner: str) -> None:
        answers = self.answers(inner, "=~")
        if answers is None:
            return
        # As in Moodle: a block with an '=' has one answer to pick (any '=' one is right);
        # without, it is "select all that apply", the positive weights being the right ones.
        single = any(a.mark == "=" for a in answers)
        options: list[Option] = []
        seen: dict[str, Option] = {}
        for a in answers:
            text = self.text(a.text)
            if not text:
                self.note(_("an empty choice was dropped"))
                continue
            if text in seen:
                self.note(_("choice {text!r} is repeated: kept once").format(text=text))
                seen[text].weight = max(seen[text].weight, a.weight)
                continue
            seen[text] = Option(text, max(-100.0, min(a.weight, 100.0)), self.text(a.feedback))
            options.append(seen[text])
        if len(options) < 2:
            self.skip(_("a multiple-choice question needs at least 2 choices: skipped"))
            return
        rights = right_options(options, single)
        if not rights:
            self.skip(
                _("a multiple-choice question with no right answer (no '=' or positive %): skipped")
            )
            return
        prompt = self.with_prompt()
        if prompt is None:
            return
        question = choice_data(prompt, options, single, self.note)
        self.finish(question, prompt, [f"{'=' if o in rights else '~'}{o.text}" for o in options])

    def true_false(self, inner: str) -> None:
        value, *feedback = inner.split("#")
        truth = value.strip().upper() in ("T", "TRUE")
        prompt = self.with_prompt()
        if prompt is None:
            return
        question: dict[str, Any] = {"type": "true_false", "prompt": prompt, "answer": truth}
        # Moodle's order is {T#feedback if wrong#feedback if right}.
        wrong = self.text(feedback[0]) if feedback else ""
        right = self.text(feedback[1]) if len(feedback) > 1 else ""
        if right:
            question["feedback"] = right
        if wrong:
            question["wrong_feedback"] = wrong
        self.finish(question, prompt, [str(truth)])

    def short(self, inner: str) -> None:
        answers = self.answers(inner, "=")
        if answers is None:
            return
        accepted: list[Answer] = []
        seen: set[str] = set()
        wrong_feedback = ""
        for a in answers:
            text, wildcard = typed_answer(self.text(a.text))
            feedback = self.text(a.feedback)
            if text == "*" and a.weight <= 0:
                wrong_feedback = feedback  # Moodle's catch-all: feedback for any other answer
                continue
            if not text:
                continue
            if a.weight < 0:
                self.note(
                    _(
                        "answer {text!r} worth {a.weight:g}%: a typed answer costs nothing, 0%"
                    ).format(text=text, a=a)
                )
            if text.casefold() in seen:
                continue
            seen.add(text.casefold())
            accepted.append(Answer(text, max(0.0, min(a.weight, 100.0)), feedback, wildcard))
        best = max(accepted, key=lambda a: a.weight, default=None)
        if best is None or best.weight <= 0:
            self.skip(_("a short-answer question with no right answer: skipped"))
            return
        if best.weight < 100:
            self.note(
                _("no answer is worth 100%: the best, {best.text!r} ({best.weight:g}%), is").format(
                    best=best
                )
            )
            best.weight = 100.0
        if (
            self.has_gap()
            and not wrong_feedback
            and all(a.weight >= 100 and not a.feedback and not a.wildcard for a in accepted)
        ):
            texts = [a.text for a in accepted]
            gap_ok = all("|" not in a and "{{" not in a and "}}" not in a for a in texts)
            around = self.prompt(gap="")
            if gap_ok and "{{" not in around and "}}" not in around:
                gap = "{{" + "|".join(texts) + "}}"
                sentence = self.prompt(gap=gap)
                if sentence.replace(gap, "").strip():
                    self.finish({"type": "cloze", "text": sentence}, sentence, texts)
                    return
        prompt = self.with_prompt()
        if prompt is None:
            return
        question = short_data(prompt, accepted, wrong_feedback)
        self.finish(question, prompt, [a.text for a in accepted])

    def essay(self) -> None:
        """An essay: a self-graded card, the prompt on the front and the teacher's notes behind."""
        prompt = self.with_prompt()
        if prompt is None:
            return
        back = self.text(self.general)
        if not back:
            back = _("(an essay: no model answer was given; judge your own)")
            self.note(_("an essay question without feedback: a flashcard to grade yourself"))
        self.finish({"type": "flashcard", "front": prompt, "back": back}, prompt, [back])

    def several_blocks(self, text: str) -> None:
        """Two or more answer blocks: a cloze when each is a plain typed answer, else skipped."""
        gaps: list[list[str]] = []
        for m in _BRACES_RE.finditer(text):
            inner = _INLINE_COMMENT_RE.sub("", m.group(1)).strip()
            answers = self.answers(inner, "=") if inner and inner[0] == "=" else None
            if (
                not answers
                or any(c in inner for c in "~#")
                or "->" in inner
                or any(a.weight != 100 for a in answers)
            ):
                self.skip(
                    _(
                        "more than one answer block, not all of them plain typed answers {=a =b}: "
                        "skipped"
                    )
                )
                return
            gaps.append(_casefold_unique([t for a in answers if (t := self.text(a.text))]))
        if any(not g or any("|" in a or "{{" in a or "}}" in a for a in g) for g in gaps):
            self.skip(_("more than one answer block whose answers cannot be gaps: skipped"))
            return
        self.raw_prompt = _BRACES_RE.sub(_Numbered(), text)
        cleaned = self.prompt()
        if "{{" in cleaned or "}}" in cleaned:
            self.skip(_("more than one answer block in a text holding '{{': skipped"))
            return
        cleaned = _MARKER_RE.sub(lambda m: "{{" + "|".join(gaps[int(m.group(1))]) + "}}", cleaned)
        if not _GAP_FREE_RE.sub("", cleaned).strip():
            self.skip(_("more than one answer block without text around them: skipped"))
            return
        self.note(_("{n} answer blocks: imported as a cloze with {n} gaps").format(n=len(gaps)))
        self.finish({"type": "cloze", "text": cleaned}, cleaned, [a for g in gaps for a in g])

    def embedded_cloze(self, text: str) -> None:
        """A Moodle cloze text ({1:SA:=a~b}, {1:MC:~x~=y}...): converted when simple."""
        parts = list(_BRACES_RE.finditer(text))
        gaps: list[list[str]] = []
        gap_options: list[list[str] | None] = []  # a multiple-choice gap keeps its choices
        choice_part: list[tuple[str, bool, str]] | None = None
        dropped_feedback = False
        for m in parts:
            part = _EMBEDDED_PART_RE.match(m.group(1))
            kind = _EMBEDDED_KINDS.get(part.group(1).upper()) if part else None
            if part is None or kind is None:
                what = part.group(1) if part else _("an answer block mixed with cloze parts")
                self.skip(
                    _(
                        "an embedded Moodle cloze question with {what}: not supported, skipped"
                    ).format(what=what)
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
                value = self.text(answer)
                if kind == "num":
                    value, __, tol = value.partition(":")
                    value = value.strip()
                    if value and tol.strip() not in ("", "0"):
                        self.note(
                            _("tolerance {tolerance} of gap {gap} dropped").format(
                                tolerance=tol.strip(), gap=len(gaps) + 1
                            )
                        )
                if not value:
                    continue
                if 0 < weight < 100 and kind != "mc":
                    self.note(
                        _(
                            "partial credit ({weight:g}%) for {value!r}: accepted as a full answer"
                        ).format(weight=weight, value=value)
                    )
                if weight > 0:
                    right.append(value)
                options.append((value, weight >= 100, ""))
            if not right:
                self.skip(_("an embedded Moodle cloze part without a right answer: skipped"))
                return
            if kind == "mc" and len(parts) == 1:
                choice_part = options
            if kind == "mc":
                offered = unique([t for t, _, _ in options])
                answer = next((t for t, ok, _ in options if ok), right[0])
                gaps.append([answer])
                gap_options.append(offered if len(offered) > 1 else None)
            else:
                gaps.append(_casefold_unique(right))
                gap_options.append(None)
        if dropped_feedback:
            self.note(_("feedback inside embedded cloze answers dropped"))
        # Each part becomes a numbered marker (one pass each way: splicing part by part was
        # quadratic in a text of many parts).
        raw_prompt = _BRACES_RE.sub(_Numbered(), text)
        cleaned = self.text(raw_prompt)
        if choice_part is not None:
            self.raw_prompt = raw_prompt.replace(_marker(0), _GAP)
            self.note(_("an embedded Moodle cloze question: imported as a choice"))
            self.choice(
                " ".join(
                    ("=" if ok else "~") + t.translate(_ESCAPE_CHARS) for t, ok, _ in choice_part
                )
            )
            return
        if any("|" in a or "{{" in a or "}}" in a for g in gaps for a in g) or "{{" in cleaned:
            self.skip(_("an embedded Moodle cloze question whose answers cannot be gaps: skipped"))
            return
        found: set[int] = set()

        def fill(m: re.Match[str]) -> str:
            index = int(m.group(1))
            found.add(index)
            return "{{" + "|".join(gaps[index]) + "}}"

        cleaned = _MARKER_RE.sub(fill, cleaned)
        if len(found) != len(gaps) or not _GAP_FREE_RE.sub("", cleaned).strip():
            self.skip(_("an embedded Moodle cloze question without text around its gaps: skipped"))
            return
        self.note(_("an embedded Moodle cloze question: imported as a cloze"))
        question: dict[str, Any] = {"type": "cloze", "text": cleaned}
        if any(gap_options):
            question["options"] = gap_options
        self.finish(question, cleaned, [a for g in gaps for a in g])

    def numeric(self, inner: str) -> None:
        # `~#feedback` (after the answers) is Moodle's feedback for any other number.
        inner, tilde, wrong = inner.partition("~")
        wrong_feedback = self.text(wrong.strip().removeprefix("#")) if tilde else ""
        if "=" in inner:
            answers = self.answers(inner, "=")
            if answers is None:
                return
        else:
            value, __, feedback = inner.partition("#")
            answers = [_Answer("=", 100.0, value, feedback)]
        candidates: list[dict[str, Any]] = []
        for a in answers:
            parsed = self.parse_number(a.text)
            if parsed is None:
                return
            if a.weight < 0:
                self.note(
                    _("a number worth {a.weight:g}%: a typed answer costs nothing, 0%").format(a=a)
                )
            parsed["weight"] = max(0.0, min(a.weight, 100.0))
            feedback = self.text(a.feedback)
            if feedback:
                parsed["feedback"] = feedback
            candidates.append(parsed)
        if not candidates:
            self.error(_("a numerical question without a number: write {#42} or {#42:1}"))
            return
        best = max(candidates, key=lambda c: c["weight"])
        if best["weight"] <= 0:
            self.skip(_("a numerical question with no right answer: skipped"))
            return
        if best["weight"] < 100:
            self.note(
                _("no number is worth 100%: the best ({value:g}%) is").format(value=best["weight"])
            )
        prompt = self.with_prompt()
        if prompt is None:
            return
        question: dict[str, Any] = {"type": "numeric", "prompt": prompt, "answer": best["answer"]}
        if best.get("tolerance"):
            question["tolerance"] = best["tolerance"]
        others = []
        for cand in candidates:
            if cand is best:
                continue
            other = {k: v for k, v in cand.items() if k != "weight" and (k != "tolerance" or v)}
            if cand["weight"] < 100:
                other["weight"] = number(cand["weight"])
            others.append(other)
        if others:
            question["alternatives"] = others
        if best.get("feedback"):
            question["feedback"] = best["feedback"]
        if wrong_feedback:
            question["wrong_feedback"] = wrong_feedback
        self.finish(question, prompt, [repr(c["answer"]) for c in candidates])

    def parse_number(self, raw: str) -> dict[str, Any] | None:
        """{"answer": x or [a, b], "tolerance": t} from `x`, `x:t` or `a..b`, as written."""
        text = _unescape(raw).strip()
        m = _RANGE_RE.match(text)
        try:
            if m:
                low, high = _float(m.group(1)), _float(m.group(2))
                values = [min(low, high), max(low, high)]
                tol = 0.0
            else:
                m = _TOL_RE.match(text)
                if not m:
                    raise ValueError
                values = [_float(m.group(1))]
                tol = abs(_float(m.group(2))) if m.group(2) else 0.0
        except ValueError:
            self.error(_("{text!r} is not a number (write 42, 42:0.5 or 40..44)").format(text=text))
            return None
        if not all(math.isfinite(v) for v in (*values, tol)):
            self.error(_("{text!r} is not a finite number").format(text=text))
            return None
        shown = [number(v) for v in values]
        answer: Any = shown[0] if len(shown) == 1 or shown[0] == shown[1] else shown
        return {"answer": answer, "tolerance": number(tol)}

    def match(self, inner: str) -> None:
        answers = self.answers(inner, "=")
        if answers is None:
            return
        pairs: list[dict[str, str]] = []
        lefts: set[str] = set()
        rights: set[str] = set()
        distractors: list[str] = []
        for a in answers:
            if "->" not in a.text:
                self.error(
                    _("matching pair {value!r} has no '->'").format(value=_unescape(a.text).strip())
                )
                return
            left_raw, __, right_raw = a.text.partition("->")
            if a.feedback.strip():
                self.note(_("feedback on a matching pair is not kept: a pair has none"))
            left, right = self.text(left_raw), self.text(right_raw)
            if not right:
                self.note(_("a pair without a right side was dropped"))
                continue
            if not left:
                if right in rights:
                    self.note(
                        _("extra right-hand item {right!r} repeats an item: dropped").format(
                            right=right
                        )
                    )
                else:
                    rights.add(right)
                    distractors.append(right)  # a right side with no left: a distractor
                continue
            if left in lefts or right in rights:
                self.note(
                    _("pair {left!r} -> {right!r} repeats an item: dropped").format(
                        left=left, right=right
                    )
                )
                continue
            lefts.add(left)
            rights.add(right)
            pairs.append({"left": left, "right": right})
        if len(pairs) < 2:
            self.skip(_("a matching question needs at least 2 pairs: skipped"))
            return
        prompt = self.with_prompt()
        if prompt is None:
            return
        question: dict[str, Any] = {"type": "match", "prompt": prompt, "pairs": pairs}
        if distractors:
            question["distractors"] = distractors
        self.finish(
            question,
            prompt,
            [f"{p['left']}->{p['right']}" for p in pairs],
        )


_MARKER_RE = re.compile("\ue020([0-9]+)\ue021")


def _marker(index: int) -> str:
    """A stand-in for the embedded cloze part `index` while the text is converted."""
    return f"\ue020{index}\ue021"


class _Numbered:
    """A re.sub callback giving each match the next marker."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, _: re.Match[str]) -> str:
        self.count += 1
        return _marker(self.count - 1)


def _float(text: str) -> float:
    return float(text.replace(",", "."))


def _casefold_unique(values: list[str]) -> list[str]:
    """Answers without repeats that differ only in case (typed answers ignore case)."""
    seen: set[str] = set()
    out = []
    for v in values:
        key = v.casefold()
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out


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
    ctx = _Context(parser, line, line, html_mode, label, "", tags, text, general)
    ctx.embedded_cloze(text)
    return (parser.questions[0] if parser.questions else None), parser.errors
