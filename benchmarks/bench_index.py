"""Benchmark: fetch everything one resolution needs from a loopback index.

    python benchmarks/bench_index.py [--projects 40] [--versions 4]
    python benchmarks/bench_index.py --index-dir /opt/pypi --root pandas   # a real mirror

Builds a synthetic index (real wheels, a dependency graph, a few multi-megabyte wheels), serves
it on 127.0.0.1 with tests/support/server.py, then walks the graph from the root with
wheelscout's IndexClient (newest version of each project, its wheel's metadata, its
dependencies), cold and warm-cached, once with an HTML-only index (range reads) and once with
a JSON index with .metadata files. pip and uv, when installed, resolve the same root against
the same server. Requests and bytes are counted from the server's log.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from packaging.utils import canonicalize_name
from packaging.version import Version
from tests.support.indexgen import Release, write_index
from tests.support.server import ServerConfig, TestServer, serve

from wheelscout.index import IndexClient, IndexSettings


def releases(projects: int, versions: int) -> list[Release]:
    """A layered graph: project i depends on two later projects; every 10th wheel is 2 MB."""
    made = []
    for i in range(projects):
        deps = tuple(f"proj{j}>=1.0" for j in (2 * i + 1, 2 * i + 2) if j < projects)
        for v in range(versions):
            made.append(Release(f"proj{i}", f"1.{v}", deps,
                                padding=2_000_000 if i % 10 == 5 and v == versions - 1 else 0))
    return made


async def walk(settings: IndexSettings, root: str) -> int:
    """Fetch pages and metadata breadth-first, as a resolver's first pass would."""
    async with IndexClient(settings) as client:
        seen: set[str] = set()
        frontier = [root]
        while frontier:
            names = [n for n in dict.fromkeys(frontier) if n not in seen]
            seen.update(names)
            pages = await asyncio.gather(*(client.project(n) for n in names))
            wheels = [max((f for f in page.files if f.is_wheel),
                          key=lambda f: Version(f.filename.split("-")[1]))
                      for page in pages if page is not None]
            cores = await asyncio.gather(*(client.metadata(w) for w in wheels))
            frontier = [canonicalize_name(r.name) for c in cores for r in c.requires_dist
                        if r.marker is None or r.marker.evaluate({"extra": ""})]
        return len(seen)


def measure(server: TestServer, label: str, run: Callable[[], bool]) -> None:
    server.clear()
    start = time.perf_counter()
    ok = run()
    elapsed = time.perf_counter() - start
    if not ok:
        print(f"{label:<44} failed")
        return
    requests = server.requests()
    pages = sum(1 for r in requests if r.path.startswith("/simple/"))
    print(f"{label:<44} {elapsed:7.3f} s {len(requests):5d} req ({pages:3d} pages) "
          f"{server.bytes_sent():>11,d} B")


def peer(command: list[str], stdin: str | None = None) -> bool:
    env = {**os.environ, "PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1",
           "UV_NO_CONFIG": "1", "UV_PYTHON_DOWNLOADS": "never"}
    done = subprocess.run(command, input=stdin, env=env, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-2000:])
    return done.returncode == 0


def compare(server: TestServer, label: str, root: str, cache: Path) -> None:
    """Time wheelscout (cold, warm, offline), pip and uv on the index ``server`` serves."""
    url = f"{server.url}/simple/"
    settings = IndexSettings(index_url=url, cache_dir=cache)
    print(f"== {label}")
    measure(server, "wheelscout (cold cache)", lambda: asyncio.run(walk(settings, root)) > 0)
    measure(server, "wheelscout (warm cache, revalidating)",
            lambda: asyncio.run(walk(settings, root)) > 0)
    offline = IndexSettings(index_url=url, cache_dir=cache, offline=True)
    measure(server, "wheelscout (--offline)", lambda: asyncio.run(walk(offline, root)) > 0)
    pip = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed",
           "--no-cache-dir", "--quiet", "--index-url", url, root]
    measure(server, "pip install --dry-run (no cache)", lambda: peer(pip))
    uv = shutil.which("uv", path=f"{Path(sys.executable).parent}{os.pathsep}"
                                 f"{os.environ.get('PATH', '')}")
    if uv:
        command = [uv, "pip", "compile", "-", "--quiet", "--no-cache", "--index-url", url,
                   "--python", sys.executable]
        measure(server, "uv pip compile (no cache)", lambda: peer(command, stdin=f"{root}\n"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=40)
    parser.add_argument("--versions", type=int, default=4)
    parser.add_argument("--index-dir", type=Path,
                        help="serve this directory (simple/<name>/index.html, files/) instead")
    parser.add_argument("--root", default="proj0", help="project to resolve from")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.index_dir:
            config = ServerConfig(json=False, metadata_files=False)
            with serve(args.index_dir, config) as server:
                compare(server, f"{args.index_dir} from {args.root}", args.root,
                        Path(tmp) / "cache")
            return
        for flavour, metadata_files in (("html-ranges", False), ("json-metadata", True)):
            index = Path(tmp) / flavour
            write_index(index, releases(args.projects, args.versions),
                        metadata_files=metadata_files, json_pages=metadata_files)
            config = ServerConfig(json=metadata_files, metadata_files=metadata_files)
            with serve(index, config) as server:
                label = f"{flavour}: {args.projects} projects x {args.versions} versions"
                compare(server, label, args.root, Path(tmp) / f"cache-{flavour}")


if __name__ == "__main__":
    main()
