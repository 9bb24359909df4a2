"""What ``pip install`` would be told, from every layer, with where each value came from.

This is the one place that merges settings; every command goes through :func:`effective`.
Layers, highest priority first:

1. what the user gave: the command line, then the requirements files' own options
   (``--index-url`` lines, ``--only-binary``, ...), then ``[tool.wheelscout]``;
2. ``PIP_*`` variables (``PIP_INDEX_URL``, ``PIP_CONSTRAINT``, ``PIP_ONLY_BINARY``, ...);
3. uv's variables: ``UV_DEFAULT_INDEX`` (then ``UV_INDEX_URL``), ``UV_INDEX`` and
   ``UV_EXTRA_INDEX_URL``, ``UV_FIND_LINKS``, ``UV_CONSTRAINT``, ``UV_PRERELEASE``;
4. pip's config files: any file's ``[install]`` over any file's ``[global]``, and within a
   section a later file over an earlier one (global, user, site, ``PIP_CONFIG_FILE``);
5. uv's config files (``uv.toml``, ``[tool.uv]``; project over user over system, ``[pip]``
   over the top level): ``index-url``, ``[[index]]``, ``extra-index-url``, ``find-links``,
   ``no-index``, ``no-build``/``only-binary``, ``no-binary``, ``prerelease``, ``no-deps``;
6. the defaults: PyPI, nothing else.

How values combine is pip's rule (``ConfigOptionParser``): among layers 2-5 the highest one
that sets a key wins outright; what the user gave then *adds* to lists (``--extra-index-url``,
``--find-links``, ``-c``), replaces ``index-url`` and can only switch flags on. A requirements
file's ``--index-url`` is pip's exception: it replaces every index before it, the command
line's and their extras included. ``only-binary``
and ``no-binary`` are applied in order, lowest layer first, each value adding to or clearing
the sets as pip's ``FormatControl`` does. ``isolated`` (``--isolated``, ``--no-config``) drops
layers 2-5 entirely.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from wheelscout.errors import InputError
from wheelscout.index._layers import (
    BOOL_KEYS,
    KEYS,
    Raw,
    Source,
    SourceKind,
    pip_config_files,
    read_defaults,
    uv_config_files,
)
from wheelscout.limits import NetworkLimits
from wheelscout.simple.urls import redact

__all__ = [
    "ALL",
    "DEFAULT_INDEX_URL",
    "KEYS",
    "Effective",
    "FormatKey",
    "IndexSettings",
    "Setting",
    "Source",
    "SourceKind",
    "SourceOptions",
    "apply_format",
    "describe",
    "effective",
    "index_settings",
    "pip_config_files",
    "resolve",
    "uv_config_files",
]

DEFAULT_INDEX_URL = "https://pypi.org/simple/"
ALL, NONE = ":all:", ":none:"
FormatKey = Literal["only-binary", "no-binary"]
_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)
_TRUE = frozenset({"y", "yes", "t", "true", "on", "1"})
_FALSE = frozenset({"n", "no", "f", "false", "off", "0"})


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceOptions:
    """One layer the user gave (``kind``/``name`` say which); ``None`` means "not given".

    ``format_control`` keeps ``--only-binary`` and ``--no-binary`` values in the order given,
    since each one can undo an earlier one.
    """

    index_url: str | None = None
    extra_index_urls: tuple[str, ...] | None = None
    find_links: tuple[str, ...] | None = None
    no_index: bool = False
    constraints: tuple[str, ...] = ()
    format_control: tuple[tuple[FormatKey, str], ...] = ()
    prefer_binary: bool = False
    pre: bool = False
    no_deps: bool = False
    kind: SourceKind = "flag"
    name: str = "command line"

    def source(self, key: str) -> Source:
        if self.kind == "flag":
            return Source(kind="flag", name="-c" if key == "constraint" else f"--{key}")
        return Source(kind=self.kind, name=self.name, key=key)


@dataclass(frozen=True, slots=True, kw_only=True)
class Setting:
    """One effective setting: its value and every source that contributed (none: default)."""

    key: str
    value: str | bool | tuple[str, ...]
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Effective:
    """Every setting that changes what pip picks, merged, with provenance."""

    index_url: str = DEFAULT_INDEX_URL
    extra_index_urls: tuple[str, ...] = ()
    find_links: tuple[str, ...] = ()
    no_index: bool = False
    constraints: tuple[str, ...] = ()
    only_binary: frozenset[str] = frozenset()
    no_binary: frozenset[str] = frozenset()
    prefer_binary: bool = False
    pre: bool = False
    no_deps: bool = False
    settings: tuple[Setting, ...] = ()
    files: tuple[Path, ...] = ()  # config files read (uv's, then pip's), lowest priority first
    isolated: bool = False
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def setting(self, key: str) -> Setting:
        return next(s for s in self.settings if s.key == key)


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexSettings:
    """Everything an :class:`~wheelscout.index.client.IndexClient` needs to know."""

    index_url: str = DEFAULT_INDEX_URL
    extra_index_urls: tuple[str, ...] = ()
    find_links: tuple[str, ...] = ()
    no_index: bool = False  # pip's --no-index: find-links only
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
        return () if self.no_index else (self.index_url, *self.extra_index_urls)


# -- combining -------------------------------------------------------------------------------


def _last(defaults: Sequence[Raw], key: str) -> Raw | None:
    return next((raw for raw in reversed(defaults) if raw.key == key), None)


def _bool(raw: Raw) -> bool:
    text = str(raw.value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise InputError(
        f"{raw.key} = {raw.value!r} in {raw.source} is not a boolean "
        "(use yes/no, true/false, on/off or 1/0)"
    )


def _index_reset(given: Sequence[SourceOptions]) -> int | None:
    """The position of a requirements file's ``--index-url``, which pip lets replace every
    index known so far, the command line's and its extras included (``req_file.py``)."""
    return next((i for i, layer in enumerate(given)
                 if layer.kind == "requirements-file" and layer.index_url), None)


