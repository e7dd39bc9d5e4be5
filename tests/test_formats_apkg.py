"""Anki packages: legacy and current collections, note types, refusals, and export round trip."""

from __future__ import annotations

import builtins
import dataclasses
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from gmmp_quiz.errors import ValidationError
from gmmp_quiz.formats import import_file
from gmmp_quiz.formats.apkg import export_apkg
from gmmp_quiz.sets.loading import load_text
from gmmp_quiz.sets.writer import dump_set

DATA = Path(__file__).parent / "data" / "formats"
# Both fixtures were written by Anki 25 (the `anki` package) from the same four notes, in deck
# Geo::Capitals: Basic with HTML and an image, Basic with a [sound:], "Basic (type in the
# answer)", and a Cloze with a hint and a Back Extra. anki_legacy.apkg has "Support older Anki
# versions" ticked (collection.anki21), anki_current.apkg not (zstd collection.anki21b).
EXPECTED = [
    {"type": "flashcard", "front": "Capital of France?", "back": "Paris", "tags": ["europe"]},
    {"type": "flashcard", "front": "Capital of Italy?", "back": "Rome"},
    {"type": "short", "prompt": "Capital of Spain?", "answer": "Madrid"},
    {
        "type": "cloze",
        "text": "{{Berlin}} is the capital of {{Germany}}.",
        "explanation": "Since 1990.",
    },
]


def shape(result) -> list[dict]:
    return [{k: v for k, v in q.items() if k != "id"} for q in result.data["questions"]]


def test_a_legacy_package_comes_in_whole():
    result = import_file(DATA / "anki_legacy.apkg")
    assert result.fmt == "apkg"
    assert shape(result) == EXPECTED
    assert result.data["title"] == "Capitals"  # the deck's name, not the file's
    messages = {(n.line, n.message) for n in result.notes}
    assert (1, "media cannot be shown in a terminal, dropped: paris.jpg") in messages
    assert (2, "media cannot be shown in a terminal, dropped: [sound:rome.mp3]") in messages
    assert (4, "cloze hints (::hint) dropped") in messages
    load_text(dump_set(result.data))


def test_a_current_package_is_read_with_zstandard_or_refused_saying_why(monkeypatch):
    try:
        import zstandard  # noqa: F401
    except ImportError:
        pass
    else:
        result = import_file(DATA / "anki_current.apkg")
        assert shape(result) == EXPECTED
    real_import = builtins.__import__

    def no_zstd(name, *args, **kwargs):
        if name == "zstandard":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_zstd)
    with pytest.raises(ValidationError) as info:
        import_file(DATA / "anki_current.apkg")
    message = str(info.value)
    assert "compressed with zstd" in message
    assert "Support older Anki versions" in message
    # Never the stub collection beside it ("Please update to the latest Anki version").
    assert "Please update" not in message


def package(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"not a zip at all", "not a zip archive"),
        (package({"media": b"{}"}), "no collection.anki2/anki21/anki21b inside"),
        (package({"collection.anki2": b"garbage"}), "not an SQLite collection"),
    ],
    ids=["not-a-zip", "no-collection", "not-sqlite"],  # zips hold times: ids must not
)
def test_what_is_not_an_anki_package_is_refused(tmp_path, content, fragment):
    path = tmp_path / "deck.apkg"
    path.write_bytes(content)
    with pytest.raises(ValidationError) as info:
        import_file(path)
    assert fragment in str(info.value)


def test_a_zip_under_another_name_is_read_as_a_package(tmp_path):
    path = tmp_path / "deck.bin"
    path.write_bytes((DATA / "anki_legacy.apkg").read_bytes())
    assert import_file(path).fmt == "apkg"


