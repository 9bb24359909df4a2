"""``wheelscout check``: resolve as pip would on each target, with a verdict per package."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from wheelscout.check import CheckOptions
from wheelscout.cli._index_options import (
    add_format_options,
    add_index_options,
    merged_settings,
    settings_from_args,
)
from wheelscout.cli._output import print_json, stdout_console
from wheelscout.cli._run import add_input_options, load_requirements, progress_for
from wheelscout.cli._targets import add_target_options, targets_from_args
from wheelscout.errors import InputError

if TYPE_CHECKING:
    from wheelscout.index.settings import Effective
    from wheelscout.model.verdict import CheckReport

HELP = "check how every package of a requirement set installs on each target"


def configure_parser(parser: argparse.ArgumentParser) -> None:
    add_input_options(parser, lock=True)
    add_target_options(parser, required=False)
    add_format_options(parser, constraints=False)
    add_index_options(parser)
    group = parser.add_argument_group("remedies")
    group.add_argument(
        "--write-constraints",
        type=Path,
        metavar="DIR",
        help="write one constraints file per target (constraints-<platform>-<abi>.txt) that "
        "makes pip/uv install -c FILE take wheels only",
    )
    group.add_argument(
        "--no-remedy",
        action="store_true",
        help="skip the wheels-only resolution and the nearest-version hints",
    )
    out = parser.add_argument_group("output")
    out.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    out.add_argument(
        "--fail-on",
        choices=("build", "uninstallable", "never", "none"),
        default="build",
        help="exit non-zero when a package builds from source or cannot install (build, the "
        "default), only when one cannot install (uninstallable; 'none' is its old spelling), "
        "or never",
    )
    out.add_argument("--no-progress", action="store_true", help="no progress display on stderr")
    out.add_argument(
        "--no-inspect",
        action="store_true",
        help="do not download sdists to say what their builds need",
    )


def _options(args: argparse.Namespace, merged: Effective) -> CheckOptions:
    from wheelscout.check.options import resolve_options

    return CheckOptions(
        resolve=resolve_options(merged),
        inspect_builds=not args.no_inspect,
        remedies=not args.no_remedy,
        plan_every_target=args.write_constraints is not None,
        extras=tuple(args.extra),
        groups=tuple(args.group) or None,
        no_deps=merged.no_deps,
    )


def execute(args: argparse.Namespace) -> int:
    from wheelscout.check import run
    from wheelscout.check.options import input_layers, target_names
    from wheelscout.check.remedies import write_constraints
    from wheelscout.report import exit_status

    inputs = load_requirements(args, merged_settings(args))
    merged = merged_settings(args, input_layers(inputs))
    if getattr(args, "verbose", 0) > 0:
        from wheelscout.cli.config import render_settings

        sys.stderr.write(render_settings(merged, args) + "\n")
    spellings, pythons = target_names(tuple(args.target or ()), tuple(args.python or ()), inputs)
    targets = targets_from_args(args, spellings, pythons)
    if inputs.locked is not None and args.write_constraints is not None:
        raise InputError(
            "--write-constraints resolves requirements; it does not apply to "
            f"--lock {str(args.lock)!r}"
        )
    progress = progress_for(args)
    settings = settings_from_args(args, merged=merged)
    report = run(inputs, targets, _options(args, merged), settings, progress)
    if args.write_constraints is not None and not args.no_remedy:
        report = write_constraints(args.write_constraints, report)
    _render(report, args.format, verbose=getattr(args, "verbose", 0) > 0)
    fail_on = "none" if args.fail_on == "uninstallable" else args.fail_on
    return exit_status(report.results, fail_on)


def _render(report: CheckReport, output: str, *, verbose: bool) -> None:
    """The typed report in the format asked for, on stdout."""
    if output == "json":
        from wheelscout.report.serialize import check_document

        print_json(check_document(report))
    elif output == "markdown":
        from wheelscout.report.markdown import render_markdown

        sys.stdout.write(render_markdown(report) + "\n")
    else:
        from wheelscout.report.terminal import render_terminal

        render_terminal(report, stdout_console(), verbose=verbose)


__all__ = ["HELP", "configure_parser", "execute"]
