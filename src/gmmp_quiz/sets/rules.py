"""The set format's rules in one place: kinds and their fields, limits, id and language forms.

Every reader of the format takes its rules from here: the YAML checker (validation.py and its
check_*.py parts), the importers' fast data check (datacheck.py), the JSON Schema (schema.py,
generated from these tables) and the importers (formats/). Change a rule here and all of them
follow; what each reader does with a rule (its messages, its positions) stays its own.
"""

from __future__ import annotations

import re
import unicodedata

from gmmp_quiz.model import GAP_RE as GAP_RE  # a cloze gap, {{answer|alternative}}
from gmmp_quiz.model import Kind

# -- forms of ids, languages and numbers -------------------------------------------------------

# A set or question id: what a file name, a URL and a progress key all take without quoting.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$"
ID_RE = re.compile(ID_PATTERN)
# A BCP 47 language tag, as far as sets use one (fr, en, pt-BR, zh-Hant).
LANG_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
LANG_RE = re.compile(LANG_PATTERN)
# A plain (unquoted) decimal that is read as the text it shows where a text is expected.
PLAIN_NUMBER_RE = re.compile(r"^[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?$")
# The decimal numbers a number field takes (after '_' separators are dropped): no octal,
# sexagesimal, hex or infinities, which YAML 1.1 tools read differently.
DECIMAL_RE = re.compile(r"^[-+]?(0|[1-9][0-9]*)(\.[0-9]*)?([eE][-+]?[0-9]+)?$")
DECIMAL_POINT_FIRST_RE = re.compile(r"^[-+]?\.[0-9]+([eE][-+]?[0-9]+)?$")

# -- refused characters -------------------------------------------------------------------------

# C0 controls other than tab/newline/CR, DEL, C1 controls, bidi embeddings/overrides/isolates.
# Lone surrogates too: only text made in memory (or a "\ud800" escape) can hold one, and it
# cannot be written as UTF-8.
BAD_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
# In the raw text of a file.
BAD_CHAR_RE = re.compile(f"[{BAD_CHARS}]")
# In a value, once YAML has turned its line ends into newlines, a carriage return is refused too
# unless a line feed follows it (a "\r\n" escape, as a multi-line CSV cell gives): alone, it
# sends the cursor back to overwrite the start of the line.
ESCAPED_BAD_RE = re.compile(f"[{BAD_CHARS}]|\r(?!\n)")

# -- limits ---------------------------------------------------------------------------------------

MAX_BYTES = 10 * 1024 * 1024  # a set file
MAX_DEPTH = 1000  # nesting; libyaml 0.2.6 refuses deeper, older builds are held to it too
MIN_QUESTIONS = 1
MIN_CHOICES = 2  # choice and multi
MIN_ANSWERS = 1  # a multi's right choices
MIN_ITEMS = 2  # an order question's items
MIN_PAIRS = 2  # a match question's pairs
MIN_GAP_CHOICES = 2  # the choices offered for one cloze gap
MIN_ANY_ORDER = 2  # gaps in one any_order group
MAX_WEIGHT = 100  # percent of a question's mark
MIN_CHOICE_WEIGHT = -100  # a wrong choice may cost marks (Moodle's negative weights)
MIN_ALT_WEIGHT = 0  # an alternative answer earns part of the mark, never less than nothing
MIN_TOLERANCE = 0

# -- keys -----------------------------------------------------------------------------------------

SET_KEYS = (
    "id",
    "title",
    "description",
    "language",
    "source",
    "tags",
    "tag_names",
    "options",
    "questions",
)
SET_REQUIRED = ("id", "title", "language", "questions")
SET_TEXT_KEYS = ("title", "description", "source")
# The set's options and their values when not given.
OPTION_DEFAULTS = {"shuffle": True, "strict_accents": False}
OPTION_KEYS = tuple(OPTION_DEFAULTS)
COMMON_KEYS = (
    "id",
    "type",
    "prompt",
    "explanation",
    "background",
    "source",
    "tags",
    "shuffle",
    "strict_accents",
)
QUESTION_REQUIRED = ("id", "type")
QUESTION_TEXT_KEYS = ("prompt", "explanation", "background", "source")
QUESTION_FLAG_KEYS = OPTION_KEYS  # a question may override the set's options
KIND_KEYS: dict[Kind, tuple[str, ...]] = {
    Kind.FLASHCARD: ("front", "back"),
    Kind.CHOICE: ("choices", "answer"),
    Kind.MULTI: ("choices", "answers"),
    Kind.TRUE_FALSE: ("answer", "feedback", "wrong_feedback"),
    Kind.SHORT: ("answer", "alternatives", "feedback", "wrong_feedback"),
    Kind.NUMERIC: ("answer", "tolerance", "unit", "alternatives", "feedback", "wrong_feedback"),
    Kind.CLOZE: ("text", "any_order", "options"),
    Kind.ORDER: ("items",),
    Kind.MATCH: ("pairs", "distractors"),
}
REQUIRED_KEYS: dict[Kind, tuple[str, ...]] = {
    Kind.FLASHCARD: ("front", "back"),
    Kind.CHOICE: ("prompt", "choices", "answer"),
    Kind.MULTI: ("prompt", "choices", "answers"),
    Kind.TRUE_FALSE: ("prompt", "answer"),
    Kind.SHORT: ("prompt", "answer"),
    Kind.NUMERIC: ("prompt", "answer"),
    Kind.CLOZE: ("text",),
    Kind.ORDER: ("prompt", "items"),
    Kind.MATCH: ("prompt", "pairs"),
}
# A flashcard's text is its front: it has no prompt.
NO_PROMPT_KINDS = frozenset((Kind.FLASHCARD,))
ALL_QUESTION_KEYS = tuple(dict.fromkeys(COMMON_KEYS + sum(KIND_KEYS.values(), ())))
ANSWER_FEEDBACK_KEYS = ("feedback", "wrong_feedback")
# A choice written as a mapping (it has a `text`).
CHOICE_KEYS = ("text", "feedback", "weight")
# An alternative answer written as a mapping: a short answer's (it has a `text`) or a numeric's.
SHORT_ALT_KEYS = ("text", "weight", "feedback", "wildcard")
NUMERIC_ALT_KEYS = ("answer", "tolerance", "weight", "feedback")
PAIR_KEYS = ("left", "right")


def question_keys(kind: Kind) -> tuple[str, ...]:
    """The keys a question of `kind` may have: the common ones, then its own."""
    common = tuple(k for k in COMMON_KEYS if k != "prompt" or kind not in NO_PROMPT_KINDS)
    return common + KIND_KEYS[kind]


def question_required(kind: Kind) -> tuple[str, ...]:
    """The keys a question of `kind` must have."""
    return QUESTION_REQUIRED + REQUIRED_KEYS[kind]


# -- slugs ----------------------------------------------------------------------------------------

# Slug words are runs of a-z and 0-9: every other byte becomes a space to split on.
_SLUG_TABLE = bytes(
    c if chr(c) in "abcdefghijklmnopqrstuvwxyz0123456789" else 32 for c in range(256)
)


def slug(text: str, max_len: int = 40) -> str:
    """A lower-case ASCII slug of a text (empty if nothing is left): a valid id when not empty."""
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
