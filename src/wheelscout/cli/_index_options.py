"""Index options shared by every command that reads an index (``metadata``, ``check``, ...)."""

from __future__ import annotations

import argparse
import dataclasses
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wheelscout.index.settings import IndexSettings, SourceOptions

__all__ = ["add_index_options", "settings_from_args", "source_options"]


def add_index_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--index-url``, ``--extra-index-url``, ``--find-links``, ``--no-cache``,
    ``--offline`` and ``--cache-dir``."""
    group = parser.add_argument_group(
        "package index",
        "Defaults come from PIP_* then UV_* variables, then pip's config files, then PyPI. "
        "Each response is bounded in size and time: WHEELSCOUT_MAX_{PAGE,METADATA,DOWNLOAD}_SIZE "
        "and WHEELSCOUT_{PAGE,METADATA,DOWNLOAD}_DEADLINE raise the limits (see SECURITY.md).",
    )
    group.add_argument("-i", "--index-url", metavar="URL", help="main simple index")
    group.add_argument(
        "--extra-index-url",
        metavar="URL",
        action="append",
        help="another index searched alongside (repeatable)",
    )
    group.add_argument(
        "-f",
        "--find-links",
        metavar="PATH_OR_URL",
        action="append",
        help="a directory or HTML page of distribution files (repeatable)",
    )
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


def settings_from_args(
    args: argparse.Namespace,
    env: Mapping[str, str] | None = None,
    config_files: Sequence[Path] | None = None,
    sources: SourceOptions | None = None,
) -> IndexSettings:
    """Index settings from parsed ``args``, the environment and pip's config files.

    ``env`` and ``config_files`` default to the real ones; tests pass their own. ``sources``
    replaces the index options of ``args`` (a command that merged them with its inputs').
    """
    # The index package pulls in httpx: import it only when a command really reads an index.
    from wheelscout.index.settings import pip_config_files, resolve
    from wheelscout.limits import NetworkLimits

    env = os.environ if env is None else env
    options = sources or source_options(args)
    files = pip_config_files(env) if config_files is None else config_files
    settings = resolve(options, env, files)
    cache_dir = args.cache_dir or (
        Path(env["WHEELSCOUT_CACHE_DIR"]) if env.get("WHEELSCOUT_CACHE_DIR") else None
    )
    return dataclasses.replace(
        settings,
        cache_dir=cache_dir,
        no_cache=args.no_cache,
        offline=args.offline,
        refresh=args.refresh,
        limits=NetworkLimits.from_env(env),
    )


def source_options(args: argparse.Namespace) -> SourceOptions:
    """The index options the command line gave (``None`` where it gave none)."""
    from wheelscout.index.settings import SourceOptions

    return SourceOptions(
        index_url=args.index_url,
        extra_index_urls=None if args.extra_index_url is None else tuple(args.extra_index_url),
        find_links=None if args.find_links is None else tuple(args.find_links),
    )
