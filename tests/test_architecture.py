"""The core imports without Textual, and the wheel ships the sets and the stylesheet."""

from __future__ import annotations

import gettext
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "src" / "gmmp_quiz"
# Every module outside ui/ is core, CLI or plain mode: none of them may pull Textual in.
CORE = sorted(
    ".".join(p.relative_to(PACKAGE).with_suffix("").parts)
    for p in PACKAGE.rglob("*.py")
    if p.relative_to(PACKAGE).parts[0] != "ui" and p.stem not in ("__init__", "__main__")
)


def test_core_does_not_import_textual() -> None:
    modules = [f"gmmp_quiz.{m}" for m in CORE]
    assert {"gmmp_quiz.sets.loading", "gmmp_quiz.textmatch", "gmmp_quiz.commands.quiz"} <= set(
        modules
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith(('textual.', "
        "'gmmp_quiz.ui')))\n"
        "print(bad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ.copy()
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_wheel_ships_sets_and_stylesheet(tmp_path: Path) -> None:
    # Build from a copy so that no build/ or egg-info lands in the shared working tree.
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("*.egg-info", "__pycache__")
    shutil.copytree(ROOT / "src", src / "src", ignore=ignore)
    shutil.copytree(ROOT / "questions", src / "questions", ignore=ignore)
    # Without isolation: the test extras install setuptools and wheel, and no download is needed.
    command = ["-m", "build", "--wheel", "--no-isolation", "-o", str(tmp_path / "dist")]
    out = subprocess.run(
        [sys.executable, *command],
        cwd=src,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    [wheel] = (tmp_path / "dist").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = sorted(p.name for p in (ROOT / "questions").glob("*.yaml"))
    assert shipped
    for name in shipped:
        assert f"gmmp_quiz/questions/{name}" in names
    assert "gmmp_quiz/ui/app.tcss" in names
    # `gmmp-quiz serve`: its page and the stylesheet of its screens.
    assert {"gmmp_quiz/web/app_index.html", "gmmp_quiz/ui/served.tcss"} <= names
    # Every module, in every package: an editable install would hide a package left out of
    # pyproject's list, a non-editable one would fail on its first import.
    modules = {"/".join(p.relative_to(PACKAGE.parent).parts) for p in PACKAGE.rglob("*.py")}
    assert modules - names == set()
    assert not any(n.startswith(("tests/", "bench/")) for n in names)
    # The catalogues, compiled at build time: French works from a non-editable install.
    for lang in ("fr", "en"):
        assert f"gmmp_quiz/locale/{lang}/LC_MESSAGES/gmmp_quiz.po" in names
        assert f"gmmp_quiz/locale/{lang}/LC_MESSAGES/gmmp_quiz.mo" in names
    mo = zipfile.ZipFile(wheel).read("gmmp_quiz/locale/fr/LC_MESSAGES/gmmp_quiz.mo")
    french = gettext.GNUTranslations(io.BytesIO(mo))
    assert french.gettext("usage: ") == "utilisation : "
    assert french.ngettext("expected %s argument", "expected %s arguments", 2) == (
        "%s valeurs attendues"
    )


def test_sets_from_the_parse_cache_need_neither_pyyaml_nor_the_validator(tmp_path: Path) -> None:
    # Every start but the first reads the sets from the parse cache: the loader thread then
    # spares the import of PyYAML and the validator (about 30 ms before keys such as Enter work).
    code = (
        "import sys\n"
        "from gmmp_quiz.sets.loading import discover_sets\n"
        "found = discover_sets([])\n"
        "assert found.sets and not found.errors, found.errors\n"
        "print(sorted(m for m in ('yaml', 'gmmp_quiz.sets.validation') if m in sys.modules))\n"
    )
    env = {**os.environ, "GMMP_QUIZ_HOME": str(tmp_path)}
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
        for _ in range(2)
    ]
    assert all(run.returncode == 0 for run in runs), [run.stderr for run in runs]
    first, second = (run.stdout.strip() for run in runs)
    assert first == "['gmmp_quiz.sets.validation', 'yaml']"  # parsed, then cached
    assert second == "[]"


def test_the_first_frame_imports_no_store_no_loader_and_no_question_model(tmp_path: Path) -> None:
    # What the home screen's first frame needs is imported before it; the store, the set loader,
    # the figures and the question model come with the loader thread, after it. (hashlib: 2 ms
    # that the catalogues of a source checkout needed for a checksum.)
    code = (
        "import sys\n"
        "from gmmp_quiz.ui.app import QuizApp\n"
        "QuizApp.run = lambda self, **kw: print(sorted(m for m in sys.modules if m in WATCHED))\n"
        "WATCHED = {'gmmp_quiz.model', 'gmmp_quiz.store.progress', 'gmmp_quiz.sets.loading',\n"
        "           'gmmp_quiz.stats', 'gmmp_quiz.scheduling', 'filelock', 'yaml', 'fsrs',\n"
        "           'hashlib'}\n"
        "import importlib.util\n"
        "if importlib.util.find_spec('_sha512') is None:  # random then imports hashlib\n"
        "    WATCHED.discard('hashlib')\n"
        "from gmmp_quiz import cli\n"
        "cli.main([])\n"
    )
    env = {**os.environ, "GMMP_QUIZ_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
