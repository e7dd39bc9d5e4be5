"""A `gmmp-quiz serve` subprocess for the tests of serving (CLI, HTTP, browser)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading

import pytest

# How long any one thing may take (the server to start or stop, a page to show something).
WAIT = 30.0


class Server:
    """`gmmp-quiz serve` in a subprocess, on a free port of the loopback."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gmmp_quiz", "serve", "--port", "0", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=os.environ.copy(),
        )
        self.output: list[str] = []
        self._first = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        if not self._first.wait(WAIT):
            self.proc.kill()
            pytest.fail("gmmp-quiz serve printed no address")
        # "serving on URL" in any language: the address is the same.
        found = re.search(r"gmmp-quiz: \S.* (http://127\.0\.0\.1:\d+/)", self.output[0])
        assert found, self.output
        self.url = found.group(1)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)
            self._first.set()
        self._first.set()

    def stop(self) -> int:
        """Ctrl+C, as in a terminal; the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(WAIT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise
