"""The app's one stylesheet, app.tcss, read in two parts so that starting parses only the first."""

from __future__ import annotations

from pathlib import Path

STYLESHEET = Path(__file__).with_name("app.tcss")
MARK = "/* ==== other screens: added once the store is open ==== */"


def _parts() -> tuple[str, str]:
    text = STYLESHEET.read_text(encoding="utf-8")
    start, found, rest = text.partition(MARK)
    if not found:  # pragma: no cover - the marker is part of the file
        return text, ""
    # Blank lines for the first part keep the second part's line numbers in CSS error messages.
    return start, "\n" * start.count("\n") + rest


START_CSS, SCREENS_CSS = _parts()
"""The home screen and help (parsed at start); every other screen (added when ready)."""
