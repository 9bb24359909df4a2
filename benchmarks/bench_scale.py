#!/usr/bin/env python3
"""Benchmark how wheelscout's time grows with the tree: 20 projects against 162 (issue 13, item 7).

Run: ``python benchmarks/bench_scale.py`` (``--repeat N``, ``--tools``, ``--no-compare``). Two
loopback mirrors of real PyPI pages and METADATA, newest release each (plus the older releases
the wheels-only resolution picks), CPython 3.12:

- ``matrix``: the tree of ``scikit-learn matplotlib scipy pandas`` (benchmarks/data/pypi-matrix,
  bench_matrix.py's workload);
- ``scale``: the tree of ``jupyterlab dask[complete]`` and 14 more common roots, 155-160 packages
  per target (benchmarks/data/pypi-scale, ``scripts/capture_pypi_fixtures.py --set scale``).

For each, cold (a fresh cache each run, after one untimed run), one target (win_arm64) and five
(bench_matrix's five), it times wheelscout (one run for all targets), uv (one run per target,
sharing one cache) and pip (one target only; it evaluates markers on the host). It prints the
median wall time, the distinct files read (project pages + wheels read for their metadata, from
the server's request log), the time per file read, peak RSS, and for each tool and scope how
the time grew from ``matrix`` to ``scale`` against how the files read grew (goal for wheelscout:
time growth / files growth <= 1). Then, untimed, it compares wheelscout's resolved versions with
uv's on every target of ``scale``, and with pip's on win_arm64.

Not a test: the machine is shared, so figures move; the load average is printed.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_matrix
from bench_check import WHEELSCOUT_TARGETS, CommandFactory
from bench_matrix import FIVE, ONE, PYTHON, ROOT, Run, measure
from tests.support.mirror import build_mirror
from tests.support.peers import PeerMode, PeerTarget, run_peer
from tests.support.server import MirrorServer

SCALE_FIXTURES = ROOT / "benchmarks" / "data" / "pypi-scale"
# The roots the capture walked from (scripts/capture_pypi_fixtures.py's SCALE_ROOTS).
SCALE_ROOTS: tuple[str, ...] = tuple(
    json.loads((SCALE_FIXTURES / "manifest.json").read_bytes())["roots"])


@dataclass(frozen=True, slots=True, kw_only=True)
class Workload:
    name: str
    requirements: tuple[str, ...]
    fixtures: Path


WORKLOADS = (
    Workload(name="matrix", requirements=bench_matrix.REQUIREMENTS, fixtures=bench_matrix.FIXTURES),
    Workload(name="scale", requirements=SCALE_ROOTS, fixtures=SCALE_FIXTURES),
)
SCOPES: dict[str, tuple[PeerTarget, ...]] = {"one target": ONE, "five targets": FIVE}
FACTORIES = {"wheelscout": bench_matrix.wheelscout_commands, "uv": bench_matrix.uv_commands,
             "pip": bench_matrix.pip_commands}
ONE_TARGET_ONLY = {"pip"}  # five pip runs of the big tree would take minutes and say little


@dataclass(frozen=True, slots=True, kw_only=True)
class Growth:
    """How one tool's time grew from the small tree to the big one, against the files read."""

    time: float
    files: float

    @property
    def ratio(self) -> float:
        """<= 1: time grew no faster than the number of distinct files read."""
        return self.time / self.files


def growth(small: Run, big: Run) -> Growth:
    return Growth(time=big.seconds / small.seconds, files=big.reads / small.reads)


def versions_by_target(report: Mapping[str, Any]) -> dict[str, dict[str, str] | None]:
    """wheelscout's JSON report -> {target: {name: version}}, None for an unresolved target."""
    return {result["target"]: ({p["name"]: p["version"] for p in result["packages"]}
                               if result["status"] == "ok" else None)
            for result in report["results"]}


