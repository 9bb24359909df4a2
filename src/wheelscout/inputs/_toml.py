"""TOML loading with the standard library, or tomli on Python 3.10."""

from __future__ import annotations

import sys
from typing import Any

from wheelscout.errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on 3.10
    import tomli as tomllib

__all__ = ["describe", "load_toml"]


def load_toml(data: bytes, *, source: str) -> dict[str, Any]:
    try:
        document: dict[str, Any] = tomllib.loads(data.decode("utf-8"))
        return document
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{source}: invalid TOML: {exc}") from None


def describe(value: object) -> str:
    """A short rendering of a wrong value for error messages."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
