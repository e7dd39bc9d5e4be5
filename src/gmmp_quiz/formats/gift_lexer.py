"""GIFT's characters and blocks: escapes, the patterns of its syntax, a file cut into questions."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Escaped characters become private-use sentinels while the structure is parsed, then go back.
ESCAPES = {"\\": "\ue000", "~": "\ue001", "=": "\ue002", "#": "\ue003", "{": "\ue004",
            "}": "\ue005", ":": "\ue006", "n": "\ue007"}  # fmt: skip
_UNESCAPE = {v: ("\n" if k == "n" else k) for k, v in ESCAPES.items()}
_UNESCAPE_TABLE = str.maketrans(_UNESCAPE)
ESCAPE_RE = re.compile(r"\\([\\~=#{}:n])")
GAP = "\ue010"
BLANK = "_____"

COMMENT_RE = re.compile(r"^\s*//")
ID_COMMENT_RE = re.compile(r"\[id:([^\]]*)\]")
TAG_COMMENT_RE = re.compile(r"\[tag:([^\]]*)\]")
CATEGORY_RE = re.compile(r"^\s*\$CATEGORY:(.*)$")
TITLE_RE = re.compile(r"^\s*::(.*?)::", re.DOTALL)
FORMAT_RE = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
# What each format marker means for the text after it: HTML, plain, or "look and see" (moodle).
MODES: dict[str, bool | None] = {"html": True, "moodle": None, "plain": False, "markdown": False}
# A `//` comment at the start of a line or after a space (not the `//` of a URL).
INLINE_COMMENT_RE = re.compile(r"(?:^|(?<=\s))//[^\n]*", re.MULTILINE)
WEIGHT_RE = re.compile(r"^\s*%(-?[0-9]+(?:\.[0-9]*)?)%")
EMBEDDED_CLOZE_RE = re.compile(r"^\s*[0-9]*:[A-Za-z_]+:")
EMBEDDED_PART_RE = re.compile(r"^\s*[0-9]*:([A-Za-z_]+):(.*)$", re.DOTALL)
BRACES_RE = re.compile(r"\{([^{}]*)\}")
GAP_FREE_RE = re.compile(r"\{\{.*?\}\}", re.DOTALL)
EMBEDDED_KINDS = {
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
ESCAPE_CHARS = str.maketrans({"~": "\ue001", "=": "\ue002", "#": "\ue003", "{": "\ue004",
                               "}": "\ue005", ":": "\ue006"})  # fmt: skip
_NUM = r"[-+]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][-+]?[0-9]+)?"
RANGE_RE = re.compile(rf"^({_NUM})\s*\.\.\s*({_NUM})$")
TOL_RE = re.compile(rf"^({_NUM})\s*(?::\s*({_NUM}))?$")


_SENTINEL_RE = re.compile("[\ue000-\ue007]")
_BRACE_RE = re.compile(r"[{}]")
# Answers start at each mark: '=' or '~' in choices, '=' elsewhere.
SPLIT_RES = {marks: re.compile(f"(?=[{re.escape(marks)}])") for marks in ("=~", "=")}


def unescape(text: str) -> str:
    """The text with its escape sentinels back as the characters they stand for."""
    if not _SENTINEL_RE.search(text):
        return text
    return text.translate(_UNESCAPE_TABLE)


@dataclass
class RawAnswer:
    """One answer inside the braces: its mark ('=', '~' or ''), weight, text and feedback."""

    mark: str
    weight: float
    text: str
    feedback: str


class Block:
    """The lines of one question, with a way to find the line of an offset."""

    def __init__(self, start: int, text: str) -> None:
        self.start = start
        self.text = text

    def line_at(self, offset: int) -> int:
        """The file's line number of an offset into the block's text."""
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
            line = ESCAPE_RE.sub("", line)
        m = _BRACE_RE.search(line)
        if m:
            return m.group(0)
    return ""


def _code(lines: list[tuple[int, str]]) -> str:
    """The lines of a block that are not comments."""
    return "\n".join(line for _, line in lines if not COMMENT_RE.match(line))


def _open_braces(text: str, depth: int = 0) -> int:
    """How many '{' are left open after `text`, `depth` being open before (escapes don't count)."""
    for ch in ESCAPE_RE.sub("", text):
        if ch == "{":
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
    return depth


def question_blocks(text: str) -> list[list[tuple[int, str]]]:
    """The blocks of (line number, line) of a GIFT text, one per question or category line."""
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
    return merged


MARKER_RE = re.compile("\ue020([0-9]+)\ue021")


def marker(index: int) -> str:
    """A stand-in for the embedded cloze part `index` while the text is converted."""
    return f"\ue020{index}\ue021"


class Numbered:
    """A re.sub callback giving each match the next marker."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, _: re.Match[str]) -> str:
        """The marker of the next match."""
        self.count += 1
        return marker(self.count - 1)


def to_float(text: str) -> float:
    """A number as GIFT writes it, a decimal comma allowed."""
    return float(text.replace(",", "."))


def casefold_unique(values: list[str]) -> list[str]:
    """Answers without repeats that differ only in case (typed answers ignore case)."""
    seen: set[str] = set()
    out = []
    for v in values:
        key = v.casefold()
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out
