"""``check --format markdown``: a matrix and the reasons, for PR comments and CI summaries."""

from __future__ import annotations

from typing import Any

from wheelscout.redact import one_line, sanitize
from wheelscout.report.remedy import plan_lines, remedy_advice

__all__ = ["render_markdown"]

_ICON = {"wheel": "✅ wheel", "build": "🛠️ build", "none": "❌ none"}


def _cell(package: dict[str, Any] | None) -> str:
    if package is None:
        return "-"
    version = f" {package['version']}" if package["version"] else ""
    kind = f" ({package['wheel_kind']})" if package["wheel_kind"] else ""
    return f"{_ICON[package['install']]}{version}{kind}"


def _escape(text: str) -> str:
    # Text from an index stays text: no table cell broken by "|" or a newline, no HTML.
    return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def _build_lines(build: dict[str, Any] | None) -> list[str]:
    if not build:
        return []
    lines = [f"  - needs: {_escape(build['summary'])}"]
    lines += [f"  - {_escape(step['summary'])}" for step in build.get("setup_steps", [])]
    lines += [f"  - **blocked**: {_escape(b)}" for b in build.get("blocked", [])]
    return lines


def render_markdown(document: dict[str, Any]) -> str:
    """The whole report as GitHub-flavoured Markdown, every string through
    :func:`~wheelscout.redact.printable` (no secret, no raw escape sequence)."""
    document = sanitize(document, one_line)
    results = document["results"]
    labels = [f"{r['platform']} / {r['python']}" for r in results]
    names = sorted({p["name"] for r in results for p in r["packages"]})
    lines = ["## wheelscout check", ""]
    lines.append("| package | " + " | ".join(labels) + " |")
    lines.append("|---|" + "---|" * len(labels))
    for name in names:
        row = [next((p for p in r["packages"] if p["name"] == name), None) for r in results]
        cells = [_cell(p) for p in row]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("")
    for result, label in zip(results, labels, strict=True):
        lines.append(f"### {label}")
        if warnings := result.get("warnings", []):
            lines += [f"> ⚠️ {_escape(w)}" for w in warnings]
            lines.append("")  # or the next line would continue the quote
        if result["status"] == "unresolvable":
            lines.append(f"**Unresolvable**: {_escape(result['conflict'] or '')}")
            lines.append("")
            continue
        if result["status"] == "fails":
            blocking = ", ".join(result.get("blockers", []))
            lines.append(f"**pip would fail**: nothing installable for {_escape(blocking)}")
        s = result["summary"]
        lines.append(
            f"{s['packages']} packages: {s['wheel']} wheels, {s['build']} builds, {s['none']} none"
        )
        for package in result["packages"]:
            if package["install"] != "wheel":
                lines.append(
                    f"- **{package['name']}** ({package['install']}): {_escape(package['reason'])}"
                )
                lines.extend(_build_lines(package.get("build")))
                if advice := remedy_advice(package):
                    lines.append(f"  - remedy: {_escape(advice)}")
        lines += [f"- {_escape(line)}" for line in plan_lines(result)]
        lines.append("")
    return "\n".join(lines)
