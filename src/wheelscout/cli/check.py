"""``wheelscout check``: resolve as pip would on each target, with a verdict per package."""

from __future__ import annotations

import argparse
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from wheelscout.cli._index_options import add_index_options, settings_from_args
from wheelscout.cli._output import print_json, stdout_console
from wheelscout.cli._remedy import Remedies, add_remedy_options, attach, compute, write_constraints
from wheelscout.cli._targets import add_target_options, targets_from_args
from wheelscout.errors import InputError
from wheelscout.inputs import ALL, Mode, RequirementSet, load_inputs
from wheelscout.model.target import Target
from wheelscout.model.verdict import TargetResult

if TYPE_CHECKING:
    from wheelscout.index import BlockingIndexClient
    from wheelscout.resolve import ResolveOptions

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
        help="a constraints file (repeatable)",
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
    mode = parser.add_argument_group("install mode (pip's flags)")
    mode.add_argument(
        "--prefer-binary",
        action="store_true",
        help="prefer older versions with wheels over newer sdist-only ones",
    )
    mode.add_argument(
        "--only-binary",
        nargs="?",
        const=ALL,
        metavar="NAMES",
        help="wheels only (all packages, or a comma-separated list)",
    )
    mode.add_argument(
        "--no-binary",
        metavar="NAMES",
        help="never use wheels for these packages (comma-separated, or :all:)",
    )
    mode.add_argument("--pre", action="store_true", help="allow pre-releases")
    add_index_options(parser)
    add_remedy_options(parser)
    out = parser.add_argument_group("output")
    out.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    out.add_argument(
        "--fail-on",
        choices=("build", "none", "never"),
        default="build",
        help="exit non-zero when something builds (default), only when something "
        "cannot install, or never",
    )
    out.add_argument("--no-progress", action="store_true", help="no progress display on stderr")
    out.add_argument(
        "--no-inspect",
        action="store_true",
        help="do not download sdists to say what their builds need",
    )


def _names(value: str | None) -> frozenset[str]:
    from packaging.utils import canonicalize_name

    if not value:
        return frozenset()
    return frozenset(v if v == ALL else canonicalize_name(v) for v in value.split(",") if v)


def _load(args: argparse.Namespace) -> RequirementSet:
    project = args.project
    if project is not None and project.is_dir():
        project = project / "pyproject.toml"
    inputs = load_inputs(
        args.requirements,
        args.requirement,
        args.constraint,
        project,
        args.extra,
        args.group,
        pylock=args.lock,
    )
    if not inputs.entries and inputs.locked is None:
        raise InputError("nothing to check: give requirements, -r FILE, --project or --lock")
    return inputs


def _apply_settings(args: argparse.Namespace, inputs: RequirementSet) -> None:
    """Fill what the command line left unset from requirements files, then [tool.wheelscout]."""
    options, settings = inputs.index_options, inputs.settings
    args.index_url = args.index_url or options.index_url or (settings and settings.index_url)
    extra = list(options.extra_index_urls) + list((settings and settings.extra_index_urls) or ())
    if args.extra_index_url is None and extra:
        args.extra_index_url = extra
    links = list(options.find_links) + list((settings and settings.find_links) or ())
    if args.find_links is None and links:
        args.find_links = links
    if not args.target and settings and settings.targets:
        args.target = list(settings.targets)
    if not args.python and settings and settings.pythons:
        args.python = list(settings.pythons)
    if not args.target:
        raise InputError("no target: give --target (e.g. win-arm64) or [tool.wheelscout] targets")


def _options(args: argparse.Namespace, inputs: RequirementSet) -> ResolveOptions:
    from wheelscout.resolve import ResolveOptions

    settings_mode = inputs.settings.mode if inputs.settings else None
    mode: Mode = settings_mode or "default"
    if args.prefer_binary or inputs.index_options.prefer_binary:
        mode = "prefer-binary"
    if args.only_binary == ALL:
        mode = "only-binary"
    return ResolveOptions(
        mode=mode,
        pre=args.pre or inputs.index_options.pre,
        no_binary=_names(args.no_binary) | inputs.index_options.no_binary,
        only_binary=(_names(args.only_binary) if args.only_binary != ALL else frozenset())
        | inputs.index_options.only_binary,
    )


def _show_progress(args: argparse.Namespace) -> bool:
    return not args.no_progress and sys.stderr.isatty()


class _Progress:
    """A one-line counter on stderr (a terminal only), redrawn while the index is read."""

    def __init__(self, client: BlockingIndexClient, targets: int) -> None:
        self._client, self._targets = client, targets
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _line(self) -> str:
        stats = self._client.stats()
        return (
            f"resolving {self._targets} target(s): {stats.requests} requests, "
            f"{stats.bytes // 1024} KiB"
        )

    def _loop(self) -> None:
        while not self._done.wait(0.1):
            sys.stderr.write(f"\r{self._line()}\x1b[K")
            sys.stderr.flush()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()
        sys.stderr.write(f"\r{self._line()}, done\x1b[K\n")


def _run(
    args: argparse.Namespace, inputs: RequirementSet, targets: list[Target]
) -> tuple[list[TargetResult], Remedies | None]:
    from wheelscout.index import BlockingIndexClient
    from wheelscout.resolve import Resolver
    from wheelscout.resolve.lock import check_lock

    if inputs.locked is not None:
        if args.write_constraints is not None:
            raise InputError(
                "--write-constraints resolves requirements; it does not apply to "
                f"--lock {str(args.lock)!r}"
            )
        return [check_lock(inputs.locked, t, args.extra, args.group or None) for t in targets], None
    options = _options(args, inputs)
    settings = settings_from_args(args)
    with BlockingIndexClient(settings) as client:
        for warning in client.warnings:
            sys.stderr.write(f"wheelscout: warning: {warning}\n")
        resolver = Resolver(client)
        progress = _Progress(client, len(targets)) if _show_progress(args) else None
        # Targets resolve side by side: their network waits overlap, and every page and
        # metadata file is still fetched once (the client shares them).
        with ThreadPoolExecutor(max_workers=min(8, len(targets))) as pool:
            results = list(
                pool.map(
                    lambda t: resolver.resolve(inputs.requirements, t, options, inputs.constraints),
                    targets,
                )
            )
        builds = any(v.install == "build" for r in results for v in r.packages)
        if builds and not args.no_inspect:
            from wheelscout.resolve.builds import attach_build_needs

            results = attach_build_needs(results, client)
        remedies = compute(
            args, client, resolver, inputs.requirements, inputs.constraints, options, results
        )
        if progress is not None:
            progress.stop()
    return list(remedies.results), remedies


def execute(args: argparse.Namespace) -> int:
    from wheelscout.report import check_document, exit_status

    inputs = _load(args)
    _apply_settings(args, inputs)
    targets = targets_from_args(args)
    results, remedies = _run(args, inputs, targets)
    document = check_document(results, [str(n) for n in inputs.notes])
    if remedies is not None:
        written = (
            write_constraints(args.write_constraints, remedies)
            if (args.write_constraints is not None)
            else []
        )
        attach(document, remedies, written)
    if args.format == "json":
        print_json(document)
    elif args.format == "markdown":
        from wheelscout.report.markdown import render_markdown

        sys.stdout.write(render_markdown(document) + "\n")
    else:
        from wheelscout.report.terminal import render_terminal

        render_terminal(document, stdout_console())
    return exit_status(results, args.fail_on)


__all__ = ["HELP", "configure_parser", "execute"]
