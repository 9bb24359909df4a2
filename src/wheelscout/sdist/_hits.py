"""Shared bits of the build-file readers: the evidence accumulator and text helpers."""

from __future__ import annotations

import bisect
import collections
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from wheelscout.model.build import Evidence, FindingKind, Language, Tool
from wheelscout.model.finding import Finding, Severity
from wheelscout.sdist.libraries import canonical_library, library_platforms

_MAX_EVIDENCE = 5
_MAX_TEXT = 100
_MAX_RAW_TEXT = 20 * _MAX_TEXT
# A call's argument text is read up to this many characters, and at most this many calls of
# one function per file: real build files stay far below both; a hostile one would otherwise
# make each call cost the rest of the file (quadratic time).
MAX_CALL_CHARS = 4096
MAX_CALLS = 1000

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
    findings: list[Finding[FindingKind]] = field(default_factory=list)
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
        self.findings.append(Finding(code=kind, severity=severity, message=message, member=member))


def _append(items: list[Evidence], evidence: Evidence) -> None:
    if len(items) < _MAX_EVIDENCE and evidence not in items:
        items.append(evidence)


def evidence(file: str, line: int | None, text: str) -> Evidence:
    # Cut first: the text may be a megabyte-long line, and evidence is asked for per match.
    text = "".join(c if c.isprintable() else " " for c in " ".join(text[:_MAX_RAW_TEXT].split()))
    if len(text) > _MAX_TEXT:
        text = text[: _MAX_TEXT - 3] + "..."
    return Evidence(file=file, line=line, text=text)


class Code:
    """A build file's comment-free text, with what the readers look up over and over computed
    once: line starts and matching parentheses. Every lookup is logarithmic or bounded, so
    reading a file is linear in its size whatever it holds."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._line_starts = [0, *(match.end() for match in _NEWLINE.finditer(text))]
        self._closing = _closing_parens(text)
        self.capped: list[str] = []  # functions with more than MAX_CALLS calls

    def line_at(self, offset: int) -> int:
        """The 1-based line number of ``offset``."""
        return bisect.bisect_right(self._line_starts, offset)

    def line_text(self, offset: int) -> str:
        """The line holding ``offset`` (at most ``MAX_CALL_CHARS`` of it)."""
        line = self.line_at(offset)
        start = max(self._line_starts[line - 1], offset - MAX_CALL_CHARS)
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else len(self.text)
        return self.text[start : min(end, offset + MAX_CALL_CHARS)]

    def call_text(self, offset: int) -> str:
        """The call starting at ``offset`` as one line: ``project('numpy', 'c', ...)``."""
        opening = self.text.find("(", offset, offset + MAX_CALL_CHARS)
        closing = self._closing.get(opening, -1)
        if opening < 0 or closing < 0 or closing - offset > 2000:
            return self.line_text(offset)
        text = " ".join(self.text[offset : closing + 1].split())
        return text.replace("( ", "(").replace(" )", ")")

    def calls(self, name: str, *, ignore_case: bool = False) -> Iterator[tuple[int, str]]:
        """Each ``name(...)`` call: its offset and argument text (bounded, see MAX_CALLS)."""
        flags = re.IGNORECASE if ignore_case else 0
        pattern = re.compile(rf"(?<![\w.]){re.escape(name)}\s*\(", flags)
        for count, match in enumerate(pattern.finditer(self.text)):
            if count == MAX_CALLS:
                self.capped.append(name)
                return
            opening = match.end() - 1
            closing = self._closing.get(opening, len(self.text))
            yield match.start(), self.text[match.end() : min(closing, opening + MAX_CALL_CHARS)]

    def report_capped(self, path: str, hits: Hits) -> None:
        for name in self.capped:
            message = f"more than {MAX_CALLS} calls of {name}(): the rest were not read"
            hits.finding(FindingKind.TOO_LARGE, Severity.WARNING, message, path)


_NEWLINE = re.compile("\n")
_PAREN = re.compile(r"[()]")


def _closing_parens(text: str) -> dict[int, int]:
    """Offset of each ``(`` -> offset of its ``)``, in one pass (unclosed ones are absent)."""
    closing: dict[int, int] = {}
    stack: list[int] = []
    for match in _PAREN.finditer(text):
        if match[0] == "(":
            stack.append(match.start())
        elif stack:
            closing[stack.pop()] = match.start()
    return closing


# A string runs to its closing quote or the end of the line; a comment from ``#`` to the end
# of the line. One alternation, no backtracking: linear in the text.
_STRING_OR_COMMENT = re.compile(r"'[^'\n]*'?|\"[^\"\n]*\"?|#[^\n]*")


def strip_hash_comments(text: str) -> str:
    """Blank out ``#`` comments (outside quotes), keeping offsets and line numbers intact."""
    return _STRING_OR_COMMENT.sub(
        lambda match: " " * len(match[0]) if match[0].startswith("#") else match[0], text
    )


def decode(data: bytes) -> str:
    return data.decode("utf-8", "replace")


_MAX_BUILD_FILES = 500


def walk_includes(
    root: str, files: Mapping[str, str], read: Callable[[str, str], list[str]]
) -> list[str]:
    """Read ``root`` and every build file it includes (breadth first, each once, bounded):
    ``read(path, text)`` returns the paths that file includes. Returns the paths read."""
    # A deque and a set: each file may name a thousand others, most of them missing.
    pending = collections.deque([root])
    seen: dict[str, None] = {}  # insertion-ordered set
    while pending and len(seen) < _MAX_BUILD_FILES:
        path = pending.popleft()
        if path in seen or path not in files:
            continue
        seen[path] = None
        pending.extend(read(path, files[path]))
    return list(seen)
