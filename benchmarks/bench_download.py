"""Benchmark: fill a wheelhouse from a loopback index, wheelscout against pip.

    python benchmarks/bench_download.py [--projects 30] [--runs 3]

Builds a synthetic index (real wheels, a dependency graph, wheels of 0.25 to 2 MB), serves it on
127.0.0.1 with tests/support/server.py and times, side by side, for the whole graph:

- ``wheelscout download ROOT --target linux-x86_64 -d DIR`` (resolve, then fetch concurrently);
- ``pip download ROOT -d DIR --only-binary :all: --platform ... --python-version ...``
  (resolve and fetch one file at a time);

each cold (empty cache, empty directory) and again over the full directory (wheelscout
re-hashes what is there; pip checks it too). uv has no download command. Prints medians and
ratios; every tool runs isolated from the machine's pip and uv configuration.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.indexgen import Release, write_index
from tests.support.server import ServerConfig, serve

PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"


def releases(projects: int) -> list[Release]:
    """Project i depends on two later ones; wheel sizes cycle through 0.25, 0.5, 1 and 2 MB."""
    made = []
    for i in range(projects):
        deps = tuple(f"proj{j}>=1.0" for j in (2 * i + 1, 2 * i + 2) if j < projects)
        made.append(Release(f"proj{i}", "1.0", deps, padding=250_000 * 2 ** (i % 4)))
    return made


def env() -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_"))}
    clean.update({"PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1",
                  "NO_PROXY": "127.0.0.1", "PYTHONPATH": str(Path(__file__).parent.parent / "src")})
    return clean


def wheelscout(index: str, dest: Path, cache: Path) -> list[str]:
    return [sys.executable, "-m", "wheelscout", "download", "proj0", "-i", index, "-d", str(dest),
            "--target", "linux-x86_64", "--python", PYTHON, "--no-remedy", "--no-inspect",
            "--no-progress", "-q", "--cache-dir", str(cache)]


def pip(index: str, dest: Path, cache: Path) -> list[str]:
    return [sys.executable, "-m", "pip", "download", "proj0", "-i", index, "-d", str(dest),
            "--only-binary", ":all:", "--platform", "manylinux_2_28_x86_64",
            "--python-version", PYTHON, "--quiet", "--cache-dir", str(cache)]


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env(), stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(
    make: Callable[[str, Path, Path], list[str]], index: str, runs: int, work: Path
) -> tuple[float, float]:
    cold, warm = [], []
    for run in range(runs):
        dest, cache = work / f"dest{run}", work / f"cache{run}"
        command = make(index, dest, cache)
        cold.append(timed(command))
        warm.append(timed(command))
        shutil.rmtree(dest)
        shutil.rmtree(cache, ignore_errors=True)
    return statistics.median(cold), statistics.median(warm)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "index"
        built = write_index(root, releases(args.projects))
        size = sum(len(b.data) for b in built.values())
        print(f"{len(built)} wheels, {size / 1e6:.1f} MB, CPython {PYTHON}, "
              f"median of {args.runs}")
        with serve(root, ServerConfig()) as server:
            results = {name: measure(make, server.index_url, args.runs, Path(tmp))
                       for name, make in (("wheelscout", wheelscout), ("pip", pip))}
    (ws_cold, ws_warm), (pip_cold, pip_warm) = results["wheelscout"], results["pip"]
    print("| | wheelscout | pip | pip / wheelscout |")
    print("|---|---|---|---|")
    print(f"| cold | {ws_cold:.2f} s | {pip_cold:.2f} s | {pip_cold / ws_cold:.1f} |")
    print(f"| again, files present | {ws_warm:.2f} s | {pip_warm:.2f} s | "
          f"{pip_warm / ws_warm:.1f} |")


if __name__ == "__main__":
    main()
