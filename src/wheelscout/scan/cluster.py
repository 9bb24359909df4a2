"""Run a scan on a Dask distributed cluster (the ``dask`` extra).

Projects are hashed into stable shards (:mod:`.shards`) and each shard is one task: a worker
opens its own index client (with its own cache, the worker's default one), scans the shard's
projects with :func:`~wheelscout.scan.engine.scan_projects`, and returns their results as JSON.
The client streams results back as shards finish and writes the history. Dask reruns a shard
whose worker died (``retries`` covers a task that raised).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from wheelscout.errors import InputError
from wheelscout.index.settings import IndexSettings
from wheelscout.scan.engine import ScanOptions
from wheelscout.scan.model import ProjectResult, ProjectSpec
from wheelscout.scan.shards import shards
from wheelscout.targets import Overrides

__all__ = ["scan_on_cluster", "scan_shard"]

_RETRIES = 2


def scan_shard(
    specs: Sequence[ProjectSpec],
    pairs: Sequence[tuple[str, str]],
    overrides: Overrides,
    settings: IndexSettings,
    options: ScanOptions,
    previous: Sequence[dict[str, Any]],
) -> list[dict[str, Any]]:
    """The task a worker runs: one shard, on the worker's own client and cache."""
    from wheelscout.index import BlockingIndexClient
    from wheelscout.scan.engine import scan_projects
    from wheelscout.targets import make_target

    targets = [make_target(spelling, python, overrides) for spelling, python in pairs]
    before = {p["name"]: ProjectResult.from_json(p) for p in previous}
    with BlockingIndexClient(settings) as client:
        results = list(scan_projects(specs, targets, client, options, before))
    return [r.to_json() for r in results]


def scan_on_cluster(
    address: str,
    specs: Sequence[ProjectSpec],
    pairs: Sequence[tuple[str, str]],
    overrides: Overrides,
    settings: IndexSettings,
    options: ScanOptions,
    previous: Mapping[str, ProjectResult],
    shard_count: int,
    *,
    timeout: float = 30.0,
) -> Iterator[ProjectResult]:
    """Yield results shard by shard, as workers finish them."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise InputError("--scheduler needs Dask: pip install 'wheelscout[dask]'") from None
    # Each worker uses its own cache: the client's path means nothing on another machine.
    remote = dataclasses.replace(settings, cache_dir=None)
    try:
        client = Client(address, timeout=timeout,  # type: ignore[no-untyped-call]
                        set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {address!r}: {exc}") from None
    with client, client.as_current():
        futures = [
            client.submit(
                scan_shard, members, list(pairs), overrides, remote, options,
                [previous[s.name].to_json() for s in members if s.name in previous],
                key=f"wheelscout-scan-shard-{index}-{_digest(members)}", pure=False,
                retries=_RETRIES,
            )
            for index, members in shards(specs, shard_count).items()
        ]
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            for data in future.result():
                yield ProjectResult.from_json(data)


def _digest(members: Sequence[ProjectSpec]) -> str:
    import hashlib
    import os

    # Unique per submission (a resubmitted shard must not reuse a finished key), stable inside it.
    names = "\n".join(s.requirement for s in members).encode()
    return hashlib.sha256(names + os.urandom(8)).hexdigest()[:12]
