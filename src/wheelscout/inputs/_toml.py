"""TOML loading with the standard library, or tomli on Python 3.10."""

from __future__ import annotations

from typing import Any

from wheelscout._toml import TOMLDecodeError, loads
from wheelscout.errors import InputError

__all__ = ["describe", "load_toml"]


def load_toml(data: bytes, *, source: str) -> dict[str, Any]:
    try:
        return loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except TOMLDecodeError as exc:
        raise InputError(f"{source}: invalid TOML: {exc}") from None


def describe(value: object) -> str:
    """A short rendering of a wrong value for error messages."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
