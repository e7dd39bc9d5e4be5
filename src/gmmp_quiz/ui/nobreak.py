"""No-break spaces that do not break: French typography survives Textual's line wrapping.

Textual wraps Content with Rich's `divide_line`, whose words are split at any `\\s`, and in
Python `\\s` matches U+00A0 and U+202F. A French line could then start with "?", "!", ":" or
"»", which the typography (gmmp_quiz.i18n.typeset) exists to prevent. This widens a "word" to
run across those two spaces. Rich and Textual are pinned (Textual exactly): a test wraps a
French sentence at every width and fails if a line starts with one of those marks.
"""

from __future__ import annotations

import re

import rich._wrap

NO_BREAK = "\u00a0\u202f\u2007\u2060"
_BREAKABLE = rf"[^\S{NO_BREAK}]"
_WORD = rf"(?:\S|[{NO_BREAK}])"

rich._wrap.re_word = re.compile(rf"{_BREAKABLE}*{_WORD}+{_BREAKABLE}*")
