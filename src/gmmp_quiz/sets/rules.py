"""The set format's rules that every reader shares: id and language forms, refused characters."""

from __future__ import annotations

import re
import unicodedata

# A set or question id: what a file name, a URL and a progress key all take without quoting.
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
# A BCP 47 language tag, as far as sets use one (fr, en, pt-BR, zh-Hant).
LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# C0 controls other than tab/newline/CR, DEL, C1 controls, bidi embeddings/overrides/isolates.
# Lone surrogates too: only text made in memory (or a "\ud800" escape) can hold one, and it
# cannot be written as UTF-8.
BAD_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
BAD_CHAR_RE = re.compile(f"[{BAD_CHARS}]")

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
