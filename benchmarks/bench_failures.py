#!/usr/bin/env python3
"""Benchmark the failure path of `wheelscout check` against uv and pip on the loopback mirror.

Run: ``python benchmarks/bench_failures.py`` (``--repeat N``, default 3). It builds the mirror of
``tests/data/pypi`` (real PyPI pages and METADATA, stand-in files), serves it on 127.0.0.1 and
times, cold (a fresh cache each run), for CPython 3.12, the cases of issue 10 that fit the
capture:

- ``psycopg[binary]`` on win_arm64: psycopg-binary has no win_arm64 wheel and no sdist in any
  release; pip and uv walk every psycopg release before failing;
- ``uvicorn==0.14.0`` on win_amd64: its METADATA is invalid; pip 26 ignores the release.

wheelscout runs as a user would (``check``, default mode, remedies on, one target), and with
``--no-remedy`` to show what the wheels-only pass costs; uv as
``uv pip compile``; pip as ``pip install --dry-run --only-binary=:all: --platform`` (pip needs
``--only-binary`` with ``--platform``). For each it prints the median time, whether the tool
said the set installs, and the ratios (peer time / wheelscout time: above 1, wheelscout is
faster; the issue's goal is uv/wheelscout >= 0.5 and pip/wheelscout > 1).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.mirror import build_mirror  # noqa: E402
from tests.support.peers import TARGETS, PeerTarget, peer_env, pip_command, uv_command  # noqa: E402
from tests.support.server import MirrorServer  # noqa: E402

PYTHON = "3.12"


@dataclass(frozen=True, slots=True, kw_only=True)
class Case:
    requirement: str
    target: PeerTarget
    spelling: str  # wheelscout's name for the target


CASES = (
    Case(requirement="psycopg[binary]", target=TARGETS["win_arm64"], spelling="win-arm64"),
    Case(requirement="uvicorn==0.14.0", target=TARGETS["win_amd64"], spelling="win-amd64"),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Timing:
    tool: str
    seconds: float
    installs: bool
    detail: str


def _commands(case: Case, index_url: str, cache: Path, work: Path) -> dict[str, list[str]]:
    work.mkdir(parents=True, exist_ok=True)
    source = work / "requirements.in"
    source.write_text(f"{case.requirement}\n", encoding="utf-8")
    return {
        "wheelscout": [sys.executable, "-m", "wheelscout", "check", case.requirement,
                       "--target", case.spelling, "--python", PYTHON, "--index-url", index_url,
                       "--cache-dir", str(cache / "wheelscout"), "--no-inspect",
                       "--format", "json"],
        "wheelscout --no-remedy": [sys.executable, "-m", "wheelscout", "check", case.requirement,
                                   "--target", case.spelling, "--python", PYTHON,
                                   "--index-url", index_url,
                                   "--cache-dir", str(cache / "wheelscout"), "--no-inspect",
                                   "--no-remedy", "--format", "json"],
        "uv": uv_command(source, case.target, index_url, work / "pylock.toml", python=PYTHON,
                         cache_dir=cache / "uv"),
        "pip": pip_command((case.requirement,), case.target, index_url, python=PYTHON,
                           cache_dir=cache / "pip"),
    }


def _outcome(tool: str, done: subprocess.CompletedProcess[bytes]) -> tuple[bool, str]:
    if not tool.startswith("wheelscout"):
        lines = done.stderr.decode(errors="replace").strip().splitlines()
        return done.returncode == 0, (lines[-1][:100] if lines else "")
    result = json.loads(done.stdout)["results"][0]
    culprit = ", ".join(result.get("blockers") or []) or (result.get("conflict") or "")[:80]
    return result["status"] == "ok", f"{result['status']}: {culprit}"


def measure(case: Case, server: MirrorServer, repeat: int) -> list[Timing]:
    timings = []
    for tool in ("wheelscout", "wheelscout --no-remedy", "uv", "pip"):
        seconds: list[float] = []
        installs, detail = False, ""
        for _ in range(repeat):
            with tempfile.TemporaryDirectory(prefix="bench-fail-") as tmp:
                base = Path(tmp)
                argv = _commands(case, server.index_url, base / "cache", base / "work")[tool]
                env = {**peer_env(case.target), "XDG_CACHE_HOME": str(base / "cache"),
                       "PYTHONPATH": str(ROOT / "src")}
                started = time.perf_counter()
                done = subprocess.run(argv, capture_output=True, cwd=base / "work", env=env,
                                      check=False)
                seconds.append(time.perf_counter() - started)
                installs, detail = _outcome(tool, done)
        timings.append(Timing(tool=tool, seconds=statistics.median(seconds), installs=installs,
                              detail=detail))
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per tool and case")
    args = parser.parse_args(argv)
    same = True
    with tempfile.TemporaryDirectory(prefix="bench-mirror-") as tmp:
        mirror = build_mirror(Path(tmp) / "mirror")
        with MirrorServer(mirror.root) as server:
            print(f"CPython {PYTHON}, index {server.index_url} ({len(mirror.files)} files), "
                  f"cold caches, median of {args.repeat}, {os.cpu_count()} CPUs")
            for case in CASES:
                print(f"\n{case.requirement} on {case.target.name}")
                timings = {t.tool: t for t in measure(case, server, args.repeat)}
                for t in timings.values():
                    verdict = "installs" if t.installs else "fails"
                    print(f"  {t.tool:<22} {t.seconds:7.3f} s  {verdict:<8} {t.detail}")
                ours = timings["wheelscout"]
                print(f"  ratios: uv/wheelscout = {timings['uv'].seconds / ours.seconds:.2f}, "
                      f"pip/wheelscout = {timings['pip'].seconds / ours.seconds:.2f}; "
                      f"same outcome as pip: {ours.installs == timings['pip'].installs}; "
                      "the wheels-only pass costs "
                      f"{ours.seconds - timings['wheelscout --no-remedy'].seconds:+.3f} s")
                same = same and ours.installs == timings["pip"].installs
    print("\ngoals: uv/wheelscout >= 0.5 (within 2x uv), pip/wheelscout > 1, pip's outcome")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
