"""What building an sdist needs: languages, tools, native libraries, with the evidence for each.

These records come out of static sdist inspection (``wheelscout.sdist``) and feed the setup
steps and build environments of ``wheelscout.toolchain``. Nothing here runs sdist code.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Literal

from wheelscout.model.finding import Finding, Severity

__all__ = [
    "BACKENDS",
    "Backend",
    "BuildEnvironment",
    "BuildRequirements",
    "Evidence",
    "Finding",
    "FindingKind",
    "GeneratedFile",
    "Language",
    "LanguageNeed",
    "LibraryNeed",
    "SetupStep",
    "Severity",
    "SourceKind",
    "Tool",
    "ToolNeed",
]

class Language(enum.Enum):
    C = "C"
    CXX = "C++"
    FORTRAN = "Fortran"
    CYTHON = "Cython"
    RUST = "Rust"
    CUDA = "CUDA"
    OBJC = "Objective-C"


class Tool(enum.Enum):
    C_COMPILER = "C compiler"
    CXX_COMPILER = "C++ compiler"
    FORTRAN_COMPILER = "Fortran compiler"
    RUST = "Rust toolchain"
    CYTHON = "Cython"
    CMAKE = "CMake"
    MESON = "Meson"
    NINJA = "Ninja"
    PKG_CONFIG = "pkg-config"
    CUDA = "CUDA toolkit"


class FindingKind(enum.Enum):
    """Why an archive or one of its members could not be taken at face value: the codes of
    sdist inspection's findings."""

    UNSUPPORTED_FORMAT = "unsupported-format"
    CORRUPT = "corrupt"
    TRUNCATED = "truncated"
    PATH_TRAVERSAL = "path-traversal"
    ABSOLUTE_PATH = "absolute-path"
    LINK = "link"
    SPECIAL_FILE = "special-file"
    TOO_MANY_MEMBERS = "too-many-members"
    TOO_LARGE = "too-large"
    MEMBER_SKIPPED = "member-skipped"
    HASH_MISMATCH = "hash-mismatch"
    HASH_UNVERIFIED = "hash-unverified"
    BAD_CONFIG = "bad-config"
    UNKNOWN_BACKEND = "unknown-backend"
    IGNORED_SOURCES = "ignored-sources"


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """Where a conclusion came from: a file inside the sdist (relative to its root) and a line.

    ``line`` is 1-based, or ``None`` when the evidence is the file's presence or a count.
    """

    file: str
    line: int | None
    text: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.text}"


@dataclass(frozen=True, slots=True, kw_only=True)
class LanguageNeed:
    language: Language
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolNeed:
    """A tool the build runs. ``from_pypi`` when pip fetches it as a build requirement."""

    tool: Tool
    evidence: tuple[Evidence, ...]
    from_pypi: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class LibraryNeed:
    """A native library the build looks for; ``name`` is canonical (``openssl``, ``libxml2``).

    ``platforms`` names the operating systems whose builds look for it (``windows``, ``macos``,
    ``linux``, ``freebsd``, ``openbsd``, ``netbsd``, ``sunos``, ``aix``, or ``unix`` for every
    one but Windows); empty means every platform.
    """

    name: str
    evidence: tuple[Evidence, ...]
    optional: bool = False
    platforms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceKind:
    """Compiled-language source files shipped in the archive, outside tests and docs."""

    language: Language
    count: int
    example: str


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildRequirements:
    """What building one sdist needs, found by reading it, never by running it.

    ``backend`` is the PEP 517 backend object reference and ``backend_name`` its project
    (``mesonpy`` -> ``meson-python``); ``backend_declared`` is ``False`` when
    the sdist has no ``[build-system]`` and pip falls back to legacy setuptools. ``complete`` is
    ``False`` when the archive could not be read to its end (corrupt, truncated, over a limit);
    then the lists may be missing things and ``pure`` is never claimed. ``sha256`` is the digest
    of every byte read from the stream, ``None`` when it was not read to the end.
    """

    filename: str
    backend: str
    backend_name: str
    backend_declared: bool
    build_requires: tuple[str, ...]
    languages: tuple[LanguageNeed, ...]
    tools: tuple[ToolNeed, ...]
    native_libraries: tuple[LibraryNeed, ...]
    source_kinds: tuple[SourceKind, ...]
    findings: tuple[Finding[FindingKind], ...]
    complete: bool
    sha256: str | None = None
    project: str | None = None

    @property
    def pure(self) -> bool:
        """Nothing gets compiled: the build works on any target with only Python."""
        return self.complete and not self.languages

    @property
    def language_set(self) -> frozenset[Language]:
        return frozenset(need.language for need in self.languages)

    @property
    def tool_set(self) -> frozenset[Tool]:
        return frozenset(need.tool for need in self.tools)

    @property
    def summary(self) -> str:
        """One line: ``pure: builds anywhere, no compiler`` or backend plus languages."""
        if self.pure:
            return "pure: builds anywhere, no compiler"
        if not self.complete and not self.languages:
            return f"unknown: archive not fully read ({self.backend_name})"
        names = ", ".join(need.language.value for need in self.languages)
        return f"{self.backend_name}: {names}"


StepKind = Literal["install", "configure", "note", "blocker"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SetupStep:
    """One thing to do on (or for) the target before the build can work.

    ``kind`` is ``blocker`` when the target has no known way to satisfy a need (a Fortran
    compiler for iOS). ``components`` are installer IDs (Visual Studio component IDs, distro
    package names) and ``commands`` shell lines; ``source`` documents the step.
    """

    kind: StepKind
    summary: str
    needed_for: tuple[str, ...]
    commands: tuple[str, ...] = ()
    components: tuple[str, ...] = ()
    source: str = ""


Backend = Literal["setuptools", "meson-python", "maturin", "scikit-build-core", "cibuildwheel"]
BACKENDS: tuple[Backend, ...] = (
    "setuptools",
    "meson-python",
    "maturin",
    "scikit-build-core",
    "cibuildwheel",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class GeneratedFile:
    """A file the maintainer writes before building: a meson cross file, a config snippet."""

    name: str
    content: str
    purpose: str


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildEnvironment:
    """How to build wheels for a target with one backend, from one host.

    ``variables`` are environment variables in the order to set them; ``commands`` run after
    them; ``requirements`` are versions of build tools the variables need to work.
    ``cross`` is ``True`` when host and target differ in OS or architecture.
    """

    target: str
    backend: Backend
    host: str
    cross: bool
    variables: tuple[tuple[str, str], ...] = ()
    files: tuple[GeneratedFile, ...] = ()
    commands: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildNeeds:
    """What one ``build`` verdict's source build needs on its target: the sdist's inspection and
    the target's setup steps, or ``unknown`` (why the sdist could not be read)."""

    requirements: BuildRequirements | None
    steps: tuple[SetupStep, ...] = ()
    unknown: str | None = None

    @property
    def summary(self) -> str:
        """One line: the inspection's summary, or ``unknown: <why>``."""
        if self.requirements is None:
            return f"unknown: {self.unknown}"
        return self.requirements.summary
