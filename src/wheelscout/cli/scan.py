"""``wheelscout scan``: readiness of many projects on a matrix of targets, with history and a
static dashboard."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from wheelscout.cli._index_options import add_index_options, settings_from_args
from wheelscout.cli._output import warn, write_text
from wheelscout.cli._targets import add_target_options, overrides_from_args
from wheelscout.errors import InputError
from wheelscout.scan.engine import ScanReporter

if TYPE_CHECKING:
    from wheelscout.scan.model import ProjectResult, ProjectSpec
    from wheelscout.scan.runner import ScanRun

HELP = "scan many projects on many targets: a readiness dashboard with history"


def configure_parser(parser: argparse.ArgumentParser) -> None:
    src = parser.add_argument_group("projects (one of)")
    which = src.add_mutually_exclusive_group(required=True)
    which.add_argument("--projects", type=Path, metavar="FILE",
                       help="project names or requirement lines, one a line (# comments)")
    which.add_argument("--top", type=int, metavar="N",
                       help="the N most downloaded projects (hugovk/top-pypi-packages)")
    src.add_argument("--top-source", metavar="URL|FILE",
                     help="where --top reads the dataset (default: its published JSON, "
                     "fetched at most once a day)")
    add_target_options(parser, required=False)
    for action in parser._actions:  # the shared help names check's default, not the matrix's
        if action.dest == "python":
            action.help = ("CPython version, e.g. 3.12 or 3.13t; repeatable; "
                           "default: 3.11 to 3.15 and 3.15t")
        elif action.dest == "target":
            action.help = "platform to scan (as in check); repeatable; default: the matrix below"
    parser.description = (f"{HELP}. Default matrix: win-arm64, win-amd64, linux-x86_64, "
                          "linux-aarch64, musllinux-x86_64, macos-arm64, ios-arm64, "
                          "android-arm64, pyemscripten-2026 x CPython 3.11-3.15 and 3.15t "
                          "(pairs a platform does not host are left out).")
    add_index_options(parser)
    run = parser.add_argument_group("scan")
    run.add_argument("--db", type=Path, metavar="FILE",
                     help="history database (default: scan-history.sqlite3 in the user data dir)")
    run.add_argument("--no-history", action="store_true", help="keep no history")
    run.add_argument("--out", type=Path, metavar="DIR", help="write the static dashboard here")
    run.add_argument("--not-applicable", type=Path, metavar="FILE",
                     help="more curated n/a entries (same JSON as the shipped list)")
    run.add_argument("--concurrency", type=int, default=8, metavar="N",
                     help="projects resolved at once (default 8)")
    run.add_argument("--connections", type=int, default=8, metavar="N",
                     help="HTTP requests in flight at once, for every project together "
                     "(default 8: polite to a public index)")
    run.add_argument("--inspect-builds", action="store_true",
                     help="download sdists that would build, to say what they need (slow)")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="run on a Dask cluster (tcp://host:8786); needs the 'dask' extra")
    run.add_argument("--shards", type=int, default=64, metavar="N",
                     help="stable shards projects are hashed into, one Dask task each "
                     "(default 64)")
    run.add_argument("--format", choices=("text", "json"), default="text",
                     help="what to print: a summary per target, or results.json")
    run.add_argument("--no-progress", action="store_true", help="no progress line on stderr")


def _projects(args: argparse.Namespace, cache_dir: Path) -> list[ProjectSpec]:
    from wheelscout.scan.projects import load_top, read_projects

    if args.projects is not None:
        if args.top_source is not None:
            raise InputError("--top-source goes with --top, not --projects")
        return read_projects(args.projects)
    return load_top(args.top, args.top_source, cache_dir / "scan", offline=args.offline)


def _check_numbers(args: argparse.Namespace) -> None:
    for flag, value in (("--concurrency", args.concurrency), ("--shards", args.shards),
                        ("--connections", args.connections)):
        if value < 1:
            raise InputError(f"{flag} expects a positive number, got {value}")


def execute(args: argparse.Namespace) -> int:
    from wheelscout.index.cache import default_cache_dir
    from wheelscout.scan.applicability import load_curated
    from wheelscout.scan.engine import ScanOptions
    from wheelscout.scan.history import default_path
    from wheelscout.scan.matrix import matrix
    from wheelscout.scan.runner import ScanRequest, run_scan

    _check_numbers(args)
    if args.out is not None:
        from wheelscout.scan.dashboard import check_out

        check_out(args.out)
    settings = dataclasses.replace(settings_from_args(args), max_concurrency=args.connections)
    overrides = overrides_from_args(args)
    targets = matrix(args.target or (), args.python or (), overrides)
    specs = _projects(args, settings.cache_dir or default_cache_dir())
    options = ScanOptions(concurrency=args.concurrency, inspect_builds=args.inspect_builds,
                          curated=load_curated(args.not_applicable))
    db = None if args.no_history else (args.db or default_path())
    request = ScanRequest(projects=tuple(specs), targets=tuple(targets), overrides=overrides,
                          settings=settings, options=options, db=db, scheduler=args.scheduler,
                          shards=args.shards)
    progress = _Progress(len(specs), not args.no_progress and sys.stderr.isatty())
    run = run_scan(request, progress)
    progress.done()
    if args.out is not None:
        from wheelscout.scan.dashboard import build_site, platform_facts

        build_site(run, args.out, platform_facts(targets), options.curated)
    _print(run, args)
    return _status(run)


def _status(run: ScanRun) -> int:
    """0: every project was checked; 1: the index failed for some (their cells say so)."""
    from wheelscout.scan.model import CellCode

    failed = [r for r in run.results if any(c.code is CellCode.ERROR for c in r.cells)]
    if not failed:
        return 0
    reason = next(c.reason for c in failed[0].cells if c.code is CellCode.ERROR)
    warn(f"{len(failed)} of {len(run.results)} projects could not be checked; first: {reason}")
    return 1


def _print(run: ScanRun, args: argparse.Namespace) -> None:
    if args.format == "json":
        from wheelscout.cli._output import print_json
        from wheelscout.scan.document import results_document

        print_json(results_document(run))
        return
    from wheelscout.scan.history import target_shares

    lines: list[str] = []
    seconds = max((run.finished - run.started).total_seconds(), 1e-3)
    cells = sum(len(r.cells) for r in run.results)
    requests = "" if run.requests is None else f", {run.requests} requests"
    lines.append(f"scanned {len(run.results)} projects x {len(run.targets)} target/Python "
                 f"pairs ({run.reused} unchanged since the previous run) in {seconds:.1f} s "
                 f"({cells / seconds:.0f} cells/s{requests})\n")
    for target, (ready, applicable) in target_shares(run.results).items():
        share = f"{ready / applicable:.0%}" if applicable else "-"
        lines.append(f"  {target:<22} {ready:>5}/{applicable:<5} ready ({share})\n")
    mine = [c for c in run.changes if c.run == run.run_id]
    for change in mine:
        lines.append(f"  {change.kind}: {change.project} on {change.target} {change.python} "
                     f"({change.before} on {change.since[:10]} -> {change.after})\n")
    if args.out is not None:
        lines.append(f"dashboard: {args.out / 'index.html'}\n")
    write_text("".join(lines))


class _Progress(ScanReporter):
    """``scan: 12/100 projects`` on stderr, a terminal only."""

    def __init__(self, total: int, show: bool) -> None:
        self._total, self._show, self._done = total, show, 0

    def project_done(self, result: ProjectResult) -> None:
        self._done += 1
        if self._show:
            sys.stderr.write(f"\rscan: {self._done}/{self._total} projects ({result.name})\x1b[K")
            sys.stderr.flush()

    def warning(self, message: str) -> None:
        warn(message)

    def done(self) -> None:
        if self._show:
            sys.stderr.write("\n")


__all__ = ["HELP", "configure_parser", "execute"]
