"""The web server of `gmmp-quiz serve`: textual-serve's, with a page that needs nothing online.

textual-serve runs one app process per browser tab and relays the terminal to xterm.js in the
page. This server serves that page from the package (textual-serve's page fetches a web font
from a CDN, which a classroom without internet cannot reach), and guards it: only pages it
served itself may drive an app (another site's script could otherwise open the websocket of a
server on this machine), only its own names are accepted while it listens on the loopback
(DNS rebinding), and a Content Security Policy lets no script run but textual-serve's own.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server

from gmmp_quiz.i18n import _

TEMPLATES = Path(__file__).parent
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
PAGE_TEXT = {
    "en": {"ended": "Session ended.", "restart": "Start again"},
    "fr": {"ended": "Session terminée.", "restart": "Recommencer"},
}


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or an address) is this machine only."""
    return host in LOOPBACK_NAMES or host.startswith("127.")


def url_host(host: str) -> str:
    """`host` as it goes in a URL (an IPv6 address in brackets)."""
    return f"[{host}]" if ":" in host else host


class QuizServer(Server):
    """textual-serve's server with this package's page, a same-origin check and a CSP."""

    def __init__(self, command: str, sock: socket.socket, *, lang: str = "en") -> None:
        host, port = sock.getsockname()[:2]
        super().__init__(command, host=host, port=port, title="gmmp-quiz", templates_path=TEMPLATES)
        self.sock = sock
        self.lang = lang
        self.loopback = is_loopback(host)

    def address(self) -> str:
        """The URL to open, as printed (the machine's name when listening on every address)."""
        host = self.host
        if host in ("0.0.0.0", "::"):
            host = socket.gethostname()
        return f"http://{url_host(host)}:{self.port}/"

    def initialize_logging(self) -> None:
        """Warnings and errors only (textual-serve logs every request)."""
        logging.basicConfig(level=logging.WARNING, format="gmmp-quiz serve: %(message)s")

    async def on_startup(self, app: web.Application) -> None:
        """Say where the app is, instead of textual-serve's banner."""
        said = _("serving on {address}  (Ctrl+C stops)").format(address=self.address())
        print(f"gmmp-quiz: {said}", flush=True)

    def _host_allowed(self, request: web.Request) -> bool:
        # While it listens on the loopback, a page from elsewhere reaching it under another
        # name (DNS rebinding) is turned away.
        name = urlsplit(f"//{request.host}").hostname or ""
        return not self.loopback or is_loopback(name)

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.on_response_prepare.append(self._add_headers)
        return app

    async def _add_headers(self, request: web.Request, response: web.StreamResponse) -> None:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        if request.path == "/":
            ws = f"ws://{request.host} wss://{request.host}"
            response.headers["Content-Security-Policy"] = (
                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                f"img-src 'self' data: blob:; font-src 'self'; connect-src 'self' {ws}; "
                "frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'"
            )

    async def handle_index(self, request: web.Request) -> web.Response:
        """The page, its URLs on the name the browser used (not the address bound)."""
        if not self._host_allowed(request):
            raise web.HTTPForbidden(text="gmmp-quiz: unknown host name")
        ws_scheme = "wss" if request.scheme == "https" else "ws"
        try:
            font_size = min(max(int(request.query.get("fontsize", "16")), 8), 48)
        except ValueError:
            font_size = 16
        context = {
            "lang": self.lang,
            **PAGE_TEXT.get(self.lang, PAGE_TEXT["en"]),
            "font_size": font_size,
            "app_websocket_url": f"{ws_scheme}://{request.host}/ws",
            "config": {"static": {"url": f"{request.scheme}://{request.host}/static/"}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """An app for a tab of a page served here; other origins are refused."""
        origin = request.headers.get("Origin")
        if not self._host_allowed(request) or (
            origin is not None and urlsplit(origin).netloc != request.host
        ):
            raise web.HTTPForbidden(text="gmmp-quiz: not a page of this server")
        return await super().handle_websocket(request)

    def serve(self, debug: bool = False) -> None:
        """Serve until Ctrl+C (SIGINT) or SIGTERM; each tab's app is told to quit then."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, self.request_exit)
        try:
            web.run_app(
                self._make_app(),
                sock=self.sock,
                handle_signals=False,
                loop=loop,
                print=None,
                # Open tabs hold their websocket: past this, they are cancelled, which tells
                # each app process to quit (it saves as it goes, and closes its store).
                shutdown_timeout=2.0,
            )
        finally:
            loop.close()
