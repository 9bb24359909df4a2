"""A project page as releases: parsed files grouped by version, newest first."""

from __future__ import annotations

from collections.abc import Sequence

from packaging.tags import Tag

from wheelscout.classify import (
    BinaryPolicy,
    ParsedFile,
    TagRanker,
    choose,
    python_allows,
)
from wheelscout.model.project import ProjectPage
from wheelscout.model.target import Target
from wheelscout.resolve.candidates import Release, page_releases

__all__ = ["Release", "installable", "releases", "wheel_for"]

_ONLY_BINARY = BinaryPolicy(only_binary=True)


def releases(page: ProjectPage, *, pre: bool = True) -> list[Release]:
    """Every version with at least one parseable file, newest first (the resolver's grouping)."""
    every = page_releases(page)  # the resolver's parse of this page, shared
    return [r for r in every if pre or not r.version.is_prerelease]


def installable(files: Sequence[ParsedFile], target: Target) -> list[ParsedFile]:
    """The files pip would consider on ``target``: not yanked, Requires-Python admits it."""
    return [
        f for f in files
        if f.file.yanked is None and python_allows(f.file.requires_python, target)
    ]


def wheel_for(
    files: Sequence[ParsedFile], ranker: TagRanker
) -> tuple[ParsedFile, Tag] | None:
    """The wheel pip would take among ``files`` (already filtered), with its winning tag."""
    choice = choose(files, ranker, _ONLY_BINARY)
    if choice.file is None or choice.tag is None:
        return None
    return choice.file, choice.tag
