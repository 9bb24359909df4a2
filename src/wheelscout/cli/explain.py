"""``wheelscout explain PACKAGE[==VERSION] --target T``: why a release does or does not install
from a wheel on a target, tag by tag, which versions do, and where the target's wheels begin."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from wheelscout.cli._index_options import add_index_options, merged_settings, settings_from_args
from wheelscout.cli._output import warn, write_text
from wheelscout.cli._targets import add_target_options, targets_from_args
from wheelscout.errors import InputError
from wheelscout.redact import one_line, sanitize

if TYPE_CHECKING:
    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    from wheelscout.model.project import ProjectPage
    from wheelscout.model.target import Target

HELP = "explain, tag by tag, why a release does or does not install from a wheel on a target"
SCHEMA_VERSION = 1
EXIT_NOT_FOUND = 1
_SHOWN_WHEELS = 12


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("requirement", metavar="PACKAGE[==VERSION]",
                        help="a project, optionally pinned; default: its newest version")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--versions", type=_positive, default=10, metavar="N",
                        help="how many recent versions the coverage table shows (default 10)")
    parser.add_argument("--pre", action="store_true", help="consider prereleases")
    add_target_options(parser)
    add_index_options(parser)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return int(text)


def execute(args: argparse.Namespace) -> int:
    from wheelscout.index import BlockingIndexClient

    requirement = _requirement(args.requirement)
    targets = targets_from_args(args)
    merged = merged_settings(args)  # --pre may also come from PIP_PRE or pip's config
    settings = settings_from_args(args, merged=merged)
    pre = merged.pre
    for warning in settings.warnings:
        warn(warning)
    with BlockingIndexClient(settings) as client:
        page = client.project(requirement.name)
        warnings = list(client.warnings)
    if page is None:
        from wheelscout.index.probe import index_answer

        answers = "; ".join(index_answer(u, requirement.name, root=True)
                            for u in settings.index_urls) or "--no-index"
        sys.stderr.write(
            f"wheelscout: project {requirement.name!r} not found on any index ({answers})\n"
        )
        return EXIT_NOT_FOUND
    version = _pick_version(page, requirement, pre)
    if version is None:
        sys.stderr.write(f"wheelscout: no version of {requirement.name} matches "
                         f"{str(requirement.specifier) or 'any'}\n")
        return EXIT_NOT_FOUND
    spec = requirement.specifier or None
    sections = [_section(page, target, version, spec, args.versions, pre)
                for target in targets]
    document = {"schema_version": SCHEMA_VERSION, "name": str(page.name),
                "version": str(version), "requested": args.requirement,
                "targets": sections, "warnings": warnings}
    if args.format == "json":
        from wheelscout.cli._output import print_json

        print_json(document)
    else:
        write_text(render_text(sanitize(document, one_line)))
    return 0


def _requirement(text: str) -> Requirement:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(text)
    except InvalidRequirement as exc:
        raise InputError(f"requirement {text!r} is invalid: {exc}") from None
    if requirement.url:
        raise InputError(f"requirement {text!r} is a URL: explain reads index pages")
    return requirement


def _pick_version(page: ProjectPage, requirement: Requirement, pre: bool) -> Version | None:
    from wheelscout.remedy._releases import releases

    pinned = any(s.operator in ("==", "===") for s in requirement.specifier)
    # pip passes over a release whose every file is yanked unless the requirement pins it.
    found = [r.version for r in releases(page, pre=True)
             if pinned or any(f.file.yanked is None for f in r.files)]
    allowed = [v for v in found
               if requirement.specifier.contains(v, prereleases=pre or pinned)]
    return allowed[0] if allowed else None


def _section(page: ProjectPage, target: Target, version: Version, spec: SpecifierSet | None,
             last_n: int, pre: bool) -> dict[str, Any]:
    from wheelscout.remedy import (
        coverage,
        explain_release,
        first_version_with_wheel,
        nearest_wheel_versions,
    )
    from wheelscout.remedy.nearmiss import same_os
    from wheelscout.report.serialize import (
        coverage_json,
        file_check_json,
        groups_json,
        nearest_json,
        version_json,
    )

    explained = explain_release(page, target, version)
    assert explained is not None  # the version was picked from this page
    choice = explained.choice
    return {
        "specifier": str(spec) if spec else "",
        "target": {"spelling": target.spelling, "label": target.label,
                   "platform": target.platform.name, "python": target.python.short},
        "install": choice.install,
        "file": choice.file.file.filename if choice.file else None,
        "tag": str(choice.tag) if choice.tag else None,
        "rank": choice.rank,
        "reason": explained.reason,
        "reason_code": explained.reason_code.value,
        "summary": explained.summary,
        "groups": groups_json(explained.groups),
        "wheels": [{**file_check_json(w), "same_os": same_os(w, target)}
                   for w in explained.wheels],
        "first_with_wheel": version_json(first_version_with_wheel(page, target, pre=pre)),
        "nearest": nearest_json(nearest_wheel_versions(page, target, version, spec, pre=pre)),
        "coverage": coverage_json(coverage(page, target, last_n, pre=pre)),
    }


_INSTALL = {"wheel": "installs from a wheel", "build": "builds from source",
            "none": "cannot install"}


def render_text(document: dict[str, Any]) -> str:
    """The terminal report: one block per target."""
    blocks = [_text_section(document["name"], document["version"], s)
              for s in document["targets"]]
    return "\n".join(blocks)


def _text_section(name: str, version: str, section: dict[str, Any]) -> str:
    label = section["target"]["label"]
    head = f"{name} {version} on {label}: {_INSTALL[section['install']]}"
    if section["file"]:
        head += f" ({section['file']}" + (f", tag {section['tag']})" if section["tag"] else ")")
    lines = [head, f"  {section['reason']}", f"files: {section['summary']}"]
    lines += [f"  {g['platform']}: {_span(g['pythons'])}" for g in section["groups"]["wheels"]]
    lines += _text_wheels(section)
    lines += _text_versions(section, name, section["specifier"])
    return "\n".join(lines) + "\n"


def _span(pythons: list[str]) -> str:
    from wheelscout.remedy import python_span

    return python_span(pythons)


def _text_wheels(section: dict[str, Any]) -> list[str]:
    label = section["target"]["label"]
    if section["install"] == "wheel":
        # A wheel wins; still say which wheels only just miss (a newer glibc, another Python).
        shown = [w for w in section["wheels"] if w["near_miss"]][:_SHOWN_WHEELS]
        header = f"near misses on {label}:"
    else:
        relevant = [w for w in section["wheels"] if w["same_os"] or w["near_miss"]]
        shown = relevant[:_SHOWN_WHEELS]
        header = f"why no wheel matches {label} (closest first):"
    if not shown:
        return []
    lines = [header]
    for wheel in shown:
        near = "  [near miss]" if wheel["near_miss"] else ""
        lines.append(f"  {wheel['filename']}{near}")
        if wheel["excluded"]:
            lines.append(f"    {wheel['excluded']}")
        for tag in wheel["tags"]:
            reasons = "; ".join(p["message"] for p in tag["problems"])
            lines.append(f"    {tag['tag']}: {reasons}")
    hidden = len([w for w in section["wheels"] if not w["matches"]]) - len(shown)
    if hidden > 0:
        lines.append(f"  ... {hidden} more wheel(s) that do not match (--format json lists "
                     "every tag)")
    return lines


def _text_versions(section: dict[str, Any], name: str, spec: str) -> list[str]:
    label = section["target"]["label"]
    first = section["first_with_wheel"]
    nearest = section["nearest"]
    lines = [f"first version with a wheel for {label}: "
             + (f"{first['version']} ({first['file']})" if first else "none, in any version")]
    for side in ("newer", "older") if section["install"] != "wheel" else ():
        found = nearest[side]
        if found:
            forbidden = "" if found["allowed"] else f"; {name}{spec} forbids it"
            lines.append(f"nearest {side} version with a wheel: {found['version']} "
                         f"({found['file']}){forbidden}")
    lines.append(f"coverage on {label}, newest first:")
    width = max([7, *(len(r["version"]) for r in section["coverage"])])
    lines.append(f"  {'version':<{width}}  wheel")
    for row in section["coverage"]:
        note = row["file"] or row["excluded"] or ("sdist only" if row["has_sdist"] else "-")
        mark = "yes" if row["has_wheel"] else "no "
        lines.append(f"  {row['version']:<{width}}  {mark}  {note}")
    return lines
