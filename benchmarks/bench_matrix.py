#!/usr/bin/env python3
"""Benchmark `wheelscout check --only-binary` for a target matrix against uv and pip (issue 13).

Run: ``python benchmarks/bench_matrix.py`` (``--repeat N`` optional; ``--latency-ms 50`` makes
the server answer every request 50 ms late, a stand-in for a real index's round trip). It builds a
loopback mirror of the tree of ``scikit-learn matplotlib scipy pandas``
(``benchmarks/data/pypi-matrix``, captured with ``scripts/capture_pypi_fixtures.py --set matrix``),
serves it on 127.0.0.1 and times, for
CPython 3.12, every run cold (a fresh cache directory):

- one target (win_arm64), wheels only: wheelscout, ``uv pip compile --no-build`` and
  ``pip install --dry-run --only-binary=:all: --report``;
- five targets: one wheelscout run against five uv runs sharing one cache (and five pip runs);
- wheelscout's start-up: from spawning the process to the server answering its first request;
- peak memory (maximum resident set) of each tool's process.

Each measurement starts with one untimed run (operating-system file cache, Python bytecode).
The newest scikit-learn has no musllinux wheel, so on five targets every tool reports that
target unresolvable (uv and pip exit non-zero: shown as FAILED, and timed all the same).

It prints medians and the ratios the issue sets as goals. Not a test: the machine it runs on is
shared, so figures move; take the median of several repetitions.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.tags import mac_platforms

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_check import WHEELSCOUT_TARGETS, Command, CommandFactory  # noqa: E402
from tests.support.mirror import build_mirror  # noqa: E402
from tests.support.peers import (  # noqa: E402
    TARGETS,
    PeerTarget,
    peer_env,
    pip_command,
    uv_command,
)
from tests.support.server import LoggedRequest, MirrorServer  # noqa: E402

FIXTURES = ROOT / "benchmarks" / "data" / "pypi-matrix"
REQUIREMENTS = ("scikit-learn", "matplotlib", "scipy", "pandas")
PYTHON = "3.12"
MUSL = PeerTarget(
    name="musllinux_1_2_x86_64", uv_platform="x86_64-unknown-linux-musl",
    pip_platforms=(*(f"musllinux_1_{m}_x86_64" for m in (2, 1, 0)), "linux_x86_64"))
MAC = PeerTarget(name="macosx_14_0_arm64", uv_platform="aarch64-apple-darwin",
                 pip_platforms=tuple(mac_platforms((14, 0), "arm64")),
                 env={"MACOSX_DEPLOYMENT_TARGET": "14.0"})
ONE = (TARGETS["win_arm64"],)
FIVE = (TARGETS["win_arm64"], TARGETS["win_amd64"], TARGETS["manylinux_2_28_aarch64"], MAC, MUSL)
WHEELSCOUT_TARGETS.update({MUSL.name: "musllinux_1_2_x86_64", MAC.name: "macosx_14_0_arm64"})


def uv_commands(index_url: str, targets: Sequence[PeerTarget], cache: Path, work: Path,
                requirements: Sequence[str] = REQUIREMENTS) -> list[Command]:
    source = work / "requirements.in"
    source.write_text("".join(f"{r}\n" for r in requirements), encoding="utf-8")
    return [(uv_command(source, t, index_url, work / "pylock.toml", python=PYTHON,
                        cache_dir=cache / "uv", no_build=True), peer_env(t)) for t in targets]


def pip_commands(index_url: str, targets: Sequence[PeerTarget], cache: Path, work: Path,
                 requirements: Sequence[str] = REQUIREMENTS) -> list[Command]:
    return [(pip_command(tuple(requirements), t, index_url, python=PYTHON,
                         cache_dir=cache / "pip"),
             peer_env(t)) for t in targets]


def wheelscout_commands(index_url: str, targets: Sequence[PeerTarget], cache: Path, work: Path,
                        requirements: Sequence[str] = REQUIREMENTS) -> list[Command]:
    """One run for every target, wheels only (the peers' --no-build / --only-binary=:all:)."""
    flags = [a for t in targets for a in ("--target", WHEELSCOUT_TARGETS[t.name])]
    argv = [sys.executable, "-m", "wheelscout", "check", *requirements, *flags,
            "--python", PYTHON, "--index-url", index_url, "--only-binary", ":all:",
            "--cache-dir", str(cache / "wheelscout"), "--format", "json", "--fail-on", "never"]
    # This checkout's code, whatever the venv points at and whichever directory the run is in,
    # with its bytecode cached as an installed package has it (this machine sets
    # PYTHONDONTWRITEBYTECODE: every start would compile the sources again).
    env = {k: v for k, v in peer_env(targets[0]).items() if k != "PYTHONDONTWRITEBYTECODE"}
    return [(argv, {**env, "PYTHONPATH": str(ROOT / "src")})]


@dataclass(frozen=True, slots=True, kw_only=True)
class Run:
    seconds: float
    startup: float  # spawn of the first process -> first request answered
    peak_mb: float  # largest maximum resident set among the processes
    requests: int
    pages: int = 0  # distinct project pages read
    files: int = 0  # distinct wheels (or their PEP 658 files) read for metadata
    ok: bool

    @property
    def reads(self) -> int:
        """Distinct files read: the measure of work that time should grow with."""
        return self.pages + self.files


def distinct_reads(log: Iterable[LoggedRequest]) -> tuple[int, int]:
    """(project pages, distribution files) answered with content, each counted once.

    A wheel read by several range requests, or by its PEP 658 ``.metadata`` file and then a
    range request, is one file; the root listing and 304s or errors are not reads.
    """
    paths = {r.path.split("?", 1)[0].rstrip("/").removesuffix(".metadata")
             for r in log if r.method == "GET" and r.status in (200, 206)}
    return (sum(p.startswith("/simple/") for p in paths),
            sum(p.startswith("/files/") for p in paths))


def run_once(server: MirrorServer, factory: CommandFactory, targets: Sequence[PeerTarget],
             base: Path) -> Run:
    cache, work = base / "cache", base / "work"
    work.mkdir(parents=True, exist_ok=True)
    commands = factory(server.index_url, targets, cache, work)
    server.reset_log()
    ok, peak = True, 0
    started = time.perf_counter()
    for argv, env in commands:
        child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                 cwd=work, env={"XDG_CACHE_HOME": str(cache), **env})
        assert child.stderr is not None
        errors = child.stderr.read()
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        peak = max(peak, usage.ru_maxrss)  # KiB on Linux
        if child.returncode != 0:
            ok = False
            print(f"    exit {child.returncode}: {errors.decode(errors='replace')[-300:]}",
                  file=sys.stderr)
    seconds = time.perf_counter() - started
    log = server.log
    startup = (min(r.at for r in log) - started) if log else float("nan")
    pages, files = distinct_reads(log)
    return Run(seconds=seconds, startup=startup, peak_mb=peak / 1024, requests=len(log),
               pages=pages, files=files, ok=ok)