def _scalar(key: str, given: Sequence[SourceOptions], defaults: Sequence[Raw]) -> Setting:
    reset = _index_reset(given)
    for layer in given[reset:] if reset is not None else given:
        if layer.index_url:
            return Setting(key=key, value=layer.index_url, sources=(layer.source(key),))
    raw = _last(defaults, key)
    if raw is not None:
        return Setting(key=key, value=str(raw.value), sources=(raw.source,))
    return Setting(key=key, value=DEFAULT_INDEX_URL)


def _given_list(layer: SourceOptions, key: str) -> tuple[str, ...]:
    if key == "extra-index-url":
        return layer.extra_index_urls or ()
    if key == "find-links":
        return layer.find_links or ()
    return layer.constraints


def _list(key: str, given: Sequence[SourceOptions], defaults: Sequence[Raw]) -> Setting:
    raw = _last(defaults, key)
    reset = _index_reset(given) if key == "extra-index-url" else None
    if reset is not None:
        raw, given = None, given[reset:]
    values: list[str] = list(raw.value) if raw is not None else []
    sources = [raw.source] if raw is not None else []
    for layer in given:
        added = _given_list(layer, key)
        if added:
            values += added
            sources.append(layer.source(key))
    return Setting(key=key, value=tuple(dict.fromkeys(values)), sources=tuple(sources))


def _flag(key: str, given: Sequence[SourceOptions], defaults: Sequence[Raw]) -> Setting:
    attr = key.replace("-", "_")
    for layer in given:
        if getattr(layer, attr):
            return Setting(key=key, value=True, sources=(layer.source(key),))
    raw = _last(defaults, key)
    if raw is not None:
        return Setting(key=key, value=_bool(raw), sources=(raw.source,))
    return Setting(key=key, value=False)


def apply_format(
    value: str, target: set[str], other: set[str], *, option: str, where: Source | None = None
) -> None:
    """pip's ``FormatControl.handle_mutual_excludes``, refusing what is not a name list.

    pip would file ``--only-binary numpy==1.26.2`` as a project called ``numpy==1-26-2`` and
    then find nothing to install; wheelscout says what went wrong instead.
    """
    origin = f" in {where}" if where is not None and where.kind != "flag" else ""
    parts = value.split(",")
    bad = [p for p in parts if p not in (ALL, NONE) and not _NAME.match(p.strip())]
    if value.startswith("-") or not value.strip() or bad:
        raise InputError(
            f"{option} {value!r}{origin}: expected {ALL}, {NONE} or comma-separated project "
            f"names (to check a requirement, put it before {option} or write {option}={ALL})"
        )
    new = [p.strip() for p in parts]
    while ALL in new:
        other.clear()
        target.clear()
        target.add(ALL)
        del new[: new.index(ALL) + 1]
        if NONE not in new:  # without a :none: after it, :all: covers every name that follows
            return
    for name in new:
        if name == NONE:
            target.clear()
            continue
        normalized = re.sub(r"[-_.]+", "-", name).lower()
        other.discard(normalized)
        target.add(normalized)


