"""Interface strings and their translations (gettext catalogues), and the interface language.

Every shown string is written in English in the code, marked for `pybabel extract` (`_`,
`ngettext`, `N_`, `NP_`), and translated through the catalogues in `gmmp_quiz/locale`; French
text is then typeset the French way. docs/translating.md tells how to add a language.
"""

from __future__ import annotations

import argparse
import gettext
import io
import locale
import os
import re
import struct
import zlib
from datetime import datetime
from importlib import resources

from gmmp_quiz import msgfmt
from gmmp_quiz.i18n_strings import HELP as HELP
from gmmp_quiz.i18n_strings import N_ as N_
from gmmp_quiz.i18n_strings import NN_ as NN_
from gmmp_quiz.i18n_strings import NP_ as NP_
from gmmp_quiz.i18n_strings import STRINGS as STRINGS
from gmmp_quiz.i18n_strings import Msg as Msg

LANGS = ("fr", "en")
DOMAIN = "gmmp_quiz"

_CATALOGUES: dict[str, gettext.NullTranslations] = {}


def catalogue(lang: str) -> gettext.NullTranslations:
    """The translations into `lang`: its compiled catalogue, compiled from its .po when the .mo
    was not built (a source checkout), or none (English as written)."""
    found = _CATALOGUES.get(lang)
    if found is not None:
        return found
    folder = resources.files("gmmp_quiz") / "locale" / lang / "LC_MESSAGES"
    mo, po = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    if mo.is_file():
        found = gettext.GNUTranslations(io.BytesIO(mo.read_bytes()))
    elif po.is_file():
        found = _from_po(po.read_bytes(), lang)
    else:
        found = gettext.NullTranslations()
    _CATALOGUES[lang] = found
    return found


def _from_po(po: bytes, lang: str) -> gettext.GNUTranslations:
    """The translations of a .po (a source checkout), compiled once into the cache: compiling
    takes some 20 ms, at every start otherwise."""
    from gmmp_quiz import paths

    # Two 32-bit checksums of the .po name its compiled form: zlib is loaded at start already,
    # where hashlib would cost the first frame 2 ms for this alone.
    digest = f"{zlib.crc32(po):08x}{zlib.adler32(po):08x}"
    cached = paths.cache_dir() / "catalogues" / f"{lang}-{digest}.mo"
    try:
        return gettext.GNUTranslations(io.BytesIO(cached.read_bytes()))
    except (OSError, ValueError, LookupError, struct.error):
        pass  # missing or damaged: compiled again
    compiled = msgfmt.compile_po(po.decode("utf-8"))
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a start reading it meanwhile never sees half of it.
        tmp = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        tmp.write_bytes(compiled)
        os.replace(tmp, cached)
    except OSError:
        pass  # a read-only cache: compiled again next time
    return gettext.GNUTranslations(io.BytesIO(compiled))


def translate(message: Msg, lang: str) -> str:
    """`message` in `lang` (as written when the catalogue lacks it), typeset for `lang`."""
    return typeset(lookup(message, lang), lang)


def english(message: Msg) -> str:
    """The English text of a marked message."""
    return message[1] if isinstance(message, tuple) else message


# The language of the command line's messages (argparse's and ours), set once the arguments
# have been looked at; English until then.
_current = "en"


def use_lang(lang: str) -> None:
    """Make `lang` the language of `_`, `ngettext` and argparse's own messages."""
    global _current
    _current = lang
    # argparse translates its own messages with the gettext functions it imported: point them
    # at this catalogue, which holds their French (see cli_messages.py).
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


def current_lang() -> str:
    """The language chosen with `use_lang`."""
    return _current


def _(message: str) -> str:
    """`message` in the command line's language."""
    return translate(message, _current)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, in the command line's language."""
    return typeset(catalogue(_current).ngettext(singular, plural, n), _current)


def nt(singular: str, plural: str, count: int, lang: str, **values: object) -> str:
    """The form for `count` in `lang`, formatted with `values` (`n`: the count unless given),
    typeset."""
    text = catalogue(lang).ngettext(singular, plural, count).format(**{"n": count, **values})
    return typeset(text, lang)


def detect_lang(explicit: str | None = None) -> str:
    """The interface language: `--lang`, else the locale's when it is French, else English."""
    if explicit in LANGS:
        return explicit
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    return "fr" if code.lower().startswith("fr") else "en"


