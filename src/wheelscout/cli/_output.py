"""Console helpers: the only place that decides colours, widths and JSON formatting, and the
CLI's end of the redaction choke point (:mod:`wheelscout.redact`): every line the CLI prints or
writes goes through a helper here, so no credential and no raw control character
from an index reaches a terminal, a log or a report."""

from __future__ import annotations

import json
import logging
import re
import sys
from typing import TYPE_CHECKING, Any

from wheelscout.redact import printable, redact_text, sanitize

if TYPE_CHECKING:
    from rich.console import Console

__all__ = [
    "install_log_handler",
    "print_json",
    "stdout_console",
    "warn",
    "write_text",
]

# Controls json.dumps leaves raw (it escapes U+0000 to U+001F itself): DEL, C1, bidi overrides.
_JSON_RAW_CONTROLS = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def stdout_console() -> Console:
    from rich.console import Console

    # No colour and no soft-wrapping when piped, so output stays greppable.
    tty = sys.stdout.isatty()
    return Console(file=sys.stdout, highlight=False, width=None if tty else 160)


def print_json(document: Any) -> None:
    """``document`` as JSON on stdout, credentials redacted, control characters escaped;
    ASCII-only when stdout cannot encode the rest."""
    text = json.dumps(sanitize(document), indent=2, ensure_ascii=False)
    text = _JSON_RAW_CONTROLS.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
    if not _encodable(text):
        text = json.dumps(sanitize(document), indent=2, ensure_ascii=True)
    sys.stdout.write(text + "\n")


def write_text(text: str) -> None:
    """Plain text on stdout, through :func:`~wheelscout.redact.printable` line by line."""
    sys.stdout.write("\n".join(printable(line) for line in text.split("\n")))


def warn(message: str) -> None:
    """One warning line on stderr."""
    sys.stderr.write(f"wheelscout: warning: {printable(message)}\n")


def _encodable(text: str) -> bool:
    try:
        text.encode(sys.stdout.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


class _WarningHandler(logging.Handler):
    """Library warnings (a dropped link, an unusable cache) as one redacted line on stderr.
    Writes to whatever ``sys.stderr`` is at the time, so tests that capture it see them."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            warn(redact_text(record.getMessage()))
        except Exception:
            self.handleError(record)


def install_log_handler() -> None:
    """Route the ``wheelscout`` loggers' warnings to stderr (once per process)."""
    logger = logging.getLogger("wheelscout")
    if not any(isinstance(h, _WarningHandler) for h in logger.handlers):
        handler = _WarningHandler(logging.WARNING)
        logger.addHandler(handler)
