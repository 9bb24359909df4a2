"""The exception hierarchy: one root, one subclass per kind of fault.

Expected negatives (no wheel for a target, a 404 for a project) are values, not exceptions;
these are for faults and for input that cannot be understood.
"""

from __future__ import annotations

__all__ = [
    "IndexError_",
    "InputError",
    "TargetError",
    "WheelscoutError",
]


class WheelscoutError(Exception):
    """Root of every error wheelscout raises on purpose; the CLI prints it as one line."""


class InputError(WheelscoutError):
    """Input a user gave (a file, a requirement, an option value) that cannot be used."""


class TargetError(InputError):
    """A target platform or Python version that is not in the catalogue."""


class IndexError_(WheelscoutError):  # noqa: N801 -- avoid shadowing the builtin IndexError
    """A package index could not be read: network, authentication, malformed response."""
