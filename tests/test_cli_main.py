"""The command line's entry: opening the app skips the subcommands; usage errors exit 2."""

from __future__ import annotations

import pytest

from gmmp_quiz import cli


@pytest.mark.parametrize(
    ("argv", "opens_app"),
    [
        ([], True),
        (["--lang", "fr"], True),
        (["--profile", "work", "--questions", "x"], True),
        (["list"], False),
        (["--help"], False),
        (["--version"], False),
        (["--lang", "zz"], False),
        (["quiz", "gmmp-2025"], False),
    ],
)
def test_app_only(argv: list[str], opens_app: bool) -> None:
    args = cli._app_only(argv)
    assert (args is not None) is opens_app
    if args is not None and "--lang" in argv:
        assert args.lang == "fr"


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--lang", "zz"], ["bogus"], ["quiz", "x", "--count", "0"]):
        with pytest.raises(SystemExit) as info:
            cli.main(argv)
        assert info.value.code == 2
        err = capsys.readouterr().err
        assert err.count("error:") == 1, err
