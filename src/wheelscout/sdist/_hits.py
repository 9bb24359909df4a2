"""Shared bits of the build-file readers: the evidence accumulator and text helpers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from wheelscout.model.build import Evidence, Finding, FindingKind, Language, Severity, Tool
from wheelscout.sdist.libraries import canonical_library, library_platforms

_MAX_EVIDENCE = 5
_MAX_TEXT = 100

# Libraries every toolchain brings along: linking them needs nothing installed.
SYSTEM_LIBRARIES = frozenset(
    [
        "m",
        "c",
        "dl",
        "pthread",
        "rt",
        "util",
        "stdc++",
        "c++",
        "gcc_s",
        "atomic",
        "threads",
        "python",
        "python3",
        "python3-embed",
        "numpy",
        "pybind11",
        "nanobind",
        "ws2_32",
        "advapi32",
        "user32",
        "kernel32",
        "shell32",
        "ole32",
        "oleaut32",
        "gdi32",
        "bcrypt",
        "crypt32",
        "secur32",
        "userenv",
        "ntdll",
        "psapi",
        "iphlpapi",
        "dbghelp",
        "shlwapi",
        "version",
        "winmm",
        "rpcrt4",
        # Windows SDK import libraries (psutil links them): part of every MSVC install.
        "pdh",
        "powrprof",
        "netapi32",
        "wtsapi32",
        "setupapi",
        "winhttp",
        "pythonlibs",
        "pythoninterp",
        "cython",
    ]
)


@dataclass(slots=True)
class Hits:
    """What the readers found, each with its evidence; merged into ``BuildRequirements``."""

    languages: dict[Language, list[Evidence]] = field(default_factory=dict)
    tools: dict[Tool, list[Evidence]] = field(default_factory=dict)
    libraries: dict[str, list[Evidence]] = field(default_factory=dict)
    required_libraries: set[str] = field(default_factory=set)
    # Per library, the platforms whose builds look for it; absent: every platform.
    library_platforms: dict[str, set[str]] = field(default_factory=dict)
    everywhere: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    compiles: list[Evidence] = field(default_factory=list)

    def language(self, language: Language, evidence: Evidence) -> None:
        _append(self.languages.setdefault(language, []), evidence)

    def tool(self, tool: Tool, evidence: Evidence) -> None:
        _append(self.tools.setdefault(tool, []), evidence)

    def library(
        self,
        spelled: str,
        evidence: Evidence,
        *,
        optional: bool = False,
        platforms: tuple[str, ...] = (),
    ) -> None:
        """Record a library as the build file spells it; system libraries are ignored.

        ``platforms``: only builds there look for it (a ``WINDOWS`` branch); a library that only
        exists on some platforms (``kstat``, ``perfstat``) is tagged from the table anyway.
        """
        key = spelled.strip().strip("'\"")
        if not key or key.lower() in SYSTEM_LIBRARIES:
            return
        name = canonical_library(key) or key
        _append(self.libraries.setdefault(name, []), evidence)
        if not optional:
            self.required_libraries.add(name)
        where = platforms or library_platforms(key)
        if not where:
            self.library_platforms.pop(name, None)
            self.everywhere.add(name)
        elif name not in self.everywhere:
            self.library_platforms.setdefault(name, set()).update(where)

    def compiled(self, evidence: Evidence) -> None:
        _append(self.compiles, evidence)

    def finding(self, kind: FindingKind, severity: Severity, message: str, member: str) -> None:
        self.findings.append(Finding(kind=kind, severity=severity, message=message, member=member))


def _append(items: list[Evidence], evidence: Evidence) -> None:
    if len(items) < _MAX_EVIDENCE and evidence not in items:
        items.append(evidence)


def evidence(file: str, line: int | None, text: str) -> Evidence:
    text = "".join(c if c.isprintable() else " " for c in " ".join(text.split()))
    if len(text) > _MAX_TEXT:
        text = text[: _MAX_TEXT - 3] + "..."
    return Evidence(file=file, line=line, text=text)


def line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def call_text(code: str, offset: int) -> str:
    """The call starting at ``offset`` as one line of evidence: ``project('numpy', 'c', ...)``."""
    depth = 0
    for index in range(code.find("(", offset), min(len(code), offset + 2000)):
        depth += {"(": 1, ")": -1}.get(code[index], 0)
        if depth == 0:
            text = " ".join(code[offset : index + 1].split())
            return text.replace("( ", "(").replace(" )", ")")
    return line_text(code, offset)


def line_text(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start : end if end >= 0 else len(text)]


def strip_hash_comments(text: str) -> str:
    """Blank out ``#`` comments (outside quotes), keeping offsets and line numbers intact."""
    out: list[str] = []
    quote = ""
    in_comment = False
    for char in text:
        if in_comment:
            in_comment = char != "\n"
            out.append(char if char == "\n" else " ")
        elif quote:
            quote = "" if char in (quote, "\n") else quote
            out.append(char)
        elif char in "'\"":
            quote = char
            out.append(char)
        elif char == "#":
            in_comment = True
            out.append(" ")
        else:
            out.append(char)
    return "".join(out)


def calls(text: str, name: str, *, ignore_case: bool = False) -> Iterator[tuple[int, str]]:
    """Each ``name(...)`` call in comment-free ``text``: its offset and argument text."""
    flags = re.IGNORECASE if ignore_case else 0
    for match in re.finditer(rf"(?<![\w.]){re.escape(name)}\s*\(", text, flags):
        depth = 1
        index = match.end()
        while index < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[index], 0)
            index += 1
        yield match.start(), text[match.end() : index - 1]


def decode(data: bytes) -> str:
    return data.decode("utf-8", "replace")


_MAX_BUILD_FILES = 500


def walk_includes(
    root: str, files: Mapping[str, str], read: Callable[[str, str], list[str]]
) -> list[str]:
    """Read ``root`` and every build file it includes (breadth first, each once, bounded):
    ``read(path, text)`` returns the paths that file includes. Returns the paths read."""
    pending = [root]
    seen: list[str] = []
    while pending and len(seen) < _MAX_BUILD_FILES:
        path = pending.pop(0)
        if path in seen or path not in files:
            continue
        seen.append(path)
        pending.extend(read(path, files[path]))
    return seen
