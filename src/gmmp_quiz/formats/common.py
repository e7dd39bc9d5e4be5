"""Helpers shared by the importers: text cleaning, HTML to text, stable ids and the result."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gmmp_quiz.errors import Problem
from gmmp_quiz.i18n import _, ngettext

# The loader rejects these (control characters, C1, bidi overrides): importers drop them and say so.
BAD_CHAR_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]|\r(?!\n)"
)
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")

# Only real HTML tag names count as markup, so that "a < b > c" in plain text is left alone.
_TAGS = (
    "a|abbr|b|big|blockquote|br|caption|center|cite|code|col|dd|del|div|dl|dt|em|font|h[1-6]|hr|"
    "i|img|ins|kbd|li|mark|ol|p|pre|q|s|samp|small|span|strike|strong|sub|sup|table|tbody|td|tfoot|"
    "th|thead|tr|tt|u|ul|var|audio|video|source|figure|figcaption|section|article|header|footer"
)
HTML_TAG_RE = re.compile(rf"</?(?:{_TAGS})(?:\s[^<>]*)?/?>", re.IGNORECASE)
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_BLOCK_END_RE = re.compile(r"<\s*/\s*(?:p|div|h[1-6]|li|tr|blockquote|pre|ul|ol|table)\s*>", re.I)
_BLOCK_START_RE = re.compile(
    r"<\s*(?:p|div|h[1-6]|tr|blockquote|pre|ul|ol|table)(?:\s[^<>]*)?>", re.I
)
_BR_RE = re.compile(r"<\s*br\s*/?\s*>", re.IGNORECASE)
_LI_RE = re.compile(r"<\s*li(?:\s[^<>]*)?>", re.IGNORECASE)
_IMG_RE = re.compile(r"<\s*img\b[^<>]*>", re.IGNORECASE)
_MEDIA_RE = re.compile(r"<\s*(?:audio|video|source)\b[^<>]*>", re.IGNORECASE)
_SRC_RE = re.compile(r"""src\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_ANY_TAG_RE = re.compile(r"<[A-Za-z/!][^<>]*>")
_SOUND_RE = re.compile(r"\[sound:[^\]]*\]")
# An HTML comment disappears whole, with any tags inside it.
_HTML_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_LINK_RE = re.compile(
    r"""<\s*a\b[^<>]*?href\s*=\s*["']?([^"'\s>]+)[^<>]*>(.*?)<\s*/\s*a\s*>""",
    re.IGNORECASE | re.DOTALL,
)
# Slug words are runs of a-z and 0-9: every other byte becomes a space to split on.
_SLUG_TABLE = bytes(
    c if chr(c) in "abcdefghijklmnopqrstuvwxyz0123456789" else 32 for c in range(256)
)
_HTML_SPACE_RE = re.compile(r"\s\s|[^\S ]")
# Texts without any of these need no conversion at all (the common, fast case).
_NEEDS_WORK_RE = re.compile(
    "[<&@\\[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


@dataclass
class ImportResult:
    """A question set as plain data in the project's YAML shape, and what was skipped or changed."""

    data: dict[str, Any]
    notes: list[Problem] = field(default_factory=list)
    skipped: int = 0
    fmt: str = ""
    # Of the skipped, how many were malformed (not just of a kind that cannot come in).
    bad: int = 0


class Notes:
    """Collects `FILE:LINE: message` notes for one imported file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[Problem] = []
        self.skipped = 0

    def add(self, line: int, message: str) -> None:
        """Record that something at `line` was changed or dropped."""
        self.items.append(Problem(self.path, line, 0, message))

    def skip(self, line: int, message: str) -> None:
        """Record that the question at `line` was not imported."""
        self.skipped += 1
        self.add(line, message)

    def text(self, raw: str, line: int, html_mode: bool | None = None) -> str:
        """`raw` as plain text: HTML converted (always, never, or when it looks like HTML).

        Images and control characters are removed and reported at `line`.
        """
        if not _NEEDS_WORK_RE.search(raw) and not (html_mode and _HTML_SPACE_RE.search(raw)):
            return raw.strip()
        dropped: list[str] = []
        text = _HTML_COMMENT_RE.sub("", raw) if "<!--" in raw else raw
        if html_mode or (html_mode is None and looks_like_html(text)):
            text = html_to_text(text, dropped)
        text = drop_sounds(text, dropped)
        text, count = clean_text(text)
        if count:
            self.add(
                line,
                ngettext(
                    "removed {count} control character(s)",
                    "removed {count} control character(s)",
                    count,
                ).format(count=count),
            )
        for item in dropped:
            self.add(
                line, _("media cannot be shown in a terminal, dropped: {item}").format(item=item)
            )
        if "@@PLUGINFILE@@" in text:
            self.add(
                line,
                _("the text links to a Moodle file (@@PLUGINFILE@@) that was not exported"),
            )
        return text.strip()


def looks_like_html(text: str) -> bool:
    """Whether a text holds real HTML tags or entities (rather than a stray '<')."""
    return bool(HTML_TAG_RE.search(text) or _ENTITY_RE.search(text))


def html_to_text(text: str, dropped: list[str] | None = None) -> str:
    """Plain text of an HTML fragment: tags stripped, breaks kept, entities decoded.

    Images and media cannot be shown in a terminal: their sources are appended to `dropped`.
    """
    for regex in (_IMG_RE, _MEDIA_RE):
        for m in regex.finditer(text):
            src = _SRC_RE.search(m.group(0))
            if dropped is not None:
                dropped.append(src.group(1) if src else "(no source)")
    # A link cannot be followed from a terminal: its address is kept beside its text.
    text = _LINK_RE.sub(_link, text)
    if "<pre" in text or "<PRE" in text:
        # Preformatted text (code) keeps its spaces and lines through the collapsing below.
        text = _PRE_RE.sub(lambda m: m.group(0).translate(_PRE_KEEP), text)
    # In HTML, source line breaks are just spaces; only tags make breaks.
    text = re.sub(r"\s+", " ", text)
    text = _BR_RE.sub("\n", text)
    text = _LI_RE.sub("\n- ", text)
    text = _BLOCK_END_RE.sub("\n\n", text)
    text = _BLOCK_START_RE.sub("\n\n", text)
    text = _ANY_TAG_RE.sub("", text)
    text = html.unescape(text).replace("\xa0", " ")
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines).translate(_PRE_BACK)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


_PRE_RE = re.compile(r"<\s*pre\b[^<>]*>.*?<\s*/\s*pre\s*>", re.IGNORECASE | re.DOTALL)
_PRE_KEEP = str.maketrans({" ": "\ue030", "\t": "\ue031", "\n": "\ue032"})
_PRE_BACK = str.maketrans({"\ue030": " ", "\ue031": "\t", "\ue032": "\n"})


def _link(m: re.Match[str]) -> str:
    href, label = m.group(1), m.group(2)
    shown = _ANY_TAG_RE.sub("", label).strip()
    return f"{label} ({href})" if shown and href not in shown else (label if shown else href)


def clean_text(text: str) -> tuple[str, int]:
    """The text without the characters the loader rejects, and how many were removed.

    A lone carriage return (old Mac line ends) becomes a line end: the loader refuses it, and it
    would send a terminal's cursor back over the line.
    """
    text = _LONE_CR_RE.sub("\n", text)
    cleaned, count = BAD_CHAR_RE.subn("", text)
    return cleaned, count


_LONE_CR_RE = re.compile("\r(?!\n)")


def drop_sounds(text: str, dropped: list[str]) -> str:
    """Remove Anki `[sound:...]` references (recorded in `dropped`)."""
    for m in _SOUND_RE.finditer(text):
        dropped.append(m.group(0))
    return _SOUND_RE.sub("", text)


def slug(text: str, max_len: int = 40) -> str:
    """A lower-case ASCII slug of a text (empty if nothing is left)."""
    if text.isascii():
        raw = text.encode("ascii")
    else:
        raw = unicodedata.normalize("NFKD", text).encode("ascii", "ignore")
    # Bytes: lower-casing and splitting ASCII there is several times quicker than a regex.
    out = b"-".join(raw.lower().translate(_SLUG_TABLE).split()).decode("ascii")
    if len(out) <= max_len:
        return out
    # Whole words up to max_len; a first word longer than that is cut.
    cut = out.rfind("-", 0, max_len + 1)
    return out[:cut] if cut > 0 else out[:max_len]


def _normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def content_id(prompt: str, answers: list[str]) -> str:
    """A stable question id: a slug of the prompt and a hash of the prompt and answers."""
    key = "\x1f".join([_normalise(prompt), *map(_normalise, answers)])
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=4).hexdigest()
    stem = slug(prompt, 40) or "q"
    return f"{stem}-{digest}"


def id_from_label(label: str) -> str:
    """An id from a given label (GIFT title, Anki guid): kept when valid, else slugged or hashed."""
    label = label.strip()
    if ID_RE.match(label):
        return label
    stem = slug(label, 60)
    if stem and len(stem) >= 3:
        return stem
    digest = hashlib.blake2b(label.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()
    return f"{stem or 'q'}-{digest}"


class IdAllocator:
    """Gives each question a unique id; true duplicates get `-2`, `-3`... in file order."""

    def __init__(self, notes: Notes) -> None:
        self.notes = notes
        self.first_line: dict[str, int] = {}
        # The next suffix to try per base: counting up from -2 for every duplicate would be
        # quadratic in a file of many identical cards.
        self.next_suffix: dict[str, int] = {}

    def allocate(self, wanted: str, line: int) -> str:
        """`wanted` if still free, else the first free `wanted-N` (reported)."""
        if wanted not in self.first_line:
            self.first_line[wanted] = line
            return wanted
        base = wanted[:94]
        n = self.next_suffix.get(base, 2)
        while f"{base}-{n}" in self.first_line:
            n += 1
        self.next_suffix[base] = n + 1
        qid = f"{base}-{n}"
        self.first_line[qid] = line
        self.notes.add(
            line,
            _(
                "same question id {wanted!r} as the question on line {value} (a duplicate?): "
                "imported as {qid!r}"
            ).format(wanted=wanted, value=self.first_line[wanted], qid=qid),
        )
        return qid


def common_prefix(guids: list[str]) -> str:
    """`SET.` when every guid is `SET.QUESTION` for one SET (this app's exports), else ''.

    Stripped, it gives the question ids back as they were in the exported set.
    """
    if not guids or not all(guids):
        return ""
    first = guids[0].partition(".")[0] + "."
    if len(first) < 2 or not all(g.startswith(first) and len(g) > len(first) for g in guids):
        return ""
    return first


def tag_word(text: str) -> str:
    """A tag from a label: trimmed, inner spaces turned into '-'."""
    return "-".join(text.split())


def unique(values: list[str]) -> list[str]:
    """The values without repeats, first occurrence kept."""
    return list(dict.fromkeys(values))


def set_id_from_path(path: str) -> str:
    """A set id from a file name: its slug, or 'imported' when nothing usable is left."""
    name = re.split(r"[\\/]", path)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return slug(stem, 80) or "imported"


def title_from_path(path: str) -> str:
    """A title from a file name: its stem with '_' and '-' as spaces."""
    name = re.split(r"[\\/]", path)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    title = " ".join(re.split(r"[_\-\s]+", stem)).strip()
    return title or "Imported questions"


def number(value: float) -> int | float:
    """An int when the value is whole (so YAML shows 1822, not 1822.0)."""
    if value == int(value) and abs(value) < 1e15:
        return int(value)
    return value


@dataclass
class Answer:
    """A typed answer as a bank gives it: text, weight (percent), feedback, `*` as a wildcard."""

    text: str
    weight: float
    feedback: str = ""
    wildcard: bool = False


def typed_answer(text: str) -> tuple[str, bool]:
    """A short answer's text and whether its `*` is a wildcard (Moodle's; `\\*` is a star)."""
    if "*" not in text:
        return text, False
    wildcard = bool(re.search(r"(?<!\\)\*", text))
    return text.replace("\\*", "*"), wildcard


def short_data(prompt: str, answers: list[Answer], wrong_feedback: str) -> dict[str, Any]:
    """A `short` question from a bank's typed answers (at least one worth something).

    The first full-credit answer that is no pattern is the one shown; the others are
    alternatives, plain when they are full answers without feedback of their own.
    """
    full = [a for a in answers if a.weight >= 100]
    main = next((a for a in full if not a.wildcard), None) or (
        full[0] if full else max(answers, key=lambda a: a.weight)
    )
    question: dict[str, Any] = {"type": "short", "prompt": prompt, "answer": main.text}
    alternatives: list[Any] = []
    for a in answers:
        if a is main and not a.wildcard:
            continue
        if a.weight >= 100 and not a.feedback and not main.feedback and not a.wildcard:
            alternatives.append(a.text)
            continue
        alt: dict[str, Any] = {"text": a.text}
        if a.weight < 100:
            alt["weight"] = number(a.weight)
        if a.feedback and a is not main:
            alt["feedback"] = a.feedback
        if a.wildcard:
            alt["wildcard"] = True
        alternatives.append(alt)
    if alternatives:
        question["alternatives"] = alternatives
    if main.feedback:
        question["feedback"] = main.feedback
    if wrong_feedback:
        question["wrong_feedback"] = wrong_feedback
    return question


@dataclass
class Option:
    """A choice as a bank gives it: its text, weight (percent) and feedback."""

    text: str
    weight: float
    feedback: str = ""


def right_options(options: list[Option], single: bool) -> list[Option]:
    """The right choices: worth 100 % in a one-answer question, anything above 0 in a multi."""
    return [o for o in options if o.weight >= 100 or (not single and o.weight > 0)]


def choice_data(
    prompt: str, options: list[Option], single: bool, note: Callable[[str], None]
) -> dict[str, Any]:
    """A `choice` or `multi` question from a bank's choices (as Moodle reads them).

    One-answer: the first full-credit choice is the answer, the others keep their weights
    (another 100 % one is right too). Multi: the weights as given when the right ones add
    up to 100 (else equal shares, noted); none written when they are the app's own scoring.
    The caller has checked that there is a right choice.
    """
    rights = right_options(options, single)
    if single:
        answer = rights[0]
        return {
            "type": "choice",
            "prompt": prompt,
            "choices": [_option(o, o is not answer) for o in options],
            "answer": answer.text,
        }
    total = sum(o.weight for o in rights)
    keep = abs(total - 100) <= 0.01
    if not keep:
        note(
            _(
                "the right choices' weights add up to {total:g}%, not 100%: each right choice "
                "now earns an equal share"
            ).format(total=total)
        )
    # The app's own scoring (one share each way) needs no weights written out.
    plain = all(
        abs(o.weight - (100 if o in rights else -100) / len(rights)) < 1e-3 for o in options
    )
    return {
        "type": "multi",
        "prompt": prompt,
        "choices": [
            _option(o, not plain and (keep or o not in rights), keep_zero=True) for o in options
        ],
        "answers": [o.text for o in rights],
    }


def _option(o: Option, keep_weight: bool, keep_zero: bool = False) -> Any:
    """A choice as set data: its text alone, or a mapping when it has feedback or a weight.

    A weight of 0 is written only with `keep_zero`: in a multi, a wrong choice without a
    weight takes a share back, and 0 says it does not.
    """
    out: dict[str, Any] = {"text": o.text}
    if keep_weight and (o.weight != 0 or keep_zero):
        out["weight"] = number(max(-100.0, min(o.weight, 100.0)))
    if o.feedback:
        out["feedback"] = o.feedback
    return out if len(out) > 1 else o.text
