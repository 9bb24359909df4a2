"""Where to look for packages, gathered from the command line, the environment and pip's config.

Precedence, per setting, first match wins (pip's own rule: a layer replaces, never appends):

1. command-line options (``--index-url``, ``--extra-index-url``, ``--find-links``);
2. ``PIP_INDEX_URL``, ``PIP_EXTRA_INDEX_URL``, ``PIP_FIND_LINKS``;
3. ``UV_DEFAULT_INDEX`` (then the older ``UV_INDEX_URL``), ``UV_INDEX`` (then the older
   ``UV_EXTRA_INDEX_URL``; ``name=url`` entries keep the URL), ``UV_FIND_LINKS``;
4. pip's config files, ``[install]`` over ``[global]``, later files over earlier ones
   (global, then user, then site, then ``PIP_CONFIG_FILE``);
5. the default: ``https://pypi.org/simple/``, no extra index, no find-links.

pip's variables come before uv's because wheelscout mirrors what ``pip install`` would see.
"""

from __future__ import annotations

import configparser
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from wheelscout.limits import NetworkLimits
from wheelscout.simple.urls import redact

__all__ = ["DEFAULT_INDEX_URL", "IndexSettings", "SourceOptions", "pip_config_files", "resolve"]

DEFAULT_INDEX_URL = "https://pypi.org/simple/"


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceOptions:
    """What the command line said; ``None`` means "not given", ``()`` means "given, empty"."""

    index_url: str | None = None
    extra_index_urls: tuple[str, ...] | None = None
    find_links: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexSettings:
    """Everything an :class:`~wheelscout.index.client.IndexClient` needs to know."""

    index_url: str = DEFAULT_INDEX_URL
    extra_index_urls: tuple[str, ...] = ()
    find_links: tuple[str, ...] = ()
    cache_dir: Path | None = None  # None: platformdirs' user cache dir
    no_cache: bool = False
    offline: bool = False
    refresh: bool = False  # revalidate every cached page, however fresh the server said it is
    netrc: Path | None = None  # None: $NETRC or ~/.netrc
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 0.25  # seconds, doubled on each retry
    max_concurrency: int = 16
    range_tail: int = 64 * 1024
    limits: NetworkLimits = field(default_factory=NetworkLimits)  # bytes and seconds per response
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def index_urls(self) -> tuple[str, ...]:
        return (self.index_url, *self.extra_index_urls)


def pip_config_files(env: Mapping[str, str]) -> list[Path]:
    """pip's config files in increasing priority (``PIP_CONFIG_FILE=os.devnull`` disables)."""
    explicit = env.get("PIP_CONFIG_FILE")
    if explicit == os.devnull:
        return []
    home = Path(env.get("HOME", str(Path.home())))
    xdg = Path(env.get("XDG_CONFIG_HOME", str(home / ".config")))
    dirs = env.get("XDG_CONFIG_DIRS", "/etc/xdg").split(":")
    files = [Path(d) / "pip" / "pip.conf" for d in dirs] + [Path("/etc/pip.conf")]
    files += [home / ".pip" / "pip.conf", xdg / "pip" / "pip.conf", Path(sys.prefix) / "pip.conf"]
    if explicit:
        files.append(Path(explicit))
    return files


def _read_config(files: Sequence[Path]) -> dict[str, str]:
    values: dict[str, str] = {}
    for path in files:
        parser = configparser.RawConfigParser()
        try:
            parser.read(path, encoding="utf-8")
        except (OSError, configparser.Error):
            continue  # pip, too, ignores what it cannot read
        for section in ("global", "install"):
            if parser.has_section(section):
                values.update({k.replace("_", "-"): v for k, v in parser.items(section)})
    return values


def _split(value: str | None, *, commas: bool = False) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple((value.replace(",", " ") if commas else value).split())


def _uv_indexes(value: str | None) -> tuple[str, ...] | None:
    entries = _split(value)
    if entries is None:
        return None
    # uv's named form is ``name=https://...``; a URL's own "=" comes after "://".
    return tuple(e.split("=", 1)[1] if "=" in e.split("://")[0] else e for e in entries)


def _first(*layers: object) -> object:
    return next((layer for layer in layers if layer is not None), None)


def resolve(
    options: SourceOptions,
    env: Mapping[str, str],
    config_files: Sequence[Path],
) -> IndexSettings:
    """Combine the layers (see the module docstring); set the other fields with ``replace``."""
    config = _read_config(config_files)
    index_url = _first(
        options.index_url,
        env.get("PIP_INDEX_URL"),
        env.get("UV_DEFAULT_INDEX"),
        env.get("UV_INDEX_URL"),
        config.get("index-url"),
    )
    extra = _first(
        options.extra_index_urls,
        _split(env.get("PIP_EXTRA_INDEX_URL")),
        _uv_indexes(env.get("UV_INDEX")),
        _split(env.get("UV_EXTRA_INDEX_URL")),
        _split(config.get("extra-index-url")),
    )
    links = _first(
        options.find_links,
        _split(env.get("PIP_FIND_LINKS")),
        _split(env.get("UV_FIND_LINKS"), commas=True),
        _split(config.get("find-links")),
    )
    extras = tuple(extra) if isinstance(extra, tuple) else ()
    warnings: tuple[str, ...] = ()
    if extras:
        shown = ", ".join(redact(u) for u in extras)
        warnings = (
            f"extra index URLs ({shown}) are searched alongside the main index: a project "
            "name published on any of them can shadow yours (dependency confusion)",
        )
    return IndexSettings(
        index_url=str(index_url) if index_url else DEFAULT_INDEX_URL,
        extra_index_urls=extras,
        find_links=tuple(links) if isinstance(links, tuple) else (),
        warnings=warnings,
    )
