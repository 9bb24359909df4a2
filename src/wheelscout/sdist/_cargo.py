"""Read ``Cargo.toml`` manifests: the Rust crate and the ``-sys`` crates that link C libraries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wheelscout import _toml
from wheelscout.model.build import FindingKind, Language, Tool
from wheelscout.model.finding import Severity
from wheelscout.sdist._hits import Hits, evidence
from wheelscout.sdist.libraries import canonical_library

__all__ = ["read_cargo_manifests"]

_SECTIONS = ("dependencies", "build-dependencies")


def read_cargo_manifests(files: Mapping[str, str], hits: Hits) -> list[str]:
    """Record Rust and the native libraries behind known ``*-sys`` crates; returns paths read."""
    read: list[str] = []
    for path in sorted(files, key=lambda p: (p.count("/"), p)):
        if not path.endswith("Cargo.toml") or _vendored(path):
            continue
        read.append(path)
        text = files[path]
        try:
            manifest = _toml.loads(text)
        except _toml.TOMLDecodeError as exc:
            message = f"unreadable Cargo.toml: {exc}"
            hits.finding(FindingKind.BAD_CONFIG, Severity.WARNING, message, path)
            continue
        lines = text.splitlines()
        where = evidence(
            path, _line_of(lines, "[package]") or _line_of(lines, "[workspace]"), "Rust crate"
        )
        hits.language(Language.RUST, where)
        hits.tool(Tool.RUST, where)
        for crate in _dependencies(manifest):
            library = canonical_library(crate) if crate.endswith(("-sys", "-sys-rs")) else None
            if library is not None:
                hits.library(library, evidence(path, _line_of(lines, crate), f"depends on {crate}"))
    return read


def _vendored(path: str) -> bool:
    parts = path.split("/")
    return any(part in ("vendor", "vendored", "third_party", "tests") for part in parts[:-1])


def _dependencies(manifest: dict[str, Any]) -> list[str]:
    tables: list[Any] = [manifest.get(section, {}) for section in _SECTIONS]
    workspace = manifest.get("workspace", {})
    if isinstance(workspace, dict):
        tables.append(workspace.get("dependencies", {}))
    targets = manifest.get("target", {})
    if isinstance(targets, dict):
        for target in targets.values():
            if isinstance(target, dict):
                tables.extend(target.get(section, {}) for section in _SECTIONS)
    return [name for table in tables if isinstance(table, dict) for name in table]


def _line_of(lines: list[str], needle: str) -> int | None:
    for number, line in enumerate(lines, start=1):
        if line.strip().startswith(needle):
            return number
    return None
