"""Scan projects on one index client: every project through :func:`wheelscout.check.check`,
side by side, each page read once for all targets and all projects.

A project whose previous result is given is first *revalidated*: the pages of every project of
its previous trees are asked for again (the client sends ETag / Last-Modified, or nothing while
the server's max-age lasts), and when none changed its cells are reused without resolving.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from packaging.requirements import Requirement

from wheelscout.check import Reporter
from wheelscout.errors import WheelscoutError
from wheelscout.model.project import NormalizedName, ProjectPage
from wheelscout.model.target import Target
from wheelscout.scan.applicability import Curated, not_applicable
from wheelscout.scan.cells import (
    cell_from_result,
    error_cell,
    not_applicable_cell,
    not_found_cell,
    with_fallback,
)
from wheelscout.scan.model import Cell, ProjectResult, ProjectSpec

if TYPE_CHECKING:
    from wheelscout.index import BlockingIndexClient

__all__ = ["ScanOptions", "ScanReporter", "newest_version", "page_digest", "scan_projects"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanOptions:
    """How a scan resolves; ``key`` digests everything that changes cells besides the pages."""

    concurrency: int = 8  # projects in flight at once (the client bounds HTTP requests too)
    inspect_builds: bool = False  # download sdists that would build, to say what they need
    remedies: bool = True  # the wheels-only pass that finds the nearest complete version
    curated: Mapping[str, Curated] = field(default_factory=dict, hash=False)
    key: str = ""


class ScanReporter:
    """Progress hooks of a scan; each does nothing unless a subclass says otherwise."""

    def project_done(self, result: ProjectResult) -> None:
        """One project's cells are known (resolved, or reused from the previous run)."""

    def warning(self, message: str) -> None:
        """Something the user should see that does not stop the run (already redacted)."""


def newest_version(page: ProjectPage | None) -> str | None:
    """The newest final release on the page (what ``pip install NAME`` aims for)."""
    if page is None:
        return None
    from wheelscout.remedy._releases import releases

    found = releases(page, pre=False) or releases(page, pre=True)
    return str(found[0].version) if found else None


def page_digest(page: ProjectPage | None) -> str:
    """What of a page can change a resolution: its files, their hashes, Requires-Python and
    yanked state."""
    if page is None:
        return "absent"
    rows = sorted((f.filename, f.hashes.get("sha256", ""), f.requires_python or "",
                   f.yanked if f.yanked is not None else "-") for f in page.files)
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()


def _fingerprint(client: BlockingIndexClient, names: Sequence[str], key: str) -> str:
    client.prefetch_projects(names)
    digest = hashlib.sha256(key.encode())
    for name in sorted(names):
        digest.update(f"\0{name}\0{page_digest(client.project(name))}".encode())
    return digest.hexdigest()


def scan_projects(
    specs: Sequence[ProjectSpec],
    targets: Sequence[Target],
    client: BlockingIndexClient,
    options: ScanOptions,
    previous: Mapping[str, ProjectResult] | None = None,
    reporter: ScanReporter | None = None,
) -> Iterator[ProjectResult]:
    """Yield each project's result as soon as it is known (not in input order)."""
    reporter = reporter or ScanReporter()
    previous = previous or {}
    keys = [(t.spelling, t.python.short) for t in targets]
    with ThreadPoolExecutor(max_workers=max(1, options.concurrency),
                            thread_name_prefix="wheelscout-scan") as pool:
        futures: list[Future[ProjectResult]] = [
            pool.submit(_scan_one, spec, targets, keys, client, options, previous.get(spec.name),
                        reporter)
            for spec in specs
        ]
        for future in as_completed(futures):
            result = future.result()
            reporter.project_done(result)
            yield result


def _scan_one(
    spec: ProjectSpec,
    targets: Sequence[Target],
    keys: list[tuple[str, str]],
    client: BlockingIndexClient,
    options: ScanOptions,
    before: ProjectResult | None,
    reporter: ScanReporter,
) -> ProjectResult:
    try:
        if before is not None and [(c.target, c.python) for c in before.cells] == keys and \
                before.fingerprint and \
                _fingerprint(client, before.tree_projects, options.key) == before.fingerprint:
            return replace(before, reused=True)
        return _resolve(spec, targets, client, options, reporter)
    except WheelscoutError as exc:
        # The index failed for this project: say so in its cells and leave no fingerprint, so
        # the next run tries again.
        cells = tuple(error_cell(t, spec.name, str(exc)) for t in targets)
        return ProjectResult(name=spec.name, requirement=spec.requirement, version=None,
                             cells=cells, fingerprint="", tree_projects=())


class _ForwardWarnings(Reporter):
    """Passes ``check``'s warnings (files skipped as broken, ...) on, naming the project."""

    def __init__(self, project: str, reporter: ScanReporter) -> None:
        self._project, self._reporter = project, reporter

    def warning(self, message: str) -> None:
        self._reporter.warning(f"{self._project}: {message}")


def _resolve(spec: ProjectSpec, targets: Sequence[Target], client: BlockingIndexClient,
             options: ScanOptions, reporter: ScanReporter) -> ProjectResult:
    from wheelscout.check import CheckOptions, check
    from wheelscout.inputs import Origin, RequirementEntry, RequirementSet

    requirement = Requirement(spec.requirement)
    page = client.project(spec.name)
    skipped = {i: not_applicable(requirement, t, options.curated, page)
               for i, t in enumerate(targets)}
    todo = [t for i, t in enumerate(targets) if skipped[i] is None] if page is not None else []
    by_target: dict[int, Cell] = {}
    names: set[str] = {spec.name}
    if todo:
        inputs = RequirementSet(entries=(RequirementEntry(
            requirement=requirement, origin=Origin(source="scan", line=None)),))
        report = check(inputs, todo, CheckOptions(inspect_builds=options.inspect_builds,
                                                  remedies=options.remedies), client,
                       _ForwardWarnings(spec.name, reporter))
        done = iter(zip(report.results, report.plans, strict=True))
        for i, _target in enumerate(targets):
            if skipped[i] is None:
                result, plan = next(done)
                by_target[i] = cell_from_result(spec.name, result, plan)
                names.update(v.name for v in result.packages)
                if plan is not None:
                    names.update(name for name, _ in plan.pins)
    for i, target in enumerate(targets):
        why = skipped[i]
        if why is not None:
            by_target[i] = not_applicable_cell(target, why)
        elif page is None:
            by_target[i] = not_found_cell(target, spec.name)
    newest = newest_version(page)
    cells = tuple(with_fallback(by_target[i], newest) for i in range(len(targets)))
    tree = tuple(sorted(names))
    return ProjectResult(name=NormalizedName(spec.name), requirement=spec.requirement,
                         version=newest, cells=cells, tree_projects=tree,
                         fingerprint=_fingerprint(client, tree, options.key))
