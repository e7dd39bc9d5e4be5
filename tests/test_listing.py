"""The last list of sets found, kept for the next start's first frame: used only while true."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from gmmp_quiz import paths
from gmmp_quiz.sets.listing import SetSummary, listing_path, read_listing, save_listing
from gmmp_quiz.sets.loading import discover_sets

UI = Path(__file__).parent / "data" / "ui"


def user_sets(home: Path) -> Path:
    folder = home / "questions"
    folder.mkdir(exist_ok=True)
    for name in ("all-types.yaml", "long.yaml"):
        shutil.copy(UI / name, folder / name)
    return folder


def saved(home: Path, lang: str = "en") -> Path:
    path = listing_path(paths.cache_dir())
    save_listing(path, paths.set_dirs(), discover_sets(), lang)
    return path


def test_the_listing_gives_back_what_the_discovery_found(quiz_home: Path) -> None:
    user_sets(quiz_home)
    found = discover_sets()
    path = saved(quiz_home)
    listing = read_listing(path, paths.set_dirs(), "en")
    assert listing is not None
    assert listing.sets == tuple(SetSummary.of(qset) for qset in found.sets)
    ids = [s.id for s in listing.sets]
    assert "all-types" in ids and "long" in ids and len(ids) == len(found.sets)
    every = listing.sets[ids.index("all-types")]
    assert every.questions == 9
    assert every.title.get("en") == "Every type [bold]x[/]"
    assert every.title.get("fr") == "Tous les types [bold]x[/]"
    assert listing.error_count == 0 and listing.errors == ()


def test_a_changed_added_or_removed_file_makes_it_unused(quiz_home: Path) -> None:
    folder = user_sets(quiz_home)
    dirs = paths.set_dirs()
    path = saved(quiz_home)
    assert read_listing(path, dirs, "en") is not None
    # Edited (same size or not): not used.
    target = folder / "long.yaml"
    target.write_text(target.read_text().replace("Long texts", "Long textz"))
    assert read_listing(path, dirs, "en") is None
    path = saved(quiz_home)
    assert read_listing(path, dirs, "en") is not None
    # A set added.
    shutil.copy(UI / "offered.yaml", folder / "offered.yaml")
    assert read_listing(path, dirs, "en") is None
    path = saved(quiz_home)
    # A set removed.
    (folder / "offered.yaml").unlink()
    assert read_listing(path, dirs, "en") is None


def test_another_language_other_folders_or_damage_make_it_unused(quiz_home: Path) -> None:
    user_sets(quiz_home)
    dirs = paths.set_dirs()
    path = saved(quiz_home)
    assert read_listing(path, dirs, "fr") is None  # its problems are written in English
    extra = quiz_home / "more"
    extra.mkdir()
    assert read_listing(path, paths.set_dirs([extra]), "en") is None
    for damage in (b"{", b"[]", b'{"format": 1}', b"\xff" * 10, b'{"format": 99}'):
        path.write_bytes(damage)
        assert read_listing(path, dirs, "en") is None
    path.unlink()
    assert read_listing(path, dirs, "en") is None


def test_files_that_failed_are_counted_and_watched(quiz_home: Path) -> None:
    folder = user_sets(quiz_home)
    bad = folder / "broken.yaml"
    bad.write_text("id: broken\ntitle: [unclosed\n")
    path = saved(quiz_home)
    listing = read_listing(path, paths.set_dirs(), "en")
    assert listing is not None and listing.error_count == 1
    assert "broken.yaml" in listing.errors[0]
    bad.write_text("id: broken\ntitle: Fixed\nlanguage: en\n")
    assert read_listing(path, paths.set_dirs(), "en") is None


def test_a_failed_save_costs_nothing_but_the_listing(quiz_home: Path) -> None:
    user_sets(quiz_home)
    cache = paths.cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    path = listing_path(cache)
    path.mkdir()  # a folder where the file would go: the write fails
    save_listing(path, paths.set_dirs(), discover_sets(), "en")
    assert path.is_dir() and read_listing(path, paths.set_dirs(), "en") is None
    os.rmdir(path)


def test_the_same_sets_are_not_written_again(quiz_home: Path) -> None:
    user_sets(quiz_home)
    path = saved(quiz_home)
    before = path.stat()
    saved(quiz_home)
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    (quiz_home / "questions" / "long.yaml").unlink()
    saved(quiz_home)  # other sets: written
    assert path.stat().st_ino != before.st_ino
    assert read_listing(path, paths.set_dirs(), "en") is not None
