"""The static dashboard (``--out DIR``): pages rendered at build time with Jinja2 templates,
trend charts as SVG, the data files, and shields.io endpoints.

The site works without JavaScript: ``index.html`` holds the whole matrix; ``dashboard.js`` only
adds sorting, filtering and search. Statuses are a word and an icon, never a colour alone; the
colours are Okabe-Ito's (distinguishable with the common colour-vision deficiencies).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from wheelscout.errors import InputError
from wheelscout.model.target import OperatingSystem, Target
from wheelscout.redact import sanitize
from wheelscout.scan.applicability import Curated
from wheelscout.scan.document import badge, results_csv, results_document, summary
from wheelscout.scan.history import Change, SharePoint
from wheelscout.scan.model import Cell, ProjectResult
from wheelscout.scan.runner import ScanRun

__all__ = ["MARKER", "STATUSES", "Status", "build_site", "check_out", "platform_facts",
           "trend_svg"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Status:
    """How a status is shown: a letter for the page's data, an icon, a word, a CSS class."""

    letter: str
    icon: str
    word: str
    rank: int  # sort order, best first


STATUSES: dict[str, Status] = {
    "wheels": Status(letter="w", icon="\u2713", word="wheels", rank=0),
    "partial": Status(letter="p", icon="\u25d0", word="partial", rank=1),
    "build": Status(letter="b", icon="\u2699", word="build", rank=2),
    "none": Status(letter="x", icon="\u2717", word="none", rank=3),
    "n/a": Status(letter="n", icon="\u2013", word="n/a", rank=4),
}

_OWN_WORDS = {"platform": "platform wheel", "abi3": "abi3 wheel", "pure": "pure wheel",
              "build": "builds from sdist", "none": "nothing installable", "n/a": "n/a"}


def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("wheelscout.scan", "templates"),
        autoescape=jinja2.select_autoescape(("html", "j2")),
        trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
    )
    env.globals["STATUSES"] = STATUSES
    env.globals["OWN_WORDS"] = _OWN_WORDS
    return env


def _columns(run: ScanRun) -> list[str]:
    return list(dict.fromkeys(t.target for t in run.targets))


def _row(result: ProjectResult, targets: list[str]) -> dict[str, Any]:
    cells = []
    for target in targets:
        mine = [c for c in result.cells if c.target == target]
        status = summary([c.tree for c in mine])
        applicable = [c for c in mine if c.tree != "n/a"]
        ready = sum(c.tree == "wheels" for c in applicable)
        text = f"{ready}/{len(applicable)}" if status == "partial" else STATUSES[status].word
        cells.append({"status": status, "text": text, "letter": STATUSES[status].letter,
                      "icon": STATUSES[status].icon})
    return {"name": result.name, "version": result.version or "", "cells": cells,
            "letters": "".join(STATUSES[c["status"]].letter for c in cells),
            "ready": sum(c["status"] == "wheels" for c in cells),
            "applicable": sum(c["status"] != "n/a" for c in cells)}


def _summaries(run: ScanRun, rows: list[dict[str, Any]], targets: list[str],
               points: dict[str, list[SharePoint]]) -> list[dict[str, Any]]:
    found = []
    for index, target in enumerate(targets):
        statuses = [r["cells"][index]["status"] for r in rows]
        applicable = [s for s in statuses if s != "n/a"]
        ready = sum(s == "wheels" for s in applicable)
        pythons = [t.python for t in run.targets if t.target == target]
        found.append({"target": target, "ready": ready, "applicable": len(applicable),
                      "share": ready / len(applicable) if applicable else 0.0,
                      "pythons": pythons, "slug": _slug(target),
                      "runs": len(points.get(target, []))})
    return found


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in text)


