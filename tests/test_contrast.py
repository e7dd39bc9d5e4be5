"""Text on every screen reads at WCAG AA contrast (4.5:1) in the light and dark default themes.

The screens are played with the pilot, and what the compositor would send to the terminal is
read segment by segment: each piece of text is measured against its own background.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.color import ColorTriplet

from gmmp_quiz.sets.loading import Discovery, load_set
from gmmp_quiz.store.progress import ProgressStore
from gmmp_quiz.ui.app import QuizApp
from gmmp_quiz.ui.screens.help import HelpScreen
from gmmp_quiz.ui.screens.missed import MissedScreen
from gmmp_quiz.ui.screens.stats import StatsScreen
from gmmp_quiz.ui.screens.summary import SummaryScreen

DATA = Path(__file__).parent / "data" / "ui"
NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
AA = 4.5
# Text, not chrome: borders, scrollbars, sparkline blocks and rules are drawn, not read.
TEXT_MARKS = set("✓✗≈?!%→↺[]")


def luminance(color: ColorTriplet) -> float:
    """Relative luminance (WCAG 2.x)."""

    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = color
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: ColorTriplet, b: ColorTriplet) -> float:
    """WCAG contrast ratio of two colours."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula_matches_known_ratios() -> None:
    black, white = ColorTriplet(0, 0, 0), ColorTriplet(255, 255, 255)
    assert contrast(black, white) == pytest.approx(21.0)
    assert contrast(white, white) == pytest.approx(1.0)
    # The reviewer's finding: the set title, orange #FEA62B on #E0E0E0.
    assert contrast(ColorTriplet(0xFE, 0xA6, 0x2B), ColorTriplet(0xE0, 0xE0, 0xE0)) < 1.6


def low_contrast(app: QuizApp, region=None) -> list[tuple[float, int, str]]:
    """Every piece of text under AA on the current screen: (ratio, row, text)."""
    found = []
    strips = app.screen._compositor.render_strips()
    for y, strip in enumerate(strips):
        if region is not None and not region.y <= y < region.bottom:
            continue
        x = 0
        for segment in strip:
            text = segment.text
            start, x = x, x + segment.cell_length
            if region is not None and not (region.x <= start and x <= region.right):
                continue
            if not any(ch.isalnum() or ch in TEXT_MARKS for ch in text):
                continue
            style = segment.style
            if style is None or style.color is None or style.bgcolor is None:
                continue
            fg = style.color.get_truecolor()
            bg = style.bgcolor.get_truecolor()
            if style.dim:
                fg = ColorTriplet(*((f + b) // 2 for f, b in zip(fg, bg, strict=True)))
            ratio = contrast(fg, bg)
            if ratio < AA:
                found.append((round(ratio, 2), y, text.strip()))
    return found


@pytest.fixture
def store(quiz_home: Path):
    store = ProgressStore.open(quiz_home, backup=False)
    yield store
    store.close()


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_every_screen_reads_at_aa(store, theme) -> None:
    store.set_setting("theme", theme)
    qsets = [load_set(DATA / "all-types.yaml", use_cache=False)]
    app = QuizApp(Discovery(qsets, {}), store, lang="en", clock=lambda: NOW, seed=7)
    seen: dict[str, list[tuple[float, int, str]]] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        seen["home"] = low_contrast(app)
        qset = qsets[0]
        app.start_session([(qset, qset.question(q)) for q in ("multi", "match", "cloze")])
        await pilot.pause()
        await pilot.press("1", "down")
        await pilot.pause()
        seen["question"] = low_contrast(app)
        await pilot.press("2", "enter")
        await pilot.pause()
        await pilot.pause()
        seen["feedback"] = low_contrast(app)
        await pilot.press("enter", "1", "b", "enter")
        await pilot.pause()
        await pilot.pause()
        seen["match feedback"] = low_contrast(app)
        await pilot.press("enter", *"Rome", "tab", *"June", "enter")
        await pilot.pause()
        await pilot.pause()
        seen["cloze feedback"] = low_contrast(app)
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        seen["summary"] = low_contrast(app)
        await pilot.press("m")
        await pilot.pause(0.3)
        assert isinstance(app.screen, MissedScreen)
        seen["missed"] = low_contrast(app)
        await pilot.press("down")
        await pilot.pause()
        seen["missed, second row"] = low_contrast(app)
        await pilot.press("escape", "h")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause(0.5)
        assert isinstance(app.screen, StatsScreen)
        seen["stats"] = low_contrast(app)
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        box = app.screen.query_one("#help-box").region
        seen["help"] = low_contrast(app, box)
    failures = {name: found for name, found in seen.items() if found}
    assert not failures, failures
