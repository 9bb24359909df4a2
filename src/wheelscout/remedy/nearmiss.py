"""Why a release's wheels do (not) fit one target, tag by tag, and its files grouped.

A tag misses a target for one or more reasons, each a :class:`Problem`: the wrong platform
altogether, a platform floor above the target's (``manylinux_2_34 needs glibc 2.34 > target
2.28``), another Python implementation, another CPython version, or another ABI. The number and
kind of problems rank wheels from "almost" to "not even close".
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from packaging.tags import Tag

from wheelscout.classify import Choice, ParsedFile, TagRanker, choose, python_allows
from wheelscout.model.platform import PlatformFamily, PlatformTag
from wheelscout.model.project import DistFile
from wheelscout.model.target import Python, Target

__all__ = [
    "FileCheck",
    "Mismatch",
    "Problem",
    "TagCheck",
    "check_file",
    "check_files",
    "check_tag",
    "choose_on",
    "same_os",
]


class Mismatch(enum.Enum):
    PLATFORM = "platform"
    PLATFORM_TOO_NEW = "platform-too-new"
    IMPLEMENTATION = "implementation"
    PYTHON = "python"
    ABI = "abi"
    OTHER = "other"


# How far a problem puts a wheel from the target: another OS or architecture is hopeless, a
# floor one step too high or the neighbouring Python is "almost".
_DISTANCE = {
    Mismatch.PLATFORM: 4,
    Mismatch.IMPLEMENTATION: 3,
    Mismatch.PLATFORM_TOO_NEW: 1,
    Mismatch.PYTHON: 1,
    Mismatch.ABI: 1,
    Mismatch.OTHER: 2,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    kind: Mismatch
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TagCheck:
    """One tag of a wheel against the target: ``rank`` in the target's list, or the problems."""

    tag: Tag
    rank: int | None
    problems: tuple[Problem, ...] = ()

    @property
    def matches(self) -> bool:
        return self.rank is not None

    @property
    def distance(self) -> int:
        return sum(_DISTANCE[p.kind] for p in self.problems)


@dataclass(frozen=True, slots=True, kw_only=True)
class FileCheck:
    """One wheel of a release against the target, its tags closest first.

    ``excluded`` is set when pip would not consider the file at all (yanked, or its
    Requires-Python excludes the target's Python), whatever its tags say.
    """

    file: DistFile
    tags: tuple[TagCheck, ...]
    excluded: str | None = None

    @property
    def matches(self) -> bool:
        return self.excluded is None and any(t.matches for t in self.tags)

    @property
    def distance(self) -> int:
        return min((t.distance for t in self.tags), default=99) + (1 if self.excluded else 0)

    @property
    def near_miss(self) -> bool:
        """Not usable, but only one small step away (a floor, a Python version, an ABI)."""
        return not self.matches and self.distance <= 1


# What a versioned family's version is a version of, for "needs glibc 2.34 > target 2.28".
_WHAT = {
    PlatformFamily.MANYLINUX: "glibc",
    PlatformFamily.MUSLLINUX: "musl",
    PlatformFamily.MACOS: "macOS",
    PlatformFamily.IOS: "iOS",
    PlatformFamily.ANDROID: "Android API level",
}
_INTERPRETER = re.compile(r"^(cp|py|pp|ip|jy|gp)(\d)(\d*)$")
_IMPLEMENTATIONS = {"pp": "PyPy", "ip": "IronPython", "jy": "Jython", "gp": "GraalPy"}


def _versioned(platform: str) -> PlatformTag | None:
    """``manylinux_2_34_aarch64`` (or a legacy alias) as a tag whose version is an OS floor."""
    tag = PlatformTag.parse(platform)
    return tag if tag is not None and tag.family in _WHAT else None


def _floors(target: Target) -> dict[tuple[PlatformFamily, str], tuple[int, ...]]:
    """The highest OS floor the target accepts per (family, arch), from its own tags."""
    floors: dict[tuple[PlatformFamily, str], tuple[int, ...]] = {}
    for tag in target.tags:
        found = _versioned(tag.platform)
        if found is not None:
            key = (found.family, found.arch)
            floors[key] = max(floors.get(key, found.version), found.version)
    return floors


def _dotted(version: tuple[int, ...]) -> str:
    return ".".join(str(v) for v in version)


def _platform_problem(platform: str, target: Target) -> Problem | None:
    if platform == "any" or platform in {t.platform for t in target.tags}:
        return None
    found = _versioned(platform)
    floor = _floors(target).get((found.family, found.arch)) if found is not None else None
    if found is not None and floor is not None and found.version > floor:
        what = _WHAT[found.family]
        return Problem(kind=Mismatch.PLATFORM_TOO_NEW,
                       message=f"{platform} needs {what} {_dotted(found.version)} > "
                               f"target {_dotted(floor)}")
    return Problem(kind=Mismatch.PLATFORM,
                   message=f"built for {platform}, target is {target.platform.name}")


