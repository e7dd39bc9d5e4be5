"""`gmmp-quiz serve`: the app in a web browser, one app per tab, with textual-serve."""

from __future__ import annotations

import argparse
import shlex
import socket
import sys

from gmmp_quiz.commands import add_command, extra_dirs, interface_lang
from gmmp_quiz.errors import UserError
from gmmp_quiz.files import os_reason
from gmmp_quiz.i18n import _
from gmmp_quiz.paths import PROFILE_RE


def app_command(args: argparse.Namespace) -> str:
    """The shell command textual-serve runs for each tab: this Python, the served app."""
    command = [sys.executable, "-m", "gmmp_quiz.ui.served", "--lang", interface_lang(args)]
    if args.profiles:
        command.append("--profiles")
    else:
        command += ["--profile", getattr(args, "profile", None) or "default"]
    for directory in extra_dirs(args):
        command += ["--questions", str(directory.resolve())]
    return shlex.join(command)


def run_serve(args: argparse.Namespace) -> int:
    """Check the options, listen, print the address and serve until Ctrl+C."""
    profile = getattr(args, "profile", None)
    if args.profiles and profile is not None:
        args.serve_parser.error(_("--profile and --profiles do not go together"))
    if profile is not None and not PROFILE_RE.fullmatch(profile):
        raise UserError(
            _("invalid profile name {profile!r}: use letters, digits, '.', '_' or '-'").format(
                profile=profile
            )
        )
    extra_dirs(args)  # a --questions folder that is not there is an error, as everywhere
    try:
        from gmmp_quiz.web.server import QuizServer
    except ModuleNotFoundError as exc:  # pragma: no cover - textual-serve is a dependency
        raise UserError(
            _("serving needs textual-serve ({exc}): pip install textual-serve").format(exc=exc.name)
        ) from None
    try:
        sock = socket.create_server(
            (args.host, args.port),
            family=socket.AF_INET6 if ":" in args.host else socket.AF_INET,
        )
    except OSError as exc:
        raise UserError(
            _("cannot listen on {args.host} port {args.port}: {reason}").format(
                args=args, reason=os_reason(exc)
            )
        ) from None
    server = QuizServer(app_command(args), sock, lang=interface_lang(args))
    if not server.loopback:
        print(
            "gmmp-quiz: "
            + _(
                "other computers can reach this server: anyone who can may use the "
                "profiles, and the Add sets screen reads files on this computer."
            ),
            file=sys.stderr,
        )
    server.serve()
    print("gmmp-quiz: " + _("stopped"), flush=True)
    return 0


def _port(text: str) -> int:
    """A TCP port, 1 to 65535, or 0 for any free one (a usage error otherwise)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a port number: {text!r}").format(text=text)
        ) from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(_("must be between 0 and 65535"))
    return value


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `serve`."""
    p = add_command(
        subparsers,
        "serve",
        _("serve the app to web browsers (each tab runs its own app)"),
        run_serve,
        description=(
            _(
                "Serve the app to web browsers with textual-serve: open the address "
                "printed, and\n"
                "each tab runs the app as in the terminal (keys, mouse, themes, languages). A\n"
                "profile is used by one tab at a time; another tab on it waits until it is "
                "closed.\n"
                "With --profiles, each learner picks or creates a profile on the first screen.\n"
                "Ctrl+C stops the server and every tab's app (everything answered is saved).\n"
                "Example: gmmp-quiz serve --profiles --lang fr"
            )
        ),
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help=_(
            "address to listen on (default: 127.0.0.1, this computer only; "
            "0.0.0.0 for the local network)"
        ),
    )
    p.add_argument(
        "--port", type=_port, default=8000, help=_("port (default: 8000; 0: any free port)")
    )
    p.add_argument(
        "--profiles",
        action="store_true",
        help=_("each learner picks or creates a profile on the first screen"),
    )
    p.set_defaults(serve_parser=p)
