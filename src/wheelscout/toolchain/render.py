"""Build requirements and setup steps as JSON-ready dicts and as plain text lines."""

from __future__ import annotations

from typing import Any

from wheelscout.errors import InputError
from wheelscout.model.build import (
    BuildRequirements,
    Evidence,
    Finding,
    FindingKind,
    Language,
    LanguageNeed,
    LibraryNeed,
    SetupStep,
    Severity,
    SourceKind,
    Tool,
    ToolNeed,
)

__all__ = [
    "SCHEMA_VERSION",
    "finding_as_dict",
    "requirements_as_dict",
    "requirements_as_lines",
    "requirements_from_dict",
    "step_as_dict",
]

SCHEMA_VERSION = 1


def _evidence(items: tuple[Evidence, ...]) -> list[dict[str, Any]]:
    return [{"file": e.file, "line": e.line, "text": e.text} for e in items]


def finding_as_dict(finding: Finding[FindingKind]) -> dict[str, Any]:
    """One finding as ``inspect-sdist`` and ``check``'s ``build`` write it."""
    return {
        "kind": finding.code.value,
        "severity": finding.severity.value,
        "message": finding.message,
        "member": finding.member,
    }


def step_as_dict(step: SetupStep) -> dict[str, Any]:
    return {
        "kind": step.kind,
        "summary": step.summary,
        "needed_for": list(step.needed_for),
        "commands": list(step.commands),
        "components": list(step.components),
        "source": step.source,
    }


def requirements_as_dict(
    requirements: BuildRequirements, steps: tuple[SetupStep, ...] | None = None
) -> dict[str, Any]:
    """The ``inspect-sdist`` JSON document (``schemas/inspect-sdist-v1.schema.json``), also
    usable as the ``build`` part of a verdict. ``steps`` is ``None`` when no target was given."""
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "filename": requirements.filename,
        "project": requirements.project,
        "sha256": requirements.sha256,
        "complete": requirements.complete,
        "pure": requirements.pure,
        "summary": requirements.summary,
        "backend": requirements.backend,
        "backend_name": requirements.backend_name,
        "backend_declared": requirements.backend_declared,
        "build_requires": list(requirements.build_requires),
        "languages": [
            {"name": n.language.value, "evidence": _evidence(n.evidence)}
            for n in requirements.languages
        ],
        "tools": [
            {"name": n.tool.value, "from_pypi": n.from_pypi, "evidence": _evidence(n.evidence)}
            for n in requirements.tools
        ],
        "native_libraries": [
            {"name": n.name, "optional": n.optional, "platforms": list(n.platforms),
             "evidence": _evidence(n.evidence)}
            for n in requirements.native_libraries
        ],
        "source_kinds": [
            {"language": k.language.value, "count": k.count, "example": k.example}
            for k in requirements.source_kinds
        ],
        "findings": [finding_as_dict(f) for f in requirements.findings],
    }
    if steps is not None:
        document["setup_steps"] = [step_as_dict(step) for step in steps]
    return document


def requirements_as_lines(
    requirements: BuildRequirements, steps: tuple[SetupStep, ...] | None = None
) -> list[str]:
    """A human summary: verdict first, then each need with its first piece of evidence."""
    name = requirements.filename or requirements.project or "sdist"
    lines = [f"{name}: {requirements.summary}"]
    declared = "declared" if requirements.backend_declared else "legacy default"
    lines.append(f"  backend: {requirements.backend} ({declared})")
    if requirements.build_requires:
        lines.append(f"  build requires: {', '.join(requirements.build_requires)}")
    for need in requirements.languages:
        lines.append(f"  language {need.language.value}: {need.evidence[0]}")
    for tool in requirements.tools:
        origin = " (from PyPI)" if tool.from_pypi else ""
        lines.append(f"  tool {tool.tool.value}{origin}: {tool.evidence[0]}")
    for library in requirements.native_libraries:
        optional = " (optional)" if library.optional else ""
        only = f" ({', '.join(library.platforms)} only)" if library.platforms else ""
        lines.append(f"  native library {library.name}{optional}{only}: {library.evidence[0]}")
    for finding in requirements.findings:
        member = f" [{finding.member}]" if finding.member else ""
        lines.append(f"  {finding.severity.value} {finding.code.value}: {finding.message}{member}")
    for step in steps or ():
        lines.append(f"  {step.kind}: {step.summary}")
        lines.extend(f"      {item}" for item in step.components)
        lines.extend(f"      $ {command}" for command in step.commands)
    return lines


def _evidence_back(items: list[dict[str, Any]]) -> tuple[Evidence, ...]:
    return tuple(Evidence(file=e["file"], line=e["line"], text=e["text"]) for e in items)


def requirements_from_dict(document: dict[str, Any]) -> BuildRequirements:
    """The inverse of ``requirements_as_dict`` (setup steps aside), for caching inspections.

    Raises ``InputError`` naming the document when it is not a version-1 document.
    """
    if document.get("schema_version") != SCHEMA_VERSION:
        version = document.get("schema_version")
        raise InputError(f"unsupported inspect-sdist schema_version {version!r}")
    try:
        return _requirements_from(document)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"malformed inspect-sdist document: {exc!r}") from None


def _requirements_from(d: dict[str, Any]) -> BuildRequirements:
    languages = {language.value: language for language in Language}
    tools = {tool.value: tool for tool in Tool}
    return BuildRequirements(
        filename=d["filename"],
        project=d["project"],
        sha256=d["sha256"],
        complete=d["complete"],
        backend=d["backend"],
        backend_name=d["backend_name"],
        backend_declared=d["backend_declared"],
        build_requires=tuple(d["build_requires"]),
        languages=tuple(
            LanguageNeed(language=languages[n["name"]], evidence=_evidence_back(n["evidence"]))
            for n in d["languages"]
        ),
        tools=tuple(
            ToolNeed(
                tool=tools[n["name"]],
                from_pypi=n["from_pypi"],
                evidence=_evidence_back(n["evidence"]),
            )
            for n in d["tools"]
        ),
        native_libraries=tuple(
            LibraryNeed(
                name=n["name"],
                optional=n["optional"],
                platforms=tuple(n.get("platforms", ())),
                evidence=_evidence_back(n["evidence"]),
            )
            for n in d["native_libraries"]
        ),
        source_kinds=tuple(
            SourceKind(language=languages[k["language"]], count=k["count"], example=k["example"])
            for k in d["source_kinds"]
        ),
        findings=tuple(
            Finding(
                code=FindingKind(f["kind"]),
                severity=Severity(f["severity"]),
                message=f["message"],
                member=f["member"],
            )
            for f in d["findings"]
        ),
    )
