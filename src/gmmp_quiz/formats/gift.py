"""Moodle GIFT import: every GIFT question kind mapped to the project's question types."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from gmmp_quiz.errors import Problem, ValidationError
from gmmp_quiz.formats.common import (
    IdAllocator,
    ImportResult,
    Notes,
    content_id,
    id_from_label,
    number,
    tag_word,
    unique,
)

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
    for _, line in lines:
        if "\\" in line:
            line = _ESCAPE_RE.sub("", line)
        m = _BRACE_RE.search(line)
        if m:
            return m.group(0)
    return ""


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
        depth = 0  # the braces left open by merged[-1], kept as it grows (never counted again)
        for lines in _blocks(text.split("\n")):
            code = "\n".join(line for _, line in lines if not _COMMENT_RE.match(line))
            if merged and depth and _first_brace(lines) == "}":
                merged[-1].extend(lines)
                depth = _open_braces(code, depth)
            else:
                merged.append(lines)
                depth = _open_braces(code)
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
            marker = m.group(1).lower()
            html_mode = True if marker == "html" else (None if marker == "moodle" else False)
            text = text[m.end() :]
            offset += m.end()
        start = text.find("{")
        if start < 0:
            if "}" in text:
                self.error(
                    block.line_at(offset + text.find("}")), "'}' without '{': escape it as \\}"
                )
                return
            self.notes.skip(line, "a description (no answer in braces): not a question, skipped")
            return
        end = text.find("}", start)
        if end < 0:
            self.error(
                block.line_at(offset + start), "'{' is never closed: add '}' (or escape it as \\{)"
            )
            return
        answer_line = block.line_at(offset + start)
        stem, inner, tail = text[:start], text[start + 1 : end], text[end + 1 :]
        if _EMBEDDED_CLOZE_RE.match(inner):
            ctx = _Context(self, line, answer_line, html_mode, title, qid_label, tags, text, "")
            ctx.embedded_cloze(text)
            return
        if "{" in tail or "}" in tail:
            self.notes.skip(
                line, "more than one answer block in one question: not supported, skipped"
            )
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
            self.notes.skip(line, "an essay question (no automatic answer): skipped")
            return
        if stripped.startswith("#"):
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
        self.extra_explanation: list[str] = []
        self._converted: tuple[str, str] | None = None  # (raw prompt, its text)

    def text(self, raw: str) -> str:
        if not raw:  # no general feedback, no answer feedback: the common case
            return ""
        return self.p.notes.text(_unescape(raw), self.line, self.html_mode)

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
                    f"text {_unescape(head)!r} before the first answer: start answers with = or ~"
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
            answer, _, feedback = rest.partition("#")
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
        if self.extra_explanation:
            explanation = unique([t for t in [general, *self.extra_explanation] if t])
            data["explanation"] = "\n".join(explanation)
        elif general:
            data["explanation"] = general
        if self.tags:
            tags = unique([*self.p.category, *(tag_word(t) for t in self.tags)])
        else:
            tags = list(self.p.category)
        if tags:
            data["tags"] = tags
        self.p.questions.append(data)

    def add_feedback(self, feedback: str) -> None:
        text = self.text(feedback)
        if text:
            self.extra_explanation.append(text)

    # -- kinds -----------------------------------------------------------------------------
    def choice(self, inner: str) -> None:
        answers = self.answers(inner, "=~")
        if answers is None:
            return
        single = any(a.mark == "=" for a in answers)
        choices: list[tuple[str, bool, str]] = []
        seen: dict[str, int] = {}
        for a in answers:
            text = self.text(a.text)
            if not text:
                self.note("an empty choice was dropped")
                continue
            right = a.mark == "=" if single else a.weight > 0
            if single and a.mark == "~" and a.weight > 0:
                self.note(f"partial credit ({a.weight:g}%) for {text!r} dropped: counted as wrong")
            if text in seen:
                self.note(f"choice {text!r} is repeated: kept once")
                i = seen[text]
                old = choices[i]
                choices[i] = (old[0], old[1] or right, old[2])
                continue
            seen[text] = len(choices)
            choices.append((text, right, self.text(a.feedback)))
        rights = [c[0] for c in choices if c[1]]
        if len(choices) < 2:
            self.skip("a multiple-choice question needs at least 2 choices: skipped")
            return
        if not rights:
            self.skip(
                "a multiple-choice question with no right answer (no '=' or positive %): skipped"
            )
            return
        prompt = self.prompt()
        if not prompt:
            self.skip("a question without text: skipped")
            return
        listed: list[Any] = [{"text": t, "feedback": f} if f else t for t, _, f in choices]
        if len(rights) == 1:
            question: dict[str, Any] = {
                "type": "choice",
                "prompt": prompt,
                "choices": listed,
                "answer": rights[0],
            }
        else:
            if single:
                self.note(
                    "several fully right answers in a one-answer question: "
                    "imported as 'multi' (select all)"
                )
            question = {"type": "multi", "prompt": prompt, "choices": listed, "answers": rights}
        self.finish(question, prompt, [f"{'=' if c[1] else '~'}{c[0]}" for c in choices])

    def true_false(self, inner: str) -> None:
        value, *feedback = inner.split("#")
        truth = value.strip().upper() in ("T", "TRUE")
        # Moodle's order is {T#feedback if wrong#feedback if right}: the right one teaches first.
        for fb in reversed(feedback[:2]):
            self.add_feedback(fb)
        prompt = self.prompt()
        if not prompt:
            self.skip("a question without text: skipped")
            return
        self.finish({"type": "true_false", "prompt": prompt, "answer": truth}, prompt, [str(truth)])

    def short(self, inner: str) -> None:
        answers = self.answers(inner, "=")
        if answers is None:
            return
        full: list[str] = []
        partial: list[str] = []
        for a in answers:
            text = self.text(a.text)
            if not text:
                continue
            if a.feedback.strip():
                self.add_feedback(a.feedback)
            if a.weight >= 100:
                full.append(text)
            elif a.weight > 0:
                partial.append(text)
                self.note(f"partial credit ({a.weight:g}%) for {text!r}: accepted as a full answer")
            else:
                self.note(f"answer {text!r} worth {a.weight:g}% is not a right answer: dropped")
        accepted = _casefold_unique(full + partial)
        if not accepted:
            self.skip("a short-answer question with no right answer: skipped")
            return
        if self.has_gap():
            gap_ok = all("|" not in a and "{{" not in a and "}}" not in a for a in accepted)
            around = self.prompt(gap="")
            if gap_ok and "{{" not in around and "}}" not in around:
                sentence = self.prompt(gap="{{" + "|".join(accepted) + "}}")
                if sentence.replace("{{" + "|".join(accepted) + "}}", "").strip():
                    self.finish({"type": "cloze", "text": sentence}, sentence, accepted)
                    return
        prompt = self.prompt()
        if not prompt:
            self.skip("a question without text: skipped")
            return
        question: dict[str, Any] = {"type": "short", "prompt": prompt, "answer": accepted[0]}
        if accepted[1:]:
            question["alternatives"] = accepted[1:]
        self.finish(question, prompt, accepted)

    def embedded_cloze(self, text: str) -> None:
        """A Moodle cloze text ({1:SA:=a~b}, {1:MC:~x~=y}...): converted when simple."""
        parts = list(_BRACES_RE.finditer(text))
        gaps: list[list[str]] = []
        choice_part: list[tuple[str, bool, str]] | None = None
        dropped_feedback = False
        for m in parts:
            part = _EMBEDDED_PART_RE.match(m.group(1))
            kind = _EMBEDDED_KINDS.get(part.group(1).upper()) if part else None
            if part is None or kind is None:
                what = part.group(1) if part else "an answer block mixed with cloze parts"
                self.skip(f"an embedded Moodle cloze question with {what}: not supported, skipped")
                return
            right: list[str] = []
            options: list[tuple[str, bool, str]] = []
            for raw in part.group(2).split("~"):
                m2 = re.match(r"^\s*(=|%(-?[0-9]+(?:\.[0-9]*)?)%)?(.*)$", raw, re.DOTALL)
                assert m2 is not None  # the pattern matches any text
                answer, _, feedback = m2.group(3).partition("#")
                dropped_feedback = dropped_feedback or bool(feedback.strip())
                weight = 100.0 if m2.group(1) == "=" else float(m2.group(2) or 0)
                value = self.text(answer)
                if kind == "num":
                    value, _, tol = value.partition(":")
                    value = value.strip()
                    if value and tol.strip() not in ("", "0"):
                        self.note(f"tolerance {tol.strip()} of gap {len(gaps) + 1} dropped")
                if not value:
                    continue
                if 0 < weight < 100 and kind != "mc":
                    self.note(
                        f"partial credit ({weight:g}%) for {value!r}: accepted as a full answer"
                    )
                if weight > 0:
                    right.append(value)
                options.append((value, weight >= 100, ""))
            if not right:
                self.skip("an embedded Moodle cloze part without a right answer: skipped")
                return
            if kind == "mc" and len(parts) == 1:
                choice_part = options
            elif kind == "mc":
                self.note(f"the choices of gap {len(gaps) + 1} are dropped: it is typed instead")
            gaps.append(_casefold_unique(right) if kind != "mc" else [right[0]])
        if dropped_feedback:
            self.note("feedback inside embedded cloze answers dropped")
        # Each part becomes a numbered marker (one pass each way: splicing part by part was
        # quadratic in a text of many parts).
        raw_prompt = _BRACES_RE.sub(_Numbered(), text)
        cleaned = self.text(raw_prompt)
        if choice_part is not None:
            self.raw_prompt = raw_prompt.replace(_marker(0), _GAP)
            self.note("an embedded Moodle cloze question: imported as a choice")
            self.choice(
                " ".join(
                    ("=" if ok else "~") + t.translate(_ESCAPE_CHARS) for t, ok, _ in choice_part
                )
            )
            return
        if any("|" in a or "{{" in a or "}}" in a for g in gaps for a in g) or "{{" in cleaned:
            self.skip("an embedded Moodle cloze question whose answers cannot be gaps: skipped")
            return
        found: set[int] = set()

        def fill(m: re.Match[str]) -> str:
            index = int(m.group(1))
            found.add(index)
            return "{{" + "|".join(gaps[index]) + "}}"

        cleaned = _MARKER_RE.sub(fill, cleaned)
        if len(found) != len(gaps) or not _GAP_FREE_RE.sub("", cleaned).strip():
            self.skip("an embedded Moodle cloze question without text around its gaps: skipped")
            return
        self.note("an embedded Moodle cloze question: imported as a cloze")
        self.finish({"type": "cloze", "text": cleaned}, cleaned, [a for g in gaps for a in g])

    def numeric(self, inner: str) -> None:
        candidates: list[tuple[float, float, float, str]] = []  # weight, value, tolerance, feedback
        if "=" in inner:
            answers = self.answers(inner, "=")
            if answers is None:
                return
        else:
            value, _, feedback = inner.partition("#")
            answers = [_Answer("=", 100.0, value, feedback)]
        for a in answers:
            parsed = self.parse_number(a.text)
            if parsed is None:
                return
            candidates.append((a.weight, parsed[0], parsed[1], a.feedback))
        if not candidates:
            self.error("a numerical question without a number: write {#42} or {#42:1}")
            return
        best = max(candidates, key=lambda c: c[0])
        if best[0] <= 0:
            self.skip("a numerical question with no right answer: skipped")
            return
        if best[3].strip():
            self.add_feedback(best[3])
        for cand in candidates:
            if cand is not best:
                self.note(
                    f"other accepted number {number(cand[1])}"
                    f"{f' ±{number(cand[2])}' if cand[2] else ''} ({cand[0]:g}%) dropped: "
                    f"a question keeps one number ({number(best[1])})"
                )
        prompt = self.prompt()
        if not prompt:
            self.skip("a question without text: skipped")
            return
        question: dict[str, Any] = {"type": "numeric", "prompt": prompt, "answer": number(best[1])}
        if best[2]:
            question["tolerance"] = number(best[2])
        self.finish(question, prompt, [repr(best[1]), repr(best[2])])

    def parse_number(self, raw: str) -> tuple[float, float] | None:
        """(value, tolerance) from `x`, `x:t` or `a..b`; an error when it is not a number."""
        text = _unescape(raw).strip()
        m = _RANGE_RE.match(text)
        try:
            if m:
                low, high = _float(m.group(1)), _float(m.group(2))
                low, high = min(low, high), max(low, high)
                value, tol = (low + high) / 2, (high - low) / 2
            else:
                m = _TOL_RE.match(text)
                if not m:
                    raise ValueError
                value = _float(m.group(1))
                tol = abs(_float(m.group(2))) if m.group(2) else 0.0
        except ValueError:
            self.error(f"{_unescape(raw).strip()!r} is not a number (write 42, 42:0.5 or 40..44)")
            return None
        if not (math.isfinite(value) and math.isfinite(tol)):
            self.error(f"{_unescape(raw).strip()!r} is not a finite number")
            return None
        return value, tol

    def match(self, inner: str) -> None:
        answers = self.answers(inner, "=")
        if answers is None:
            return
        pairs: list[dict[str, str]] = []
        lefts: set[str] = set()
        rights: set[str] = set()
        for a in answers:
            if "->" not in a.text:
                self.error(f"matching pair {_unescape(a.text).strip()!r} has no '->'")
                return
            left_raw, _, right_raw = a.text.partition("->")
            if a.feedback.strip():
                self.add_feedback(a.feedback)
            left, right = self.text(left_raw), self.text(right_raw)
            if not right:
                self.note("a pair without a right side was dropped")
                continue
            if not left:
                self.note(f"extra right-hand item {right!r} (a distractor) dropped: not supported")
                continue
            if left in lefts or right in rights:
                self.note(f"pair {left!r} -> {right!r} repeats an item: dropped")
                continue
            lefts.add(left)
            rights.add(right)
            pairs.append({"left": left, "right": right})
        if len(pairs) < 2:
            self.skip("a matching question needs at least 2 pairs: skipped")
            return
        prompt = self.prompt()
        if not prompt:
            self.skip("a question without text: skipped")
            return
        self.finish(
            {"type": "match", "prompt": prompt, "pairs": pairs},
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
    """Import a Moodle GIFT text; malformed questions raise ValidationError with their line."""
    parser = _Parser(path)
    parser.run(text)
    if parser.errors:
        raise ValidationError(parser.errors)
    if not parser.questions:
        raise ValidationError(
            [Problem(path, 0, 0, "no question could be imported: is this a GIFT file?")]
            + [p for p in parser.notes.items][:20]
        )
    data: dict[str, Any] = {"questions": parser.questions}
    if parser.first_category:
        data["title"] = parser.first_category[-1]
    return ImportResult(data, parser.notes.items, parser.notes.skipped, "gift")
