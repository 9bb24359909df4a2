"""What a ``check`` run is asked to do, merged from its layers into frozen records.

Per setting, first match wins: the command line, then the requirements files' own options
(``--index-url`` lines, ``--prefer-binary``, ...), then ``[tool.wheelscout]`` of pyproject.toml.
Index URLs left unset here still fall back to pip's and uv's environment and config files
(:func:`wheelscout.index.settings.resolve`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from packaging.utils import canonicalize_name

from wheelscout.errors import InputError
from wheelscout.index.settings import SourceOptions
from wheelscout.inputs import ALL, Mode, RequirementSet
from wheelscout.resolve import ResolveOptions

__all__ = ["CheckOptions", "FormatFlags", "names", "resolve_options", "sources", "target_names"]


@dataclass(frozen=True, slots=True, kw_only=True)
class FormatFlags:
    """pip's format and pre-release flags as the command line gave them."""

    prefer_binary: bool = False
    only_binary: frozenset[str] = frozenset()  # names, or {ALL}
    no_binary: frozenset[str] = frozenset()
    pre: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckOptions:
    """Everything :func:`wheelscout.check.check` does beyond resolving."""

    resolve: ResolveOptions = field(default_factory=ResolveOptions)
    inspect_builds: bool = True  # download sdists that would build, to say what they need
    remedies: bool = True  # a wheels-only pass and nearest versions for build/none verdicts
    plan_every_target: bool = False  # with remedies: a plan even where all is wheels
    extras: tuple[str, ...] = ()  # of a pylock (--lock)
    groups: tuple[str, ...] | None = None


def names(value: str | None) -> frozenset[str]:
    """pip's ``NAMES`` form: comma-separated project names, or ``:all:``."""
    if not value:
        return frozenset()
    return frozenset(v if v == ALL else canonicalize_name(v) for v in value.split(",") if v)


def resolve_options(flags: FormatFlags, inputs: RequirementSet) -> ResolveOptions:
    """The flags over the requirements files' options over ``[tool.wheelscout] mode``."""
    settings_mode = inputs.settings.mode if inputs.settings else None
    mode: Mode = settings_mode or "default"
    file_options = inputs.index_options
    if flags.prefer_binary or file_options.prefer_binary:
        mode = "prefer-binary"
    if ALL in flags.only_binary:
        mode = "only-binary"
    return ResolveOptions(
        mode=mode,
        pre=flags.pre or file_options.pre,
        no_binary=flags.no_binary | file_options.no_binary,
        only_binary=(flags.only_binary - {ALL}) | file_options.only_binary,
    )


def sources(given: SourceOptions, inputs: RequirementSet) -> SourceOptions:
    """Index URLs the command line left unset, from requirements files then [tool.wheelscout]."""
    options, settings = inputs.index_options, inputs.settings
    index_url = given.index_url or options.index_url or (settings and settings.index_url) or None
    extra = (*options.extra_index_urls, *((settings and settings.extra_index_urls) or ()))
    links = (*options.find_links, *((settings and settings.find_links) or ()))
    return SourceOptions(
        index_url=index_url,
        extra_index_urls=given.extra_index_urls
        if given.extra_index_urls is not None
        else (extra or None),
        find_links=given.find_links if given.find_links is not None else (links or None),
    )


def target_names(
    targets: tuple[str, ...], pythons: tuple[str, ...], inputs: RequirementSet
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The targets and Pythons asked for, else those of ``[tool.wheelscout]`` (of pyproject.toml,
    or of a lock that ``wheelscout lock`` wrote: the target it was written for)."""
    settings, locked = inputs.settings, inputs.locked
    if not targets and settings and settings.targets:
        targets = settings.targets
    if not pythons and settings and settings.pythons:
        pythons = settings.pythons
    if not targets and locked is not None and locked.target:
        targets = (locked.target,)
        pythons = pythons or ((locked.python,) if locked.python else ())
    if not targets:
        raise InputError("no target: give --target (e.g. win-arm64) or [tool.wheelscout] targets")
    return targets, pythons
