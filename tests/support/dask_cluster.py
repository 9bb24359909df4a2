"""A real Dask cluster on 127.0.0.1 for scan's tests and benchmark: ``dask scheduler`` and
``dask worker`` processes started from the command line, bounded by timeouts, always stopped.

Each worker gets its own home (so its own wheelscout cache) and no pip/uv configuration.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DASK", "START_TIMEOUT", "Cluster", "start_cluster"]

ROOT = Path(__file__).resolve().parent.parent.parent
DASK = shutil.which("dask", path=str(Path(sys.executable).parent)) or shutil.which("dask")
START_TIMEOUT = 60.0


@dataclass
class Cluster:
    address: str
    workers: dict[str, subprocess.Popen[bytes]]
    log: Path


def _environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_"))}
    env.update({
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "PIP_CONFIG_FILE": os.devnull,
        "HOME": str(home), "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_DATA_HOME": str(home / "data"),
    })
    return env


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_for(path: Path, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    if not path.exists():
        raise RuntimeError(f"dask scheduler did not start:\n{log.read_text()[-2000:]}")


@contextmanager
def start_cluster(base: Path, workers: int = 2, threads: int = 2) -> Iterator[Cluster]:
    """``dask scheduler`` plus ``workers`` single-process ``dask worker`` (named w1, w2, ...)."""
    import distributed

    if DASK is None:
        raise RuntimeError("the dask command is not installed")
    scheduler_file = base / "scheduler.json"
    base.mkdir(parents=True, exist_ok=True)
    log_path = base / "cluster.log"
    processes: list[subprocess.Popen[bytes]] = []
    running: dict[str, subprocess.Popen[bytes]] = {}
    with log_path.open("wb") as log:
        try:
            processes.append(subprocess.Popen(
                [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                 "--scheduler-file", str(scheduler_file), "--idle-timeout", "600"],
                env=_environment(base / "scheduler"), stdout=log, stderr=log))
            _wait_for(scheduler_file, log_path)
            address = json.loads(scheduler_file.read_text())["address"]
            for number in range(1, workers + 1):
                name = f"w{number}"
                running[name] = subprocess.Popen(
                    [DASK, "worker", address, "--name", name, "--nthreads", str(threads),
                     "--no-nanny", "--no-dashboard", "--host", "127.0.0.1",
                     "--local-directory", str(base / name)],
                    env=_environment(base / name), stdout=log, stderr=log)
                processes.append(running[name])
            with distributed.Client(  # type: ignore[no-untyped-call]  # distributed is untyped
                    address, timeout=START_TIMEOUT) as client:
                client.wait_for_workers(workers, timeout=START_TIMEOUT)
            yield Cluster(address=address, workers=running, log=log_path)
        finally:
            for process in reversed(processes):
                _stop(process)
