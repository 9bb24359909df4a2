"""The wording shared by the text and Markdown reports of ``check``.

Both renderers say the same things in the same words: a summary first, one entry per problem
package (grouped across the targets where it is the same), its remedy, and, on request, the
build needs and the wheels-only plan, each explained in words. Everything here works on the
typed report (:class:`~wheelscout.model.verdict.TargetResult` and the records it carries).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wheelscout.model.verdict import Install, PackageVerdict, TargetResult
from wheelscout.report.serialize import blockers, build_json, summarize

if TYPE_CHECKING:
    from wheelscout.model.build import BuildNeeds

__all__ = [
    "Problem",
    "build_lines",
    "cell_text",
    "failing_groups",
    "plan_groups",
    "plan_sentences",
    "plural",
    "problems",
    "summary_lines",
    "target_counts",
    "target_label",
    "target_list",
    "warning_groups",
]

Where = tuple[TargetResult, ...]  # the results (targets) something applies to

_VERB = {"build": "builds from source", "none": "cannot install"}


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 package``, ``2 packages``; ``many`` for irregular plurals."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def target_label(result: TargetResult) -> str:
    """A target as the user spelled it, with its Python: ``win-arm64 3.12``."""
    return f"{result.target.spelling} {result.target.python.short}"


def target_list(results: Sequence[TargetResult], total: int) -> str:
    """``win-arm64 3.12, 3.11 and linux-armv7l 3.12``; ``all 4 targets`` when it is all of them.

    Pythons of one spelling are folded together, in the order the targets came.
    """
    if total > 1 and len(results) == total:
        return "both targets" if total == 2 else f"all {total} targets"
    pythons: dict[str, list[str]] = {}
    for result in results:
        pythons.setdefault(result.target.spelling, []).append(result.target.python.short)
    parts = [f"{spelling} {', '.join(found)}" for spelling, found in pythons.items()]
    return _and(parts)


def _and(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def cell_text(package: PackageVerdict | None, *, kind: bool = True) -> str:
    """One matrix cell: ``wheel 1.26.2 (pure)``, ``BUILD 1.26.2``, ``NONE``, ``-`` (not
    needed there); ``kind=False`` leaves out the wheel kind."""
    if package is None:
        return "-"
    word = {"wheel": "wheel", "build": "BUILD", "none": "NONE"}[package.install]
    version = f" {package.version}" if package.version else ""
    suffix = {"pure": " (pure)", "abi3": " (abi3)"}.get(package.wheel_kind or "", "")
    return f"{word}{version}{suffix if kind else ''}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """One package that does not install from a wheel, the same way on ``targets``."""

    name: str
    version: str | None
    install: Install
    reason: str
    pulled_in_by: str
    targets: Where
    remedies: tuple[tuple[str, Where], ...]  # advice, where it applies
    builds: tuple[tuple[BuildNeeds, Where], ...]  # what the build needs, where
    dependencies_from: str

    def headline(self, total: int) -> str:
        """``numpy 1.26.2 builds from source on win-arm64 3.12, 3.11: <why>``."""
        version = f" {self.version}" if self.version else ""
        where = target_list(self.targets, total)
        pulled = f" (pulled in by {self.pulled_in_by})" if self.pulled_in_by else ""
        return f"{self.name}{version} {_VERB[self.install]} on {where}{pulled}: {self.why}"

    @property
    def why(self) -> str:
        """The reason without the name and version the headline already gave."""
        lead = f"{self.name} {self.version} " if self.version else f"{self.name} "
        return self.reason[len(lead):] if self.reason.startswith(lead) else self.reason


def _general(text: str, result: TargetResult) -> str:
    """``... for win_arm64/cp312`` -> ``... for win_arm64``: the same advice for every Python
    of a platform reads once (the headline already lists the Pythons)."""
    platform = re.escape(result.target.platform.name)
    return re.sub(rf"(\b{platform})/[a-z]+\d+t?\b", r"\1", text)


def _grouped(items: Iterable[tuple[str, TargetResult]]) -> tuple[tuple[str, Where], ...]:
    found: dict[str, list[TargetResult]] = {}
    for key, result in items:
        found.setdefault(key, []).append(result)
    return tuple((key, tuple(where)) for key, where in found.items())


_Key = tuple[str, str | None, Install, str]


def problems(results: Sequence[TargetResult]) -> list[Problem]:
    """Every build/none verdict, one :class:`Problem` per package, version, verdict and reason
    (the reason names the platform, so different platforms stay apart)."""
    found: dict[_Key, list[tuple[TargetResult, PackageVerdict]]] = {}
    for result in results:
        if result.status == "unresolvable":
            continue
        for package in result.packages:
            if package.install == "wheel":
                continue
            key = (package.name, package.version, package.install, package.reason)
            found.setdefault(key, []).append((result, package))
    return [_problem(key, pairs) for key, pairs in found.items()]


def _problem(key: _Key, pairs: list[tuple[TargetResult, PackageVerdict]]) -> Problem:
    name, version, install, reason = key
    first = pairs[0][1]
    path = list(first.path)[:-1]
    remedies = _grouped(
        (_general(p.remedy.advice, r), r) for r, p in pairs if p.remedy is not None
    )
    # Builds that read the same in the report are told once, whatever else differs.
    builds: dict[str, tuple[BuildNeeds, list[TargetResult]]] = {}
    for result, package in pairs:
        if package.build is not None:
            same = json.dumps(build_json(package.build), sort_keys=True)
            builds.setdefault(same, (package.build, []))[1].append(result)
    return Problem(
        name=name,
        version=version,
        install=install,
        reason=reason,
        pulled_in_by=" <- ".join(reversed(path)),
        targets=tuple(r for r, _ in pairs),
        remedies=remedies,
        builds=tuple((needs, tuple(where)) for needs, where in builds.values()),
        dependencies_from=first.dependencies_from,
    )


def summary_lines(results: Sequence[TargetResult]) -> list[str]:
    """The first lines of a report: what needs attention, or that nothing does."""
    total = len(results)
    names = {p.name for r in results for p in r.packages}
    where = plural(total, "target")
    bad = [r for r in results if r.status == "unresolvable"]
    lines = []
    if bad:
        lines.append(f"{plural(len(bad), 'target')} cannot be resolved: {target_list(bad, total)}")
    built = sorted({p.name for r in results for p in r.packages if p.install == "build"})
    none = sorted({p.name for r in results for p in r.packages if p.install == "none"})
    if built or none:
        parts = []
        if built:
            parts.append(f"{plural(len(built), 'package')} would build from source "
                         f"({', '.join(built)})")
        if none:
            parts.append(f"{plural(len(none), 'package')} cannot install ({', '.join(none)})")
        lines.append(f"{plural(len(names), 'package')} on {where}: " + "; ".join(parts))
    elif not bad:
        lines.append(f"{plural(len(names), 'package')} on {where}: every one installs from a "
                     "wheel")
    return lines


def failing_groups(results: Sequence[TargetResult]) -> list[tuple[str, Where]]:
    """Targets where pip would fail (a package has nothing installable), grouped by the
    packages to blame: (``nothing installable for drv``, where)."""
    found: dict[str, list[TargetResult]] = {}
    for result in results:
        if result.status == "fails":
            blamed = ", ".join(blockers(result)) or "a package"
            found.setdefault(f"nothing installable for {blamed}", []).append(result)
    return [(why, tuple(where)) for why, where in found.items()]


def warning_groups(results: Sequence[TargetResult]) -> list[tuple[str, Where]]:
    """Each target's warnings (a broken file skipped, dependencies unknown), told once with
    the targets where they arose."""
    found: dict[str, list[TargetResult]] = {}
    for result in results:
        for warning in result.warnings:
            found.setdefault(warning, []).append(result)
    return [(warning, tuple(where)) for warning, where in found.items()]


def target_counts(result: TargetResult) -> str:
    """``7 packages: 6 wheels, 1 build, 0 cannot install`` for one target."""
    s = summarize(result)
    return (f"{plural(s['packages'], 'package')}: {plural(s['wheel'], 'wheel')}, "
            f"{plural(s['build'], 'build')}, {s['none']} cannot install")


def _state(version: str | None, install: str | None) -> str:
    if install == "wheel":
        return f"the {version} wheel"
    return f"{version} from source" if install == "build" else "nothing"


def plan_sentences(result: TargetResult) -> list[str]:
    """The wheels-only plan of one target in words (``pip install --only-binary :all:``)."""
    plan = result.binary_plan
    if plan is None:
        return []
    if plan.status == "no-change":
        return ["with wheels only (--only-binary :all:) pip installs the same versions, "
                "every one from a wheel"]
    lines = []
    blocked = {b.name for b in plan.blocked}
    changed, dropped, added = [], [], []
    for move in plan.moves:
        if move.after_install is None:
            dropped.append(move.name)
        elif move.before_install is None:
            if move.name not in blocked:  # a blocked one installs nothing: said below
                added.append(f"{move.name} {move.after}")
        elif move.name not in blocked and move.after == move.before:
            changed.append(f"{move.name} {move.after} installs from its wheel instead of "
                           "building")
        elif move.name not in blocked:
            changed.append(f"{move.name} takes {_state(move.after, move.after_install)} "
                           f"instead of {_state(move.before, move.before_install)}")
    if changed:
        lines.append("with wheels only (--only-binary :all:): " + "; ".join(changed))
    if added:
        lines.append(f"with wheels only, {plural(len(added), 'package')} more would install: "
                     + ", ".join(added))
    if dropped:
        lines.append(f"with wheels only, {plural(len(dropped), 'package')} would no longer be "
                     "needed (the packages that pulled them in changed): " + ", ".join(dropped))
    if blocked:
        lines.append(f"wheels only is impossible: no wheel fits for {_and(sorted(blocked))}")
    if plan.status == "unresolvable":
        lines.append(f"with wheels only the set cannot be resolved: {plan.conflict}")
    if plan.constraints_file:
        lines.append(f"constraints file: {plan.constraints_file}")
    return lines


def plan_groups(results: Sequence[TargetResult]) -> list[tuple[list[str], Where]]:
    """Identical plans across targets, told once: (sentences, where)."""
    groups: dict[str, tuple[list[str], list[TargetResult]]] = {}
    for result in results:
        sentences = [_general(s, result) for s in plan_sentences(result)]
        if sentences:
            groups.setdefault("\n".join(sentences), (sentences, []))[1].append(result)
    return [(sentences, tuple(where)) for sentences, where in groups.values()]


def build_lines(build: BuildNeeds) -> list[tuple[int, str]]:
    """What a source build needs and its setup steps: (depth, text), commands one deeper."""
    lines = [(0, f"needs: {build.summary}")]
    # An sdist that could not be read has no steps to tell (the JSON lists none either).
    steps = build.steps if build.requirements is not None else ()
    for step in steps:
        lines.append((0, f"- {step.summary}"))
        lines.extend((1, command) for command in step.commands[:3])
    lines.extend((0, f"blocked: {step.summary}") for step in steps if step.kind == "blocker")
    return lines
