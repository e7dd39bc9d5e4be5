"""The gettext catalogues: every marked message is in the template and translated, none fuzzy."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from gmmp_quiz import msgfmt
from gmmp_quiz.i18n import STRINGS, catalogue, help_sections, nt, t

ROOT = Path(__file__).parents[1]
LOCALE = ROOT / "src" / "gmmp_quiz" / "locale"
LANGS = ("fr", "en")
# The keywords of docs/translating.md's `pybabel extract` (Babel's defaults, plus these).
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "N_": None,
    "NP_": ((1, "c"), 2),
    "NN_": (1, 2),
    "nt": (1, 2),
}


def _key(msgid: str | tuple[str, ...] | list[str], context: str | None) -> tuple:
    first = msgid if isinstance(msgid, str) else msgid[0]
    return (context, first)


@pytest.fixture(scope="module")
def extracted() -> set[tuple]:
    found = set()
    for _file, _line, msgid, _comments, context in extract_from_dir(
        str(ROOT / "src"), keywords=KEYWORDS, comment_tags=()
    ):
        found.add(_key(msgid, context))
    assert len(found) > 300
    return found


def _read(path: Path):
    with path.open("rb") as fh:
        return read_po(fh)


def test_template_holds_every_marked_message(extracted: set[tuple]) -> None:
    template = {_key(m.id, m.context) for m in _read(LOCALE / "gmmp_quiz.pot") if m.id}
    assert sorted(extracted - template, key=str) == [], "run the extract step of translating.md"
    assert sorted(template - extracted, key=str) == [], "the template has messages no code uses"


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_translates_every_message(lang: str, extracted: set[tuple]) -> None:
    po = _read(LOCALE / lang / "LC_MESSAGES" / "gmmp_quiz.po")
    entries = {_key(m.id, m.context): m for m in po if m.id}
    assert sorted(extracted - set(entries), key=str) == [], f"missing from {lang}.po"
    fuzzy = sorted(str(k) for k, m in entries.items() if m.fuzzy)
    assert fuzzy == [], f"fuzzy entries in {lang}.po"
    untranslated = sorted(
        str(k)
        for k, m in entries.items()
        if not (m.string if isinstance(m.string, str) else all(m.string))
    )
    assert untranslated == [], f"untranslated entries in {lang}.po"
    obsolete = sorted(str(k) for k in po.obsolete)
    assert obsolete == [], f"obsolete entries in {lang}.po"


@pytest.mark.parametrize("lang", LANGS)
def test_stdlib_compiler_matches_babel(lang: str) -> None:
    path = LOCALE / lang / "LC_MESSAGES" / "gmmp_quiz.po"
    ours = gettext.GNUTranslations(io.BytesIO(msgfmt.compile_po(path.read_text("utf-8"))))
    buffer = io.BytesIO()
    write_mo(buffer, _read(path))
    babels = gettext.GNUTranslations(io.BytesIO(buffer.getvalue()))
    assert ours._catalog == babels._catalog  # type: ignore[attr-defined]


def test_compiler_leaves_out_fuzzy_and_untranslated() -> None:
    text = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        '#, fuzzy\nmsgid "Old"\nmsgstr "Vieux"\n\n'
        'msgid "Empty"\nmsgstr ""\n\n'
        'msgctxt "k"\nmsgid "Two"\nmsgstr ""\n"Deux"\n\n'
        'msgid "1 set"\nmsgid_plural "{n} sets"\nmsgstr[0] "1 série"\nmsgstr[1] "{n} séries"\n'
    )
    trans = gettext.GNUTranslations(io.BytesIO(msgfmt.compile_po(text)))
    assert trans.gettext("Old") == "Old"
    assert trans.gettext("Empty") == "Empty"
    assert trans.pgettext("k", "Two") == "Deux"
    assert trans.ngettext("1 set", "{n} sets", 1) == "1 série"
    assert trans.ngettext("1 set", "{n} sets", 2) == "{n} séries"


def test_french_is_served_typeset() -> None:
    assert t("undone", "fr") == "Réponse annulée\u00a0: la question est reposée."
    assert t("undone", "en") == "Answer undone: asked again."
    # One English word, two French ones: told apart by their context.
    assert (t("missed", "fr"), t("not_ticked", "fr")) == ("manquées", "oubliée")
    assert help_sections("fr")[0][0] == "Accueil"


def test_plural_forms_follow_each_language() -> None:
    assert catalogue("fr").ngettext("expected %s argument", "expected %s arguments", 1) == (
        "%s valeur attendue"
    )
    # French counts 0 and 1 as singular; English only 1.
    assert nt("expected %s argument", "expected %s arguments", 0, "fr").startswith("%s valeur ")
    assert nt("expected %s argument", "expected %s arguments", 0, "en").endswith("arguments")


def test_every_string_key_has_french() -> None:
    same = [k for k in STRINGS if t(k, "fr") == t(k, "en")]
    # Words the same in both languages ("Score", "Quiz", "Source"...) only.
    assert len(same) < 40, same


def test_a_source_checkout_compiles_each_catalogue_once_into_the_cache(quiz_home: Path) -> None:
    from gmmp_quiz import i18n

    po = (
        Path(i18n.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "gmmp_quiz.po"
    ).read_bytes()
    first = i18n._from_po(po, "fr")
    cached = list((quiz_home / "cache" / "catalogues").glob("fr-*.mo"))
    assert len(cached) == 1
    assert i18n._from_po(po, "fr").gettext("Incorrect") == first.gettext("Incorrect")
    for damage in (b"", b"\xde\x12\x04\x95" + b"\x00" * 10, b"not a catalogue" * 4):
        cached[0].write_bytes(damage)  # damaged: compiled again, and the cache mended
        again = i18n._from_po(po, "fr")
        assert again.gettext("subcommands") == first.gettext("subcommands") != "subcommands"
    assert cached[0].read_bytes()[:4] in (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")


def test_an_edited_catalogue_is_compiled_again(quiz_home: Path) -> None:
    # The compiled form is named after the .po's content: an edit is never hidden by the cache.
    from gmmp_quiz import i18n

    po = (
        Path(i18n.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "gmmp_quiz.po"
    ).read_bytes()
    before = i18n._from_po(po, "fr").gettext("subcommands")
    edited = po.replace(f'msgstr "{before}"'.encode(), b'msgstr "sous-commandes (edited)"', 1)
    assert edited != po and len(edited) != len(po)
    assert i18n._from_po(edited, "fr").gettext("subcommands") == "sous-commandes (edited)"
    assert i18n._from_po(po, "fr").gettext("subcommands") == before
    assert len(list((quiz_home / "cache" / "catalogues").glob("fr-*.mo"))) == 2
