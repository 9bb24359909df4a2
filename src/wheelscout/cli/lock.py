"""``wheelscout lock``: a PEP 751 ``pylock.<name>.toml`` per target, from one ``check`` run."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from wheelscout.cli._output import write_text
from wheelscout.cli._predict import add_predict_options, predict, print_report
from wheelscout.errors import InputError
from wheelscout.model.target import Target
from wheelscout.model.verdict import TargetResult
from wheelscout.redact import one_line

__all__ = ["HELP", "configure_parser", "execute"]

HELP = "write a PEP 751 pylock.toml per target holding the files pip would take there"

EXIT_OK, EXIT_BUILD, EXIT_NONE = 0, 1, 3
_LOCK_NAME = re.compile(r"^pylock\.([^.]+\.)?toml$")


def configure_parser(parser: argparse.ArgumentParser) -> None:
    add_predict_options(parser)
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="PATH",
        help="a pylock.<name>.toml file (one target), or a directory for one "
        "pylock.<platform>-<abi>.toml per target (default: the current directory)",
    )


def _destinations(output: Path | None, targets: Sequence[Target]) -> list[Path]:
    from wheelscout.lock import lock_filename

    if output is not None and output.suffix == ".toml":
        if not _LOCK_NAME.match(output.name):
            raise InputError(
                f"--output {str(output)!r}: PEP 751 names a lock pylock.toml or pylock.<name>.toml"
            )
        if len(targets) != 1:
            raise InputError(
                f"--output {str(output)!r} names one file, but {len(targets)} targets were "
                "given: pass a directory to get one pylock.<platform>-<abi>.toml per target"
            )
        if not output.parent.is_dir():
            raise InputError(f"--output {str(output)!r}: no such directory {str(output.parent)!r}")
        return [output]
    directory = output or Path(".")
    if directory.exists() and not directory.is_dir():
        raise InputError(f"--output {str(directory)!r} is not a directory")
    paths = [directory / lock_filename(t) for t in targets]
    if len(set(paths)) != len(paths):
        raise InputError("two targets give the same lock file name: give each target once")
    return paths


def execute(args: argparse.Namespace) -> int:
    from wheelscout.lock import blockers, lock_documents, write_lock

    chosen: list[Path] = []

    def accept(targets: Sequence[Target]) -> None:
        chosen.extend(_destinations(args.output, targets))

    prediction = predict(args, "lock", accept)
    results = prediction.report.results
    if not getattr(args, "quiet", 0):
        print_report(prediction.report)
    problems = blockers(results)
    if problems:
        sys.stderr.write("wheelscout: error: nothing written: nothing installable\n")
        for line in problems:
            sys.stderr.write(f"  {one_line(line)}\n")
        return EXIT_NONE
    documents = lock_documents(results, prediction.settings)
    for path, document, result in zip(chosen, documents, results, strict=True):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_lock(path, document)
        except OSError as exc:
            raise InputError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None
        write_text(f"wrote {path} ({_summary(result)})\n")
    return _status(results, getattr(args, "quiet", 0) > 0)


def _summary(result: TargetResult) -> str:
    wheels = sum(v.install == "wheel" for v in result.packages)
    sdists = sum(v.install == "build" for v in result.packages)
    built = f", {sdists} sdists that would build" if sdists else ""
    return f"{result.target.label}: {len(result.packages)} packages, {wheels} wheels{built}"


def _status(results: Sequence[TargetResult], quiet: bool) -> int:
    builds = [(r, v) for r in results for v in r.packages if v.install == "build"]
    if quiet:
        for result, verdict in builds:
            write_text(f"BUILD {result.target.label} {verdict.name}: {one_line(verdict.reason)}\n")
    return EXIT_BUILD if builds else EXIT_OK
