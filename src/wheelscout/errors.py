"""The exception hierarchy: one root, one subclass per kind of fault.

Expected negatives (no wheel for a target, a 404 for a project) are values, not exceptions;
these are for faults and for input that cannot be understood.
"""

from __future__ import annotations

__all__ = [
    "AuthRequired",
    "ConnectionFailed",
    "HashMismatch",
    "IndexError_",
    "IndexTimeout",
    "InputError",
    "MalformedResponse",
    "NotInCache",
    "ResponseTooLarge",
    "TargetError",
    "WheelscoutError",
]


class WheelscoutError(Exception):
    """Root of every error wheelscout raises on purpose; the CLI prints it as one line."""


class InputError(WheelscoutError):
    """Input a user gave (a file, a requirement, an option value) that cannot be used."""


class TargetError(InputError):
    """A target platform or Python version that is not in the catalogue."""


class IndexError_(WheelscoutError):
    """A package index could not be read: network, authentication, malformed response."""


# Index faults, one per thing a user can act on. Each message is one line naming the redacted URL.


class AuthRequired(IndexError_):
    """The index answered 401 or 403: credentials are missing or refused."""


class IndexTimeout(IndexError_):
    """The index did not answer in time, after retries."""


class ConnectionFailed(IndexError_):
    """The index could not be reached or kept failing (5xx, broken connection), after retries."""


class MalformedResponse(IndexError_):
    """A page, metadata file or archive that cannot be parsed (bad JSON, HTML, zip, email)."""


class HashMismatch(IndexError_):
    """Downloaded bytes do not match the hash the index advertised."""


class NotInCache(IndexError_):
    """Offline mode, and the cache has no answer for this URL."""


class ResponseTooLarge(IndexError_):
    """A response sent more than its limit allows (``wheelscout.limits``), on the wire or
    after decoding."""
