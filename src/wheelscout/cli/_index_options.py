"""Index and install-mode options shared by every command that reads an index.

Spellings follow pip (``--index-url``, ``--extra-index-url``, ``--no-index``, ``-c``,
``--only-binary``) and uv (``--default-index``, ``--index``); both land on the same setting.
Every command computes its settings through :func:`merged_settings`, which asks
:func:`wheelscout.index.settings.effective` (the one place that merges layers).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wheelscout.index.settings import Effective, IndexSettings, SourceOptions

__all__ = [
    "add_format_options",
    "add_index_options",
    "constraint_paths",
    "merged_settings",
    "settings_from_args",
    "source_options",
]


def _uv_index(text: str) -> str:
    # uv's --index takes ``name=https://...``; a URL's own "=" comes after "://".
    head = text.split("://", 1)[0]
    return text.split("=", 1)[1] if "=" in head else text


def add_index_options(parser: argparse.ArgumentParser) -> None:
    """Add the index options, the cache options and ``--isolated``/``--no-config``."""
    group = parser.add_argument_group(
        "package index",
        "Unset options come from PIP_* then UV_* variables, then pip's then uv's config files, "
        "then PyPI (see 'wheelscout config'); --isolated ignores all of those. Each response "
        "is bounded in size and time: WHEELSCOUT_MAX_{PAGE,METADATA,DOWNLOAD}_SIZE and "
        "WHEELSCOUT_{PAGE,METADATA,DOWNLOAD}_DEADLINE raise the limits (see SECURITY.md).",
    )
    group.add_argument(
        "-i", "--index-url", "--default-index", metavar="URL", help="main simple index"
    )
    group.add_argument(
        "--extra-index-url",
        "--index",
        metavar="URL",
        action="append",
        type=_uv_index,
        help="another index searched alongside (repeatable; uv's name=URL form works)",
    )
    group.add_argument(
        "--no-index", action="store_true", help="ignore every index; use --find-links only"
    )
    group.add_argument(
        "-f",
        "--find-links",
        metavar="PATH_OR_URL",
        action="append",
        help="a directory or HTML page of distribution files (repeatable)",
    )
    _add_cache_options(group)


def _add_cache_options(group: argparse._ArgumentGroup) -> None:
    group.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    group.add_argument(
        "--refresh",
        action="store_true",
        help="revalidate cached pages even while the server says they are fresh (like uv's)",
    )
    group.add_argument(
        "--offline",
        action="store_true",
        help="answer from the cache only; fail when it has no answer",
    )
    group.add_argument(
        "--cache-dir",
        metavar="DIR",
        type=Path,
        help="cache directory (default: the user cache dir, or $WHEELSCOUT_CACHE_DIR)",
    )


def _only_binary(text: str) -> tuple[str, str]:
    return ("only-binary", text)


def _no_binary(text: str) -> tuple[str, str]:
    return ("no-binary", text)


def add_format_options(parser: argparse.ArgumentParser, *, constraints: bool = True) -> None:
    """pip's install-mode options: ``-c``, ``--only-binary``, ``--no-binary``,
    ``--prefer-binary``, ``--pre``."""
    mode = parser.add_argument_group("install mode (pip's flags)")
    if constraints:
        mode.add_argument(
            "-c",
            "--constraint",
            action="append",
            type=Path,
            default=[],
            metavar="FILE",
            help="a constraints file (repeatable; adds to the one pip's config names)",
        )
    mode.add_argument(
        "--prefer-binary",
        action="store_true",
        help="prefer older versions with wheels over newer sdist-only ones",
    )
    names = "':all:', ':none:' or comma-separated project names; repeatable, as pip's"
    mode.add_argument(
        "--only-binary",
        dest="format_control",
        action="append",
        type=_only_binary,
        default=[],
        metavar="NAMES",
        help=f"wheels only for these packages: {names}",
    )
    mode.add_argument(
        "--no-binary",
        dest="format_control",
        action="append",
        type=_no_binary,
        metavar="NAMES",
        help=f"never use wheels for these packages: {names}",
    )
    mode.add_argument("--pre", action="store_true", help="allow pre-releases")
    mode.add_argument(
        "--no-deps",
        action="store_true",
        help="only the requirements given, none of their dependencies (pip's --no-deps)",
    )


def source_options(args: argparse.Namespace) -> SourceOptions:
    """The settings the command line gave (``None``/empty where it gave none)."""
    from wheelscout.index.settings import SourceOptions

    return SourceOptions(
        index_url=args.index_url,
        extra_index_urls=None if args.extra_index_url is None else tuple(args.extra_index_url),
        find_links=None if args.find_links is None else tuple(args.find_links),
        no_index=args.no_index,
        constraints=tuple(str(p) for p in getattr(args, "constraint", ())),
        format_control=tuple(getattr(args, "format_control", ())),
        prefer_binary=getattr(args, "prefer_binary", False),
        pre=getattr(args, "pre", False),
        no_deps=getattr(args, "no_deps", False),
    )


def isolated(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "isolated", False) or getattr(args, "no_config", False))


def merged_settings(
    args: argparse.Namespace,
    below: Sequence[SourceOptions] = (),
    env: Mapping[str, str] | None = None,
    config_files: Sequence[Path] | None = None,
) -> Effective:
    """The command line, then ``below`` (the inputs' layers), over the environment and pip's
    and uv's config files. ``env`` and ``config_files`` default to the real ones (and uv's
    files are then looked up from the current directory); tests pass their own."""
    from wheelscout.index.settings import effective, pip_config_files, uv_config_files

    env = os.environ if env is None else env
    files = pip_config_files(env) if config_files is None else config_files
    uv_files = uv_config_files(env, Path.cwd()) if config_files is None else ()
    return effective([source_options(args), *below], env, files, uv_files=uv_files,
                     isolated=isolated(args))


def constraint_paths(merged: Effective) -> list[Path]:
    """Every constraints file in effect, for ``load_inputs``: those of pip's config and
    ``PIP_CONSTRAINT``/``UV_CONSTRAINT``, then ``-c``; a missing one names where it was set."""
    from wheelscout.errors import InputError

    setting = merged.setting("constraint")
    for path in merged.constraints:
        if not Path(path).is_file() and any(s.kind != "flag" for s in setting.sources):
            origin = " and ".join(str(s) for s in setting.sources)
            raise InputError(f"constraints file {path!r} (from {origin}) does not exist")
    return [Path(p) for p in merged.constraints]


def settings_from_args(
    args: argparse.Namespace,
    env: Mapping[str, str] | None = None,
    config_files: Sequence[Path] | None = None,
    merged: Effective | None = None,
) -> IndexSettings:
    """Index settings from ``merged`` (default: the command line over the environment and
    pip's config files), with the cache options of ``args``."""
    from wheelscout.index.settings import index_settings
    from wheelscout.limits import NetworkLimits

    env = os.environ if env is None else env
    merged = merged or merged_settings(args, (), env, config_files)
    cache_dir = args.cache_dir or (
        Path(env["WHEELSCOUT_CACHE_DIR"]) if env.get("WHEELSCOUT_CACHE_DIR") else None
    )
    return dataclasses.replace(
        index_settings(merged),
        cache_dir=cache_dir,
        no_cache=args.no_cache,
        offline=args.offline,
        refresh=args.refresh,
        limits=NetworkLimits.from_env(env),
    )
