"""Target options shared by every command that takes ``--target`` and ``--python``."""

from __future__ import annotations

import argparse
import itertools
import os
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from wheelscout.errors import TargetError
from wheelscout.limits import MAX_PLATFORM_VERSION
from wheelscout.model.target import Target
from wheelscout.targets import Overrides, make_target
from wheelscout.targets.host import host_python

if TYPE_CHECKING:
    from wheelscout.index.settings import Setting

__all__ = [
    "add_target_options",
    "deployment_target",
    "overrides_from_args",
    "targets_from_args",
]

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
        "--python-platform",
        "--platform",
        dest="target",
        action="append",
        required=required,
        metavar="PLATFORM",
        help="platform to check: a friendly name (win-arm64, linux-aarch64, macos-arm64), a "
        "platform tag (manylinux_2_28_aarch64), a uv triple (aarch64-pc-windows-msvc) or 'host'; "
        "repeatable; --python-platform is uv's spelling, --platform pip's",
    )
    group.add_argument(
        "-p",
        "--python",
        "--python-version",
        dest="python",
        action="append",
        metavar="X.Y",
        help="CPython version, e.g. 3.12, 3.12.4 or 3.13t (free-threaded); repeatable; "
        "default: the Python running wheelscout; --python-version is pip's and uv's spelling",
    )
    group.add_argument(
        "--glibc",
        type=_version("--glibc"),
        metavar="X.Y",
        help="glibc of Linux targets whose spelling names none (friendly names, uv triples; "
        "default 2.28)",
    )
    group.add_argument(
        "--musl",
        type=_version("--musl"),
        metavar="X.Y",
        help="musl of musllinux targets whose spelling names none (default 1.2)",
    )
    group.add_argument(
        "--macos",
        type=_version("--macos"),
        metavar="X.Y",
        help="macOS version of macOS targets whose spelling names none (default: "
        "$MACOSX_DEPLOYMENT_TARGET as uv reads it, else 13.0)",
    )
    group.add_argument(
        "--ios",
        type=_version("--ios"),
        metavar="X.Y",
        help="iOS version of iOS targets whose spelling names none (default 13.0)",
    )
    group.add_argument(
        "--android-api",
        type=int,
        metavar="N",
        help="Android API level of Android targets whose spelling names none (default 24)",
    )


def _deployment_env(args: argparse.Namespace) -> str | None:
    if getattr(args, "isolated", False) or getattr(args, "no_config", False):
        return None
    return os.environ.get("MACOSX_DEPLOYMENT_TARGET", "").strip() or None


def _macos(args: argparse.Namespace) -> tuple[int, int] | None:
    given: tuple[int, int] | None = getattr(args, "macos", None)
    text = _deployment_env(args)
    if given is not None or text is None:
        return given
    match = _VERSION_RE.match(text if "." in text else f"{text}.0")
    if not match or len(text) > 12:  # int() of thousands of digits would raise
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise TargetError(
            f"MACOSX_DEPLOYMENT_TARGET={shown!r} is not a macOS version such as '11.0' or '14'"
        )
    return int(match[1]), int(match[2])


def deployment_target(args: argparse.Namespace) -> Setting | None:
    """The macOS version of macOS targets as a setting with its source, if one was set."""
    from wheelscout.index.settings import Setting, Source

    version = _macos(args)
    if version is None:
        return None
    flag = getattr(args, "macos", None) is not None
    source = Source(kind="flag", name="--macos") if flag else Source(
        kind="env", name="MACOSX_DEPLOYMENT_TARGET")
    return Setting(key="macos", value=f"{version[0]}.{version[1]}", sources=(source,))


def overrides_from_args(args: argparse.Namespace) -> Overrides:
    return Overrides(
        glibc=getattr(args, "glibc", None),
        musl=getattr(args, "musl", None),
        macos=_macos(args),
        ios=getattr(args, "ios", None),
        android_api=getattr(args, "android_api", None),
    )


def targets_from_args(
    args: argparse.Namespace,
    spellings: Sequence[str] | None = None,
    pythons: Sequence[str] | None = None,
) -> list[Target]:
    """Every (target, python) combination the user asked for, in the order given, each once
    (``-t win-arm64 -t aarch64-pc-windows-msvc`` is one target); ``spellings`` and
    ``pythons`` replace ``--target`` and ``--python`` when given."""
    spellings = args.target if spellings is None else spellings
    pythons = (args.python if pythons is None else pythons) or [host_python().short]
    overrides = overrides_from_args(args)
    targets: dict[tuple[object, ...], Target] = {}
    for spelling, python in itertools.product(spellings or [], pythons):
        if not spelling.strip():
            raise TargetError("empty --target: name a platform such as 'win-arm64'")
        target = make_target(spelling, python, overrides)
        targets.setdefault((target.platform, target.python, target.tags), target)
    return list(targets.values())