def trend_svg(target: str, points: Sequence[SharePoint], width: int = 120,
              height: int = 22) -> str:
    """A line of the share of ready projects per run (0 to 100%), a dot per run. Pre-rendered,
    so it needs no script; its title says the latest figure and the span of dates."""
    from xml.sax.saxutils import escape

    pad = 3
    inner_w, inner_h = width - 2 * pad, height - 2 * pad
    label = (f"{target}: {points[-1].share:.0%} ready ({points[-1].ready}/"
             f"{points[-1].applicable}) on {points[-1].date[:10]}; {len(points)} run(s) since "
             f"{points[0].date[:10]}" if points else f"{target}: no finished run yet")
    coords = []
    for i, point in enumerate(points):
        x = pad + (inner_w * i / (len(points) - 1) if len(points) > 1 else inner_w)
        coords.append((x, pad + inner_h * (1 - point.share)))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">',
        f"<title>{escape(label)}</title>",
        f'<rect x="{pad}" y="{pad}" width="{inner_w}" height="{inner_h}" fill="#f4f4f4" '
        'stroke="#bbb" stroke-width="0.5"/>',
        f'<line x1="{pad}" x2="{width - pad}" y1="{pad + inner_h / 2}" y2="{pad + inner_h / 2}" '
        'stroke="#ddd" stroke-width="0.5"/>',
    ]
    if len(coords) > 1:
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline fill="none" stroke="#0072B2" stroke-width="1.5" '
                     f'points="{line}"/>')
    parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="#0072B2"/>' for x, y in coords]
    parts.append("</svg>\n")
    return "".join(parts)


_CIBW = {
    OperatingSystem.WINDOWS: 'CIBW_ARCHS_WINDOWS="{arch}" (natively on a windows-11-arm runner)',
    OperatingSystem.MANYLINUX: 'CIBW_ARCHS_LINUX="{arch}" with CIBW_BUILD="*-manylinux_*"',
    OperatingSystem.MUSLLINUX: 'CIBW_ARCHS_LINUX="{arch}" with CIBW_BUILD="*-musllinux_*"',
    OperatingSystem.MACOS: 'CIBW_ARCHS_MACOS="{arch}"',
    OperatingSystem.IOS: 'CIBW_PLATFORM="ios" on a macOS runner',
    OperatingSystem.ANDROID: 'CIBW_PLATFORM="android" (cibuildwheel 3.1+)',
    OperatingSystem.EMSCRIPTEN: 'CIBW_PLATFORM="pyodide"',
}


def _cibuildwheel_hint(target: Target) -> str:
    hint = _CIBW.get(target.platform.os, "")
    if "{arch}" in hint:
        from wheelscout.toolchain._names import cibw_arch  # the toolchain data, only when needed

        hint = hint.format(arch=cibw_arch(target))
    if hint and target.python.free_threaded:
        hint += ' and CIBW_ENABLE="cpython-freethreading"'
    return f"cibuildwheel: {hint}" if hint else ""


def _fixes(cell: Cell, name: str, platform: dict[str, Any]) -> list[str]:
    fixes: list[str] = []
    if cell.tree in ("wheels", "n/a"):
        return fixes
    if cell.nearest:
        pins = " ".join(f'"{p}"' for p in cell.fix) if cell.fix else f'"{name}=={cell.nearest}"'
        fixes.append(f"users: pip install --only-binary :all: {pins}")
    fixes += [f"build needs: {need}" for need in cell.build_needs]
    if cell.tree == "build" and not cell.build_needs:
        fixes.append(f"build needs: wheelscout check {name} --target {cell.target} "
                     f"--python {cell.python}")
    if cell.own in ("build", "none") and platform.get("hint"):
        fixes.append(f"maintainers: {platform['hint']}")
    elif cell.blockers:
        fixes.append(f"blocked by {', '.join(cell.blockers)}: see their pages")
    return fixes


#: Written into every site: only a directory holding it (or an empty one) is ever replaced.
MARKER = ".wheelscout-scan-site"


def _replaceable(out: Path) -> bool:
    if not out.exists():
        return True
    if not out.is_dir():
        return False
    return (out / MARKER).is_file() or not any(out.iterdir())


def check_out(out: Path) -> None:
    """Refuse, before any work, an ``--out`` that holds something other than a site."""
    if not _replaceable(out.resolve()):
        raise InputError(f"--out {str(out)!r} exists and is not a wheelscout scan site: "
                         "give a new or empty directory")


