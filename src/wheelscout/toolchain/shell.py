"""Render a ``BuildEnvironment`` as a cmd, PowerShell or bash script, or as versioned JSON."""

from __future__ import annotations

import json
import re
import shlex
from typing import Any, Literal

from wheelscout.model.build import BuildEnvironment, GeneratedFile

__all__ = ["SCHEMA_VERSION", "SHELLS", "Shell", "as_dict", "render"]

Shell = Literal["cmd", "powershell", "bash", "json"]
SHELLS: tuple[Shell, ...] = ("cmd", "powershell", "bash", "json")
SCHEMA_VERSION = 1


def render(environment: BuildEnvironment, shell: Shell) -> str:
    """The environment as text for ``shell``; comments carry notes, requirements, sources."""
    if shell == "json":
        return json.dumps(as_dict(environment), indent=2) + "\n"
    comment = "@rem" if shell == "cmd" else "#"
    lines = [f"{comment} {line}" for line in _header(environment)]
    lines += [_set(shell, name, value) for name, value in environment.variables]
    for file in environment.files:
        lines.append(f"{comment} {file.name}: {file.purpose}")
        lines += _write_file(shell, file)
    lines += list(environment.commands)
    lines += [f"{comment} source: {source}" for source in environment.sources]
    return "\n".join(lines) + "\n"


def as_dict(environment: BuildEnvironment) -> dict[str, Any]:
    """The JSON document (``wheelscout/schemas/build-env-v1.schema.json``)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "target": environment.target,
        "backend": environment.backend,
        "host": environment.host,
        "cross": environment.cross,
        "variables": dict(environment.variables),
        "files": [
            {"name": f.name, "content": f.content, "purpose": f.purpose} for f in environment.files
        ],
        "commands": list(environment.commands),
        "requirements": list(environment.requirements),
        "notes": list(environment.notes),
        "sources": list(environment.sources),
    }


def _header(environment: BuildEnvironment) -> list[str]:
    kind = "cross build" if environment.cross else "native build"
    lines = [
        f"wheelscout build-env: {environment.target} with {environment.backend} "
        f"from {environment.host} ({kind})"
    ]
    lines += [f"requires {requirement}" for requirement in environment.requirements]
    lines += [f"note: {note}" for note in environment.notes]
    return lines


def _set(shell: Shell, name: str, value: str) -> str:
    if shell == "cmd":
        return f'set "{name}={_cmd_escape(value)}"'
    if shell == "powershell":
        return f"$env:{name} = {_ps_quote(value)}"
    return f"export {name}={shlex.quote(value)}"


def _write_file(shell: Shell, file: GeneratedFile) -> list[str]:
    lines = file.content.rstrip("\n").split("\n")
    if shell == "cmd":
        out = []
        for index, line in enumerate(lines):
            redirect = ">" if index == 0 else ">>"
            text = f"echo {_cmd_echo(line)}" if line.strip() else "echo."
            out.append(f"{redirect} {file.name} {text}")
        return out
    if shell == "powershell":
        return ["@'", *lines, f"'@ | Set-Content -Encoding utf8 -Path {_ps_quote(file.name)}"]
    return [f"cat > {shlex.quote(file.name)} <<'WHEELSCOUT_EOF'", *lines, "WHEELSCOUT_EOF"]


def _cmd_escape(value: str) -> str:
    return value.replace("%", "%%").replace('"', "")


def _cmd_echo(value: str) -> str:
    escaped = re.sub(r"([\^&|<>()])", r"^\1", value)
    return escaped.replace("%", "%%")


def _ps_quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
