#!/usr/bin/env python3
"""Benchmark `wheelscout check` against uv and pip on the same loopback fixture index.

Run: ``python benchmarks/bench_check.py`` (no arguments; ``--repeat N`` and ``--requirement``
are optional). It builds the mirror of ``tests/data/pypi`` (``tests/support/mirror.py``), serves
it on 127.0.0.1 (``tests/support/server.py``) and times, for CPython 3.12:

- one target (win_arm64): ``uv pip compile --no-build`` and
  ``pip install --dry-run --only-binary=:all: --report``, each cold (fresh cache directory) and
  warm (cache primed by one untimed run);
- six targets: the same tools run once per target, back to back, cold (one fresh cache shared by
  the six runs, as a user running them in a row would have) and warm.

For every measurement it prints the median wall time and the server's request log totals
(requests, bytes) of the last repetition. wheelscout is timed too once the hook below returns its
command; the ratios the issue sets as goals are printed then.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.tags import mac_platforms

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.mirror import build_mirror  # noqa: E402
from tests.support.peers import (  # noqa: E402
    TARGETS,
    PeerTarget,
    peer_env,
    pip_command,
    uv_command,
)
from tests.support.server import MirrorServer, RequestStats  # noqa: E402

PYTHON = "3.12"
ONE_TARGET = TARGETS["win_arm64"]
SIX_TARGETS: tuple[PeerTarget, ...] = (
    *TARGETS.values(),
    PeerTarget(name="manylinux_2_28_x86_64", uv_platform="x86_64-manylinux_2_28",
               pip_platforms=(*(f"manylinux_2_{m}_x86_64" for m in range(28, 16, -1)),
                              "manylinux2014_x86_64", "linux_x86_64")),
    PeerTarget(name="macos_x86_64", uv_platform="x86_64-apple-darwin",
               pip_platforms=tuple(mac_platforms((14, 0), "x86_64")),
               env={"MACOSX_DEPLOYMENT_TARGET": "14.0"}),
)
# wheelscout's spelling of the targets above, for the hook: the macOS floor (14.0) and the glibc
# floor (2.28) must match what the peers are given.
WHEELSCOUT_TARGETS = {"win_arm64": "win-arm64", "win_amd64": "win-amd64",
                      "manylinux_2_28_aarch64": "manylinux_2_28_aarch64",
                      "macos_arm64": "macosx_14_0_arm64",
                      "manylinux_2_28_x86_64": "manylinux_2_28_x86_64",
                      "macos_x86_64": "macosx_14_0_x86_64"}

Command = tuple[list[str], dict[str, str]]
# Builds the commands of one measurement: (index_url, targets, cache_dir, workdir) -> commands.
CommandFactory = Callable[[str, Sequence[PeerTarget], Path, Path], list[Command]]


@dataclass(frozen=True, slots=True, kw_only=True)
class Measurement:
    tool: str
    scope: str
    cache: str
    seconds: float
    stats: RequestStats
    ok: bool


def uv_commands(requirement: str) -> CommandFactory:
    def build(index_url: str, targets: Sequence[PeerTarget], cache: Path,
              work: Path) -> list[Command]:
        work.mkdir(parents=True, exist_ok=True)
        source = work / "requirements.in"
        source.write_text(f"{requirement}\n", encoding="utf-8")
        return [(uv_command(source, t, index_url, work / "pylock.toml", python=PYTHON,
                            cache_dir=cache, no_build=True), peer_env(t)) for t in targets]
    return build


def pip_commands(requirement: str) -> CommandFactory:
    def build(index_url: str, targets: Sequence[PeerTarget], cache: Path,
              work: Path) -> list[Command]:
        return [(pip_command((requirement,), t, index_url, python=PYTHON, cache_dir=cache),
                 peer_env(t)) for t in targets]
    return build


def wheelscout_commands(requirement: str) -> CommandFactory | None:
    """One wheelscout run covers every target: that is the point of the six-target comparison.

    ``--only-binary`` matches the peers' mode (uv --no-build, pip --only-binary=:all:).
    """

    def build(index_url: str, targets: Sequence[PeerTarget], cache: Path,
              work: Path) -> list[Command]:
        flags = [a for t in targets for a in ("--target", WHEELSCOUT_TARGETS[t.name])]
        argv = [sys.executable, "-m", "wheelscout", "check", requirement, *flags,
                "--python", PYTHON, "--index-url", index_url, "--only-binary", ":all:",
                "--cache-dir", str(cache / "wheelscout"), "--format", "json",
                "--fail-on", "never"]
        # This checkout's code: the venv may point at another one, and the run's cwd differs.
        return [(argv, {**peer_env(targets[0]), "PYTHONPATH": str(ROOT / "src")})]

    return build


def measure(server: MirrorServer, factory: CommandFactory, *, tool: str, scope: str,
            targets: Sequence[PeerTarget], warm: bool, repeat: int) -> Measurement:
    times: list[float] = []
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        base = Path(tmp)
        work = base / "work"
        if warm:
            _run(factory(server.index_url, targets, base / "cache", work), base / "cache", work)
        for attempt in range(repeat):
            cache = base / "cache" if warm else base / f"cold-{attempt}"
            commands = factory(server.index_url, targets, cache, work)
            server.reset_log()
            started = time.perf_counter()
            ok = _run(commands, cache, work) and ok
            times.append(time.perf_counter() - started)
        return Measurement(tool=tool, scope=scope, cache="warm" if warm else "cold",
                           seconds=statistics.median(times), stats=server.stats(), ok=ok)


def _run(commands: list[Command], cache: Path, work: Path) -> bool:
    work.mkdir(parents=True, exist_ok=True)
    ok = True
    for argv, env in commands:
        done = subprocess.run(argv, capture_output=True, cwd=work, check=False,
                              env={"XDG_CACHE_HOME": str(cache), **env})
        ok = ok and done.returncode == 0
    return ok


def print_row(m: Measurement) -> None:
    flag = "" if m.ok else "  (FAILED: the tool exited non-zero)"
    print(f"{m.tool:<11} {m.scope:<12} {m.cache:<5} {m.seconds:8.3f} s  "
          f"{m.stats.requests:5d} requests {m.stats.bytes_sent:10d} bytes{flag}")


def print_ratios(results: list[Measurement]) -> None:
    def find(tool: str, scope: str, cache: str) -> Measurement | None:
        return next((m for m in results
                     if (m.tool, m.scope, m.cache) == (tool, scope, cache)), None)

    print("\nratios (peer time / wheelscout time; >1 means wheelscout is faster)")
    for scope in ("one target", "six targets"):
        for cache in ("cold", "warm"):
            ours = find("wheelscout", scope, cache)
            if ours is None:
                print(f"  {scope}, {cache}: no wheelscout run (see the LEAD hook)")
                continue
            for peer in ("uv", "pip"):
                theirs = find(peer, scope, cache)
                if theirs is not None:
                    print(f"  {scope}, {cache}: {peer}/wheelscout = "
                          f"{theirs.seconds / ours.seconds:.2f}")
    print("goals: one target cold: uv/wheelscout >= 0.67 (within 1.5x) and pip/wheelscout >= 5;"
          " six targets: uv/wheelscout > 1")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per measurement")
    parser.add_argument("--requirement", default="pandas")
    args = parser.parse_args(argv)
    tools: list[tuple[str, CommandFactory]] = [("uv", uv_commands(args.requirement)),
                                               ("pip", pip_commands(args.requirement))]
    if (ours := wheelscout_commands(args.requirement)) is not None:
        tools.insert(0, ("wheelscout", ours))
    scopes = [("one target", (ONE_TARGET,)), ("six targets", SIX_TARGETS)]
    results: list[Measurement] = []
    with tempfile.TemporaryDirectory(prefix="bench-mirror-") as tmp:
        mirror = build_mirror(Path(tmp) / "mirror")
        with MirrorServer(mirror.root) as server:
            print(f"{args.requirement} for CPython {PYTHON}, index {server.index_url} "
                  f"({len(mirror.files)} files), median of {args.repeat}, "
                  f"{os.cpu_count()} CPUs\n")
            for scope, targets in scopes:
                for tool, factory in tools:
                    for warm in (False, True):
                        result = measure(server, factory, tool=tool, scope=scope,
                                         targets=targets, warm=warm, repeat=args.repeat)
                        results.append(result)
                        print_row(result)
    print_ratios(results)
    return 0 if all(m.ok for m in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
