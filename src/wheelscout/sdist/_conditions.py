"""Under which condition a build file looks for a library: only on some operating systems
(``if(WIN32)``, ``elif SUNOS:``), or only when a build option is on (``if(PYARROW_BUILD_CUDA)``),
which makes the library optional.

Each scan is one pass over the text; lookups are by offset.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

__all__ = ["MAX_BRANCH_LOOKUPS", "CMakeConditions", "Condition", "python_branch"]

_UNIX = "unix"
# Condition words, as CMake variables and as psutil-style setup.py flags, per platform.
_OS_WORDS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"\b(WIN32|WIN64|MSVC|MINGW|WINDOWS|CYGWIN)\b|['\"](win32|nt|Windows)['\"]",
                re.IGNORECASE), ("windows",)),
    (re.compile(r"\b(APPLE|MACOS|OSX|DARWIN)\b|['\"]darwin['\"]", re.IGNORECASE), ("macos",)),
    (re.compile(r"\bFREEBSD\b|['\"]freebsd", re.IGNORECASE), ("freebsd",)),
    (re.compile(r"\bOPENBSD\b|['\"]openbsd", re.IGNORECASE), ("openbsd",)),
    (re.compile(r"\bNETBSD\b|['\"]netbsd", re.IGNORECASE), ("netbsd",)),
    (re.compile(r"\bBSD\b"), ("freebsd", "openbsd", "netbsd")),
    (re.compile(r"\b(SUNOS|SOLARIS)\b|['\"](sunos|solaris)", re.IGNORECASE), ("sunos",)),
    (re.compile(r"\bAIX\b|['\"]aix", re.IGNORECASE), ("aix",)),
    (re.compile(r"\bLINUX\b|['\"]linux['\"]", re.IGNORECASE), ("linux",)),
    (re.compile(r"\b(UNIX|POSIX)\b"), (_UNIX,)),
)
_NEGATED = re.compile(r"\bNOT\b|\bnot\b|!=")
# Fallbacks, not options: `if(NOT TARGET foo)`, `if(NOT foo_FOUND)`, `if(NOT DEFINED ...)`.
_FALLBACK = re.compile(r"\bTARGET\b|_FOUND\b|\bDEFINED\b|\bPOLICY\b|\bCOMMAND\b|\bEXISTS\b")


@dataclass(frozen=True, slots=True, kw_only=True)
class Condition:
    """What the conditions around one look-up say: ``platforms`` (empty: every one)."""

    optional: bool = False
    platforms: tuple[str, ...] = ()


def _platforms(text: str) -> tuple[str, ...] | None:
    """The platforms a condition selects; ``None`` when it names none."""
    for pattern, platforms in _OS_WORDS:
        if pattern.search(text):
            if _NEGATED.search(text):
                return (_UNIX,) if platforms == ("windows",) else ()
            return platforms
    return None


@dataclass(frozen=True, slots=True)
class _Frame:
    text: str
    in_else: bool
    fatal_then: bool


_CMAKE_EVENT = re.compile(
    r"(?im)^[ \t]*(if|elseif|else|endif)[ \t]*\(|message[ \t]*\([ \t]*FATAL_ERROR"
)
_MAX_DEPTH = 64
_MAX_CONDITION = 500


class CMakeConditions:
    """The ``if()`` blocks of one CMake file, scanned once."""

    def __init__(self, code: str) -> None:
        self._offsets: list[int] = []
        self._stacks: list[tuple[_Frame, ...]] = []
        stack: list[_Frame] = []
        for match in _CMAKE_EVENT.finditer(code):
            word = (match.group(1) or "fatal").lower()
            if word == "fatal":
                if stack and not stack[-1].in_else:
                    stack[-1] = _Frame(stack[-1].text, False, True)
            elif word == "if" and len(stack) < _MAX_DEPTH:
                stack.append(_Frame(_arguments(code, match.end()), False, False))
            elif word == "elseif" and stack:
                stack[-1] = _Frame(_arguments(code, match.end()), False, False)
            elif word == "else" and stack:
                stack[-1] = _Frame(stack[-1].text, True, stack[-1].fatal_then)
            elif word == "endif" and stack:
                stack.pop()
            self._offsets.append(match.start())
            self._stacks.append(tuple(stack))

    def at(self, offset: int) -> Condition:
        """The conditions a call starting at ``offset`` sits under."""
        index = bisect.bisect_right(self._offsets, offset) - 1
        frames = self._stacks[index] if index >= 0 else ()
        optional, platforms = False, tuple[str, ...]()
        for frame in frames:
            found = _platforms(frame.text)
            if frame.in_else:
                if frame.fatal_then:
                    continue  # `if(NOT X) message(FATAL_ERROR) else() ...`: the only way on
                if found == ("windows",):
                    platforms = (_UNIX,)
                elif found is None and not _FALLBACK.search(frame.text):
                    optional = True
            elif found is not None:
                platforms = found or platforms
            elif not _FALLBACK.search(frame.text):
                optional = True
        return Condition(optional=optional, platforms=platforms)


def _arguments(code: str, start: int) -> str:
    depth, end = 1, min(len(code), start + _MAX_CONDITION)
    for index in range(start, end):
        depth += {"(": 1, ")": -1}.get(code[index], 0)
        if depth == 0:
            return code[start:index]
    return code[start:end]


_PY_BRANCH = re.compile(r"(if|elif)\b(.*?):?\s*$")
_MAX_LINES_BACK = 400
_MAX_BYTES_BACK = 64 * 1024
#: Lookups per file: past it, libraries carry no platform (a hostile file cannot make the
#: backward walks add up).
MAX_BRANCH_LOOKUPS = 200


def python_branch(code: str, offset: int) -> tuple[str, ...]:
    """The platforms of the ``if``/``elif`` branches of ``setup.py`` around ``offset``
    (``elif SUNOS:`` -> ``("sunos",)``); ``()`` when none names a platform. Looks back at
    most 400 lines and 64 KiB."""
    floor = max(0, offset - _MAX_BYTES_BACK)
    start = code.rfind("\n", floor, offset) + 1
    if start == 0 and floor > 0:
        return ()
    end = code.find("\n", start, offset + _MAX_BYTES_BACK)
    line = code[start:end if end >= 0 else min(len(code), offset + _MAX_BYTES_BACK)]
    threshold = len(line) - len(line.lstrip())
    position = start
    for _ in range(_MAX_LINES_BACK):
        if position <= floor or threshold == 0:
            break
        previous = code.rfind("\n", floor, position - 1) + 1
        text = code[previous:position].rstrip("\n")
        position = previous
        stripped = text.lstrip()
        indent = len(text) - len(stripped)
        if not stripped or stripped.startswith("#") or indent >= threshold:
            continue
        threshold = indent
        match = _PY_BRANCH.match(stripped)
        if match is not None:
            found = _platforms(match.group(2))
            if found:
                return found
    return ()
