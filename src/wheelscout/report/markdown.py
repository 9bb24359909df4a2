"""``check --format markdown``: the summary, a matrix and the problems, for PR comments and CI
summaries. The same words as the terminal (``report.words``); build needs and the wheels-only
plan sit in collapsed ``<details>`` blocks, told once for every target where they are the same."""

from __future__ import annotations

from collections.abc import Sequence

from wheelscout.model.verdict import CheckReport, PackageVerdict, TargetResult
from wheelscout.redact import one_line, sanitize_record
from wheelscout.report.words import (
    build_lines,
    failing_groups,
    plan_groups,
    problems,
    summary_lines,
    target_label,
    target_list,
    warning_groups,
)

__all__ = ["render_markdown"]

_ICON = {"wheel": "✅ wheel", "build": "🛠️ build", "none": "❌ none"}


def _cell(package: PackageVerdict | None) -> str:
    if package is None:
        return "-"
    version = f" {package.version}" if package.version else ""
    kind = f" ({package.wheel_kind})" if package.wheel_kind else ""
    return f"{_ICON[package.install]}{version}{kind}"


def _escape(text: str) -> str:
    # Text from an index stays text: no table cell broken by "|" or a newline, no HTML.
    return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def _matrix(results: Sequence[TargetResult]) -> list[str]:
    names = sorted({p.name for r in results for p in r.packages})
    labels = [_escape(target_label(r)) for r in results]
    lines = ["| package | " + " | ".join(labels) + " |", "|---|" + "---|" * len(labels)]
    for name in names:
        row = [next((p for p in r.packages if p.name == name), None) for r in results]
        lines.append(f"| {name} | " + " | ".join(_cell(p) for p in row) + " |")
    return lines


def _problem_lines(results: Sequence[TargetResult]) -> list[str]:
    total = len(results)
    lines: list[str] = []
    for problem in problems(results):
        lines.append(f"- **{problem.install}**: {_escape(problem.headline(total))}")
        for advice, where in problem.remedies:
            scope = "" if len(problem.remedies) == 1 else f" ({target_list(where, total)})"
            lines.append(f"  - remedy{scope}: {_escape(advice)}")
        for block, where in problem.builds:
            scope = "" if len(problem.builds) == 1 else f" on {target_list(where, total)}"
            lines.append(f"  <details><summary>build{_escape(scope)}: "
                         f"{_escape(block.summary)}</summary>")
            lines.append("")
            lines += [f"  `{line}`  " if depth else f"  {_escape(line)}  "
                      for depth, line in build_lines(block)[1:]]
            lines.append("  </details>")
    return lines


def render_markdown(report: CheckReport) -> str:
    """The whole report as GitHub-flavoured Markdown, every string through
    :func:`~wheelscout.redact.one_line` (no secret, no raw escape sequence)."""
    report = sanitize_record(report, one_line)
    results = report.results
    total = len(results)
    lines = ["## wheelscout check", ""]
    lines += [f"**{_escape(line)}**" for line in summary_lines(results)]
    lines.append("")
    lines += _matrix(results)
    lines.append("")
    for result in results:
        if result.status == "unresolvable":
            lines.append(f"- **{_escape(target_label(result))} cannot be resolved**: "
                         f"{_escape(result.conflict or '')}")
    for why, where in failing_groups(results):
        lines.append(f"- **pip would fail**: {_escape(why)} "
                     f"(on {_escape(target_list(where, total))})")
    lines += _problem_lines(results)
    for sentences, where in plan_groups(results):
        lines.append(f"- wheels only on {_escape(target_list(where, total))}:")
        lines += [f"  - {_escape(sentence)}" for sentence in sentences]
    for warning, where in warning_groups(results):
        lines.append(f"> ⚠️ {_escape(target_list(where, total))}: {_escape(warning)}")
        lines.append("")  # or the next line would continue the quote
    lines += [f"> note: {_escape(note)}" for note in report.notes]
    return "\n".join(lines).rstrip()
