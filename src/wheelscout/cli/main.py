"""Entry point: ``_main(argv) -> int`` parses, dispatches and turns errors into one line."""

from __future__ import annotations

import argparse
import codecs
import importlib
import io
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from wheelscout import __version__
from wheelscout.errors import WheelscoutError
from wheelscout.redact import printable

__all__ = ["main"]

# name -> module under wheelscout.cli; each module defines HELP, configure_parser and execute.
# Modules are imported lazily so that `wheelscout targets` never pays for httpx or resolvelib.
COMMANDS: dict[str, str] = {
    "check": "check",
    "lock": "lock",
    "download": "download",
    "scan": "scan",
    "config": "config",
    "explain": "explain",
    "targets": "targets",
    "tags": "tags",
    "audit": "audit",
    "build-env": "build_env",
    "inspect-sdist": "inspect_sdist",
    "metadata": "metadata",
}

EXIT_OK = 0
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit 2 without the usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"wheelscout: error: {printable(message)}\n")
        raise SystemExit(EXIT_USAGE)


def _load(name: str) -> ModuleType:
    return importlib.import_module(f"wheelscout.cli.{COMMANDS[name]}")


def _selected(argv: Sequence[str]) -> str | None:
    """The command named on the command line, if any (the first word that is not an option)."""
    for word in argv:
        if not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def add_global_options(parser: argparse.ArgumentParser, *, command: bool = False) -> None:
    """pip's and uv's general options, accepted before and after the command name.

    On a command's parser the defaults are suppressed, so a flag given before the command
    is not reset by the command's parser.
    """
    flag: dict[str, Any] = {"default": argparse.SUPPRESS if command else False}
    count: dict[str, Any] = {"default": argparse.SUPPRESS if command else 0}
    group = parser.add_argument_group("general options (pip's and uv's spellings)")
    taken = set(parser._option_string_actions)  # a command may define its own -q or -v

    def add(*names: str, **kwargs: Any) -> None:
        if not taken.intersection(names):
            group.add_argument(*names, **kwargs)

    add(
        "--isolated",
        action="store_true",
        help="ignore PIP_*/UV_* variables, MACOSX_DEPLOYMENT_TARGET and pip's and uv's config "
        "files",
        **flag,
    )
    add("--no-config", action="store_true", help="uv's spelling of --isolated", **flag)
    add(
        "-q",
        "--quiet",
        action="count",
        help="less output: no progress display, no warnings on stderr",
        **count,
    )
    add("-v", "--verbose", action="count", help="more output (repeatable)", **count)


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser; only the chosen command's module is imported, so start-up stays fast."""
    chosen = _selected(argv)
    parser = _Parser(
        prog="wheelscout",
        description="See how every package installs on a target platform before you pip install.",
    )
    parser.add_argument("--version", action="version", version=f"wheelscout {__version__}")
    add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        if chosen is not None and name != chosen:
            sub.add_parser(name)
            continue
        module = _load(name)
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.configure_parser(command)
        add_global_options(command, command=True)
    return parser


# Decorations a narrow console may drop (Markdown's icons); anything else it cannot show is
# escaped, so that no character is silently lost.
_DECORATIONS = frozenset("\u2705\u274c\U0001f6e0\ufe0f")


def _narrow_console(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    shown = "".join(
        "" if c in _DECORATIONS else c.encode("ascii", "backslashreplace").decode() for c in text
    )
    return shown, error.end


def _tolerant_streams() -> None:
    # A cp1252 or ASCII console cannot show every character of a report (the Markdown icons,
    # a project's name): drop or escape those instead of dying with UnicodeEncodeError.
    codecs.register_error("wheelscout-narrow", _narrow_console)
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="wheelscout-narrow")


def _main(argv: Sequence[str] | None = None) -> int:
    from wheelscout.cli._output import install_log_handler

    argv = sys.argv[1:] if argv is None else list(argv)
    _tolerant_streams()
    install_log_handler()
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        result: int = _load(args.command).execute(args)
    except WheelscoutError as exc:
        sys.stderr.write(f"wheelscout: error: {printable(str(exc))}\n")
        return getattr(exc, "exit_code", EXIT_USAGE)
    except KeyboardInterrupt:
        sys.stderr.write("wheelscout: interrupted\n")
        return 130
    return result


def _interrupted(signum: int, frame: object) -> None:
    # Ctrl-C ends the run now. Raising KeyboardInterrupt would wait for the threads resolving
    # targets and reading the index (a slow page, a long resolution), which Python joins
    # before it exits; no file is half-written, because files are only ever replaced whole.
    from wheelscout.atomic import remove_partial_files

    remove_partial_files()
    try:
        sys.stderr.write("wheelscout: interrupted\n")
        sys.stderr.flush()
    finally:
        os._exit(130)


# Installed alongside, these are imported by libraries wheelscout uses but never reached by it:
# httpcore imports trio (and trio attrs) to pick its locks, httpx its own command line (click,
# pygments, rich.syntax). Together they were a third of the start-up (issue 13). Blocked only in
# the wheelscout process, never when the package is imported as a library.
_UNUSED_MODULES = ("trio", "click")


def main() -> int:
    """Console-script entry point."""
    for name in _UNUSED_MODULES:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]  # None: import fails
    signal.signal(signal.SIGINT, _interrupted)
    return _exit_now(_main())


def _exit_now(status: int) -> int:
    """End the process without tearing the interpreter down, when nothing else is running.

    Freeing every module and object at exit took a fifth of a short ``check`` (50 ms of 260);
    mypy ends the same way. Not while another thread or a Dask cluster may still be finishing:
    then the usual exit joins and closes them.
    """
    if threading.active_count() > 1 or {"distributed", "multiprocessing"} & sys.modules.keys():
        return status
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        return status  # the usual exit reports or ignores it as before
    logging.shutdown()
    os._exit(status)