def legacy_collection(notes: list[tuple[str, str, int]], models: dict, decks: dict) -> bytes:
    """A legacy (schema 11) collection with the given notes: (guid, fields, note type id)."""
    db = sqlite3.connect(":memory:")
    db.executescript(
        "CREATE TABLE col (id, crt, mod, scm, ver, dty, usn, ls, conf, models, decks, dconf,"
        " tags); CREATE TABLE notes (id, guid, mid, mod, usn, tags, flds, sfld, csum, flags,"
        " data); CREATE TABLE cards (id, nid, did, ord, mod, usn, type, queue, due, ivl,"
        " factor, reps, lapses, left, odue, odid, flags, data);"
    )
    db.execute(
        "INSERT INTO col VALUES (1,0,0,0,11,0,0,0,'{}',?,?,'{}','{}')",
        (json.dumps(models), json.dumps(decks)),
    )
    for n, (guid, fields, mid) in enumerate(notes, 1):
        db.execute("INSERT INTO notes VALUES (?,?,?,0,0,'',?,'',0,0,'')", (n, guid, mid, fields))
        db.execute("INSERT INTO cards VALUES (?,?,7,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'')", (n, n))
    db.commit()
    data = db.serialize()
    db.close()
    return package({"collection.anki2": data})


def test_many_identical_notes_stay_linear_and_distinct(tmp_path):
    models = {"5": {"name": "Basic", "flds": [{"name": "Front"}, {"name": "Back"}], "tmpls": []}}
    notes = [("same", "front\x1fback", 5)] * 3000
    path = tmp_path / "dups.apkg"
    path.write_bytes(legacy_collection(notes, models, {"7": {"name": "Dups"}}))
    result = import_file(path)
    ids = [q["id"] for q in result.data["questions"]]
    assert len(set(ids)) == 3000
    assert ids[2999] == "same-3000"


def test_extra_fields_are_reported_and_an_unknown_note_type_reads_its_first_fields(tmp_path):
    models = {
        "5": {
            "name": "Vocab",
            "flds": [{"name": "Word"}, {"name": "Meaning"}, {"name": "Example"}],
            "tmpls": [],
        }
    }
    path = tmp_path / "vocab.apkg"
    path.write_bytes(legacy_collection([("g1", "chat\x1fcat\x1fLe chat dort.", 5)], models, {}))
    result = import_file(path)
    (q,) = result.data["questions"]
    assert (q["front"], q["back"], q["id"]) == ("chat", "cat", "g1")
    assert "1 more field(s) of note type 'Vocab' not imported" in result.notes[0].message


def without_lines(qset):
    return [dataclasses.replace(q, line=0) for q in qset.questions]


SET = """
id: caps
title: Capitals
language: en
questions:
  - id: fr
    type: flashcard
    front: "Capital of <France> & co?"
    back: Paris
    explanation: Since 987.
    tags: [europe]
  - id: it
    type: short
    prompt: Capital of Italy?
    answer: Rome
  - id: de
    type: cloze
    text: "{{Berlin}} is the capital of {{Germany}}."
  - id: es
    type: true_false
    prompt: Madrid is the capital of Spain.
    answer: true
"""


def test_export_then_import_gives_the_same_cards_and_says_what_changes(tmp_path):
    qset = load_text(SET, "caps.yaml")
    data, lost = export_apkg(qset)
    assert lost == ["es: its true_false form: it becomes a card to grade yourself"]
    path = tmp_path / "caps.apkg"
    path.write_bytes(data)
    result = import_file(path, set_id="caps")
    assert result.data["title"] == "Capitals"
    back = load_text(dump_set(result.data), "back.yaml")
    assert without_lines(back)[:3] == without_lines(qset)[:3]
    es = back.question("es")
    assert (es.prompt.get(), es.back.get()) == ("Madrid is the capital of Spain.", "True")


def test_anki_itself_opens_the_export(tmp_path):
    collection = pytest.importorskip("anki.collection")
    qset = load_text(SET, "caps.yaml")
    path = tmp_path / "caps.apkg"
    path.write_bytes(export_apkg(qset)[0])
    col = collection.Collection(str(tmp_path / "anki.anki2"))
    try:
        request = collection.ImportAnkiPackageRequest(
            package_path=str(path), options=collection.ImportAnkiPackageOptions()
        )
        col.import_anki_package(request)
        fields = {col.get_note(nid).guid: col.get_note(nid).fields for nid in col.find_notes("")}
        assert (col.note_count(), col.card_count()) == (4, 5)  # the cloze has two cards
    finally:
        col.close()
    assert fields["caps.fr"][:2] == ["Capital of &lt;France&gt; &amp; co?", "Paris"]
    assert fields["caps.de"][0] == "{{c1::Berlin}} is the capital of {{c2::Germany}}."
