"""What every command that runs the ``check`` pipeline shares on the command line: the input
options, loading them into a :class:`~wheelscout.inputs.RequirementSet`, and the progress line."""

from __future__ import annotations

import argparse
import shutil
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from wheelscout.check import Reporter
from wheelscout.cli._index_options import add_constraint_option, constraint_paths
from wheelscout.cli._output import warn
from wheelscout.errors import InputError
from wheelscout.inputs import RequirementSet, load_inputs
from wheelscout.model.target import Target

if TYPE_CHECKING:
    from wheelscout.index import BlockingIndexClient
    from wheelscout.index.settings import Effective

__all__ = ["Progress", "add_input_options", "load_requirements", "progress_for"]


def add_input_options(parser: argparse.ArgumentParser, *, lock: bool = False) -> None:
    """Requirements, ``-r``, ``-e``, ``-c``, ``--project`` with ``--extra``/``--group``, and,
    with ``lock``, ``--lock PYLOCK``."""
    parser.add_argument(
        "requirements",
        nargs="*",
        metavar="REQUIREMENT",
        help="requirement strings, e.g. 'numpy==1.26.2' 'pandas>=2'; a local path "
        "(./pkg, dist/x.whl); a requirements file is read as -r, a project directory as "
        "--project",
    )
    src = parser.add_argument_group("inputs")
    src.add_argument(
        "-r",
        "--requirement",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="a requirements file (repeatable; nested -r/-c work)",
    )
    src.add_argument(
        "-e",
        "--editable",
        action="append",
        default=[],
        metavar="PATH",
        help="a local project directory, as pip install -e: its static dependencies are read",
    )
    add_constraint_option(src)
    src.add_argument(
        "--project",
        type=Path,
        metavar="PYPROJECT",
        help="a pyproject.toml: [project] dependencies, [tool.wheelscout] settings",
    )
    src.add_argument(
        "--extra",
        action="append",
        default=[],
        metavar="NAME",
        help="include this optional-dependencies extra of --project (repeatable)",
    )
    src.add_argument(
        "--group",
        action="append",
        default=[],
        metavar="NAME",
        help="include this PEP 735 dependency group of --project (repeatable)",
    )
    if lock:
        src.add_argument(
            "--lock",
            type=Path,
            metavar="PYLOCK",
            help="a pylock.toml (PEP 751): check its locked files per target, no resolving",
        )


def load_requirements(
    args: argparse.Namespace, merged: Effective, command: str = "check"
) -> RequirementSet:
    """The inputs the options name; a one-line error when they name nothing."""
    project = args.project
    if project is not None and project.is_dir():
        project = project / "pyproject.toml"
    inputs = load_inputs(
        args.requirements,
        args.requirement,
        constraint_paths(merged),
        project,
        args.extra,
        args.group,
        pylock=getattr(args, "lock", None),
        cwd=Path.cwd(),
        editables=args.editable,
    )
    if not inputs.entries and inputs.locked is None:
        with_lock = ", --project or --lock" if hasattr(args, "lock") else " or --project"
        raise InputError(f"nothing to {command}: give requirements, -r FILE{with_lock} "
                         "(or run it where a pyproject.toml is)")
    return inputs


class Progress(Reporter):
    """One line on stderr (a terminal only), redrawn ten times a second: the phase, the target
    and project being resolved, and what the index has sent so far."""

    def __init__(self, show: bool, *, quiet: bool = False) -> None:
        self._show = show
        self._quiet = quiet
        self._client: BlockingIndexClient | None = None
        self._targets = 0
        self._phase = "resolving"
        self._current = ""  # "win-arm64 3.12: numpy", replaced whole (no lock needed)
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def starting(self, client: BlockingIndexClient, targets: Sequence[Target]) -> None:
        self._client, self._targets = client, len(targets)
        if self._show:
            self._thread = threading.Thread(target=self._loop, daemon=True)
            self._thread.start()

    def phase(self, name: str) -> None:
        self._phase, self._current = name, ""

    def resolving(self, target: Target, name: str) -> None:
        self._current = f"{target.spelling} {target.python.short}: {name}"

    def inspecting(self, filename: str) -> None:
        self._current = filename

    def warning(self, message: str) -> None:
        if self._quiet:
            return  # still in the report's notes
        warn(message)

    def _line(self) -> str:
        assert self._client is not None
        stats = self._client.stats()
        targets = f"{self._targets} target{'s' if self._targets != 1 else ''}"
        where = f" {self._current}" if self._current else f" ({targets})"
        line = (f"{self._phase}{where} [{stats.requests} requests, {_size(stats.bytes)}]")
        width = shutil.get_terminal_size((80, 24)).columns - 1
        return line if len(line) <= width else line[: max(0, width - 1)] + "…"

    def _loop(self) -> None:
        while not self._done.wait(0.1):
            sys.stderr.write(f"\r{self._line()}\x1b[K")
            sys.stderr.flush()

    def finished(self) -> None:
        if self._thread is None:
            return
        self._done.set()
        self._thread.join()
        self._thread = None
        assert self._client is not None
        stats = self._client.stats()
        sys.stderr.write(f"\rdone: {stats.requests} requests, {_size(stats.bytes)}\x1b[K\n")


def _size(count: int) -> str:
    return f"{count / 1048576:.1f} MiB" if count >= 1048576 else f"{count // 1024} KiB"


def progress_for(args: argparse.Namespace) -> Progress:
    """The progress line the flags ask for: drawn on a terminal unless ``--no-progress`` or
    ``-q``; warnings kept to the report's notes under ``-q``."""
    quiet = getattr(args, "quiet", 0) > 0
    return Progress(not (args.no_progress or quiet) and sys.stderr.isatty(), quiet=quiet)
