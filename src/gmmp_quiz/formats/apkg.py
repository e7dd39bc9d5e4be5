"""Anki packages (.apkg, .colpkg): the notes of the SQLite collection inside, read as questions.

A package is a zip holding the collection: `collection.anki2` or `collection.anki21` (SQLite,
the legacy schema with note types as JSON in `col`), or, from Anki 2.1.50 on, a
`collection.anki21b` compressed with zstd (the current schema: `notetypes`, `fields`, `decks`
tables), beside a legacy stub that only says "please update Anki". Zstd is read when the
optional `zstandard` module is installed; otherwise such a package is refused with the reason.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
import zipfile
from dataclasses import dataclass
from typing import Any

from gmmp_quiz.errors import Problem, ValidationError
from gmmp_quiz.files import os_reason
from gmmp_quiz.formats.common import (
    IdAllocator,
    ImportResult,
    Notes,
    common_prefix,
    id_from_label,
    tag_word,
    unique,
)
from gmmp_quiz.formats.delimited import card_question
from gmmp_quiz.i18n import _
from gmmp_quiz.model import parse_cloze

MAX_BYTES = 100 * 1024 * 1024
# The uncompressed collection: SQLite needs it whole in memory.
MAX_COLLECTION = 200 * 1024 * 1024
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_TYPE_IN_RE = re.compile(rb"\{\{type:(?:cloze:)?([^}]*)\}\}")


@dataclass
class _NoteType:
    """What the importer needs of a note type: its name, fields, and how its cards ask."""

    name: str
    fields: list[str]
    cloze: bool = False
    typed: bool = False


def _refuse(path: str, message: str) -> ValidationError:
    return ValidationError([Problem(path, 0, 0, message)])


def _too_large(path: str) -> ValidationError:
    return _refuse(
        path,
        _("the collection inside is larger than {mb} MB").format(mb=MAX_COLLECTION >> 20),
    )


def _zip_reason(exc: BaseException) -> str:
    # The zip module's own words are English: say what it means instead.
    if isinstance(exc, OSError) and exc.errno:
        return os_reason(exc)
    if isinstance(exc, RuntimeError) and "encrypted" in str(exc):
        return _("it is encrypted")
    if isinstance(exc, NotImplementedError):
        return _("it is compressed in a way this program cannot read")
    return _("it is damaged")


def _collection_bytes(data: bytes, path: str) -> bytes:
    """The SQLite bytes of the newest collection in the package."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _refuse(path, _("not an Anki package: the file is not a zip archive")) from None
    names = set(archive.namelist())
    for name in ("collection.anki21b", "collection.anki21", "collection.anki2"):
        if name in names:
            break
    else:
        raise _refuse(path, _("not an Anki package: no collection.anki2/anki21/anki21b inside"))
    info = archive.getinfo(name)
    if info.file_size > MAX_COLLECTION:
        raise _too_large(path)
    try:
        raw = archive.read(name)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
        raise _refuse(
            path,
            _("cannot read {name} in the package: {reason}").format(
                name=name, reason=_zip_reason(exc)
            ),
        ) from None
    if raw.startswith(_ZSTD_MAGIC):
        raw = _unzstd(raw, path)
    if not raw.startswith(_SQLITE_MAGIC):
        raise _refuse(
            path, _("{name} in the package is not an SQLite collection").format(name=name)
        )
    return raw


def _unzstd(raw: bytes, path: str) -> bytes:
    try:
        import zstandard  # type: ignore[import-not-found]
    except ImportError:
        raise _refuse(
            path,
            _(
                "this package comes from Anki 2.1.50 or later: its collection is compressed with "
                "zstd, which needs the optional 'zstandard' module (pip install zstandard). Or "
                "export again from Anki with 'Support older Anki versions' ticked"
            ),
        ) from None
    try:
        reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(raw))
        out = reader.read(MAX_COLLECTION + 1)
    except zstandard.ZstdError:
        raise _refuse(path, _("the zstd collection cannot be read (it is damaged)")) from None
    if len(out) > MAX_COLLECTION:
        raise _too_large(path)
    return out