def _format(given: Sequence[SourceOptions], defaults: Sequence[Raw]) -> tuple[Setting, Setting]:
    only: set[str] = set()
    no: set[str] = set()
    sources: dict[str, list[Source]] = {"only-binary": [], "no-binary": []}
    ops = [(raw.key, str(raw.value), raw.source) for raw in defaults if raw.key in sources]
    # The command line first, then the requirements files, as pip parses them.
    ops += [(k, v, layer.source(k)) for layer in given for k, v in layer.format_control]
    for key, value, source in ops:
        target, other = (only, no) if key == "only-binary" else (no, only)
        apply_format(value, target, other, option=f"--{key}", where=source)
        sources[key].append(source)
    only_setting = Setting(key="only-binary", value=tuple(sorted(only)),
                           sources=tuple(sources["only-binary"]))
    return only_setting, Setting(key="no-binary", value=tuple(sorted(no)),
                                 sources=tuple(sources["no-binary"]))


def _warnings(settings: Mapping[str, Setting]) -> tuple[str, ...]:
    extra = settings["extra-index-url"]
    if not extra.value or settings["no-index"].value:
        return ()
    shown = ", ".join(redact(u) for u in extra.value)  # type: ignore[union-attr]
    origin = " and ".join(str(s) for s in extra.sources)
    return (
        f"extra index URLs ({shown}, from {origin}) are searched alongside the main index: "
        "a project name published on any of them can shadow yours (dependency confusion)",
    )


def effective(
    given: Sequence[SourceOptions],
    env: Mapping[str, str],
    config_files: Sequence[Path],
    *,
    uv_files: Sequence[Path] = (),
    isolated: bool = False,
) -> Effective:
    """Merge the layers (see the module docstring); ``given`` is highest priority first.
    ``config_files`` are pip's (:func:`pip_config_files`), ``uv_files`` uv's
    (:func:`uv_config_files`)."""
    defaults: tuple[Raw, ...] = ()
    files: tuple[Path, ...] = ()
    problems: tuple[str, ...] = ()
    if not isolated:
        defaults, files, problems = read_defaults(env, config_files, uv_files)
    only, no = _format(given, defaults)
    merged = {
        "index-url": _scalar("index-url", given, defaults),
        **{k: _list(k, given, defaults) for k in ("extra-index-url", "find-links", "constraint")},
        **{k: _flag(k, given, defaults) for k in sorted(BOOL_KEYS)},
        "only-binary": only,
        "no-binary": no,
    }
    return Effective(
        index_url=str(merged["index-url"].value),
        extra_index_urls=_strings(merged["extra-index-url"]),
        find_links=_strings(merged["find-links"]),
        constraints=_strings(merged["constraint"]),
        no_index=bool(merged["no-index"].value),
        only_binary=frozenset(_strings(only)),
        no_binary=frozenset(_strings(no)),
        prefer_binary=bool(merged["prefer-binary"].value),
        pre=bool(merged["pre"].value),
        no_deps=bool(merged["no-deps"].value),
        settings=tuple(merged[k] for k in KEYS),
        files=files,
        isolated=isolated,
        warnings=(*problems, *_warnings(merged)),
    )


def _strings(setting: Setting) -> tuple[str, ...]:
    value = setting.value
    return value if isinstance(value, tuple) else ()


def index_settings(merged: Effective) -> IndexSettings:
    """The index part of ``merged``; set the cache and network fields with ``replace``."""
    return IndexSettings(
        index_url=merged.index_url,
        extra_index_urls=merged.extra_index_urls,
        find_links=merged.find_links,
        no_index=merged.no_index,
        warnings=merged.warnings,
    )


def resolve(
    options: SourceOptions,
    env: Mapping[str, str],
    config_files: Sequence[Path],
    *,
    isolated: bool = False,
) -> IndexSettings:
    """:func:`index_settings` of :func:`effective` for one layer of options."""
    return index_settings(effective([options], env, config_files, isolated=isolated))


def describe(value: str | bool | tuple[str, ...]) -> str:
    """A setting's value as ``config`` prints it (URLs redacted)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    items: Iterable[str] = value if isinstance(value, tuple) else (value,)
    return " ".join(redact(v) if "://" in v else v for v in items) or "(none)"
