"""`gmmp-quiz serve`: its options and errors, and what its server answers over HTTP."""

from __future__ import annotations

import argparse
import shlex
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from serving import WAIT, Server

from gmmp_quiz.cli import main
from gmmp_quiz.commands.serve import app_command


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gmmp_quiz", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=WAIT,
    )


def get(url: str, **headers: str) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            return response.status, dict(response.headers), response.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode(errors="replace")


def test_serve_is_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    assert "serve" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        main(["serve", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "--profiles" in out and "--host" in out and "--port" in out


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["--profile", "../x"], 1, "invalid profile name '../x'"),
        (["--profile", "a", "--profiles"], 2, "--profile and --profiles do not go together"),
        (["--port", "70000"], 2, "must be between 0 and 65535"),
        (["--port", "http"], 2, "not a port number: 'http'"),
        (["--questions", "/nonexistent/sets"], 1, "--questions /nonexistent/sets: no such folder"),
        (["--host", "192.0.2.1"], 1, "cannot listen on 192.0.2.1 port 8000"),
    ],
)
def test_bad_options(
    args: list[str], status: int, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main(["serve", *args])
    except SystemExit as exc:
        code = exc.code
    assert code == status
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_port_in_use_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1 port {port}" in err


def test_app_command_for_each_tab(tmp_path: Path) -> None:
    sets = tmp_path / "my sets; rm -rf x"
    sets.mkdir()
    base = {"lang": "fr", "questions": [str(sets)], "profiles": False}
    words = shlex.split(app_command(argparse.Namespace(**base, profile="alice")))
    assert words[:3] == [sys.executable, "-m", "gmmp_quiz.ui.served"]
    assert words[3:] == ["--lang", "fr", "--profile", "alice", "--questions", str(sets)]
    words = shlex.split(app_command(argparse.Namespace(**{**base, "profiles": True})))
    assert "--profiles" in words and "--profile" not in words


def test_page_needs_nothing_online_and_only_its_pages_drive_apps(tmp_path: Path) -> None:
    server = Server("--lang", "fr")
    try:
        status, headers, page = get(server.url)
        assert status == 200
        assert '<html lang="fr">' in page and "Session terminée." in page
        # Everything the page loads comes from this server (textual-serve's own page also
        # fetches a web font from a CDN).
        host = server.url.split("//")[1].rstrip("/")
        assert "https://" not in page and "googleapis" not in page
        assert f'data-session-websocket-url="ws://{host}/ws"' in page
        for asset in ("js/textual.js", "css/xterm.css", "fonts/RobotoMono-VariableFont_wght.ttf"):
            assert f"http://{host}/static/{asset}" in page
            assert get(f"{server.url}static/{asset}")[0] == 200
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
        assert "<script>" not in page  # no inline script: the policy allows none

        # Under another name (DNS rebinding), or from another site's page: refused.
        assert get(server.url, Host="evil.example")[0] == 403
        upgrade = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13"}
        key = {"Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
        status = get(f"{server.url}ws", **upgrade, **key, Origin="http://evil.example")[0]
        assert status == 403
        status = get(f"{server.url}ws", **upgrade, **key, Host="evil.example:80")[0]
        assert status == 403
    finally:
        assert server.stop() == 0
    assert "gmmp-quiz: arrêté" in "".join(server.output)  # --lang fr
