"""``check`` in the terminal: a packages x targets matrix, a summary line per target, reasons."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from wheelscout.redact import one_line, sanitize
from wheelscout.report.remedy import plan_lines, remedy_advice

__all__ = ["render_terminal"]

_STYLE = {"wheel": "green", "build": "yellow", "none": "red"}
_WORD = {"wheel": "wheel", "build": "BUILD", "none": "NONE"}


def _cell(package: dict[str, Any] | None) -> Text:
    if package is None:
        return Text("-", style="dim")
    kind = {"pure": " (pure)", "abi3": " (abi3)"}.get(package["wheel_kind"] or "", "")
    version = f" {package['version']}" if package["version"] else ""
    return Text(f"{_WORD[package['install']]}{version}{kind}", style=_STYLE[package["install"]])


def _print_build(build: dict[str, Any] | None, console: Console) -> None:
    """What the source build needs, and the setup steps for this target, indented."""
    if not build:
        return
    console.print(f"      needs: {build['summary']}", highlight=False, markup=False)
    for step in build.get("setup_steps", []):
        console.print(f"      - {step['summary']}", highlight=False, markup=False)
        for command in step.get("commands", [])[:3]:
            console.print(f"          {command}", highlight=False, markup=False)
    for blocker in build.get("blocked", []):
        console.print(f"      [red]blocked[/]: {escape(blocker)}", highlight=False)


def render_terminal(document: dict[str, Any], console: Console) -> None:
    """Print the matrix, then per target a summary line and why anything is not a wheel.
    Every string is shown through :func:`~wheelscout.redact.printable` (no secret, no raw
    escape sequence from an index reaches the terminal)."""
    document = sanitize(document, one_line)
    results = document["results"]
    labels = [f"{r['platform']}\n{r['python']}" for r in results]
    names = sorted({p["name"] for r in results for p in r["packages"]})
    table = Table("package", *labels, box=box.SIMPLE_HEAD)
    for name in names:
        row = [next((p for p in r["packages"] if p["name"] == name), None) for r in results]
        table.add_row(name, *(_cell(p) for p in row))
    if names:
        console.print(table)
    for result in results:
        label = escape(f"{result['target']} ({result['platform']}, CPython {result['python']})")
        if result["status"] == "unresolvable":
            console.print(f"[red]{label}: unresolvable[/]: {escape(result['conflict'] or '')}")
            continue
        if result["status"] == "fails":
            blocking = ", ".join(result.get("blockers", []))
            console.print(
                f"[red]{label}: pip would fail[/]: nothing installable for {escape(blocking)}"
            )
        s = result["summary"]
        colour = "red" if s["none"] else "yellow" if s["build"] else "green"
        console.print(
            f"[{colour}]{label}[/]: {s['packages']} packages, {s['wheel']} from wheels, "
            f"{s['build']} built from source, {s['none']} not installable"
        )
        for package in result["packages"]:
            if package["install"] != "wheel":
                via = " <- ".join(reversed(package["path"][:-1]))
                pulled = f" (pulled in by {via})" if via else ""
                console.print(
                    f"  {_WORD[package['install']]} {package['name']}{pulled}: {package['reason']}",
                    highlight=False,
                    markup=False,
                )
                _print_build(package.get("build"), console)
                if advice := remedy_advice(package):
                    console.print(f"    remedy: {advice}", highlight=False, markup=False)
        for line in plan_lines(result):
            console.print(f"  {line}", highlight=False, markup=False)
    for note in document.get("notes", []):
        console.print(f"[dim]note: {escape(note)}[/]")
