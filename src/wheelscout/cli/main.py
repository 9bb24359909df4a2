"""Entry point: ``_main(argv) -> int`` parses, dispatches and turns errors into one line."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from wheelscout import __version__
from wheelscout.errors import WheelscoutError

__all__ = ["main"]

# name -> module under wheelscout.cli; each module defines HELP, configure_parser and execute.
# Modules are imported lazily so that `wheelscout targets` never pays for httpx or resolvelib.
COMMANDS: dict[str, str] = {
    "check": "check",
    "explain": "explain",
    "targets": "targets",
    "tags": "tags",
    "audit": "audit",
    "build-env": "build_env",
    "inspect-sdist": "inspect_sdist",
    "metadata": "metadata",
    "scan": "scan",
}

EXIT_OK = 0
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit 2 without the usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"wheelscout: error: {message}\n")
        raise SystemExit(EXIT_USAGE)


def _load(name: str) -> ModuleType:
    return importlib.import_module(f"wheelscout.cli.{COMMANDS[name]}")


def _selected(argv: Sequence[str]) -> str | None:
    """The command named on the command line, if any (the first word that is not an option)."""
    for word in argv:
        if not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser; only the chosen command's module is imported, so start-up stays fast."""
    chosen = _selected(argv)
    parser = _Parser(
        prog="wheelscout",
        description="See how every package installs on a target platform before you pip install.",
    )
    parser.add_argument("--version", action="version", version=f"wheelscout {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        if chosen is not None and name != chosen:
            sub.add_parser(name)
            continue
        module = _load(name)
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.configure_parser(command)
    return parser


def _main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        result: int = _load(args.command).execute(args)
    except WheelscoutError as exc:
        sys.stderr.write(f"wheelscout: error: {exc}\n")
        return getattr(exc, "exit_code", EXIT_USAGE)
    except KeyboardInterrupt:
        sys.stderr.write("wheelscout: interrupted\n")
        return 130
    return result


def main() -> int:
    """Console-script entry point."""
    return _main()
