"""``wheelscout download``: an offline wheelhouse per target, from one ``check`` run."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from wheelscout.cli._output import write_text
from wheelscout.cli._predict import add_predict_options, predict, print_report
from wheelscout.errors import InputError
from wheelscout.index.download import DownloadReporter, Job, Outcome
from wheelscout.model.target import Target
from wheelscout.redact import one_line

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from wheelscout.lock import HouseResult, Wheelhouse

__all__ = ["HELP", "configure_parser", "execute"]

HELP = "download the files pip would take on each target into a wheelhouse for offline installs"

EXIT_OK, EXIT_BUILD, EXIT_NONE, EXIT_FAILED = 0, 1, 3, 4


def configure_parser(parser: argparse.ArgumentParser) -> None:
    add_predict_options(parser)
    parser.add_argument(
        "-d",
        "--dest",
        type=Path,
        required=True,
        metavar="DIR",
        help="the wheelhouse; with several targets, one DIR/<platform>-<abi> per target",
    )
    parser.add_argument(
        "--allow-build",
        action="store_true",
        help="also download the sdists of packages that would build (the target then builds "
        "them, and needs their build requirements too)",
    )


def _check_dest(dest: Path) -> None:
    if dest.exists() and not dest.is_dir():
        raise InputError(f"--dest {str(dest)!r} is not a directory")


def execute(args: argparse.Namespace) -> int:
    from wheelscout.lock import blockers, download, plan_wheelhouse, target_key

    def accept(targets: Sequence[Target]) -> None:
        _check_dest(args.dest)

    prediction = predict(args, "download", accept)
    results = prediction.report.results
    if not getattr(args, "quiet", 0):
        print_report(prediction.report)
    problems = blockers(results)
    if problems:
        sys.stderr.write("wheelscout: error: nothing downloaded: nothing installable\n")
        for line in problems:
            sys.stderr.write(f"  {one_line(line)}\n")
        return EXIT_NONE
    several = len(results) > 1
    houses = [
        plan_wheelhouse(
            r, args.dest / target_key(r.target) if several else args.dest,
            allow_build=args.allow_build,
        )
        for r in results
    ]  # fmt: skip
    show = not args.no_progress and sys.stderr.isatty()
    bar = _Bar(houses) if show else None
    try:
        done = download(houses, prediction.settings, bar)
    except OSError as exc:  # the wheelhouse directory or its requirements.txt
        where = f"{str(exc.filename)!r}: " if exc.filename else ""
        raise InputError(f"cannot write the wheelhouse: {where}{exc.strerror or exc}") from None
    finally:
        if bar is not None:
            bar.close()
    return _summarize(done)


def _summarize(done: Sequence[HouseResult]) -> int:
    status = EXIT_OK
    for result in done:
        house = result.house
        counts = {s: sum(o.status == s for o in result.outcomes) for s in
                  ("downloaded", "present", "copied", "failed")}  # fmt: skip
        size = sum(o.size for o in result.outcomes if o.status != "failed")
        write_text(
            f"{house.target.label}: {len(house.files)} files in {house.directory} "
            f"({counts['downloaded']} downloaded, {counts['present']} already there, "
            f"{counts['copied']} copied, {counts['failed']} failed; {_size(size)})\n"
        )
        for outcome in result.failed:
            name, error = outcome.job.file.filename, outcome.error or ""
            write_text(f"  FAILED {one_line(name)}: {one_line(error)}\n")
        for verdict in house.blocked:
            file = verdict.file.filename if verdict.file else "?"
            write_text(
                f"  BLOCKS an offline install: {verdict.name} {verdict.version} would build "
                f"{one_line(file)} from source (--allow-build downloads it)\n"
            )
        if result.requirements is not None:
            write_text(
                f"  pip install --no-index --find-links {house.directory} "
                f"-r {result.requirements}\n"
            )
        else:
            write_text("  requirements.txt not written: the wheelhouse is incomplete\n")
        if result.failed:
            status = EXIT_FAILED
        elif house.blocked and status == EXIT_OK:
            status = EXIT_BUILD
    return status


def _size(amount: int) -> str:
    if amount < 1024:
        return f"{amount} bytes"
    if amount < 1024 * 1024:
        return f"{amount / 1024:.1f} KiB"
    return f"{amount / 1024 / 1024:.1f} MiB"


class _Bar(DownloadReporter):
    """A rich progress bar on stderr: bytes, files done out of all, transfer rate."""

    def __init__(self, houses: Sequence[Wheelhouse]) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        files = [f for h in houses for _, f in h.files]
        sizes = [f.size for f in files]
        total = sum(s for s in sizes if s is not None) if None not in sizes else None
        self._progress: Progress = Progress(
            TextColumn("downloading"),
            BarColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[files]}"),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=Console(file=sys.stderr),
            transient=False,
        )
        self._count, self._done = len(files), 0
        self._task: TaskID = self._progress.add_task(
            "download", total=total, files=f"0/{self._count} files"
        )
        self._progress.start()

    def advanced(self, job: Job, amount: int) -> None:
        self._progress.advance(self._task, amount)

    def finished(self, outcome: Outcome) -> None:
        self._done += 1
        extra = outcome.size if outcome.status in ("present", "copied") else 0
        self._progress.update(
            self._task, advance=extra, files=f"{self._done}/{self._count} files"
        )

    def close(self) -> None:
        self._progress.stop()
