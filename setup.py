"""Build hook: compile the gettext catalogues (.po) into the .mo files the package ships."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogues(build_py):
    """build_py that also writes gmmp_quiz/locale/*/LC_MESSAGES/gmmp_quiz.mo into the build."""

    def run(self) -> None:
        """Build as usual, then compile each catalogue into the build."""
        super().run()
        # The stdlib-only compiler of the package itself, loaded by path: nothing is installed yet.
        here = Path(__file__).parent
        spec = importlib.util.spec_from_file_location("_msgfmt", here / "src/gmmp_quiz/msgfmt.py")
        assert spec is not None and spec.loader is not None
        msgfmt = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(msgfmt)
        for po in sorted((here / "src/gmmp_quiz/locale").glob("*/LC_MESSAGES/*.po")):
            target = Path(self.build_lib) / "gmmp_quiz" / po.relative_to(here / "src/gmmp_quiz")
            target = target.with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(msgfmt.compile_po(po.read_text("utf-8")))


setup(cmdclass={"build_py": BuildWithCatalogues})
