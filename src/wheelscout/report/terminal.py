"""``check`` in the terminal: a summary, a packages x targets matrix that fits the width, one
entry per problem package with its remedy; build needs and the wheels-only plan with
``--verbose``.

The matrix is laid out here rather than by ``rich.table``: a table squeezed below its natural
width cuts names (``charset-norm…``); these columns are split into as many blocks as the width
needs, and a block too narrow for even one column becomes a list. Nothing is ever cut.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from wheelscout.model.verdict import CheckReport, PackageVerdict, TargetResult
from wheelscout.redact import one_line, sanitize_record
from wheelscout.report.serialize import summarize
from wheelscout.report.words import (
    build_lines,
    cell_text,
    failing_groups,
    plan_groups,
    problems,
    summary_lines,
    target_counts,
    target_label,
    target_list,
    warning_groups,
)

__all__ = ["matrix_blocks", "render_terminal"]

_STYLE = {"wheel": "green", "build": "yellow", "none": "red"}
_GAP = 2
_INDENT = 1


def _line(console: Console, text: str | Text, style: str = "") -> None:
    """A matrix line, already laid out to fit: printed as it is."""
    line = text if isinstance(text, Text) else Text(text, style=style)
    console.print(line, highlight=False, crop=False, soft_wrap=True)


def _print(console: Console, text: str | Text, indent: int = 0, style: str = "") -> None:
    """One item, wrapped at word boundaries (long words fold, nothing is cut) with its
    continuation lines two columns further in."""
    line = text if isinstance(text, Text) else Text(text, style=style)
    room = max(20, console.width - indent - 2)
    for number, part in enumerate(line.wrap(console, room, overflow="fold")):
        part.rstrip()
        lead = " " * (indent + (2 if number else 0))
        console.print(Text(lead) + part, highlight=False, crop=False, soft_wrap=True)


def matrix_blocks(widths: Sequence[int], name_width: int, total: int) -> list[list[int]]:
    """Column indexes per block so that every block's line fits in ``total`` characters;
    ``[]`` when not even one column fits beside the names (then the caller lists instead)."""
    blocks: list[list[int]] = []
    used = _INDENT + name_width
    for index, width in enumerate(widths):
        if _INDENT + name_width + _GAP + width > total:
            return []
        if not blocks or used + _GAP + width > total:
            blocks.append([])
            used = _INDENT + name_width
        blocks[-1].append(index)
        used += _GAP + width
    return blocks


_Row = tuple[str, list[PackageVerdict | None]]  # a package, and its verdict per target


def _rows(results: Sequence[TargetResult]) -> list[_Row]:
    names = sorted({p.name for r in results for p in r.packages})
    by_target = [{str(p.name): p for p in r.packages} for r in results]
    return [(name, [found.get(name) for found in by_target]) for name in names]


def _cell(package: PackageVerdict | None, width: int, kind: bool = True) -> Text:
    text = cell_text(package, kind=kind).ljust(width)
    return Text(text, style="dim" if package is None else _STYLE[package.install])


def _columns(results: Sequence[TargetResult], rows: list[_Row]) -> list[tuple[str, str, int]]:
    """One column per target, except that Pythons of one spelling whose cells are all the same
    share a column (``3.12 3.11``): (spelling, pythons, the index of a member)."""
    columns: list[tuple[str, list[str], int, list[str]]] = []
    for index, result in enumerate(results):
        cells = [cell_text(cells[index]) for _, cells in rows]
        spelling, python = result.target.spelling, result.target.python.short
        same = next((c for c in columns if c[0] == spelling and c[3] == cells), None)
        if same is not None and result.status != "unresolvable":
            same[1].append(python)
        else:
            columns.append((spelling, [python], index, cells))
    return [(spelling, " ".join(pythons), index) for spelling, pythons, index, _ in columns]


def _layout(
    columns: list[tuple[str, str, int]],
    rows: list[_Row],
    name_width: int,
    total: int,
) -> tuple[bool, list[int], list[list[int]]]:
    """Wheel kinds shown when they do not cost an extra block: (kinds, widths, blocks)."""
    best: tuple[bool, list[int], list[list[int]]] | None = None
    for kind in (True, False):
        widths = [
            max(len(spelling), len(pythons), *(len(cell_text(c[i], kind=kind)) for _, c in rows))
            for spelling, pythons, i in columns
        ]
        blocks = matrix_blocks(widths, name_width, total)
        if blocks and (best is None or len(blocks) < len(best[2])):
            best = (kind, widths, blocks)
    return best or (False, [], [])


def _print_matrix(results: Sequence[TargetResult], console: Console) -> None:
    rows = _rows(results)
    if not rows:
        return
    name_width = max(len("package"), *(len(name) for name, _ in rows))
    columns = _columns(results, rows)
    kind, widths, blocks = _layout(columns, rows, name_width, console.width)
    if not blocks:
        _print_list(results, rows, console)
        return
    pad = " " * _INDENT
    for number, block in enumerate(blocks):
        if number:
            console.print()
        top = pad + " " * name_width
        bottom = pad + "package".ljust(name_width)
        for b in block:
            top += " " * _GAP + columns[b][0].ljust(widths[b])
            bottom += " " * _GAP + columns[b][1].ljust(widths[b])
        _line(console, top.rstrip(), style="bold")
        _line(console, bottom.rstrip(), style="bold")
        rule = name_width + sum(_GAP + widths[b] for b in block)
        _line(console, pad + "─" * rule, style="dim")
        for name, cells in rows:
            line = Text(pad + name.ljust(name_width))
            for b in block:
                line += Text(" " * _GAP) + _cell(cells[columns[b][2]], widths[b], kind)
            line.rstrip()
            _line(console, line)


def _print_list(results: Sequence[TargetResult], rows: list[_Row], console: Console) -> None:
    """The narrow layout: per target, one package a line."""
    for index, result in enumerate(results):
        _print(console, target_label(result), style="bold")
        for name, cells in rows:
            if cells[index] is not None:
                _print(console, Text(f"{name} ") + _cell(cells[index], 0), indent=2)


def render_terminal(report: CheckReport, console: Console, *, verbose: bool = False) -> None:
    """The summary (first when something needs attention), the matrix, then the problems.
    Every string is shown through :func:`~wheelscout.redact.one_line` (no secret, no raw
    escape sequence from an index reaches the terminal)."""
    report = sanitize_record(report, one_line)
    results = report.results
    total = len(results)
    summary = summary_lines(results)
    attention = any(r.status != "ok" or any(v.install != "wheel" for v in r.packages)
                    for r in results)
    colour = "red" if any(r.status != "ok" or summarize(r)["none"] for r in results) else (
        "yellow" if attention else "green")
    if attention:
        for line in summary:
            _print(console, line, style=f"bold {colour}")
        console.print()
    _print_matrix(results, console)
    if results:
        console.print()
    for result in results:
        if result.status == "unresolvable":
            _print(console, f"{target_label(result)} cannot be resolved: "
                            f"{result.conflict or ''}", style="red")
        elif verbose:
            _print(console, f"{target_label(result)} ({result.target.platform.name}): "
                            f"{target_counts(result)}")
    for why, where in failing_groups(results):
        _print(console, f"pip would fail: {why} (on {target_list(where, total)})", style="red")
    _print_problems(results, console, total, verbose)
    if verbose:
        for sentences, where in plan_groups(results):
            _print(console, f"wheels only on {target_list(where, total)}:", style="bold")
            for sentence in sentences:
                _print(console, sentence, indent=2)
    if not attention:
        for line in summary:
            _print(console, line, style=f"bold {colour}")
    for warning, where in warning_groups(results):
        _print(console, f"warning ({target_list(where, total)}): {warning}", style="yellow")
    conflicts = {r.conflict for r in results if r.status == "unresolvable"}
    for note in report.notes:
        if note not in conflicts:  # already said, as why a target cannot be resolved
            _print(console, f"note: {note}", style="dim")


def _print_problems(
    results: Sequence[TargetResult], console: Console, total: int, verbose: bool
) -> None:
    found = problems(results)
    for problem in found:
        head, _, why = problem.headline(total).partition(": ")
        _print(console, Text(head + ":", style=f"bold {_STYLE[problem.install]}") + Text(" " + why))
        for advice, where in problem.remedies:
            scope = "" if len(problem.remedies) == 1 else f" ({target_list(where, total)})"
            _print(console, f"remedy{scope}: {advice}", indent=2)
        if not verbose:
            continue
        if problem.dependencies_from == "unknown":
            _print(console, "its dependencies are unknown without running its build", indent=2)
        for block, where in problem.builds:
            scope = "" if len(problem.builds) == 1 else f" on {target_list(where, total)}"
            _print(console, f"build{scope}:", indent=2)
            for depth, line in build_lines(block):
                _print(console, line, indent=4 + 4 * depth)
    if found and not verbose and any(p.builds for p in found):
        _print(console, "(--verbose shows what each build needs and the wheels-only plan)",
               style="dim")