def _write_atomically_dir(out: Path, fill: Any) -> None:
    check_out(out)
    out = out.resolve()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    except OSError as exc:
        raise InputError(f"cannot create --out {str(out)!r}: {exc.strerror}") from None
    try:
        fill(staging)
        old = None
        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            os.replace(out, old)
        os.replace(staging, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise InputError(f"cannot write --out {str(out)!r}: {exc.strerror}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def build_site(run: ScanRun, out: Path, platforms: dict[str, dict[str, Any]],
               curated: Mapping[str, Curated] | None = None) -> None:
    """Write the whole site into ``out`` (replaced as a whole: readers never see half of it).

    ``platforms`` maps a (target, python) label ``win-arm64 3.12`` to facts the project pages
    show (platform tag, cibuildwheel hint); ``curated`` is the n/a list the methodology shows."""
    entries = sorted((curated or {}).values(), key=lambda c: c.project)
    _write_atomically_dir(out, lambda staging: _fill(run, staging, platforms, entries))


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


class _Writer:
    """Writes files from a few threads: a 5,000-project site is ~55,000 small files, and the
    time goes into opening them, not into Python."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="wheelscout-site")
        self._pending: list[Future[None]] = []

    def text(self, path: Path, text: str) -> None:
        self._pending.append(self._pool.submit(_write, path, text))

    def close(self) -> None:
        try:
            for future in self._pending:
                future.result()  # the first failure surfaces here
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)


def _fill(run: ScanRun, root: Path, platforms: dict[str, dict[str, Any]],
          curated: list[Curated]) -> None:
    env = _environment()
    targets = _columns(run)
    rows = [_row(r, targets) for r in run.results]
    points: dict[str, list[SharePoint]] = {}
    for point in run.shares:
        points.setdefault(point.target, []).append(point)
    summaries = _summaries(run, rows, targets, points)
    common = {"run": run, "targets": targets, "started": run.started.isoformat(
        timespec="seconds"), "summaries": summaries, "curated": curated}
    for folder in ("data", "projects", "trends", "badges", "assets"):
        (root / folder).mkdir()
    writer = _Writer()
    try:
        writer.text(root / MARKER, "a site written by `wheelscout scan --out`; the next scan "
                    "replaces this whole directory\n")
        for summary_ in summaries:
            writer.text(root / "trends" / f"{summary_['slug']}.svg",
                        trend_svg(summary_["target"], points.get(summary_["target"], [])))
        for asset in ("dashboard.css", "dashboard.js"):
            data = files("wheelscout.scan").joinpath("templates").joinpath(asset).read_text(
                encoding="utf-8")
            writer.text(root / "assets" / asset, data)
        _index_pages(run, root, env, rows, common, writer)
        _project_pages(run, root, env, targets, platforms, common, writer)
        # Through the redaction choke point, as the CLI's JSON: no credential, no raw control.
        writer.text(root / "data" / "results.json",
                    json.dumps(sanitize(results_document(run)), indent=1) + "\n")
        writer.text(root / "data" / "results.csv", results_csv(run))
    finally:
        writer.close()


def _index_pages(run: ScanRun, root: Path, env: Any, rows: list[dict[str, Any]],
                 common: dict[str, Any], writer: _Writer) -> None:
    newly = [c for c in run.changes if c.run == run.run_id and c.kind == "newly ready"]
    regressed = [c for c in run.changes if c.run == run.run_id and c.kind == "regressed"]
    earlier = [c for c in run.changes if c.run != run.run_id]
    writer.text(root / "index.html", env.get_template("index.html.j2").render(
        rows=rows, newly=newly, regressed=regressed, earlier=earlier[:100], base="", **common))
    writer.text(root / "methodology.html",
                env.get_template("methodology.html.j2").render(base="", **common))


def _project_pages(run: ScanRun, root: Path, env: Any, targets: list[str],
                   platforms: dict[str, dict[str, Any]], common: dict[str, Any],
                   writer: _Writer) -> None:
    page = env.get_template("project.html.j2")
    scanned = {r.name for r in run.results}
    changes: dict[str, list[Change]] = {}
    for change in run.changes:
        changes.setdefault(change.project, []).append(change)
    for result in run.results:
        details = []
        for cell in result.cells:
            facts = platforms.get(f"{cell.target} {cell.python}", {})
            details.append({"cell": cell, "platform": facts,
                            "fixes": _fixes(cell, result.name, facts)})
        writer.text(root / "projects" / f"{result.name}.html", page.render(
            project=result, details=details, changes=changes.get(result.name, []),
            scanned=scanned, base="../", **common))
        badges = root / "badges" / result.name
        badges.mkdir()
        for target in targets:
            document = badge(target, [c for c in result.cells if c.target == target])
            writer.text(badges / f"{_slug(target)}.json", json.dumps(document) + "\n")


def platform_facts(targets: Sequence[Any]) -> dict[str, dict[str, Any]]:
    """What project pages show of each target x Python: its tag and a cibuildwheel hint."""
    return {
        f"{t.spelling} {t.python.short}": {
            "tag": t.platform.name,
            "hint": _cibuildwheel_hint(t),
        }
        for t in targets
    }
