"""One GIFT question being converted: its parts, and the helpers every kind of question uses."""

from __future__ import annotations

import math
from typing import Any

from gmmp_quiz.errors import Problem
from gmmp_quiz.formats.common import (
    IdAllocator,
    Notes,
    content_id,
    id_from_label,
    looks_like_html,
    number,
    tag_word,
    unique,
)
from gmmp_quiz.formats.gift_lexer import (
    BLANK,
    FORMAT_RE,
    GAP,
    MODES,
    RANGE_RE,
    SPLIT_RES,
    TOL_RE,
    WEIGHT_RE,
    RawAnswer,
    to_float,
    unescape,
)
from gmmp_quiz.i18n import _


class Collector:
    """What the questions of one GIFT file add up to: questions, notes, errors and ids."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.notes = Notes(path)
        self.errors: list[Problem] = []
        self.ids = IdAllocator(self.notes)
        self.category: list[str] = []
        self.questions: list[dict[str, Any]] = []

    def error(self, line: int, message: str) -> None:
        """Record an error at `line`: the question there is not imported."""
        self.errors.append(Problem(self.path, line, 0, message))


class Context:
    """The parts of one question being converted, with helpers to finish it."""

    def __init__(
        self,
        parser: Collector,
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
        m = FORMAT_RE.match(raw) if "[" in raw else None
        if m:
            mode = MODES[m.group(1).lower()]
            raw = raw[m.end() :]
        raw = unescape(raw)
        text = self.p.notes.text(raw, self.line, mode)
        if "\n" in text and not (mode or (mode is None and looks_like_html(raw))):
            # Lines of a plain text spread over the file keep the file's indentation: not the
            # text's (HTML has its own rules, and keeps a <pre> block's indentation).
            text = "\n".join(line.strip() for line in text.split("\n"))
        return text

    def prompt(self, gap: str = BLANK) -> str:
        """The question text, with `gap` where the answer braces were in a missing-word question."""
        # Converted once: a missing-word question asks for it up to three times, and the notes
        # on its text (media dropped, control characters) are to be given once.
        if self._converted is None or self._converted[0] != self.raw_prompt:
            self._converted = (self.raw_prompt, self.text(self.raw_prompt))
        return self._converted[1].replace(GAP, gap)

    def has_gap(self) -> bool:
        """Whether the answer braces stood inside the text (a missing-word question)."""
        return GAP in self.raw_prompt

    def skip(self, message: str) -> None:
        """Skip the question, saying why at its line."""
        self.p.notes.skip(self.line, message)

    def note(self, message: str) -> None:
        """Note something changed or dropped on the way, at the question's line."""
        self.p.notes.add(self.line, message)

    def error(self, message: str) -> None:
        """Record an error at the answer braces' line: the question is not imported."""
        self.p.error(self.answer_line, message)

    def answers(self, inner: str, marks: str) -> list[RawAnswer] | None:
        """Split the braces' content into answers starting with one of `marks`."""
        parts = SPLIT_RES[marks].split(inner)
        out: list[RawAnswer] = []
        head = parts[0].strip()
        if head:
            if marks == "=":
                parts[0] = "=" + parts[0]  # lenient: '{Paris}' is a short answer without its '='
            else:
                self.error(
                    _("text {value!r} before the first answer: start answers with = or ~").format(
                        value=unescape(head)
                    )
                )
                return None
        for part in parts:
            if not part.strip():
                continue
            mark, rest = part[0], part[1:]
            weight = 100.0 if mark == "=" else 0.0
            m = WEIGHT_RE.match(rest)
            if m:
                weight = float(m.group(1))
                rest = rest[m.end() :]
            answer, __, feedback = rest.partition("#")
            out.append(RawAnswer(mark, weight, answer, feedback))
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

    def parse_number(self, raw: str) -> dict[str, Any] | None:
        """{"answer": x or [a, b], "tolerance": t} from `x`, `x:t` or `a..b`, as written."""
        text = unescape(raw).strip()
        m = RANGE_RE.match(text)
        try:
            if m:
                low, high = to_float(m.group(1)), to_float(m.group(2))
                values = [min(low, high), max(low, high)]
                tol = 0.0
            else:
                m = TOL_RE.match(text)
                if not m:
                    raise ValueError
                values = [to_float(m.group(1))]
                tol = abs(to_float(m.group(2))) if m.group(2) else 0.0
        except ValueError:
            self.error(_("{text!r} is not a number (write 42, 42:0.5 or 40..44)").format(text=text))
            return None
        if not all(math.isfinite(v) for v in (*values, tol)):
            self.error(_("{text!r} is not a finite number").format(text=text))
            return None
        shown = [number(v) for v in values]
        answer: Any = shown[0] if len(shown) == 1 or shown[0] == shown[1] else shown
        return {"answer": answer, "tolerance": number(tol)}
