"""`gmmp-quiz serve` in a real browser: headless Chromium (Debian's, with its chromedriver).

The page shows the app in xterm.js, which draws on a canvas: the test reads the screen from
xterm's buffer (what the canvas shows), through a hook added to the page before its script
runs. Keys go to the page as a learner types them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from serving import WAIT, Server

from gmmp_quiz.store.progress import ProgressStore

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SET = Path(__file__).parent / "data" / "serve" / "every-kind.yaml"
# A judged answer's verdict, or a flashcard's rating (rated, not judged).
VERDICTS = ("✓ Right", "✗ Wrong", "≈ Partly right", "↺ Again", "✓ Hard", "✓ Good", "✓ Easy")

# textual-serve keeps its xterm.js Terminal to itself; it is caught as it is stored on the
# page's client object (the property set right after it), so that its buffer can be read.
HOOK = """
Object.defineProperty(Object.prototype, "fitAddon", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "fitAddon", {value, writable: true, configurable: true});
    window.__quizTerminal = this.terminal;
  },
});
"""
READ_SCREEN = """
const term = window.__quizTerminal;
if (!term) return "";
const buffer = term.buffer.active, lines = [];
for (let i = 0; i < term.rows; i++) {
  const line = buffer.getLine(buffer.viewportY + i);
  lines.push(line ? line.translateToString(true) : "");
}
return lines.join("\\n");
"""


def _browser_or_skip() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package")
    if not missing:
        return
    reason = (
        f"no browser to test the served app: {', '.join(missing)} missing "
        "(apt-get install chromium chromium-driver; .ci/run does it)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the browser test, but {reason}")
    pytest.skip(reason)


def flat(screen: str) -> str:
    """The screen's words on one line: text wrapped in a box or a paragraph reads through."""
    return re.sub(r"[\s│╭╮╰╯─▏┃]+", " ", screen)


class Page:
    """One browser tab on the served app: what it shows, and keys typed into it."""

    def __init__(self, driver, handle: str) -> None:
        self.driver = driver
        self.handle = handle

    def text(self) -> str:
        """The screen, as lines of text."""
        self.driver.switch_to.window(self.handle)
        return self.driver.execute_script(READ_SCREEN)

    def poll(self, what: str | Callable[[str], bool], timeout: float = WAIT) -> str | None:
        """The screen once it shows `what` (or `what(screen)` holds), or None after `timeout`."""
        if isinstance(what, str):
            text = what

            def test(screen: str) -> bool:
                return text in screen or text in flat(screen)

        else:
            test = what
        deadline = time.monotonic() + timeout
        while True:
            screen = self.text()
            if test(screen):
                return screen
            if time.monotonic() > deadline:
                return None
            time.sleep(0.1)

    def wait_for(self, what: str | Callable[[str], bool], message: str = "") -> str:
        """The screen once it shows `what` (or `what(screen)` holds); fails after WAIT."""
        screen = self.poll(what)
        if screen is None:
            pytest.fail(f"the page never showed {message or what!r}; it shows:\n{self.text()}")
        return screen

    def press(self, *keys: str) -> None:
        """Type keys into the terminal (Selenium `Keys` values for Enter, Tab...)."""
        from selenium.webdriver.common.by import By

        self.driver.switch_to.window(self.handle)
        area = self.driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
        for key in keys:
            area.send_keys(key)

    def click_text(self, text: str) -> None:
        """Click the middle of `text` where the terminal shows it."""
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.by import By

        lines = self.text().split("\n")
        row = next(i for i, line in enumerate(lines) if text in line)
        col = lines[row].index(text) + len(text) // 2
        screen = self.driver.find_element(By.CSS_SELECTOR, ".xterm-screen")
        cols, rows = self.driver.execute_script(
            "return [window.__quizTerminal.cols, window.__quizTerminal.rows]"
        )
        width, height = screen.size["width"], screen.size["height"]
        # Selenium's offsets are from the element's centre.
        x = int((col + 0.5) * width / cols - width / 2)
        y = int((row + 0.5) * height / rows - height / 2)
        # A move first: xterm finds the link under the pointer, then the click opens it.
        ActionChains(self.driver).move_to_element_with_offset(screen, x, y).perform()
        ActionChains(self.driver).move_to_element_with_offset(screen, x + 1, y).click().perform()


@pytest.fixture
def browser() -> Iterator[object]:
    _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1000,640",
    ):
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="gmmp-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def open_tab(driver, url: str, *, new: bool) -> Page:
    if new:
        driver.switch_to.new_window("tab")
    # Per tab: each is a target of its own for the DevTools protocol.
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": HOOK})
    driver.get(url)
    return Page(driver, driver.current_window_handle)


