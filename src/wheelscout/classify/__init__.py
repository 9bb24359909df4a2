"""Pure rules: which file of a release would install on a target, and why.

Mirrors pip's ``CandidateEvaluator``: a wheel is usable when one of its tags is in the target's
ranked list; among usable files of one version the best-ranked wheel wins, an sdist is the
fallback (unless binaries are required), and ``--prefer-binary`` ranks any wheel above a newer
sdist-only version. Nothing here does IO.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from packaging.specifiers import SpecifierSet
from packaging.tags import InvalidTag, Tag, parse_tag
from packaging.utils import canonicalize_name
from packaging.version import Version

from wheelscout.limits import MAX_TAGS_PER_FILENAME, tag_count
from wheelscout.model.filename import parse_dist_filename
from wheelscout.model.project import DistFile, NormalizedName
from wheelscout.model.target import OperatingSystem, Target
from wheelscout.model.verdict import Install

__all__ = [
    "CROSS_BUILT",
    "BinaryPolicy",
    "Choice",
    "Install",
    "ParsedFile",
    "TagRanker",
    "WheelKind",
    "builds_here",
    "choose",
    "parse_file",
    "parse_files",
    "python_allows",
    "wheel_kind",
]



class WheelKind(enum.Enum):
    PURE = "pure"
    PLATFORM = "platform"
    ABI3 = "abi3"


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedFile:
    """A :class:`DistFile` with its name and version parsed; a wheel's tags are parsed on use.

    Big projects list tens of thousands of files (numpy: 13,000) whose tag strings repeat from
    release to release, so tags are parsed once per distinct string, and only for the releases
    a resolution looks at.
    """

    file: DistFile
    name: NormalizedName
    version: Version
    tag_text: str = ""  # "cp312-cp312-win_amd64" for a wheel, "" for an sdist
    build: tuple[int, str] | tuple[()] = ()

    @property
    def is_wheel(self) -> bool:
        return bool(self.tag_text)

    @property
    def tags(self) -> frozenset[Tag]:
        return _tags(self.tag_text) if self.tag_text else frozenset()




@functools.lru_cache(maxsize=4096)
def _tags(text: str) -> frozenset[Tag]:
    # Real PyPI has wheels such as ``*-py36+-none-any.whl``: pip never matches such a tag
    # (it installs nothing from the file) but does not fail, so a malformed tag matches nothing.
    if tag_count(text) > MAX_TAGS_PER_FILENAME:
        return frozenset()  # a hostile name expanding to millions of tags matches nothing
    try:
        return parse_tag(text)
    except InvalidTag:
        return frozenset()


def parse_file(file: DistFile) -> ParsedFile | None:
    """Parse a file name; ``None`` for names pip would skip (invalid, or not a dist)."""
    parsed = parse_dist_filename(file.filename)
    if parsed is None:
        return None
    return ParsedFile(
        file=file,
        name=parsed.name,
        version=parsed.version,
        tag_text=parsed.tag_text,
        build=parsed.build,
    )


def parse_files(files: Iterable[DistFile], name: str) -> list[ParsedFile]:
    """Every parseable file of project ``name`` (files of other projects are dropped)."""
    wanted = NormalizedName(canonicalize_name(name))
    parsed = (parse_file(f) for f in files)
    return [p for p in parsed if p is not None and p.name == wanted]


class TagRanker:
    """Rank wheels by the target's tag order: 0 is best, ``None`` is unusable."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self._rank = {tag: i for i, tag in reversed(list(enumerate(target.tags)))}

    def best_tag(self, tags: Iterable[Tag]) -> tuple[int, Tag] | None:
        ranked = [(self._rank[t], t) for t in tags if t in self._rank]
        return min(ranked, key=lambda pair: pair[0]) if ranked else None


@dataclass(frozen=True, slots=True, kw_only=True)
class BinaryPolicy:
    """pip's format control for one project: may it build, must it build, prefer wheels?"""

    only_binary: bool = False
    no_binary: bool = False
    prefer_binary: bool = False


def wheel_kind(tag: Tag) -> WheelKind:
    if tag.abi in ("abi3", "abi3t"):
        return WheelKind.ABI3
    if tag.platform == "any":
        return WheelKind.PURE
    return WheelKind.PLATFORM


def python_allows(requires_python: str | None, target: Target) -> bool:
    """Whether a file's ``data-requires-python`` admits the target's Python (invalid: yes)."""
    if not requires_python:
        return True
    return _python_allows(requires_python, target.python.full)


@functools.lru_cache(maxsize=4096)
def _python_allows(requires_python: str, python: str) -> bool:
    # Every file of a release repeats the same requires-python: evaluate each string once.
    try:
        return SpecifierSet(requires_python).contains(python, prereleases=True)
    except ValueError:  # InvalidSpecifier, or a version of thousands of digits
        return True  # pip ignores an unparseable requires-python on a link


@dataclass(frozen=True, slots=True, kw_only=True)
class Choice:
    """The file pip would take for one version on one target, or why it would take none.

    ``refused`` is the wheel that fits but that ``--no-binary`` ruled out, if any.
    """

    install: Install
    file: ParsedFile | None = None
    tag: Tag | None = None
    rank: int | None = None
    refused: ParsedFile | None = None

    @property
    def kind(self) -> WheelKind | None:
        return wheel_kind(self.tag) if self.tag is not None else None


def choose(
    files: Sequence[ParsedFile], ranker: TagRanker, policy: BinaryPolicy = BinaryPolicy()
) -> Choice:
    """Pick among the files of *one* version (already filtered for yanks and Requires-Python).

    pip's order: the best-ranked compatible wheel (a higher build tag breaking ties), else the
    sdist; ``no_binary`` skips wheels, ``only_binary`` skips sdists. Among files that still
    tie (``py3-none-any`` and ``py2.py3-none-any``; ``.tar.gz`` and ``.zip``) pip takes the one
    listed last: it sorts them stably by its key and walks the list backwards.
    """
    best: tuple[tuple[int, tuple[int, str]], ParsedFile, Tag] | None = None
    if not policy.no_binary:
        for parsed in files:
            if not parsed.is_wheel:
                continue
            found = ranker.best_tag(parsed.tags)
            if found is None:
                continue
            key = (found[0], _build_key(parsed.build))
            if best is None or key <= best[0]:  # ties: the later-listed file (see below)
                best = (key, parsed, found[1])
    if best is not None:
        return Choice(install="wheel", file=best[1], tag=best[2], rank=best[0][0])
    refused = None
    if policy.no_binary:  # said in the reason: a wheel fits, the policy refused it
        refused = next((p for p in files if p.is_wheel and ranker.best_tag(p.tags)), None)
    if not policy.only_binary and builds_here(ranker.target):
        sdists = [p for p in files if not p.is_wheel]
        if sdists:
            return Choice(install="build", file=sdists[-1], refused=refused)
    return Choice(install="none", refused=refused)


# Where pip cannot build an sdist: a wheel for iOS, Android or Pyodide is a cross-build a
# maintainer makes (cibuildwheel, ...), so there only wheels count, as with --only-binary.
CROSS_BUILT = frozenset({OperatingSystem.IOS, OperatingSystem.ANDROID, OperatingSystem.EMSCRIPTEN})


def builds_here(target: Target) -> bool:
    """Whether pip can build an sdist on ``target`` itself."""
    return target.platform.os not in CROSS_BUILT


def _build_key(build: tuple[int, str] | tuple[()]) -> tuple[int, str]:
    # Higher build tags win and any build tag beats none (pip compares () < (0, "")); min()
    # over the key wants them negated.
    return (-build[0], build[1]) if build else (1, "")