def _note_types(db: sqlite3.Connection) -> dict[int, _NoteType]:
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    types: dict[int, _NoteType] = {}
    if "notetypes" in tables:
        for ntid, name, config in db.execute("SELECT id, name, config FROM notetypes"):
            # NotetypeConfig's first field is its kind, 1 for cloze (absent when 0).
            cloze = bytes(config or b"")[:2] == b"\x08\x01"
            types[ntid] = _NoteType(str(name), [], cloze)
        for ntid, __, name in db.execute("SELECT ntid, ord, name FROM fields ORDER BY ntid, ord"):
            if ntid in types:
                types[ntid].fields.append(str(name))
        for ntid, config in db.execute("SELECT ntid, config FROM templates ORDER BY ntid, ord"):
            if ntid in types and _TYPE_IN_RE.search(bytes(config or b"")):
                types[ntid].typed = True
        return types
    (models,) = db.execute("SELECT models FROM col").fetchone()
    for key, model in json.loads(models or "{}").items():
        fields = [str(f.get("name", "")) for f in model.get("flds", [])]
        qfmts = " ".join(str(t.get("qfmt", "")) for t in model.get("tmpls", []))
        types[int(key)] = _NoteType(
            str(model.get("name", "")),
            fields,
            model.get("type") == 1,
            bool(_TYPE_IN_RE.search(qfmts.encode("utf-8"))),
        )
    return types


def _decks(db: sqlite3.Connection) -> dict[int, str]:
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "decks" in tables:
        return {
            did: str(name).replace("\x1f", "::")
            for did, name in db.execute("SELECT id, name FROM decks")
        }
    (decks,) = db.execute("SELECT decks FROM col").fetchone()
    return {int(k): str(v.get("name", "")) for k, v in json.loads(decks or "{}").items()}