def stats(home: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "gmmp_quiz", "stats", "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, "GMMP_QUIZ_HOME": str(home)},
        timeout=WAIT,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


ENTER, TAB, DOWN = "\ue007", "\ue004", "\ue015"


def alone(word: str) -> Callable[[str], bool]:
    """A test of the screen: `word` is on a line without "Paris" (a second gap, not the first)."""
    return lambda screen: any(word in line and "Paris" not in line for line in screen.split("\n"))


# What a learner types for each question, found by its text: steps of (what the screen shows
# once the keys can go in, the keys), and whether the answer must be judged right. Each first
# step waits for the key footer of the focused answer: a key typed before that goes elsewhere.
# Choice and true/false have no footer of their own: their key is typed again if it was lost.
# The order and match questions are shown shuffled: whatever the verdict, it must be shown.
ANSWERS: dict[str, tuple[list[tuple[str | Callable[[str], bool], list[str]]], bool]] = {
    "Which city?": ([("Skip", ["1"])], True),
    "Which are objectives?": ([("Submit", ["1", "3", ENTER])], True),
    "It was the seventh meeting.": ([("Skip", ["t"])], True),
    "Who co-chaired for France?": ([("^s Skip", ["Joram"]), ("Joram", [ENTER])], True),
    "Which plenary meeting was it?": ([("^s Skip", ["7", ENTER])], True),
    "Meeting in": (
        [("^s Skip", ["Paris"]), ("Paris", [TAB, "June"]), (alone("June"), [ENTER])],
        True,
    ),
    # One move, then Enter: an untouched order is not taken as an answer.
    "Put the years in order": ([("Move up", ["j", ENTER])], False),
    "Match the delegates": ([("Submit", ["1", "a", "2", "b", ENTER])], False),
    "GMMP?": ([("Flip", [" ", "3"])], False),
}
RETYPED = ("Which city?", "It was the seventh meeting.")


def has_verdict(screen: str) -> bool:
    return any(v in screen for v in VERDICTS)


def choose_set(page: Page, description: str) -> None:
    """Move the home screen's highlight to the set whose description shows `description`."""
    for _ in range(5):
        before = page.text()
        if description in flat(before):
            return
        page.press(DOWN)
        page.wait_for(lambda screen, before=before: screen != before, "the highlight to move")
    page.wait_for(description)


def test_served_app_in_chromium(browser, quiz_home: Path, tmp_path: Path) -> None:
    # Wrong answers are not asked again here: one answer per question.
    store = ProgressStore.open(quiz_home, backup=False)
    store.set_setting("requeue", False)
    store.close()
    sets = tmp_path / "sets"
    sets.mkdir()
    server = Server("--lang", "en", "--questions", str(sets))
    try:
        link = f"{server.url}static/images/background.png"
        (sets / SET.name).write_text(SET.read_text().replace("@URL@", link), encoding="utf-8")

        page = open_tab(browser, server.url, new=False)
        page.wait_for("Every kind <script>window.__pwned=1</script>")
        choose_set(page, "One of each kind.")
        page.press(ENTER)  # Quiz

        verdicts: dict[str, str] = {}
        for n in range(1, len(ANSWERS) + 1):
            screen = page.wait_for(
                lambda s: any(p in s for p in ANSWERS if p not in verdicts),
                f"question {n}",
            )
            prompt = next(p for p in ANSWERS if p not in verdicts and p in screen)
            steps, must_be_right = ANSWERS[prompt]
            for ready, keys in steps:
                page.wait_for(ready, f"{prompt!r} ready for {keys}")
                page.press(*keys)
            for _ in range(3 if prompt in RETYPED else 0):
                if page.poll(has_verdict, timeout=5) is not None:
                    break
                page.press(*steps[-1][1])
            screen = page.wait_for(has_verdict, f"a verdict ({n})")
            verdicts[prompt] = next(v for v in VERDICTS if v in screen)
            if must_be_right:
                assert verdicts[prompt] == "✓ Right", screen
            if prompt == "Which city?":
                # The source's link opens in a new tab, on its own (no way back to this page).
                page.click_text(link.split("//")[1])
                deadline = time.monotonic() + WAIT
                while len(browser.window_handles) < 2 and time.monotonic() < deadline:
                    time.sleep(0.1)
                [new_tab] = [h for h in browser.window_handles if h != page.handle]
                browser.switch_to.window(new_tab)
                assert browser.execute_script("return window.opener") is None
                while browser.current_url != link and time.monotonic() < deadline:
                    time.sleep(0.1)
                assert browser.current_url == link
                browser.close()
            page.press(ENTER)  # next
        assert len(verdicts) == len(ANSWERS)

        # Nothing from the set ran as script, and nothing asked anything of the learner.
        browser.switch_to.window(page.handle)
        assert browser.execute_script("return window.__pwned") is None
        assert browser.execute_script("return document.title") == "gmmp-quiz"

        # A second tab on the same profile waits for the first, then carries on.
        second = open_tab(browser, server.url, new=True)
        second.wait_for("is open in another tab")
        browser.switch_to.window(page.handle)
        browser.close()
        second.wait_for(
            lambda s: "One of each kind." in s or "Every kind" in s and "another tab" not in s,
            "the home screen once the first tab was closed",
        )
        # Add sets reads paths on the server's side, and says so.
        second.press("a")
        second.wait_for("path to a file on the server")
    finally:
        status = server.stop()
    assert status == 0, "".join(server.output)
    assert "stopped" in "".join(server.output)

    figures = stats(quiz_home)
    assert figures["profile"] == "default"
    assert figures["sets"]["every-kind"]["attempts"] == len(ANSWERS)
    assert figures["totals"]["attempts"] == len(ANSWERS)
