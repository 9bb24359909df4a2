"""IndexClient against a real HTTP server on 127.0.0.1 serving real wheels and sdists."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import httpx
import pytest

from tests.support.indexgen import Built, Release, write_index
from tests.support.server import TestServer, serve
from wheelscout.errors import (
    AuthRequired,
    ConnectionFailed,
    HashMismatch,
    IndexTimeout,
    MalformedResponse,
    NotInCache,
)
from wheelscout.index import IndexClient, IndexSettings
from wheelscout.index._http import LazyTransport
from wheelscout.model.metadata import CoreMetadata

pytestmark = pytest.mark.integration
T = TypeVar("T")
BIG = Release("big-pkg", "2.0", ("small>=1", "extra-dep; extra == 'x'"), ">=3.9",
              padding=4_000_000)
RELEASES = [BIG, Release("small", "1.0", requires_python=">=3.8", sdist=True),
            Release("small", "1.1", ("tiny",))]


@pytest.fixture(scope="module")
def index_root(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Built]]:
    root = tmp_path_factory.mktemp("index")
    return root, write_index(root, RELEASES, wrong_hash=["small-1.0.tar.gz"])


@pytest.fixture
def server(index_root: tuple[Path, dict[str, Built]]) -> Iterator[TestServer]:
    with serve(index_root[0]) as running:
        yield running


def _settings(server: TestServer, tmp_path: Path, **changes: object) -> IndexSettings:
    base = IndexSettings(index_url=f"{server.url}/simple/", cache_dir=tmp_path / "cache",
                         backoff=0.0, retries=1, timeout=5.0)
    return replace(base, **changes)  # type: ignore[arg-type]


def _run(settings: IndexSettings, work: Callable[[IndexClient], Awaitable[T]]) -> T:
    async def main() -> T:
        async with IndexClient(settings) as client:
            return await work(client)
    return asyncio.run(main())


async def _all_metadata(client: IndexClient, name: str = "big-pkg") -> list[CoreMetadata]:
    page = await client.project(name)
    assert page is not None
    return list(await asyncio.gather(*(client.metadata(f) for f in page.files if f.is_wheel)))


def test_html_only_no_metadata_files_reads_by_ranges(server: TestServer, tmp_path: Path,
                                                     index_root: tuple[Path, dict[str, Built]]
                                                     ) -> None:
    server.config.json = False
    server.config.metadata_files = False
    (core,) = _run(_settings(server, tmp_path), _all_metadata)
    assert core.source == "range"
    assert [str(r) for r in core.requires_dist] == ["small>=1", 'extra-dep; extra == "x"']
    assert str(core.requires_python) == ">=3.9"
    wheel = next(b for b in index_root[1].values() if b.filename.startswith("big_pkg"))
    assert len(wheel.data) > 4_000_000
    sent = server.bytes_sent("/files/")
    assert sent < 0.05 * len(wheel.data)
    assert all(r.range for r in server.requests("/files/"))


def test_json_index_with_metadata_files(server: TestServer, tmp_path: Path) -> None:
    cores = _run(_settings(server, tmp_path), lambda c: _all_metadata(c, "small"))
    assert [c.source for c in cores] == ["metadata-file", "metadata-file"]
    paths = sorted(r.path for r in server.requests())
    assert paths == ["/files/small-1.0-py3-none-any.whl.metadata",
                     "/files/small-1.1-py3-none-any.whl.metadata", "/simple/small/"]


def test_ranges_refused_downloads_and_checks_hash(server: TestServer, tmp_path: Path) -> None:
    server.config.ranges = False
    server.config.metadata_files = False
    (core,) = _run(_settings(server, tmp_path), _all_metadata)
    assert core.source == "download"
    assert core.bytes_transferred > 4_000_000


def test_sdist_wrong_hash(server: TestServer, tmp_path: Path) -> None:
    async def work(client: IndexClient) -> CoreMetadata:
        page = await client.project("small")
        assert page is not None
        sdist = next(f for f in page.files if f.filename.endswith(".tar.gz"))
        return await client.metadata(sdist)

    with pytest.raises(HashMismatch, match=r"small-1\.0\.tar\.gz': sha256 is"):
        _run(_settings(server, tmp_path), work)


@pytest.mark.parametrize(
    ("fault", "error", "match"),
    [
        ("500", ConnectionFailed, r"/simple/big-pkg/' answered HTTP 500 after 2 attempts$"),
        ("slow", IndexTimeout, r"/simple/big-pkg/' timed out after 2 attempts$"),
        ("truncate", ConnectionFailed, r"connection failed \(RemoteProtocolError"),
        ("invalid-json", MalformedResponse, r"/simple/big-pkg/' is not valid JSON"),
        ("401", AuthRequired, r"answered HTTP 401: credentials missing or refused"),
    ],
    ids=["500", "slow", "truncated", "invalid-json", "401"],
)
def test_faults(server: TestServer, tmp_path: Path, fault: str, error: type[Exception],
                match: str) -> None:
    server.config.faults = {"/simple/": fault}  # type: ignore[dict-item]
    server.config.slow_seconds = 1.0
    settings = _settings(server, tmp_path, timeout=0.3)
    with pytest.raises(error, match=match):
        _run(settings, lambda c: c.project("big-pkg"))


def test_transient_500_is_retried(server: TestServer, tmp_path: Path) -> None:
    server.config.faults = {"/simple/": "500"}
    server.config.fault_times = 1
    assert _run(_settings(server, tmp_path), lambda c: c.project("small")) is not None


def test_basic_auth_from_url_userinfo(server: TestServer, tmp_path: Path) -> None:
    server.config.auth = ("alice", "pw")
    url = server.url.replace("http://", "http://alice:pw@") + "/simple/"
    cores = _run(_settings(server, tmp_path, index_url=url), lambda c: _all_metadata(c, "small"))
    assert len(cores) == 2
    assert all(r.status != 401 for r in server.requests())


def test_second_run_only_revalidates_and_offline_needs_nothing(server: TestServer,
                                                               tmp_path: Path) -> None:
    settings = _settings(server, tmp_path)
    _run(settings, _all_metadata)
    server.clear()
    cores = _run(settings, _all_metadata)
    assert all(c.from_cache for c in cores)
    assert [(r.path, r.status, r.conditional) for r in server.requests()] == [
        ("/simple/big-pkg/", 304, True)
    ]
    server.clear()
    cores = _run(replace(settings, offline=True), _all_metadata)
    assert server.requests() == []
    assert cores[0].requires_python is not None


def test_offline_with_empty_cache(server: TestServer, tmp_path: Path) -> None:
    with pytest.raises(NotInCache, match=r"^offline, and 'http://127\.0\.0\.1:\d+/simple/big-pkg/'"):
        _run(_settings(server, tmp_path, offline=True), _all_metadata)


def test_no_cache_writes_nothing(server: TestServer, tmp_path: Path) -> None:
    _run(_settings(server, tmp_path, no_cache=True), _all_metadata)
    assert not (tmp_path / "cache").exists()


def test_many_projects_concurrently_each_once(server: TestServer, tmp_path: Path) -> None:
    async def work(client: IndexClient) -> None:
        await asyncio.gather(*(client.project(n) for n in ["small", "big-pkg", "nope"] * 5))
        await asyncio.gather(*(_all_metadata(client, "small") for _ in range(5)))

    _run(_settings(server, tmp_path), work)
    paths = [r.path for r in server.requests()]
    assert sorted(paths) == sorted(set(paths))
    assert len(paths) == 5


def test_nothing_listening(tmp_path: Path) -> None:
    settings = IndexSettings(index_url="http://u:secret@127.0.0.1:9/simple/", no_cache=True,
                             retries=1, backoff=0.0, timeout=2.0)
    with pytest.raises(ConnectionFailed, match=r"^'http://127\.0\.0\.1:9/simple/x/' "
                       r"connection failed \(ConnectError") as caught:
        _run(settings, lambda c: c.project("x"))
    assert "secret" not in str(caught.value)


def test_a_plain_http_index_sets_up_no_tls(server: TestServer) -> None:
    transport = LazyTransport(httpx.Limits())

    async def main() -> int:
        async with httpx.AsyncClient(transport=transport) as http:
            return (await http.get(f"{server.url}/simple/")).status_code

    assert asyncio.run(main()) == 200
    assert transport.made == (False,)  # only the plain transport: no certificate store loaded



_CLIENT_SCRIPT = """
import sys
from wheelscout.index import BlockingIndexClient, IndexSettings
with BlockingIndexClient(IndexSettings(index_url=sys.argv[1], no_cache=True)) as client:
    page = client.project("small")
