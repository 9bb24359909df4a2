"""Target options shared by every command that takes ``--target`` and ``--python``."""

from __future__ import annotations

import argparse
import itertools
import re
from collections.abc import Callable, Sequence

from wheelscout.errors import TargetError
from wheelscout.limits import MAX_PLATFORM_VERSION
from wheelscout.model.target import Target
from wheelscout.targets import Overrides, make_target
from wheelscout.targets.host import host_python

__all__ = ["add_target_options", "overrides_from_args", "targets_from_args"]

_VERSION_RE = re.compile(r"^(\d+)\.(\d+)$")


def _version(option: str) -> Callable[[str], tuple[int, int]]:
    def parse(text: str) -> tuple[int, int]:
        match = _VERSION_RE.match(text.strip())
        if not match:
            raise argparse.ArgumentTypeError(f"{option} expects MAJOR.MINOR, got {text!r}")
        if max(len(match[1]), len(match[2])) > len(str(MAX_PLATFORM_VERSION)):
            # Checked before int(): thousands of digits would raise; the catalogue checks more.
            raise argparse.ArgumentTypeError(
                f"{option} {text!r}: every part must be at most {MAX_PLATFORM_VERSION}"
            )
        return int(match[1]), int(match[2])

    return parse


def add_target_options(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    group = parser.add_argument_group("targets")
    group.add_argument(
        "-t",
        "--target",
        action="append",
        required=required,
        metavar="PLATFORM",
        help="platform to check: a friendly name (win-arm64, linux-aarch64, macos-arm64), a "
        "platform tag (manylinux_2_28_aarch64), a uv triple (aarch64-pc-windows-msvc) or 'host'; "
        "repeatable",
    )
    group.add_argument(
        "-p",
        "--python",
        action="append",
        metavar="X.Y",
        help="CPython version, e.g. 3.12, 3.12.4 or 3.13t (free-threaded); repeatable; "
        "default: the Python running wheelscout",
    )
    group.add_argument(
        "--glibc",
        type=_version("--glibc"),
        metavar="X.Y",
        help="glibc of Linux targets named without one (default 2.28)",
    )
    group.add_argument(
        "--musl",
        type=_version("--musl"),
        metavar="X.Y",
        help="musl of musllinux targets named without one (default 1.2)",
    )
    group.add_argument(
        "--macos",
        type=_version("--macos"),
        metavar="X.Y",
        help="macOS version of macOS targets named without one (default 13.0)",
    )
    group.add_argument(
        "--ios",
        type=_version("--ios"),
        metavar="X.Y",
        help="iOS version of iOS targets named without one (default 13.0)",
    )
    group.add_argument(
        "--android-api",
        type=int,
        metavar="N",
        help="Android API level of Android targets named without one (default 24)",
    )


def overrides_from_args(args: argparse.Namespace) -> Overrides:
    return Overrides(
        glibc=args.glibc,
        musl=args.musl,
        macos=args.macos,
        ios=args.ios,
        android_api=args.android_api,
    )


def targets_from_args(
    args: argparse.Namespace,
    spellings: Sequence[str] | None = None,
    pythons: Sequence[str] | None = None,
) -> list[Target]:
    """Every (target, python) combination the user asked for, in the order given;
    ``spellings`` and ``pythons`` replace ``--target`` and ``--python`` when given."""
    spellings = args.target if spellings is None else spellings
    pythons = (args.python if pythons is None else pythons) or [host_python().short]
    overrides = overrides_from_args(args)
    targets = []
    for spelling, python in itertools.product(spellings or [], pythons):
        if not spelling.strip():
            raise TargetError("empty --target: name a platform such as 'win-arm64'")
        targets.append(make_target(spelling, python, overrides))
    return targets
