#!/usr/bin/env python3
"""Benchmark ``wheelscout scan`` throughput on the loopback mirror: local vs Dask (two workers).

Run: ``python benchmarks/bench_scan.py`` (``--repeat N``, ``--pythons``). It serves the mirror of
``tests/data/pypi`` on 127.0.0.1, scans every captured project on the default target matrix
(45 target x Python pairs) and prints, for each way of running:

- cells per second (project x target x Python cells over wall time, median of the repeats);
- requests per project, against the limit the issue sets: one page per project of the trees
  and one metadata read per distinct chosen file (the mirror offers no .metadata files, like
  PyPI's pages for these projects, so a read is an HTTP range request of the wheel's tail,
  which holds the small stand-in's METADATA whole).

Local runs use one process and a fresh cache each time (cold). The Dask runs start a real
``dask scheduler`` and two ``dask worker`` processes (tests/support/dask_cluster.py); each run
gets fresh worker caches by restarting the cluster, so both sides are cold. On a 2-core machine
the cluster mostly pays for its own start-up and serialisation: the point of ``--scheduler`` is
more machines, not more cores.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.support.dask_cluster import start_cluster  # noqa: E402
from tests.support.mirror import build_mirror, fixture_projects  # noqa: E402
from tests.support.server import MirrorServer  # noqa: E402

from wheelscout.index.settings import IndexSettings  # noqa: E402
from wheelscout.scan import ScanOptions  # noqa: E402
from wheelscout.scan.applicability import load_curated  # noqa: E402
from wheelscout.scan.matrix import matrix  # noqa: E402
from wheelscout.scan.projects import parse_projects  # noqa: E402
from wheelscout.scan.runner import ScanRequest, ScanRun, run_scan  # noqa: E402


def _request(server: MirrorServer, cache: Path, pythons: list[str],
             scheduler: str | None = None) -> ScanRequest:
    names = fixture_projects()
    return ScanRequest(
        projects=tuple(parse_projects("\n".join(names), "<bench>")),
        targets=tuple(matrix((), pythons)),
        settings=IndexSettings(index_url=server.index_url, cache_dir=cache),
        options=ScanOptions(curated=load_curated()),
        scheduler=scheduler, shards=8,
    )


def _cells(run: ScanRun) -> int:
    return sum(len(r.cells) for r in run.results)


def _requests(server: MirrorServer, projects: int) -> str:
    log = server.log
    pages = Counter(r.path for r in log if r.path.startswith("/simple/"))
    files = Counter(r.path for r in log if r.path.startswith("/files/"))
    return (f"{len(log) / projects:.1f} requests/project ({len(log)} in all: {sum(pages.values())}"
            f" page reads of {len(pages)} pages, {sum(files.values())} file reads of "
            f"{len(files)} files, at most {max(files.values(), default=0)} per file); limit: "
            f"one read per page and per chosen file = "
            f"{(len(pages) + len(files)) / projects:.1f}/project")


def _synthetic(run: ScanRun, rows: int, columns: int) -> ScanRun:
    """``rows`` projects x ``columns`` targets, cells cycled from a real run (renamed)."""
    from dataclasses import replace

    from wheelscout.model.project import NormalizedName
    from wheelscout.scan.model import TargetColumn

    spellings = [f"target-{i}" for i in range(columns)]
    targets = tuple(TargetColumn(target=t, platform=t, python=p) for t in spellings
                    for p in ("3.12", "3.13"))
    real = [c for r in run.results for c in r.cells]
    results = []
    for i in range(rows):
        source = run.results[i % len(run.results)]
        cells = tuple(replace(real[(i * 7 + j) % len(real)], target=t.target, python=t.python)
                      for j, t in enumerate(targets))
        results.append(replace(source, name=NormalizedName(f"{source.name}-{i}"), cells=cells))
    return replace(run, results=tuple(results), targets=targets)


def _dashboard(run: ScanRun, base: Path) -> None:
    """Build and open a 5,000-row x 10-target dashboard; time it in headless Chromium."""
    from tests.support.server import serve_directory

    from wheelscout.scan.dashboard import build_site

    big = _synthetic(run, 5000, 10)
    started = time.perf_counter()
    build_site(big, base / "site", {})
    built = time.perf_counter() - started
    size = (base / "site" / "index.html").stat().st_size
    print(f"dashboard, 5,000 projects x 10 targets (20 columns of cells folded to 10): "
          f"built in {built:.2f} s, index.html {size / 1e6:.1f} MB")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        print("  (selenium not installed: browser timings skipped)")
        return
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--window-size=1280,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options,
                              service=Service(executable_path="/usr/bin/chromedriver"))
    try:
        with serve_directory(base / "site") as url:
            driver.get(f"{url}/index.html")
            timing = driver.execute_script(
                "const t = performance.getEntriesByType('navigation')[0];"
                "return [t.domContentLoadedEventEnd, t.loadEventEnd];")
            sort = driver.execute_script(
                "const t0 = performance.now();"
                "document.querySelector('#matrix thead th[data-sort=\"3\"]').click();"
                "return performance.now() - t0;")
            search = driver.execute_script(
                "const s = document.getElementById('search'); const t0 = performance.now();"
                "s.value = 'numpy'; s.dispatchEvent(new Event('input'));"
                "return performance.now() - t0;")
        print(f"  Chromium: DOMContentLoaded {timing[0]:.0f} ms, load {timing[1]:.0f} ms, "
              f"sort by a target {sort:.0f} ms, search {search:.0f} ms")
    finally:
        driver.quit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pythons", nargs="*", default=[])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        mirror = build_mirror(base / "mirror")
        projects = len(mirror.projects)
        with MirrorServer(mirror.root) as server:
            local: list[float] = []
            for i in range(args.repeat):
                server.clear()
                started = time.perf_counter()
                run = run_scan(_request(server, base / f"local-{i}", args.pythons))
                local.append(time.perf_counter() - started)
            cells = _cells(run)
            print(f"scan of {projects} projects x {len(run.targets)} target/Python pairs = "
                  f"{cells} cells, median of {args.repeat}")
            print(f"local (one process):  {statistics.median(local):.2f} s, "
                  f"{cells / statistics.median(local):.0f} cells/s")
            print(f"  {_requests(server, projects)}")
            remote: list[float] = []
            for i in range(args.repeat):
                with start_cluster(base / f"dask-{i}", workers=2) as cluster:
                    server.clear()
                    started = time.perf_counter()
                    run = run_scan(_request(server, base / "unused", args.pythons,
                                            cluster.address))
                    remote.append(time.perf_counter() - started)
            print(f"dask (2 workers x 2 threads, 8 shards): {statistics.median(remote):.2f} s, "
                  f"{cells / statistics.median(remote):.0f} cells/s "
                  f"(local / dask = {statistics.median(local) / statistics.median(remote):.2f})")
            print(f"  {_requests(server, projects)} (each worker reads the pages its shards need)")
        _dashboard(run, base)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
