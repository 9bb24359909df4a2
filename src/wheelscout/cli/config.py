"""``wheelscout config``: every setting that changes what pip picks, and where it came from."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from wheelscout.cli._index_options import add_format_options, add_index_options, merged_settings
from wheelscout.cli._output import print_json
from wheelscout.cli._targets import deployment_target
from wheelscout.redact import one_line

if TYPE_CHECKING:
    from wheelscout.index.settings import Effective, Setting, Source

HELP = "show the effective index and install settings and where each one came from"


def configure_parser(parser: argparse.ArgumentParser) -> None:
    add_index_options(parser)
    add_format_options(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")


def _source(source: Source) -> dict[str, Any]:
    return {"kind": source.kind, "name": source.name, "key": source.key}


def _value(setting: Setting) -> str | bool | list[str]:
    from wheelscout.simple.urls import redact

    value = setting.value
    if isinstance(value, tuple):
        return [redact(v) if "://" in v else v for v in value]
    return redact(value) if isinstance(value, str) and "://" in value else value


def document(merged: Effective, macos: Setting | None = None) -> dict[str, Any]:
    """The JSON contract of ``config`` (``schemas/config-v1.schema.json``)."""
    settings = [*merged.settings, *([macos] if macos else [])]
    return {
        "schema_version": 1,
        "isolated": merged.isolated,
        "config_files": [str(p) for p in merged.files],
        "settings": [
            {"key": s.key, "value": _value(s), "sources": [_source(x) for x in s.sources]}
            for s in settings
        ],
        "notes": list(merged.warnings),
    }


def _render(doc: dict[str, Any]) -> str:
    from wheelscout.index.settings import describe

    rows = []
    for entry in doc["settings"]:
        value = entry["value"]
        shown = describe(tuple(value) if isinstance(value, list) else value)
        origin = "; ".join(
            f"${s['name']}" if s["kind"] == "env" else " ".join(filter(None, (s["name"], s["key"])))
            for s in entry["sources"]
        )
        rows.append((entry["key"], shown, origin or "default"))
    width = max(len(r[0]) for r in rows)
    # Values come from files and variables anyone could have set: one line each, no escapes.
    lines = [one_line(f"{key:<{width}}  {value}  ({origin})") for key, value, origin in rows]
    files = ", ".join(doc["config_files"]) or "none"
    lines.append("")
    if doc["isolated"]:
        lines.append("isolated: PIP_*/UV_* variables and pip's and uv's config files are ignored")
    else:
        lines.append(one_line(f"config files read (lowest priority first): {files}"))
    lines += [one_line(f"note: {note}") for note in doc["notes"]]
    return "\n".join(lines)


def render_settings(merged: Effective, args: argparse.Namespace) -> str:
    """The text of ``wheelscout config`` for ``merged`` (``check -v`` prints it on stderr)."""
    return _render(document(merged, deployment_target(args)))


def execute(args: argparse.Namespace) -> int:
    merged = merged_settings(args)
    doc = document(merged, deployment_target(args))
    if args.format == "json":
        print_json(doc)
    else:
        sys.stdout.write(_render(doc) + "\n")
    return 0


__all__ = ["HELP", "configure_parser", "document", "execute", "render_settings"]
