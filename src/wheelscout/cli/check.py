"""``wheelscout check``: resolve as pip would on each target, with a verdict per package."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Sequence
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
from wheelscout.cli._output import print_json, stdout_console, warn
from wheelscout.cli._targets import add_target_options, targets_from_args
from wheelscout.errors import InputError
from wheelscout.inputs import RequirementSet, load_inputs
from wheelscout.model.target import Target

if TYPE_CHECKING:
    from wheelscout.index import BlockingIndexClient
    from wheelscout.index.settings import Effective

HELP = "check how every package of a requirement set installs on each target"


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "requirements",
        nargs="*",
        metavar="REQUIREMENT",
        help="requirement strings, e.g. 'numpy==1.26.2' 'pandas>=2'",
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
        "-c",
        "--constraint",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="a constraints file (repeatable; adds to those of pip's config)",
    )
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
    src.add_argument(
        "--lock",
        type=Path,
        metavar="PYLOCK",
        help="a pylock.toml (PEP 751): check its locked files per target, no resolving",
    )
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


def _load(args: argparse.Namespace, merged: Effective) -> RequirementSet:
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
        pylock=args.lock,
    )
    if not inputs.entries and inputs.locked is None:
        raise InputError("nothing to check: give requirements, -r FILE, --project or --lock")
    return inputs


class _Progress(Reporter):
    """A one-line counter on stderr (a terminal only), redrawn while the index is read."""

    def __init__(self, show: bool, *, quiet: bool = False) -> None:
        self._show = show
        self._quiet = quiet
        self._client: BlockingIndexClient | None = None
        self._targets = 0
        self._phase = "resolving"
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def starting(self, client: BlockingIndexClient, targets: Sequence[Target]) -> None:
        self._client, self._targets = client, len(targets)
        if self._show:
            self._thread = threading.Thread(target=self._loop, daemon=True)
            self._thread.start()

    def phase(self, name: str) -> None:
        self._phase = name

    def warning(self, message: str) -> None:
        if self._quiet:
            return  # still in the report's notes
        warn(message)

    def _line(self) -> str:
        assert self._client is not None
        stats = self._client.stats()
        return (
            f"{self._phase} ({self._targets} target(s)): {stats.requests} requests, "
            f"{stats.bytes // 1024} KiB"
        )

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
        sys.stderr.write(f"\r{self._line()}, done\x1b[K\n")


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
    from wheelscout.check import document, run
    from wheelscout.check.options import input_layers, target_names
    from wheelscout.check.remedies import write_constraints
    from wheelscout.report import exit_status

    inputs = _load(args, merged_settings(args))
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
    quiet = getattr(args, "quiet", 0) > 0
    progress = _Progress(not (args.no_progress or quiet) and sys.stderr.isatty(), quiet=quiet)
    settings = settings_from_args(args, merged=merged)
    report = run(inputs, targets, _options(args, merged), settings, progress)
    written: tuple[Path | None, ...] = ()
    if args.write_constraints is not None and not args.no_remedy:
        written = write_constraints(args.write_constraints, report.plans)
    doc = document(report, written)
    if args.format == "json":
        print_json(doc)
    elif args.format == "markdown":
        from wheelscout.report.markdown import render_markdown

        sys.stdout.write(render_markdown(doc) + "\n")
    else:
        from wheelscout.report.terminal import render_terminal

        render_terminal(doc, stdout_console())
    fail_on = "none" if args.fail_on == "uninstallable" else args.fail_on
    return exit_status(list(report.results), fail_on)


__all__ = ["HELP", "configure_parser", "execute"]
