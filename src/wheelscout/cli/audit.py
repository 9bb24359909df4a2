"""``wheelscout audit WHEEL... | DIR``: check that built wheels hold what their names promise."""

from __future__ import annotations

import argparse
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from wheelscout.cli._output import print_json
from wheelscout.errors import InputError
from wheelscout.redact import one_line

if TYPE_CHECKING:
    from wheelscout.binary.audit import WheelAudit
    from wheelscout.binary.wheel import BinaryFile

__all__ = ["HELP", "SCHEMA_VERSION", "configure_parser", "execute", "to_json"]

HELP = "check built wheels: binary architectures, suffixes, glibc/macOS floors, RECORD hashes"
SCHEMA_VERSION = 1
EXIT_CLEAN, EXIT_FINDINGS = 0, 1


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="WHEEL|DIR",
        help="wheel files, or directories whose *.whl files are audited",
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--explain", action="store_true", help="say what each finding means and how to fix it"
    )


def execute(args: argparse.Namespace) -> int:
    from wheelscout.binary.audit import audit_wheel

    wheels = list(_wheel_paths(args.paths))
    audits = []
    for path in wheels:
        with _open_regular(path) as file:
            audits.append(audit_wheel(file, path.name))
    if args.format == "json":
        document = to_json(audits, wheels, explain=args.explain)
        print_json(document)
    else:
        _print_text(audits, explain=args.explain)
    # Warnings (launchers in pure wheels, hex RECORD digests, ...) are shown but do not fail.
    return EXIT_CLEAN if all(a.passed for a in audits) else EXIT_FINDINGS


def _wheel_paths(arguments: Sequence[str]) -> Iterator[Path]:
    paths: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found = sorted(path.glob("*.whl"))
            regular = [p for p in found if p.is_file()]
            for skipped in sorted(set(found) - set(regular)):
                # A directory or FIFO named *.whl: opening a FIFO would block forever.
                sys.stderr.write(
                    f"wheelscout: warning: skipped {str(skipped)!r}: not a regular file "
                    f"({_kind(skipped)})\n"
                )
            if not regular:
                raise InputError(f"no *.whl files in directory {argument!r}")
            paths.extend(regular)
        elif path.is_file():
            paths.append(path)
        elif path.exists():
            raise InputError(f"{argument!r} is not a regular file ({_kind(path)})")
        else:
            raise InputError(f"no such file or directory: {argument!r}")
    yield from paths


def _kind(path: Path) -> str:
    mode = path.stat().st_mode
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a directory" if stat.S_ISDIR(mode) else "not a file"


def _open_regular(path: Path) -> BinaryIO:
    """Open without blocking (a FIFO swapped in after the check), and only a regular file."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError(f"cannot read {str(path)!r}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise InputError(f"{str(path)!r} is not a regular file")
    return os.fdopen(descriptor, "rb")


def _binary_json(binary: BinaryFile) -> dict[str, Any]:
    out: dict[str, Any] = {
        "member": binary.member,
        "format": binary.format,
        "arches": list(binary.arches),
    }
    if binary.elf is not None:
        out["needed"] = list(binary.elf.needed)
        out["version_needs"] = sorted({n.version for n in binary.elf.version_needs})
    if binary.pe is not None:
        out["imports"] = list(binary.pe.imports)
    if binary.macho is not None:
        out["slices"] = [
            {
                "arch": s.arch,
                "platform": s.platform,
                "minos": ".".join(map(str, s.minos)) if s.minos else None,
            }
            for s in binary.macho.slices
        ]
    return out


def to_json(
    audits: Sequence[WheelAudit], paths: Sequence[Path], *, explain: bool = False
) -> dict[str, Any]:
    """The versioned JSON document (schema: ``wheelscout/binary/audit.schema.json``)."""
    wheels = []
    for audit, path in zip(audits, paths, strict=True):
        findings = []
        for f in audit.findings:
            entry = {
                "code": f.code.value,
                "severity": f.severity.value,
                "member": f.member,
                "message": f.message,
                "evidence": f.evidence,
                "fix": f.fix,
            }
            if explain:
                entry["explanation"] = f.code.explanation
            findings.append(entry)
        wheels.append(
            {
                "filename": audit.filename,
                "path": str(path),
                "tags": list(audit.tags),
                "clean": audit.clean,
                "passed": audit.passed,
                "binaries": [_binary_json(b) for b in audit.binaries],
                "findings": findings,
            }
        )
    return {"schema_version": SCHEMA_VERSION, "wheels": wheels}


def _print_text(audits: Sequence[WheelAudit], *, explain: bool) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from wheelscout.model.finding import Severity

    console = Console(highlight=False)
    for audit in audits:
        binaries = len(audit.binaries)
        name = escape(one_line(audit.filename))
        if audit.clean:
            console.print(f"{name}: clean ({binaries} binaries checked)")
            continue
        errors = sum(f.severity is Severity.ERROR for f in audit.findings)
        warnings = len(audit.findings) - errors
        console.print(f"{name}: {errors} error(s), {warnings} warning(s), {binaries} binaries")
        table = Table(show_lines=True)
        table.add_column("severity", no_wrap=True)
        table.add_column("code", no_wrap=True)
        table.add_column("member / finding / evidence", overflow="fold")
        for f in audit.findings:
            lines = [f.member or "(wheel)", f.message, *([f.evidence] if f.evidence else [])]
            shown = "\n".join(one_line(line) for line in lines)
            table.add_row(f.severity.value, f.code.value, escape(shown))
        console.print(table)
        if explain:
            _print_explanations(console, audit)


def _print_explanations(console: Any, audit: WheelAudit) -> None:
    from rich.markup import escape

    seen = []
    for f in audit.findings:
        if f.code not in seen:
            seen.append(f.code)
    for code in seen:
        console.print(f"[bold]{code.value}[/bold]: {escape(code.explanation)}")
        for fix in sorted({f.fix for f in audit.findings if f.code == code and f.fix}):
            console.print(f"  fix: {escape(fix)}")
