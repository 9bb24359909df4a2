"""``wheelscout tags``: the ranked tags and marker environment of each target."""

from __future__ import annotations

import argparse
from typing import Any

from wheelscout.cli._output import print_json, stdout_console
from wheelscout.cli._targets import add_target_options, targets_from_args
from wheelscout.model.target import Target

HELP = "show the wheel tags a target accepts (best first) and its environment markers"

SCHEMA_VERSION = 1


def configure_parser(parser: argparse.ArgumentParser) -> None:
    add_target_options(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")


def _document(targets: list[Target]) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "targets": [
            {
                "target": t.spelling,
                "platform": t.platform.name,
                "python": t.python.short,
                "description": t.platform.description,
                "tags": [str(tag) for tag in t.tags],
                "markers": dict(t.markers),
            }
            for t in targets
        ],
    }


def _render(target: Target) -> None:
    from rich import box
    from rich.table import Table

    console = stdout_console()
    console.print(
        f"[bold]{target.spelling}[/] = {target.platform.name}, CPython {target.python.short}"
        f" ({target.platform.description}): {len(target.tags)} tags, best first"
    )
    markers = Table("marker", "value", box=box.SIMPLE, title="environment markers")
    for key, value in target.markers.items():
        markers.add_row(key, repr(value))
    console.print(markers)
    width = len(str(len(target.tags)))
    for rank, tag in enumerate(target.tags, 1):
        console.print(f"  {rank:>{width}}  {tag}")
    console.print()


def execute(args: argparse.Namespace) -> int:
    targets = targets_from_args(args)
    if args.format == "json":
        print_json(_document(targets))
    else:
        for target in targets:
            _render(target)
    return 0
