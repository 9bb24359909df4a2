"""``wheelscout metadata NAME==VERSION``: the files of a release and its core metadata, read the
cheapest way the index allows (metadata file, range read, download), with bytes transferred."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from wheelscout.cli._index_options import add_index_options, settings_from_args
from wheelscout.cli._output import print_json, warn, write_text
from wheelscout.errors import InputError
from wheelscout.redact import one_line, printable, sanitize

HELP = "show a release's files and core metadata, read the cheapest way"
SCHEMA_VERSION = 1
EXIT_NOT_FOUND = 1


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("requirement", metavar="NAME==VERSION", help="a pinned release")
    parser.add_argument("--file", metavar="FILENAME", help="read this file's metadata")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_index_options(parser)


def execute(args: argparse.Namespace) -> int:
    from wheelscout.index import IndexClient

    name, version = _pinned(args.requirement)
    settings = settings_from_args(args)
    for warning in settings.warnings:
        warn(warning)

    async def run() -> dict[str, Any] | str:
        async with IndexClient(settings) as client:
            return await _report(client, name, version, args.file)

    result = asyncio.run(run())
    if isinstance(result, str):
        sys.stderr.write(f"wheelscout: {printable(result)}\n")
        return EXIT_NOT_FOUND
    if args.format == "json":
        print_json(result)
    else:
        write_text(_text(sanitize(result, one_line)))
    return 0


def _pinned(text: str) -> tuple[str, str]:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(text)
    except InvalidRequirement as exc:
        raise InputError(f"requirement {text!r} is invalid: {exc}") from None
    specs = list(requirement.specifier)
    if len(specs) != 1 or specs[0].operator not in ("==", "===") or "*" in specs[0].version:
        raise InputError(f"requirement {text!r} must pin one version: NAME==VERSION")
    return requirement.name, specs[0].version


def _file_version(filename: str) -> str | None:
    from wheelscout.model.filename import parse_dist_filename

    parsed = parse_dist_filename(filename)
    return None if parsed is None else str(parsed.version)


async def _report(client: Any, name: str, version: str, wanted: str | None) -> dict[str, Any] | str:
    from packaging.version import Version

    from wheelscout.index import redact

    page = await client.project(name)
    if page is None:
        return f"project {name!r} not found on any index"
    files = [f for f in page.files if _file_version(f.filename) in (str(Version(version)),)]
    if not files:
        return f"no files for {name}=={version}"
    if wanted is not None and wanted not in {f.filename for f in files}:
        raise InputError(f"file {wanted!r} is not among the files of {name}=={version}")
    chosen = next((f for f in files if f.filename == wanted), None) or min(
        files, key=lambda f: (not f.is_wheel, f.core_metadata is None)
    )
    before = client.stats().requests
    core = await client.metadata(chosen)
    return {
        "schema_version": SCHEMA_VERSION,
        "name": str(page.name),
        "version": version,
        "files": [
            {
                "filename": f.filename,
                "url": redact(f.url),
                "metadata_file": f.core_metadata is not None,
                "yanked": f.yanked,
                "requires_python": f.requires_python,
            }
            for f in files
        ],
        "metadata": {
            "file": chosen.filename,
            "source": core.source,
            "from_cache": core.from_cache,
            "bytes": core.bytes_transferred,
            "requests": client.stats().requests - before,
            "requires_python": None if core.requires_python is None else str(core.requires_python),
            "requires_dist": [str(r) for r in core.requires_dist],
            "dynamic": sorted(core.dynamic),
            "requires_dist_trusted": core.is_trusted("Requires-Dist"),
        },
        "warnings": list(client.warnings),
    }


_HOW = {
    "metadata-file": "the index's .metadata file",
    "range": "HTTP range reads into the wheel",
    "download": "a whole download",
    "local": "a local file",
}


def _text(report: dict[str, Any]) -> str:
    meta = report["metadata"]
    lines = [f"{report['name']} {report['version']}: {len(report['files'])} file(s)"]
    for f in report["files"]:
        notes = [
            n
            for n in (
                "metadata file" if f["metadata_file"] else "",
                f"yanked: {f['yanked'] or 'no reason'}" if f["yanked"] is not None else "",
            )
            if n
        ]
        lines.append(f"  {f['filename']}" + (f"  ({', '.join(notes)})" if notes else ""))
    how = _HOW[meta["source"]]
    if meta["from_cache"]:
        how = f"the cache (first read through {how})"
    lines.append(
        f"metadata of {meta['file']} via {how}: "
        f"{meta['bytes']:,} bytes in {meta['requests']} request(s)"
    )
    lines.append(f"  Requires-Python: {meta['requires_python'] or '(any)'}")
    lines.append("  Requires-Dist:" + ("" if meta["requires_dist"] else " (none)"))
    lines += [f"    {r}" for r in meta["requires_dist"]]
    if not meta["requires_dist_trusted"]:
        lines.append("  note: Requires-Dist is dynamic in this sdist; a build may change it")
    return "\n".join(lines) + "\n"
