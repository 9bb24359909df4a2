"""One scan run end to end, as a library call: the matrix, local or on a cluster, with history.

The CLI only maps flags to :class:`ScanRequest`; progress goes to a
:class:`~wheelscout.scan.engine.ScanReporter`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from wheelscout.index.settings import IndexSettings
from wheelscout.model.target import Target
from wheelscout.scan.engine import ScanOptions, ScanReporter
from wheelscout.scan.history import Change, History, SharePoint
from wheelscout.scan.matrix import columns
from wheelscout.scan.model import ProjectResult, ProjectSpec, TargetColumn
from wheelscout.targets import Overrides

__all__ = ["ScanRequest", "ScanRun", "run_scan"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanRequest:
    """Everything one scan is asked to do."""

    projects: tuple[ProjectSpec, ...]
    targets: tuple[Target, ...]
    overrides: Overrides = field(default_factory=Overrides)
    settings: IndexSettings = field(default_factory=IndexSettings)
    options: ScanOptions = field(default_factory=ScanOptions)
    db: Path | None = None  # None: no history
    scheduler: str | None = None  # a Dask scheduler address: run there
    shards: int = 64


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanRun:
    """What a scan found, in input order, with the history around it."""

    started: datetime
    finished: datetime
    targets: tuple[TargetColumn, ...]
    results: tuple[ProjectResult, ...]
    run_id: int | None = None
    previous_started: str | None = None
    requests: int | None = None  # HTTP requests (local runs only)
    shares: tuple[SharePoint, ...] = ()
    changes: tuple[Change, ...] = ()
    scheduler: str | None = None

    @property
    def reused(self) -> int:
        return sum(r.reused for r in self.results)


def _config(request: ScanRequest) -> str:
    """What makes two runs comparable cell for cell (and a half-done run resumable)."""
    from wheelscout import __version__

    curated = sorted((c.project, sorted(o.value for o in c.only or ()),
                      sorted(o.value for o in c.excluded), c.reason)
                     for c in request.options.curated.values())
    document = {
        "wheelscout": __version__,
        "targets": [t.label for t in request.targets],
        "index": list(request.settings.index_urls), "find_links": list(
            request.settings.find_links),
        "inspect_builds": request.options.inspect_builds,
        "remedies": request.options.remedies,
        "curated": curated,
    }
    return json.dumps(document, sort_keys=True)


def run_scan(request: ScanRequest, reporter: ScanReporter | None = None,
             now: datetime | None = None) -> ScanRun:
    """Scan ``request.projects`` on every target, record the run, and return it."""
    started = now or datetime.now(timezone.utc)
    config = _config(request)
    options = replace(request.options, key=hashlib.sha256(config.encode()).hexdigest())
    request = replace(request, options=options)
    reporter = reporter or ScanReporter()
    if request.db is None:
        return _run(request, config, started, None, reporter)
    with History(request.db) as history:
        return _run(request, config, started, history, reporter)


def _run(request: ScanRequest, config: str, started: datetime, history: History | None,
         reporter: ScanReporter) -> ScanRun:
    run_id, done = (None, {}) if history is None else history.open_run(config, started)
    previous: dict[str, ProjectResult] = {}
    before = None
    if history is not None and run_id is not None:
        before = history.previous(run_id)
        previous = history.results(before.id) if before else {}
    todo = tuple(s for s in request.projects if s.name not in done)
    found = dict(done)
    requests = None
    for result, count in _results(request, todo, previous, reporter):
        found[result.name] = result
        requests = count
        if history is not None and run_id is not None:
            history.record(run_id, result)
    ordered = tuple(found[s.name] for s in request.projects)
    finished = datetime.now(timezone.utc)
    if history is None or run_id is None:
        return ScanRun(started=started, finished=finished, targets=columns(request.targets),
                       results=ordered, requests=requests, scheduler=request.scheduler)
    history.finish(run_id, finished, ordered)
    return ScanRun(started=started, finished=finished, targets=columns(request.targets),
                   results=ordered, run_id=run_id,
                   previous_started=before.started if before else None, requests=requests,
                   shares=tuple(history.shares()), changes=tuple(history.changes()),
                   scheduler=request.scheduler)


def _results(request: ScanRequest, todo: Sequence[ProjectSpec],
             previous: Mapping[str, ProjectResult],
             reporter: ScanReporter) -> Iterator[tuple[ProjectResult, int | None]]:
    if not todo:
        return
    if request.scheduler is not None:
        from wheelscout.scan.cluster import scan_on_cluster

        pairs = [(t.spelling, t.python.short) for t in request.targets]
        for result in scan_on_cluster(request.scheduler, todo, pairs, request.overrides,
                                      request.settings, request.options, previous,
                                      request.shards):
            reporter.project_done(result)
            yield result, None
        return
    from wheelscout.index import BlockingIndexClient
    from wheelscout.scan.engine import scan_projects

    with BlockingIndexClient(request.settings) as client:
        for warning in client.warnings:
            reporter.warning(warning)
        for result in scan_projects(todo, request.targets, client, request.options, previous,
                                    reporter):
            yield result, client.stats().requests
