"""``wheelscout scan --scheduler``: a real ``dask scheduler`` and ``dask worker`` processes on
127.0.0.1, started by the test, give the same cells as a local run; a killed worker's shard is
rerun on the other worker."""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.dask_cluster import DASK, START_TIMEOUT, Cluster, start_cluster
from tests.support.mirror import Mirror
from tests.support.server import MirrorServer, ServerConfig, TestServer
from wheelscout.cli.main import _main
from wheelscout.index.settings import IndexSettings
from wheelscout.scan import ScanOptions
from wheelscout.scan.matrix import matrix
from wheelscout.scan.projects import parse_projects
from wheelscout.scan.runner import ScanRequest, run_scan

distributed = pytest.importorskip("distributed")

PROJECTS = "pyopenssl\ncryptography\nrequests\npyyaml\ncharset-normalizer\nsix\nnumpy\n"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if DASK is None:
        pytest.skip("the dask command is not installed")
    with start_cluster(tmp_path_factory.mktemp("dask"), workers=2) as running:
        yield running


def _request(server: TestServer | MirrorServer, tmp_path: Path, **changes: Any) -> ScanRequest:
    return ScanRequest(
        projects=tuple(parse_projects(PROJECTS, "<test>")),
        targets=tuple(matrix(["win-arm64", "linux-aarch64"], ["3.12", "3.13"])),
        settings=IndexSettings(index_url=server.index_url, cache_dir=tmp_path / "cache"),
        options=ScanOptions(), **changes)


def _cells(run: Any) -> dict[str, list[dict[str, Any]]]:
    return {r.name: [c.to_json() for c in r.cells] for r in run.results}


def test_same_cells_locally_and_on_the_cluster(
        cluster: Cluster, mirror_server: MirrorServer, tmp_path: Path) -> None:
    local = run_scan(_request(mirror_server, tmp_path))
    remote = run_scan(_request(mirror_server, tmp_path, scheduler=cluster.address, shards=4))
    assert remote.scheduler == cluster.address
    assert [r.name for r in remote.results] == [r.name for r in local.results]
    assert _cells(remote) == _cells(local)
    assert any(c["tree"] == "build" for cells in _cells(remote).values() for c in cells)


def test_cli_on_the_cluster_writes_the_history(
        cluster: Cluster, mirror_server: MirrorServer, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    listing = tmp_path / "projects.txt"
    listing.write_text(PROJECTS)
    argv = ["scan", "--projects", str(listing), "-t", "win-arm64", "-p", "3.12",
            "--index-url", mirror_server.index_url, "--db", str(tmp_path / "h.sqlite3"),
            "--scheduler", cluster.address, "--format", "json"]
    assert _main(argv) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["run"]["scheduler"] == cluster.address
    assert len(first["projects"]) == 7
    # the rescan revalidates on the workers: nothing changed, every project is reused
    assert _main(argv) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["run"]["reused"] == 7
    assert second["projects"] == [{**p, "reused": True} for p in first["projects"]]


def test_a_killed_workers_shard_is_rerun(cluster: Cluster, mirror: Mirror,
                                         tmp_path: Path) -> None:
    # Slow pages keep shards running long enough to kill a worker in the middle of one.
    config = ServerConfig(faults={"/simple/": "slow"}, slow_seconds=0.4)
    with TestServer(mirror.root, config) as server:
        outcome: dict[str, Any] = {}
        thread = threading.Thread(target=lambda: outcome.update(run=run_scan(
            _request(server, tmp_path, scheduler=cluster.address, shards=8))))
        thread.start()
        with distributed.Client(cluster.address, timeout=START_TIMEOUT) as client:
            deadline = time.monotonic() + START_TIMEOUT
            busy: list[str] = []
            while not busy and time.monotonic() < deadline:
                busy = [w for w, tasks in client.processing().items()
                        if tasks and client.scheduler_info()["workers"][w]["name"] == "w1"]
                time.sleep(0.05)
            assert busy, "w1 never got a shard"
            cluster.workers["w1"].send_signal(signal.SIGKILL)
            cluster.workers["w1"].wait(timeout=10)
        thread.join(timeout=120)
        assert not thread.is_alive()
    run = outcome["run"]
    assert [r.name for r in run.results] == [s.name for s in parse_projects(PROJECTS, "x")]
    assert all(c.code.value != "error" for r in run.results for c in r.cells)