def differences(ours: Mapping[str, str] | None,
                theirs: Mapping[str, str] | None) -> dict[str, tuple[str | None, str | None]]:
    """{name: (our version, their version)} where they differ; {"*": ...} if one side failed."""
    if ours is None or theirs is None:
        if ours is None and theirs is None:
            return {}
        return {"*": ("resolved" if ours else None, "resolved" if theirs else None)}
    return {name: (ours.get(name), theirs.get(name)) for name in sorted({*ours, *theirs})
            if ours.get(name) != theirs.get(name)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per measurement")
    parser.add_argument("--tools", default="wheelscout,uv,pip")
    parser.add_argument("--no-compare", action="store_true",
                        help="skip comparing the resolved versions with uv's and pip's")
    args = parser.parse_args(argv)
    tools = [t for t in args.tools.split(",") if t in FACTORIES]
    print(f"CPython {PYTHON}, cold caches, median of {args.repeat}, {os.cpu_count()} CPUs, "
          f"load average {_load()} (shared machine: figures move)\n")
    print(f"{'set':<7} {'tool':<11} {'scope':<13} {'median':>8} {'reads':>6} {'pages':>6} "
          f"{'wheels':>6} {'ms/read':>8} {'peak RSS':>9}")
    results: dict[tuple[str, str, str], Run] = {}
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        for workload in WORKLOADS:
            mirror = build_mirror(Path(tmp) / workload.name, fixtures=workload.fixtures)
            with MirrorServer(mirror.root) as server:
                for scope, targets in SCOPES.items():
                    for tool in tools:
                        if tool in ONE_TARGET_ONLY and len(targets) > 1:
                            continue
                        factory: CommandFactory = functools.partial(
                            FACTORIES[tool], requirements=workload.requirements)
                        run = measure(server, factory, targets, args.repeat)
                        results[workload.name, tool, scope] = run
                        ok = ok and run.ok
                        _print_run(workload.name, tool, scope, run)
                if workload.name == "scale" and not args.no_compare:
                    ok = compare(server.index_url, workload, Path(tmp) / "compare") and ok
    print_growth(results)
    print(f"\nload average at the end: {_load()}")
    return 0 if ok else 1


def _print_run(workload: str, tool: str, scope: str, run: Run) -> None:
    flag = "" if run.ok else "  (FAILED: exited non-zero)"
    print(f"{workload:<7} {tool:<11} {scope:<13} {run.seconds:7.3f}s {run.reads:6d} "
          f"{run.pages:6d} {run.files:6d} {run.seconds / run.reads * 1000:7.1f}  "
          f"{run.peak_mb:6.0f}MB{flag}", flush=True)


def print_growth(results: dict[tuple[str, str, str], Run]) -> None:
    print("\ngrowth from matrix to scale (time growth / files growth <= 1: time grows no faster "
          "than the distinct files read)")
    for (workload, tool, scope), big in results.items():
        small = results.get(("matrix", tool, scope))
        if workload == "scale" and small is not None:
            g = growth(small, big)
            print(f"  {tool:<11} {scope:<13} time x{g.time:.2f}, files read x{g.files:.2f}: "
                  f"ratio {g.ratio:.2f}")


def compare(index_url: str, workload: Workload, work: Path) -> bool:
    """Untimed: wheelscout's versions against uv's (every target) and pip's (win_arm64)."""
    print(f"\nresolved versions on {workload.name}: wheelscout against the peers")
    ours = versions_by_target(_wheelscout_report(index_url, workload, work / "wheelscout"))
    same = True
    for target in FIVE:
        modes: list[PeerMode] = ["uv-no-build", *(["pip-only-binary"] if target in ONE else [])]
        for mode in modes:
            answer = run_peer(mode, workload.requirements, target, index_url, work / mode,
                              python=PYTHON, cache_dir=work / "cache" / mode)
            theirs = ({p.name: p.version for p in answer.packages}
                      if answer.status == "ok" else None)
            ws = ours.get(WHEELSCOUT_TARGETS[target.name])
            diff = differences(ws, theirs)
            count = len(ws) if ws is not None else "unresolved"
            print(f"  {target.name:<24} {mode:<16} wheelscout {count} packages: "
                  f"{diff or 'same'}")
            # pip evaluates markers on this (Linux) host, so it differs by design elsewhere.
            same = same and (not diff or mode == "pip-only-binary")
    return same


def _wheelscout_report(index_url: str, workload: Workload, work: Path) -> dict[str, Any]:
    work.mkdir(parents=True, exist_ok=True)
    [(argv, env)] = bench_matrix.wheelscout_commands(index_url, FIVE, work, work,
                                                     requirements=workload.requirements)
    done = subprocess.run(argv, capture_output=True, env=env, cwd=work, check=True)
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    raise SystemExit(main())
