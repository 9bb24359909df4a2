"""What ``lock`` and ``download`` share: ``check``'s inputs and flags, one ``check`` run, and
its report printed as ``check`` prints it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wheelscout.check import CheckOptions
from wheelscout.cli._index_options import (
    add_format_options,
    add_index_options,
    merged_settings,
    settings_from_args,
)
from wheelscout.cli._run import add_input_options, load_requirements, progress_for
from wheelscout.cli._targets import add_target_options, targets_from_args
from wheelscout.model.target import Target

if TYPE_CHECKING:

    from wheelscout.check import CheckReport
    from wheelscout.index.settings import IndexSettings

__all__ = ["Prediction", "add_predict_options", "predict", "print_report", "refuse_blockers"]


def add_predict_options(parser: argparse.ArgumentParser) -> None:
    """Inputs, targets, pip's install-mode flags and index options, as ``check`` has them."""
    add_input_options(parser)
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


def predict(
    args: argparse.Namespace,
    command: str,
    accept: Callable[[Sequence[Target]], None] = lambda targets: None,
) -> Prediction:
    """Load the inputs, make the targets and run ``check`` (no second pipeline); ``accept``
    may refuse the targets (raise :class:`InputError`) before anything is fetched."""
    from wheelscout.check import run
    from wheelscout.check.options import input_layers, resolve_options, target_names

    inputs = load_requirements(args, merged_settings(args), command)
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
    progress = progress_for(args)
    try:
        report = run(inputs, targets, options, settings, progress)
    finally:
        progress.finished()  # also when the run failed half way
    return Prediction(report=report, settings=settings)


def print_report(report: CheckReport) -> None:
    """The report as ``check`` prints it in a terminal (matrix, summaries, reasons)."""
    from wheelscout.cli._output import stdout_console
    from wheelscout.report.terminal import render_terminal

    render_terminal(report, stdout_console())


def refuse_blockers(report: CheckReport, what: str) -> bool:
    """Print why nothing was ``what`` (e.g. "written") when a package has nothing installable
    on a target; true when the command must stop there."""
    from wheelscout.lock import blockers
    from wheelscout.redact import one_line

    problems = blockers(report.results)
    if not problems:
        return False
    sys.stderr.write(f"wheelscout: error: nothing {what}: nothing installable\n")
    for line in problems:
        sys.stderr.write(f"  {one_line(line)}\n")
    return True
