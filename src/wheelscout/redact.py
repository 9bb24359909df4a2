"""The one choke point for text that leaves wheelscout: credentials hidden, control characters
escaped.

Every URL and requirement that is printed, logged or stored in a report passes through
:func:`redact_text` (JSON) or :func:`printable` (terminal and Markdown), applied by the CLI's
output helpers, its log handler and the report renderers; library code names a URL in an error
with :func:`redact`.

Userinfo is found the way a careless HTTP client would find it, not only the way ``urlsplit``
does: ``http://alice:S3cret#PW@host/`` holds the password ``S3cret#PW`` for a person (and for
some clients), while ``urlsplit`` sees the host ``alice`` and a fragment ``PW@host/``. So the
userinfo is what ``urlsplit`` finds (pip's reading) or the text between ``scheme://user:`` and
the *last* ``@``, whichever is longer, so that a password may contain ``/``, ``?``, ``#`` and
``@``. Hiding too much of an odd URL costs a less readable message; hiding too little leaks a
secret.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

__all__ = [
    "one_line",
    "printable",
    "redact",
    "redact_text",
    "sanitize",
    "sanitize_record",
    "split_userinfo_span",
]

_Record = TypeVar("_Record")

MASK = "****"
# The lenient reading, for when urlsplit finds no userinfo: "scheme://user:" and then anything
# but whitespace up to the last "@" of the URL.
_LENIENT = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://(?P<userinfo>[^\s:/?#@]*:\S*)@(?=[^\s@]*$)")
# A URL-ish token in free text: a scheme, "://", then anything up to whitespace. Quotes are part
# of it (a password may hold one); what follows the userinfo is left as it was.
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://\S+")
# C0 controls (but newline and tab), DEL, C1 controls, and the bidirectional overrides that
# reorder what a reader sees ("Trojan Source").
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def split_userinfo_span(url: str) -> tuple[int, int] | None:
    """Where the userinfo of ``url`` is (start, end of the text before the ``@``), if any:
    ``urlsplit``'s reading (pip's) or the lenient one, whichever hides more."""
    spans = []
    scheme_end = url.find("://")
    try:
        netloc = urlsplit(url).netloc
    except ValueError:  # e.g. an unclosed "[" of an IPv6 host
        netloc = ""
    if "@" in netloc and scheme_end > 0 and url.startswith(netloc, scheme_end + 3):
        spans.append((scheme_end + 3, scheme_end + 3 + netloc.rindex("@")))
    if match := _LENIENT.match(url):
        spans.append((match.start("userinfo"), match.end("userinfo")))
    return max(spans, key=lambda span: span[1]) if spans else None


def redact(url: str) -> str:
    """Hide credentials: ``https://user:secret@h/`` -> ``https://user:****@h/``; a lone token
    (``https://token@h/``) becomes ``****``. Use on every URL that is shown or logged."""
    span = split_userinfo_span(url)
    if span is None:
        return url
    start, end = span
    user, sep, _ = url[start:end].partition(":")
    shown = f"{user}:{MASK}" if sep else MASK
    return url[:start] + shown + url[end:]


def redact_text(text: str) -> str:
    """``text`` with every URL in it redacted (error messages, notes, requirement lines)."""
    if "@" not in text:
        return text  # the common case: nothing to hide, no regex work
    return _TOKEN.sub(lambda match: redact(match[0]), text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, newlines: bool = True) -> str:
    """:func:`redact_text`, then every control character shown as ``\\xNN``: nothing from an
    index reaches a terminal or a Markdown page as a raw escape sequence. ``newlines=False``
    shows a newline as ``\\n`` too, for a value that must stay on its line (a reason)."""
    shown = _CONTROLS.sub(_escape, redact_text(text))
    return shown if newlines else shown.replace("\n", "\\n")


def one_line(text: str) -> str:
    """:func:`printable` for a value that must not start a line of its own."""
    return printable(text, newlines=False)


def sanitize(document: Any, clean: Callable[[str], str] = redact_text) -> Any:
    """A copy of a JSON-like ``document`` with ``clean`` applied to every string in it (keys
    included)."""
    if isinstance(document, str):
        return clean(document)
    if isinstance(document, dict):
        return {sanitize(k, clean): sanitize(v, clean) for k, v in document.items()}
    if isinstance(document, (list, tuple)):
        return [sanitize(item, clean) for item in document]
    return document


def sanitize_record(record: _Record, clean: Callable[[str], str] = redact_text) -> _Record:
    """A copy of a frozen record (a dataclass, or a tuple of them) with ``clean`` applied to
    every string in it, through nested records and tuples: what :func:`sanitize` does for a
    JSON document, for the typed report the text renderers take. Enums, numbers, versions
    and mappings are kept as they are; an unchanged part is the same object."""
    return _clean(record, clean)  # type: ignore[no-any-return]  # same type, rebuilt


def _clean(value: Any, clean: Callable[[str], str]) -> Any:
    if isinstance(value, enum.Enum):  # a closed set, and a str-valued one must stay a member
        return value
    if isinstance(value, str):
        cleaned = clean(value)
        return value if cleaned == value else cleaned
    if type(value) is tuple:  # a named tuple would lose its type: kept as it is
        items = tuple(_clean(item, clean) for item in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changed = {}
        for field in dataclasses.fields(value):
            if field.init:
                before = getattr(value, field.name)
                after = _clean(before, clean)
                if after is not before:
                    changed[field.name] = after
        return dataclasses.replace(value, **changed) if changed else value
    return value
