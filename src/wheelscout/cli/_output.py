"""Console helpers: the only place that decides colours, widths and JSON formatting."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["print_json", "stdout_console"]


def stdout_console() -> Console:
    from rich.console import Console

    # No colour and no soft-wrapping when piped, so output stays greppable.
    tty = sys.stdout.isatty()
    return Console(file=sys.stdout, highlight=False, width=None if tty else 160)


def print_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