def _role(fields: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [f.strip().lower() for f in fields]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    return None


def _unicase(a: str, b: str) -> int:
    x, y = a.casefold(), b.casefold()
    return (x > y) - (x < y)


def _field(fields: list[str], index: int | None) -> str:
    return fields[index] if index is not None and index < len(fields) else ""


def parse(data: bytes, path: str) -> ImportResult:
    """Import the notes of an Anki package; notes are numbered from 1 in the notes given."""
    raw = _collection_bytes(data, path)
    if raw[18:20] == b"\x02\x02":
        # A WAL-mode database cannot be opened from memory: read it as a rollback-journal one.
        raw = raw[:18] + b"\x01\x01" + raw[20:]
    db = sqlite3.connect(":memory:")
    # Anki's current schema sorts names with its own collation; reading needs it to exist.
    db.create_collation("unicase", _unicase)
    try:
        db.deserialize(raw)
        return _read(db, path)
    except sqlite3.DatabaseError:
        raise _refuse(
            path, _("the collection inside cannot be read: it is not a whole SQLite database")
        ) from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _refuse(
            path,
            _("the collection inside is not as Anki writes it ({error})").format(
                error=type(exc).__name__
            ),
        ) from None
    finally:
        db.close()


def _read(db: sqlite3.Connection, path: str) -> ImportResult:
    notes = Notes(path)
    ids = IdAllocator(notes)
    types = _note_types(db)
    decks = _decks(db)
    deck_of: dict[int, int] = dict(db.execute("SELECT nid, MIN(did) FROM cards GROUP BY nid"))
    questions: list[dict[str, Any]] = []
    deck_names: list[str] = []
    rows = db.execute("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id").fetchall()
    # This app's own packages name each note SET.QUESTION: the question ids come back as they were.
    common = common_prefix([str(guid) for _, guid, *_ in rows])
    # A deck is a tag only in a package of several decks (one deck is the set itself).
    used_decks = {decks.get(did, "") for did in deck_of.values()}
    for number, (nid, guid, mid, tags, flds) in enumerate(rows, 1):
        kind = types.get(mid, _NoteType("", []))
        fields = str(flds).split("\x1f")
        front_i = _role(kind.fields, ("front", "text", "question", "recto")) or 0
        back_i = _role(kind.fields, ("back", "answer", "back extra", "extra", "verso"))
        if back_i is None or back_i == front_i:
            back_i = 1 if front_i == 0 else 0
        extra_i = _role(kind.fields, ("extra", "back extra", "notes")) if not kind.cloze else None
        if extra_i in (front_i, back_i):
            extra_i = None
        used = {front_i, back_i, extra_i}
        rest = [f for i, f in enumerate(fields) if i not in used and f.strip()]
        if rest:
            notes.add(
                number,
                _("{value} more field(s) of note type {kind.name!r} not imported").format(
                    value=len(rest), kind=kind
                ),
            )

        notetype = "cloze" if kind.cloze else kind.name
        q = card_question(
            _field(fields, front_i),
            _field(fields, back_i),
            _field(fields, extra_i),
            notetype,
            number,
            notes,
            True,
            kind.typed,
        )
        if q is None:
            continue
        deck = decks.get(deck_of.get(nid, -1), "")
        tag_list = [t for t in str(tags).split() if t]
        if deck:
            deck_names.append(deck)
            if len(used_decks) > 1:
                tag_list.append(tag_word(deck.split("::")[-1]))
        label = str(guid)[len(common) :]
        out: dict[str, Any] = {"id": ids.allocate(id_from_label(label), number)}
        out.update(q)
        tag_list = unique(tag_list)
        if tag_list:
            out["tags"] = tag_list
        questions.append(out)
    if not questions:
        raise ValidationError(
            [Problem(path, 0, 0, _("no note could be imported from this Anki package"))]
            + notes.items[:20]
        )
    result: dict[str, Any] = {"questions": questions}
    if deck_names:
        # The deck most notes are in names the set (its last part: "Geo::Capitals" -> "Capitals").
        top = max(set(deck_names), key=deck_names.count)
        result["title"] = top.split("::")[-1].strip() or top
    return ImportResult(result, notes.items, notes.skipped, "apkg")


# -- export ------------------------------------------------------------------------------
_SCHEMA = """
CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null,
  scm integer not null, ver integer not null, dty integer not null, usn integer not null,
  ls integer not null, conf text not null, models text not null, decks text not null,
  dconf text not null, tags text not null);
CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null,
  mod integer not null, usn integer not null, tags text not null, flds text not null,
  sfld integer not null, csum integer not null, flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null,
  ord integer not null, mod integer not null, usn integer not null, type integer not null,
  queue integer not null, due integer not null, ivl integer not null, factor integer not null,
  reps integer not null, lapses integer not null, left integer not null, odue integer not null,
  odid integer not null, flags integer not null, data text not null);
CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null,
  ease integer not null, ivl integer not null, lastIvl integer not null,
  factor integer not null, time integer not null, type integer not null);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
CREATE INDEX ix_notes_usn on notes (usn);
CREATE INDEX ix_cards_usn on cards (usn);
CREATE INDEX ix_revlog_usn on revlog (usn);
CREATE INDEX ix_cards_nid on cards (nid);
CREATE INDEX ix_cards_sched on cards (did, queue, due);
CREATE INDEX ix_revlog_cid on revlog (cid);
CREATE INDEX ix_notes_csum on notes (csum);
"""
_CSS = ".card { font-family: arial; font-size: 20px; text-align: center; }"
# The note types written: (name, fields, question template, answer template, is cloze).
_MODELS = {
    "card": ("gmmp-quiz card", ["Front", "Back", "Extra"], "{{Front}}",
             "{{FrontSide}}<hr id=answer>{{Back}}<br><br>{{Extra}}", False),
    "typed": ("gmmp-quiz typed answer", ["Front", "Back", "Extra"],
              "{{Front}}<br><br>{{type:Back}}",
              "{{Front}}<hr id=answer>{{type:Back}}<br><br>{{Extra}}", False),
    "cloze": ("gmmp-quiz cloze", ["Text", "Back Extra"], "{{cloze:Text}}",
              "{{cloze:Text}}<br><br>{{Back Extra}}", True),
}  # fmt: skip
# id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps, lapses, left, odue, odid,
# flags, data: a new card, never reviewed.
_CARD_VALUES = "?, ?, ?, ?, ?, -1, 0, 0, ?, 0, 0, 0, 0, 0, 0, 0, 0, ?"
_CLOZE_NUM_RE = re.compile(r"\{\{c(\d+)::")


def _stable_id(*parts: str) -> int:
    """A positive id from names (Anki's ids are times in ms: these sit in the same range)."""
    import hashlib

    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=6).digest()
    return 1_000_000_000_000 + int.from_bytes(digest, "big") % 1_000_000_000_000