def measure(server: MirrorServer, factory: CommandFactory, targets: Sequence[PeerTarget],
            repeat: int) -> Run:
    runs = []
    with tempfile.TemporaryDirectory(prefix="bench-matrix-") as tmp:  # untimed: page cache, .pyc
        run_once(server, factory, targets, Path(tmp))
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="bench-matrix-") as tmp:
            runs.append(run_once(server, factory, targets, Path(tmp)))
    return Run(seconds=statistics.median(r.seconds for r in runs),
               startup=statistics.median(r.startup for r in runs),
               peak_mb=max(r.peak_mb for r in runs), requests=runs[-1].requests,
               pages=runs[-1].pages, files=runs[-1].files, ok=all(r.ok for r in runs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measurement")
    parser.add_argument("--tools", default="wheelscout,uv,pip")
    parser.add_argument("--latency-ms", type=float, default=0.0,
                        help="delay the server adds to every answer, a stand-in for the round "
                        "trip to a real index (PyPI is 20-100 ms away); default 0: loopback")
    args = parser.parse_args(argv)
    factories: dict[str, CommandFactory] = {
        "wheelscout": wheelscout_commands, "uv": uv_commands, "pip": pip_commands}
    tools = [t for t in args.tools.split(",") if t in factories]
    results: dict[tuple[str, str], Run] = {}
    with tempfile.TemporaryDirectory(prefix="bench-mirror-") as tmp:
        mirror = build_mirror(Path(tmp) / "mirror", fixtures=FIXTURES)
        with MirrorServer(mirror.root, latency_seconds=args.latency_ms / 1000) as server:
            print(f"{' '.join(REQUIREMENTS)} for CPython {PYTHON}, "
                  f"{args.latency_ms:g} ms added to every answer, "
                  f"{len(mirror.projects)} projects, {len(mirror.files)} files, "
                  f"index {server.index_url}, cold caches, median of {args.repeat}, "
                  f"{os.cpu_count()} CPUs (shared machine: figures move)\n")
            print(f"{'tool':<11} {'scope':<12} {'median':>8} {'start-up':>9} {'peak RSS':>9} "
                  f"{'requests':>8}")
            for scope, targets in (("one target", ONE), ("five targets", FIVE)):
                for tool in tools:
                    run = measure(server, factories[tool], targets, args.repeat)
                    results[tool, scope] = run
                    flag = "" if run.ok else "  (FAILED: exited non-zero)"
                    print(f"{tool:<11} {scope:<12} {run.seconds:7.3f}s {run.startup * 1000:7.0f}ms "
                          f"{run.peak_mb:7.0f}MB {run.requests:8d}{flag}")
    print_ratios(results)
    return 0 if all(r.ok for r in results.values()) else 1


def print_ratios(results: dict[tuple[str, str], Run]) -> None:
    print("\nratios (peer time / wheelscout time; >1 means wheelscout is faster)")
    for scope in ("one target", "five targets"):
        ours = results.get(("wheelscout", scope))
        for peer in ("uv", "pip"):
            theirs = results.get((peer, scope))
            if ours is not None and theirs is not None:
                print(f"  {scope}: {peer}/wheelscout = {theirs.seconds / ours.seconds:.2f}")
    print("goals: one target: uv/wheelscout >= 0.67 (within 1.5x), pip/wheelscout >= 5; "
          "five targets: uv/wheelscout > 1; wheelscout start-up < 100 ms, peak < 100 MB")


if __name__ == "__main__":
    raise SystemExit(main())