print(page is not None and len(page.files) > 0, "httpcore" in sys.modules, "h2" in sys.modules)
"""
_TRANSPORT_SCRIPT = """
import asyncio, sys
import httpx
from wheelscout.index._http import LazyTransport, needs_http2
async def main():
    transport = LazyTransport(httpx.Limits(), http2=needs_http2(["https://pypi.org/simple/"]))
    async with httpx.AsyncClient(transport=transport) as http:
        return (await http.get(sys.argv[1] + "small/")).status_code == 200
print(asyncio.run(main()), "httpcore" in sys.modules, "h2" in sys.modules)
"""


@pytest.mark.parametrize(("script", "h2_loaded"), [(_CLIENT_SCRIPT, "False"),
                                                   (_TRANSPORT_SCRIPT, "True")],
                         ids=["http-indexes-only", "an-https-index"])
def test_http2_is_loaded_only_when_an_index_is_https(
    server: TestServer, script: str, h2_loaded: str
) -> None:
    # A fresh interpreter: this one has long imported httpcore (and h2) for other tests.
    done = subprocess.run([sys.executable, "-c", script, f"{server.url}/simple/"],
                          capture_output=True, text=True, check=True,
                          env={**os.environ, "PIP_CONFIG_FILE": os.devnull})
    fetched, httpcore_loaded, h2 = done.stdout.split()
    assert (fetched, httpcore_loaded) == ("True", "True")
    assert h2 == h2_loaded