def _html(text: str) -> str:
    import html

    return html.escape(text, quote=False).replace("\n", "<br>")


def _model(key: str, mid: int, did: int, now: int) -> dict[str, Any]:
    name, fields, qfmt, afmt, cloze = _MODELS[key]
    return {
        "id": mid,
        "name": name,
        "type": 1 if cloze else 0,
        "mod": now,
        "usn": -1,
        "sortf": 0,
        "did": did,
        "tmpls": [
            {"name": "Cloze" if cloze else "Card 1", "ord": 0, "qfmt": qfmt, "afmt": afmt,
             "did": None, "bqfmt": "", "bafmt": ""}
        ],
        "flds": [
            {"name": f, "ord": i, "sticky": False, "rtl": False, "font": "Arial", "size": 20,
             "media": []}
            for i, f in enumerate(fields)
        ],
        "css": _CSS,
        "latexPre": "\\documentclass[12pt]{article}\n\\begin{document}\n",
        "latexPost": "\\end{document}",
        "latexsvg": False,
        "req": [[0, "any", [0]]],
        "tags": [],
        "vers": [],
    }  # fmt: skip


def _note_fields(q: Any, lang: str | None) -> tuple[str, list[str], list[str]]:
    """The note type key, the note's fields (HTML), and what could not be kept."""
    from gmmp_quiz.formats.export import _card
    from gmmp_quiz.model import Kind

    def t(text: Any) -> str:
        return text.get(lang) if text is not None else ""

    lost: list[str] = []
    explanation = _html(t(q.explanation))
    if q.kind is Kind.FLASHCARD:
        return "card", [_html(t(q.prompt)), _html(t(q.back)), explanation], lost
    if q.kind is Kind.SHORT:
        if q.alternatives or q.weighted:
            lost.append(_("the other accepted answers (Anki types one)"))
        return "typed", [_html(t(q.prompt)), _html(t(q.answer)), explanation], lost
    if q.kind is Kind.CLOZE:
        pieces, gaps = parse_cloze(t(q.cloze))
        text = _html(pieces[0])
        for n, (gap, piece) in enumerate(zip(gaps, pieces[1:], strict=True), 1):
            answer = _html(gap.answers[0] if gap.answers else "")
            text += f"{{{{c{n}::{answer}}}}}{_html(piece)}"
            if len(gap.answers) > 1:
                lost.append(_("the other answers of gap {n}").format(n=n))
        prompt = t(q.prompt)
        extra = "<br><br>".join(x for x in (_html(prompt), explanation) if x)
        return "cloze", [text, extra], lost
    front, back = _card(q, lang)
    lost.append(_("its {kind} form: it becomes a card to grade yourself").format(kind=q.kind.value))
    return "card", [_html(front), _html(back), ""], lost


