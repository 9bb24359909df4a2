"""What ``lock`` and ``download`` share: ``check``'s inputs and flags, one ``check`` run, and
its report printed as ``check`` prints it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from wheelscout.check import CheckOptions, Reporter
from wheelscout.cli._index_options import (
    add_format_options,
    add_index_options,
    constraint_paths,
    merged_settings,
    settings_from_args,
)
from wheelscout.cli._targets import add_target_options, targets_from_args
from wheelscout.errors import InputError
from wheelscout.inputs import RequirementSet, load_inputs
from wheelscout.model.target import Target

if TYPE_CHECKING:
    from rich.status import Status

    from wheelscout.check import CheckReport
    from wheelscout.index import BlockingIndexClient
    from wheelscout.index.settings import Effective, IndexSettings

__all__ = ["Prediction", "add_predict_options", "predict", "print_report"]


def add_predict_options(parser: argparse.ArgumentParser) -> None:
    """Inputs, targets, pip's install-mode flags and index options, as ``check`` has them."""
    parser.add_argument(
        "requirements", nargs="*", metavar="REQUIREMENT", help="requirement strings"
    )
    src = parser.add_argument_group("inputs")
    for flags, what in ((("-r", "--requirement"), "a requirements file (repeatable)"),
                        (("-c", "--constraint"), "a constraints file (repeatable)")):
        src.add_argument(*flags, action="append", type=Path, default=[], metavar="FILE", help=what)
    src.add_argument("--project", type=Path, metavar="PYPROJECT",
                     help="a pyproject.toml: [project] dependencies, [tool.wheelscout] settings")
    src.add_argument("--extra", action="append", default=[], metavar="NAME",
                     help="include this optional-dependencies extra of --project (repeatable)")
    src.add_argument("--group", action="append", default=[], metavar="NAME",
                     help="include this PEP 735 dependency group of --project (repeatable)")
    add_target_options(parser, required=False)
    add_format_options(parser, constraints=False)
    add_index_options(parser)
    out = parser.add_argument_group("output")
    out.add_argument("--no-remedy", action="store_true",
                     help="skip the wheels-only resolution and the nearest-version hints")
    out.add_argument("--no-inspect", action="store_true",
                     help="do not download sdists to say what their builds need")
    out.add_argument("--no-progress", action="store_true", help="no progress display on stderr")


@dataclass(frozen=True, slots=True, kw_only=True)
class Prediction:
    """One ``check`` run for ``lock`` or ``download``: the report and the index settings."""

    report: CheckReport
    settings: IndexSettings


class _Status(Reporter):
    """Warnings on stderr and, on a terminal, a spinner naming the phase of the ``check`` run."""

    def __init__(self, show: bool) -> None:
        self._show = show
        self._status: Status | None = None

    def warning(self, message: str) -> None:
        from wheelscout.cli._output import warn

        warn(message)

    def starting(self, client: BlockingIndexClient, targets: Sequence[Target]) -> None:
        if self._show:
            from rich.console import Console

            console = Console(file=sys.stderr)
            self._status = console.status(f"resolving {len(targets)} target(s)")
            self._status.start()

    def phase(self, name: str) -> None:
        if self._status is not None:
            self._status.update(name)

    def finished(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None


def predict(
    args: argparse.Namespace,
    command: str,
    accept: Callable[[Sequence[Target]], None] = lambda targets: None,
) -> Prediction:
    """Load the inputs, make the targets and run ``check`` (no second pipeline); ``accept``
    may refuse the targets (raise :class:`InputError`) before anything is fetched."""
    from wheelscout.check import run
    from wheelscout.check.options import input_layers, resolve_options, target_names

    inputs = _load(args, merged_settings(args), command)
    merged = merged_settings(args, input_layers(inputs))
    spellings, pythons = target_names(tuple(args.target or ()), tuple(args.python or ()), inputs)
    targets = targets_from_args(args, spellings, pythons)
    accept(targets)
    options = CheckOptions(
        resolve=resolve_options(merged),
        inspect_builds=not args.no_inspect,
        remedies=not args.no_remedy,
        no_deps=merged.no_deps,
    )
    settings = settings_from_args(args, merged=merged)
    quiet = getattr(args, "quiet", 0) > 0
    status = _Status(not (args.no_progress or quiet) and sys.stderr.isatty())
    try:
        report = run(inputs, targets, options, settings, status)
    finally:
        status.finished()  # also when the run failed half way
    return Prediction(report=report, settings=settings)


def _load(args: argparse.Namespace, merged: Effective, command: str) -> RequirementSet:
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
    )
    if not inputs.entries:
        raise InputError(f"nothing to {command}: give requirements, -r FILE or --project")
    return inputs


def print_report(report: CheckReport) -> None:
    """The report as ``check`` prints it in a terminal (matrix, summaries, reasons)."""
    from wheelscout.check import document
    from wheelscout.cli._output import stdout_console
    from wheelscout.report.terminal import render_terminal

    render_terminal(document(report), stdout_console())
