"""Console helpers: the only place that decides colours, widths and JSON formatting."""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["print_json", "stdout_console"]


def stdout_console() -> Console:
    from rich.console import Console

    # No colour when piped, and 160 columns (or $COLUMNS) so output stays greppable.
    tty = sys.stdout.isatty()
    columns = os.environ.get("COLUMNS", "")
    width = None if tty else int(columns) if columns.isdigit() and int(columns) > 0 else 160
    return Console(file=sys.stdout, highlight=False, width=width)


def print_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