def _python_problems(tag: Tag, python: Python) -> list[Problem]:
    match = _INTERPRETER.match(tag.interpreter)
    if match is None:
        return [Problem(kind=Mismatch.IMPLEMENTATION,
                        message=f"interpreter {tag.interpreter!r} is not CPython")]
    impl, major, minor = match[1], int(match[2]), int(match[3]) if match[3] else None
    if impl not in ("cp", "py"):
        return [Problem(kind=Mismatch.IMPLEMENTATION,
                        message=f"{tag.interpreter} is a {_IMPLEMENTATIONS[impl]} wheel, "
                                f"target is CPython {python.short}")]
    wanted = (python.major, python.minor)
    line = (major, minor if minor is not None else 0)
    if tag.abi == "none":
        return _none_abi(tag, impl, line, wanted)
    if tag.abi in ("abi3", "abi3t"):
        return _stable_abi(tag, line, python)
    if line != wanted:
        return [Problem(kind=Mismatch.PYTHON,
                        message=f"{tag.interpreter}-{tag.abi} is built for CPython "
                                f"{major}.{minor}, target is {python.short}")]
    abi = f"cp{python.nodot}{'t' if python.free_threaded else ''}"
    if tag.abi != abi:
        return [Problem(kind=Mismatch.ABI, message=_abi_message(tag.abi, abi, python))]
    return []


def _none_abi(tag: Tag, impl: str, line: tuple[int, int],
              wanted: tuple[int, int]) -> list[Problem]:
    if impl == "py" and line[0] == wanted[0] and line <= wanted:
        return []
    if impl == "cp" and line == wanted:
        return []
    need = f"{line[0]}.{line[1]}" + ("+" if impl == "py" else "")
    return [Problem(kind=Mismatch.PYTHON,
                    message=f"{tag.interpreter}-none needs Python {need}, "
                            f"target is {wanted[0]}.{wanted[1]}")]


def _stable_abi(tag: Tag, line: tuple[int, int], python: Python) -> list[Problem]:
    problems = []
    if line > (python.major, python.minor):
        problems.append(Problem(kind=Mismatch.PYTHON,
                                message=f"{tag.interpreter}-{tag.abi} needs CPython "
                                        f"{line[0]}.{line[1]}+, target is {python.short}"))
    if tag.abi == "abi3" and python.free_threaded:
        problems.append(Problem(kind=Mismatch.ABI,
                                message=f"abi3 does not load on free-threaded CPython "
                                        f"{python.short}"))
    if tag.abi == "abi3t" and (not python.free_threaded or (python.major, python.minor) < (3, 15)):
        problems.append(Problem(kind=Mismatch.ABI,
                                message=f"abi3t needs free-threaded CPython 3.15+, "
                                        f"target is {python.short}"))
    return problems


def _abi_message(abi: str, wanted: str, python: Python) -> str:
    if abi == wanted + "t":
        return f"ABI {abi} is free-threaded, target CPython {python.short} is not"
    if abi + "t" == wanted:
        return f"ABI {abi} is not free-threaded, target CPython {python.short} is"
    return f"ABI {abi} is not {wanted}"


def check_tag(tag: Tag, target: Target, ranker: TagRanker | None = None) -> TagCheck:
    """Does ``tag`` install on ``target``, and if not, every reason why not."""
    ranker = ranker or TagRanker(target)
    found = ranker.best_tag([tag])
    if found is not None:
        return TagCheck(tag=tag, rank=found[0])
    problems = [p for p in (_platform_problem(tag.platform, target),) if p is not None]
    problems += _python_problems(tag, target.python)
    if not problems:
        problems = [Problem(kind=Mismatch.OTHER,
                            message=f"{tag} is not among the target's tags")]
    return TagCheck(tag=tag, rank=None, problems=tuple(problems))


def _excluded(file: DistFile, target: Target) -> str | None:
    if file.yanked is not None:
        return f"yanked ({file.yanked})" if file.yanked else "yanked"
    if not python_allows(file.requires_python, target):
        return f"Requires-Python {file.requires_python} excludes {target.python.full}"
    return None


def check_file(parsed: ParsedFile, target: Target, ranker: TagRanker | None = None) -> FileCheck:
    """One wheel against the target: each tag checked, closest first."""
    ranker = ranker or TagRanker(target)
    checks = sorted((check_tag(t, target, ranker) for t in parsed.tags),
                    key=lambda c: (c.rank if c.rank is not None else 10**6, c.distance, str(c.tag)))
    return FileCheck(file=parsed.file, tags=tuple(checks), excluded=_excluded(parsed.file, target))


def check_files(files: Iterable[ParsedFile], target: Target) -> list[FileCheck]:
    """Every wheel among ``files`` against the target: usable first, then closest misses, the
    target's own OS before others."""
    ranker = TagRanker(target)
    checks = [check_file(f, target, ranker) for f in files if f.is_wheel]
    return sorted(checks, key=lambda c: (not c.matches, c.distance, not same_os(c, target),
                                         c.file.filename))


def choose_on(files: Sequence[ParsedFile], target: Target) -> Choice:
    """What pip would take among one version's files on ``target`` (default policy)."""
    usable = [f for f in files if _excluded(f.file, target) is None]
    return choose(usable, TagRanker(target))



def same_os(check: FileCheck, target: Target) -> bool:
    """Whether the wheel is built for the target's operating system (any architecture)."""
    families: frozenset[PlatformFamily | None] = frozenset(target.platform.os.tag_families)
    if not families:  # the host: compare against its own tags' platforms
        families = frozenset(_family(t.platform) for t in target.tags) - {None}
    return any(t.tag.platform == "any" or _family(t.tag.platform) in families for t in check.tags)


def _family(platform: str) -> PlatformFamily | None:
    tag = PlatformTag.parse(platform)
    return tag.family if tag is not None else None
