"""``wheelscout targets``: the platform catalogue, its spellings and defaults."""

from __future__ import annotations

import argparse
from typing import Any

from wheelscout.cli._output import print_json, stdout_console
from wheelscout.targets import FAMILIES, UV_TRIPLES, parse_platform
from wheelscout.targets.catalogue import PYTHON_LINES

HELP = "list the target platforms wheelscout knows, with their spellings and defaults"

SCHEMA_VERSION = 1


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text")


def _document() -> dict[str, Any]:
    platforms = []
    for family in FAMILIES:
        platform = parse_platform(family.name)
        platforms.append(
            {
                "name": family.name,
                "platform": platform.name,
                "os": family.os.value,
                "arch": family.arch,
                "platform_machine": family.machine,
                "default_version": ".".join(map(str, platform.version or ())) or None,
                "aliases": list(family.aliases),
                "description": family.description,
            }
        )
    return {
        "schema_version": SCHEMA_VERSION,
        "pythons": [f"{major}.{minor}" for major, minor in PYTHON_LINES]
        + [f"{major}.{minor}t" for major, minor in PYTHON_LINES if (major, minor) >= (3, 13)],
        "platforms": platforms,
        "uv_triples": {triple: parse_platform(triple).name for triple in UV_TRIPLES},
    }


def execute(args: argparse.Namespace) -> int:
    document = _document()
    if args.format == "json":
        print_json(document)
        return 0
    from rich import box
    from rich.table import Table

    table = Table("name", "platform tag (default)", "description", "also", box=box.SIMPLE)
    for row in document["platforms"]:
        table.add_row(row["name"], row["platform"], row["description"], ", ".join(row["aliases"]))
    console = stdout_console()
    console.print(table)
    console.print(
        "Pythons: " + ", ".join(document["pythons"]) + ".  Also accepted: any platform tag "
        "(manylinux_2_31_aarch64, macosx_14_0_arm64, ...), uv's --python-platform triples "
        "(wheelscout targets --format json lists them) and 'host'."
    )
    return 0