def t(key: str, lang: str, **values: object) -> str:
    """The interface string `key` in `lang` (English when missing), formatted with `values`."""
    text = lookup(STRINGS[key], lang)
    text = text.format(**values) if values else text
    return typeset(text, lang)


def help_sections(lang: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """The help's sections in `lang`, not yet typeset: (title, ((keys, what they do), ...))."""
    return tuple(
        (lookup(title, lang), tuple((lookup(k, lang), lookup(d, lang)) for k, d in rows))
        for title, rows in HELP
    )


def lookup(message: Msg, lang: str) -> str:
    """`message` in `lang`, not typeset (English as written when the catalogue lacks it)."""
    trans = catalogue(lang)
    if isinstance(message, tuple):
        return trans.pgettext(*message)
    return trans.gettext(message) if message else message


NNBSP = "\u202f"  # narrow no-break space: before ? ! ; and inside « »
NBSP = "\u00a0"  # no-break space: before :
# A space (or none) before ? ! ; », after «, before a colon that ends a word or label. URLs and
# times ("https://", "9:30") keep their colon: only a colon preceded by a space is touched.
_BEFORE_TALL = re.compile(r"[ \u00a0\u202f]*([?!;»])")
_AFTER_GUILLEMET = re.compile(r"«[ \u00a0\u202f]*")
_BEFORE_COLON = re.compile(r"[ \u00a0\u202f]+:")
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")
_PERCENT = re.compile(r"(?<=\d)[ \u00a0\u202f]?%")


def typeset(text: str, lang: str | None) -> str:
    """French typography for French text: no-break spaces before ? ! ; : and inside « », and
    the typographic apostrophe between letters.

    Shown text only (never what is graded or stored): a line then never starts with "?" or "»".
    """
    if not lang or not lang.startswith("fr") or not text:
        return text
    if "'" in text:
        text = _APOSTROPHE.sub("’", text)  # "l'article" -> "l’article", as the set writes it
    if not any(c in text for c in "?!;:«»%"):
        return text
    text = _BEFORE_TALL.sub(lambda m: _tall(m, text), text)
    text = _AFTER_GUILLEMET.sub("«" + NNBSP, text)
    text = _PERCENT.sub(NNBSP + "%", text)
    return _BEFORE_COLON.sub(NBSP + ":", text)


def _tall(match: re.Match[str], text: str) -> str:
    mark = match.group(1)
    start, end = match.start(), match.end()
    # A fragment that starts with " ;" (" ; vouliez-vous dire...") is glued to what precedes it
    # when shown: keep its space, made the right one. At the start of a line, nothing to glue to.
    prev = text[start - 1] if start else ""
    if prev == "\n" or (not prev and match.group(0) == mark):
        return mark
    if match.group(0) != mark:
        return NNBSP + mark  # a space was there: make it the right, unbreakable one
    after = text[end] if end < len(text) else " "
    # No space was there: add one only in prose ("Quoi?" then a space or the end), never
    # inside a URL or a code ("?q=1", "&amp;") or between marks ("?!").
    if (prev.isalnum() or prev in "»)\"'’") and (after.isspace() or after in "?!;»)\"'’.,"):
        return NNBSP + mark
    return mark


MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "fr": (
        "janv.",
        "févr.",
        "mars",
        "avr.",
        "mai",
        "juin",
        "juil.",
        "août",
        "sept.",
        "oct.",
        "nov.",
        "déc.",
    ),
}


def short_date(when: datetime | None, lang: str, *, time: bool = True) -> str:
    """A local date (and time) the way each language writes it: "14 janv. 09:30", "Jan 14 09:30"."""
    if when is None:
        return "—"
    local = when.astimezone()
    month = MONTHS.get(lang, MONTHS["en"])[local.month - 1]
    day = f"{local.day} {month}" if lang == "fr" else f"{month} {local.day}"
    return f"{day} {local:%H:%M}" if time else day


def percent(value: float, lang: str) -> str:
    """A share (0..1) as a whole percentage: "80%", or "80 %" (narrow no-break space) in French."""
    return f"{round(value * 100)}{NNBSP if lang.startswith('fr') else ''}%"


def colon(label: str, lang: str) -> str:
    """A label followed by a colon, spaced the French way in French."""
    return f"{typeset(label, lang)}{NBSP}: " if lang == "fr" else f"{label}: "
