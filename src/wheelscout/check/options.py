"""What a ``check`` run is asked to do, merged from its layers into frozen records.

The inputs' own settings (the requirements files' options, ``[tool.wheelscout]``) become
layers below the command line; :func:`wheelscout.index.settings.effective` merges them with
the environment and pip's config files, and :func:`resolve_options` reads the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from packaging.utils import canonicalize_name

from wheelscout.errors import InputError
from wheelscout.index.settings import Effective, FormatKey, SourceOptions
from wheelscout.inputs import ALL, Mode, RequirementSet
from wheelscout.resolve import ResolveOptions

__all__ = [
    "CheckOptions",
    "FormatFlags",
    "flag_layer",
    "input_layers",
    "names",
    "resolve_options",
    "target_names",
]


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
    no_deps: bool = False  # pip's --no-deps: the requirements alone
    groups: tuple[str, ...] | None = None


def names(value: str | None) -> frozenset[str]:
    """pip's ``NAMES`` form: comma-separated project names, or ``:all:``."""
    if not value:
        return frozenset()
    return frozenset(v if v == ALL else canonicalize_name(v) for v in value.split(",") if v)


def input_layers(inputs: RequirementSet) -> tuple[SourceOptions, ...]:
    """The settings the inputs carry, as layers below the command line: the requirements
    files' own options, then ``[tool.wheelscout]``."""
    options, settings = inputs.index_options, inputs.settings
    formats: list[tuple[FormatKey, str]] = []
    if options.only_binary:
        formats.append(("only-binary", ",".join(sorted(options.only_binary))))
    if options.no_binary:
        formats.append(("no-binary", ",".join(sorted(options.no_binary))))
    files = SourceOptions(
        index_url=options.index_url,
        extra_index_urls=options.extra_index_urls or None,
        find_links=options.find_links or None,
        no_index=options.no_index,
        format_control=tuple(formats),
        prefer_binary=options.prefer_binary,
        pre=options.pre,
        kind="requirements-file",
        name="requirements files",
    )
    if settings is None:
        return (files,)
    project = SourceOptions(
        index_url=settings.index_url,
        extra_index_urls=settings.extra_index_urls,
        find_links=settings.find_links,
        prefer_binary=settings.mode == "prefer-binary",
        format_control=(("only-binary", ALL),) if settings.mode == "only-binary" else (),
        kind="pyproject",
        name="[tool.wheelscout]",
    )
    return files, project


def resolve_options(merged: Effective) -> ResolveOptions:
    """pip's format and pre-release knobs of the merged settings."""
    mode: Mode = "default"
    if merged.prefer_binary:
        mode = "prefer-binary"
    if ALL in merged.only_binary:
        mode = "only-binary"
    return ResolveOptions(
        mode=mode,
        pre=merged.pre,
        no_binary=merged.no_binary,
        only_binary=merged.only_binary - {ALL},
    )


def flag_layer(flags: FormatFlags) -> SourceOptions:
    """Library callers' :class:`FormatFlags` as a command-line layer."""
    formats: list[tuple[FormatKey, str]] = [("only-binary", n) for n in sorted(flags.only_binary)]
    formats += [("no-binary", n) for n in sorted(flags.no_binary)]
    return SourceOptions(
        format_control=tuple(formats), prefer_binary=flags.prefer_binary, pre=flags.pre
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
