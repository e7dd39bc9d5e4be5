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

# Textual's two default themes, with the colours of text that fell under WCAG AA's 4.5:1 on its
# background (measured by tests/test_contrast.py): footer keys, selected rows, and the success,
# warning, error and accent texts (✓, ✗, the set's title) of the light theme.
AA_VARIABLES: dict[str, dict[str, str]] = {
    "textual-dark": {
        "block-cursor-background": "#0a5a9e",
        "block-cursor-foreground": "#ffffff",
        "footer-key-foreground": "#ffc163",
        "text-success": "#7ee09b",
    },
    "textual-light": {
        "footer-key-foreground": "#004578",
        "text-success": "#155128",
        "text-warning": "#7a4a00",
        "text-error": "#8c1f3b",
        "text-accent": "#7a4a00",
        "text-primary": "#003a66",
        "text-muted": "#4a4a4a",
        "foreground-muted": "#4a4a4a",
    },
}
