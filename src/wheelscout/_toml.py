"""TOML parsing: the standard library's ``tomllib`` where it exists, ``tomli`` before 3.11."""

from __future__ import annotations

import sys
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = ["TOMLDecodeError", "loads"]


class TOMLDecodeError(ValueError):
    """Text that is not TOML, or nests deeper than the parser can follow."""


def loads(text: str) -> dict[str, Any]:
    """Parse TOML; every failure, a hostile nesting depth included, is a TOMLDecodeError."""
    try:
        document: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TOMLDecodeError(str(exc)) from None
    except RecursionError:
        # tomllib recurses once per nested array or inline table: thousands of levels (never
        # seen in a real file) exhaust the interpreter's recursion limit.
        raise TOMLDecodeError(
            f"arrays or tables nested more than {sys.getrecursionlimit()} levels deep"
        ) from None
    return document
