"""The parse cache: hits without re-parsing, hash-checked changes, corrupt entries rebuilt."""

from __future__ import annotations

import marshal
import os
import shutil
from pathlib import Path

import pytest

from gmmp_quiz.errors import ValidationError
from gmmp_quiz.sets import cache as setcache
from gmmp_quiz.sets import loading, validation

GOOD = Path(__file__).parent / "data" / "good"


def _no_parse(*args: object, **kwargs: object) -> None:
    raise AssertionError("check_text called: the cache was not used")


@pytest.fixture
def set_file(tmp_path: Path) -> Path:
    path = tmp_path / "bilingual.yaml"
    shutil.copy(GOOD / "bilingual.yaml", path)
    return path


def entries(home: Path) -> list[Path]:
    return sorted((home / "cache" / "sets").glob("*.marshal"))


def test_cache_lives_in_quiz_home(set_file: Path, quiz_home: Path) -> None:
    assert entries(quiz_home) == []
    loading.load_set(set_file)
    assert len(entries(quiz_home)) == 1


def test_second_load_comes_from_cache(set_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = loading.load_set(set_file)
    monkeypatch.setattr(validation, "check_text", _no_parse)
    second = loading.load_set(set_file)
    assert second == first
    assert loading.load_set(set_file, shipped=True).shipped is True


def test_changed_content_same_size_and_mtime_is_reparsed(
    set_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = loading.load_set(set_file)
    stat = set_file.stat()
    text = set_file.read_text(encoding="utf-8")
    changed = text.replace("Bilingual", "Trilingua")
    assert len(changed.encode()) == stat.st_size
    set_file.write_text(changed, encoding="utf-8")
    os.utime(set_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert set_file.stat().st_size == stat.st_size
    assert set_file.stat().st_mtime_ns == stat.st_mtime_ns
    assert loading.load_set(set_file).title.get("en") == "Trilingua"
    assert first.title.get("en") == "Bilingual"


def test_changed_file_that_became_invalid_is_reported(set_file: Path) -> None:
    loading.load_set(set_file)
    set_file.write_text(set_file.read_text(encoding="utf-8") + "bogus: 1\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="unknown key 'bogus'"):
        loading.load_set(set_file)


@pytest.mark.parametrize(
    "garbage",
    [
        b"{not json",
        b"\xff\xfe\x00garbage",
        b"",
        b"[]",
        b"null",
        b'{"key": "wrong", "data": {}}',
        b'{"data": {}}',
    ],
)
def test_corrupt_entry_is_ignored_and_rebuilt(
    garbage: bytes, set_file: Path, quiz_home: Path
) -> None:
    good = loading.load_set(set_file)
    [entry] = entries(quiz_home)
    entry.write_bytes(garbage)
    assert loading.load_set(set_file) == good
    assert setcache._read_entry(entry)["data"]["id"] == "bilingual"


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.pop("questions"),
        lambda d: d.update(questions="not a list"),
        lambda d: d.update(questions=[{"type": "nope"}]),
        lambda d: d.update(questions=[42]),
        lambda d: d["questions"][0].pop("choices"),
        lambda d: d.clear(),
        pytest.param(lambda d: d.update(title=None), id="title-null"),
        pytest.param(
            lambda d: d["questions"][0]["choices"][0].update(text="Paris"), id="choice-text-str"
        ),
        pytest.param(lambda d: d.update(language=7), id="language-int"),
    ],
)
def test_right_key_wrong_structure_is_rebuilt(damage, set_file: Path, quiz_home: Path) -> None:
    good = loading.load_set(set_file)
    [entry] = entries(quiz_home)
    blob = entry.read_bytes()
    head = len(setcache.MAGIC) + setcache.DIGEST_SIZE
    payload = marshal.loads(blob[head:])
    damage(payload["data"])
    # Damaged in place, digest left as it was: the entry no longer matches its digest.
    entry.write_bytes(blob[:head] + marshal.dumps(payload))
    reloaded = loading.load_set(set_file)
    assert reloaded == good
    assert [q.id for q in reloaded.questions] == [q.id for q in good.questions]


def test_unwritable_cache_still_loads(
    set_file: Path, quiz_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (quiz_home / "cache").write_text("a file where the cache dir should be", encoding="utf-8")
    assert loading.load_set(set_file).id == "bilingual"


def test_cache_dir_follows_quiz_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gmmp_quiz import paths

    monkeypatch.setenv("GMMP_QUIZ_HOME", str(tmp_path / "elsewhere"))
    assert paths.cache_dir() == tmp_path / "elsewhere" / "cache"


FORMATS = Path(__file__).parent / "data" / "formats"


def test_import_fills_the_cache(quiz_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gmmp_quiz.cli import main

    assert main(["import", str(FORMATS / "all_features.gift")]) == 0
    (written,) = (quiz_home / "questions").glob("*.yaml")
    parsed = loading.load_set(written, use_cache=False)
    # The next start reads what import checked, without parsing the file again.
    monkeypatch.setattr(validation, "check_text", _no_parse)
    assert loading.load_set(written) == parsed


def test_add_fills_the_cache(
    set_file: Path, quiz_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gmmp_quiz.cli import main

    assert main(["add", str(set_file)]) == 0
    (written,) = (quiz_home / "questions").glob("*.yaml")
    parsed = loading.load_set(written, use_cache=False)
    monkeypatch.setattr(validation, "check_text", _no_parse)
    assert loading.load_set(written) == parsed


def test_entries_of_removed_files_are_dropped(quiz_home: Path, tmp_path: Path) -> None:
    user = quiz_home / "questions"
    user.mkdir(exist_ok=True)
    kept, gone = user / "kept.yaml", user / "gone.yaml"
    elsewhere = tmp_path / "elsewhere" / "other.yaml"
    elsewhere.parent.mkdir()
    text = (GOOD / "bilingual.yaml").read_text(encoding="utf-8")
    for path, set_id in ((kept, "kept"), (gone, "gone"), (elsewhere, "other")):
        path.write_text(text.replace("id: bilingual", f"id: {set_id}", 1), encoding="utf-8")
    loading.discover_sets([elsewhere.parent])
    before = set(entries(quiz_home))
    gone.unlink()
    loading.discover_sets()  # the folder of `other` not given this time
    after = set(entries(quiz_home))
    assert len(before - after) == 1  # gone's entry only: other's file still exists
    assert setcache._entry_path(gone) not in after
    assert setcache._entry_path(kept) in after and setcache._entry_path(elsewhere) in after