def export_apkg(qset: Any, lang: str | None = None) -> tuple[bytes, list[str]]:
    """The set as an Anki package (legacy schema, which every Anki imports) and what was lost.

    Each question is one note, its guid `SET.QUESTION` so that importing a newer export into
    Anki updates the notes instead of adding copies. Flashcards, typed answers and cloze
    sentences keep their kind; the other kinds become cards to grade yourself.
    """
    import hashlib
    import time

    lang = lang or qset.language
    now = int(time.time())
    title = qset.title.get(lang)
    did = _stable_id("deck", qset.id)
    mids = {key: _stable_id("model", key) for key in _MODELS}
    models = {str(mids[k]): _model(k, mids[k], did, now) for k in _MODELS}
    deck = {
        "id": did, "name": title.replace("::", ":"), "mod": now, "usn": -1, "desc": "",
        "lrnToday": [0, 0], "revToday": [0, 0], "newToday": [0, 0], "timeToday": [0, 0],
        "collapsed": False, "browserCollapsed": False, "dyn": 0, "conf": 1,
        "extendNew": 0, "extendRev": 0,
    }  # fmt: skip
    default = dict(deck, id=1, name="Default")
    dconf = {
        "1": {
            "id": 1, "name": "Default", "mod": 0, "usn": 0, "maxTaken": 60, "autoplay": True,
            "timer": 0, "replayq": True, "dyn": False,
            "new": {"bury": False, "delays": [1.0, 10.0], "initialFactor": 2500,
                    "ints": [1, 4, 0], "order": 1, "perDay": 20},
            "rev": {"bury": False, "ease4": 1.3, "ivlFct": 1.0, "maxIvl": 36500, "perDay": 200,
                    "hardFactor": 1.2},
            "lapse": {"delays": [10.0], "leechAction": 1, "leechFails": 8, "minInt": 1,
                      "mult": 0.0},
        }
    }  # fmt: skip
    conf = {"nextPos": 1, "estTimes": True, "activeDecks": [1], "sortType": "noteFld",
            "timeLim": 0, "sortBackwards": False, "addToCur": True, "curDeck": 1,
            "newSpread": 0, "dueCounts": True, "curModel": mids["card"], "collapseTime": 1200,
            "schedVer": 2}  # fmt: skip
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(_SCHEMA)
        db.execute(
            "INSERT INTO col VALUES (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, '{}')",
            (
                now - now % 86400,
                now * 1000,
                now * 1000,
                json.dumps(conf),
                json.dumps(models),
                json.dumps({"1": default, str(did): deck}),
                json.dumps(dconf),
            ),
        )
        lost: list[str] = []
        base = now * 1000
        for n, q in enumerate(qset.questions):
            key, fields, missing = _note_fields(q, lang)
            lost += [f"{q.id}: {m}" for m in missing]
            nid = base + n
            sort_field = re.sub(r"<[^>]*>", "", fields[0])
            csum = int(hashlib.sha1(sort_field.encode("utf-8")).hexdigest()[:8], 16)
            tags = " ".join("_".join(t.split()) for t in (*qset.tags, *q.tags))
            db.execute(
                "INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, '')",
                (nid, f"{qset.id}.{q.id}", mids[key], now, f" {tags} " if tags else "",
                 "\x1f".join(fields), sort_field, csum),
            )  # fmt: skip
            ords = (
                sorted({int(m) for m in _CLOZE_NUM_RE.findall(fields[0])})
                if key == "cloze"
                else [1]
            )
            for ord_ in ords:
                db.execute(
                    f"INSERT INTO cards VALUES ({_CARD_VALUES})",
                    (nid * 100 + ord_, nid, did, ord_ - 1, now, n + 1, ""),
                )
        db.commit()
        data = db.serialize()
    finally:
        db.close()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("collection.anki2", data)
        archive.writestr("media", "{}")
    return buffer.getvalue(), lost
