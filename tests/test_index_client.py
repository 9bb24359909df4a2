"""IndexClient through httpx.MockTransport: protocol behaviour without sockets."""

from __future__ import annotations

import asyncio
import base64
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import httpx
import pytest

from tests.support.indexgen import Release, release_sdist, release_wheel
from wheelscout.errors import (
    AuthRequired,
    ConnectionFailed,
    HashMismatch,
    IndexTimeout,
    MalformedResponse,
    NotInCache,
)
from wheelscout.index import ClientStats, IndexClient, IndexSettings
from wheelscout.model.metadata import CoreMetadata
from wheelscout.model.project import DistFile, ProjectPage

INDEX = "https://idx.example/simple/"
JSON = "application/vnd.pypi.simple.v1+json"
Handler = Callable[[httpx.Request], httpx.Response]
T = TypeVar("T")


class Recorder:
    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handler(request)


def _settings(tmp_path: Path, **changes: object) -> IndexSettings:
    base = IndexSettings(index_url=INDEX, cache_dir=tmp_path / "cache", backoff=0.0, retries=2)
    return replace(base, **changes)  # type: ignore[arg-type]


def _run(settings: IndexSettings, handler: Handler,
         work: Callable[[IndexClient], Awaitable[T]]) -> T:
    async def main() -> T:
        async with IndexClient(settings, transport=httpx.MockTransport(handler)) as client:
            return await work(client)
    return asyncio.run(main())


def _pages(simple_data: Path) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/simple/packaging/":
            if JSON in request.headers["accept"]:
                body = (simple_data / "packaging.json").read_bytes()
                return httpx.Response(200, content=body, headers={"content-type": JSON})
            return httpx.Response(200, content=(simple_data / "packaging.html").read_bytes(),
                                  headers={"content-type": "text/html"})
        return httpx.Response(404)
    return handler


def test_project_json_by_negotiation(tmp_path: Path, simple_data: Path) -> None:
    recorder = Recorder(_pages(simple_data))
    page = _run(_settings(tmp_path), recorder, lambda c: c.project("Packaging"))
    assert page is not None
    assert len(page.files) == 108
    assert recorder.requests[0].url == INDEX + "packaging/"
    assert recorder.requests[0].headers["accept"].startswith(JSON)


def test_not_found_is_none(tmp_path: Path, simple_data: Path) -> None:
    assert _run(_settings(tmp_path), _pages(simple_data), lambda c: c.project("nope")) is None


def test_each_page_fetched_once_even_concurrently(tmp_path: Path, simple_data: Path) -> None:
    recorder = Recorder(_pages(simple_data))

    async def work(client: IndexClient) -> ProjectPage | None:
        await asyncio.gather(*(client.project(n) for n in ["packaging", "Packaging", "PACKAGING"]))
        return await client.project("packaging")

    _run(_settings(tmp_path, no_cache=True), recorder, work)
    assert len(recorder.requests) == 1


def test_extra_index_pages_merge(tmp_path: Path, simple_data: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "extra.example":
            body = b'<a href="/f/packaging-99.0.tar.gz">packaging-99.0.tar.gz</a>'
            return httpx.Response(200, content=body, headers={"content-type": "text/html"})
        return _pages(simple_data)(request)

    settings = _settings(tmp_path, extra_index_urls=("https://extra.example/simple/",))
    page = _run(settings, handler, lambda c: c.project("packaging"))
    assert page is not None
    names = [f.filename for f in page.files]
    assert len(names) == 109
    assert names[-1] == "packaging-99.0.tar.gz"


def test_redirect_resolves_relative_urls_against_final_url(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/simple/x/":
            return httpx.Response(301, headers={"location": "https://cdn.example/p/x/"})
        body = b'<a href="../../files/x-1.tar.gz#sha256=ab">x-1.tar.gz</a>'
        return httpx.Response(200, content=body, headers={"content-type": "text/html"})

    page = _run(_settings(tmp_path), handler, lambda c: c.project("x"))
    assert page is not None
    assert page.files[0].url == "https://cdn.example/files/x-1.tar.gz"


# -- metadata ---------------------------------------------------------------------------------

WHEEL = release_wheel(Release("demo", "1.0", ("dep>=1",), ">=3.9", padding=200_000))
META_SHA = hashlib.sha256(WHEEL.metadata).hexdigest()


def _file(core: dict[str, str] | None = None, **changes: object) -> DistFile:
    file = DistFile(filename=WHEEL.filename, url=f"https://files.example/{WHEEL.filename}",
                    hashes={"sha256": WHEEL.sha256}, core_metadata=core)
    return replace(file, **changes)  # type: ignore[arg-type]


def _files(*, ranges: bool = True, metadata: bytes | None = WHEEL.metadata) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith(".metadata"):
            return httpx.Response(404) if metadata is None else httpx.Response(200,
                                                                              content=metadata)
        data = WHEEL.data
        wanted = request.headers.get("range")
        if wanted and ranges:
            start = len(data) - int(wanted.split("-")[1]) if wanted.startswith("bytes=-") else \
                int(wanted[6:].split("-")[0])
            end = len(data) if wanted.startswith("bytes=-") else int(wanted.split("-")[1]) + 1
            return httpx.Response(206, content=data[start:end], headers={
                "content-range": f"bytes {start}-{end - 1}/{len(data)}"})
        return httpx.Response(200, content=data)
    return handler


@pytest.mark.parametrize(
    ("file", "handler", "source", "requests"),
    [
        (_file({"sha256": META_SHA}), _files(), "metadata-file", 1),
        (_file({}), _files(), "metadata-file", 1),
        (_file({"sha256": META_SHA}), _files(metadata=None), "range", 2),
        (_file(None), _files(), "range", 1),
        (_file(None), _files(ranges=False), "download", 1),
    ],
    ids=["metadata-file-verified", "metadata-file-no-hash", "metadata-file-missing-falls-back",
         "range", "ranges-refused"],
)
def test_metadata_cheapest_way(tmp_path: Path, file: DistFile, handler: Handler, source: str,
                               requests: int) -> None:
    recorder = Recorder(handler)
    core = _run(_settings(tmp_path), recorder, lambda c: c.metadata(file))
    assert core.source == source
    assert [str(r) for r in core.requires_dist] == ["dep>=1"]
    assert len(recorder.requests) == requests


@pytest.mark.parametrize(
    ("file", "handler", "match"),
    [
        (_file({"sha256": "0" * 64}), _files(), r"demo-1.0-py3-none-any.whl.metadata': sha256"),
        (_file(None, hashes={"sha256": "0" * 64}), _files(ranges=False),
         r"'https://files.example/demo-1.0-py3-none-any.whl': sha256 is"),
    ],
    ids=["metadata-file", "whole-download"],
)
def test_hash_mismatch(tmp_path: Path, file: DistFile, handler: Handler, match: str) -> None:
    with pytest.raises(HashMismatch, match=match):
        _run(_settings(tmp_path), handler, lambda c: c.metadata(file))


def test_sdist_pkg_info(tmp_path: Path) -> None:
    sdist = release_sdist(Release("demo", "1.0", ("dep",), metadata_version="2.2",
                                dynamic=("Requires-Dist",)))
    file = DistFile(filename=sdist.filename, url=f"https://files.example/{sdist.filename}",
                    hashes={"sha256": sdist.sha256})
    core = _run(_settings(tmp_path), lambda r: httpx.Response(200, content=sdist.data),
                lambda c: c.metadata(file))
    assert core.from_sdist
    assert not core.is_trusted("Requires-Dist")
    assert core.is_trusted("Requires-Python")


# -- faults -----------------------------------------------------------------------------------


def _raise(exc: Exception) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc
    return handler


@pytest.mark.parametrize(
    ("handler", "error", "match"),
    [
        (lambda r: httpx.Response(500), ConnectionFailed,
         r"^'https://idx.example/simple/x/' answered HTTP 500 after 3 attempts$"),
        (_raise(httpx.ReadTimeout("slow")), IndexTimeout, r"timed out after 3 attempts$"),
        (_raise(httpx.ConnectError("refused")), ConnectionFailed, r"connection failed"),
        (lambda r: httpx.Response(401), AuthRequired, r"answered HTTP 401: credentials"),
        (lambda r: httpx.Response(403), AuthRequired, r"answered HTTP 403"),
        (lambda r: httpx.Response(200, content=b"{", headers={"content-type": JSON}),
         MalformedResponse, r"is not valid JSON"),
        (lambda r: httpx.Response(418), ConnectionFailed, r"unexpected HTTP 418"),
        (lambda r: httpx.Response(302, headers={"location": str(r.url)}), ConnectionFailed,
         r"'https://idx.example/simple/x/' redirects too many times"),
        (_raise(httpx.DecodingError("bad gzip")), MalformedResponse, r"undecodable body"),
    ],
    ids=["500", "timeout", "connect", "401", "403", "invalid-json", "418", "redirect-loop",
         "bad-encoding"],
)
def test_faults(tmp_path: Path, handler: Handler, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        _run(_settings(tmp_path), handler, lambda c: c.project("x"))


def test_retry_then_success(tmp_path: Path, simple_data: Path) -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            return httpx.Response(503)
        if len(calls) == 2:
            return httpx.Response(429, headers={"retry-after": "0"})
        return _pages(simple_data)(request)

    async def work(client: IndexClient) -> ClientStats:
        await client.project("packaging")
        return client.stats()

    stats = _run(_settings(tmp_path), handler, work)
    assert (stats.retries, stats.requests) == (2, 3)


def test_credentials_sent_and_never_shown(tmp_path: Path) -> None:
    recorder = Recorder(lambda r: httpx.Response(401))
    settings = _settings(tmp_path, index_url="https://user:s3cret@idx.example/simple/")
    with pytest.raises(AuthRequired) as caught:
        _run(settings, recorder, lambda c: c.project("x"))
    assert "s3cret" not in str(caught.value)
    assert str(recorder.requests[0].url) == INDEX + "x/"
    expected = "Basic " + base64.b64encode(b"user:s3cret").decode()
    assert recorder.requests[0].headers["authorization"] == expected


# -- cache ------------------------------------------------------------------------------------


def test_revalidation_and_offline(tmp_path: Path, simple_data: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304)
        response = _pages(simple_data)(request)
        response.headers["etag"] = '"v1"'
        return response

    first = Recorder(handler)
    _run(_settings(tmp_path), first, lambda c: c.project("packaging"))
    second = Recorder(handler)
    page = _run(_settings(tmp_path), second, lambda c: c.project("packaging"))
    assert page is not None
    assert second.requests[0].headers["if-none-match"] == '"v1"'
    offline = Recorder(handler)
    page = _run(_settings(tmp_path, offline=True), offline, lambda c: c.project("packaging"))
    assert page is not None
    assert offline.requests == []


def test_offline_without_cache_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(NotInCache, match=r"^offline, and 'https://idx.example/simple/x/' is not"):
        _run(_settings(tmp_path, offline=True), lambda r: httpx.Response(500),
             lambda c: c.project("x"))


def test_malformed_page_is_not_cached(tmp_path: Path) -> None:
    bad = Recorder(lambda r: httpx.Response(200, content=b"{", headers={"content-type": JSON}))
    with pytest.raises(MalformedResponse):
        _run(_settings(tmp_path), bad, lambda c: c.project("x"))
    with pytest.raises(NotInCache):
        _run(_settings(tmp_path, offline=True), bad, lambda c: c.project("x"))


# -- local sources ----------------------------------------------------------------------------


def test_file_index_and_find_links_directory(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    (wheels / WHEEL.filename).write_bytes(WHEEL.data)
    (wheels / "notes.txt").write_text("not a distribution")
    index = tmp_path / "simple" / "demo"
    index.mkdir(parents=True)
    (index / "index.html").write_text('<a href="../../wheels/demo-1.0.tar.gz">demo-1.0.tar.gz</a>')
    settings = _settings(tmp_path, index_url=(tmp_path / "simple").as_uri(),
                         find_links=(str(wheels),))

    async def work(client: IndexClient) -> tuple[ProjectPage, CoreMetadata]:
        page = await client.project("demo")
        assert page is not None
        wheel = next(f for f in page.files if f.is_wheel)
        return page, await client.metadata(wheel)

    page, core = _run(settings, lambda r: httpx.Response(500), work)
    assert sorted(f.filename for f in page.files) == ["demo-1.0-py3-none-any.whl",
                                                       "demo-1.0.tar.gz"]
    assert core.source == "local"


def test_not_found_is_cached_for_offline(tmp_path: Path) -> None:
    missing = _run(_settings(tmp_path), lambda r: httpx.Response(404), lambda c: c.project("x"))
    assert missing is None
    assert _run(_settings(tmp_path, offline=True), lambda r: httpx.Response(500),
                lambda c: c.project("x")) is None


def test_last_modified_revalidation(tmp_path: Path, simple_data: Path) -> None:
    stamp = "Sat, 21 Nov 2026 10:00:00 GMT"

    def handler(request: httpx.Request) -> httpx.Response:
        if request.headers.get("if-modified-since") == stamp:
            return httpx.Response(304)
        response = _pages(simple_data)(request)
        response.headers["last-modified"] = stamp
        return response

    _run(_settings(tmp_path), handler, lambda c: c.project("packaging"))
    second = Recorder(handler)

    async def work(client: IndexClient) -> ClientStats:
        await client.project("packaging")
        return client.stats()

    assert _run(_settings(tmp_path), second, work).revalidated == 1


def test_concurrency_is_bounded(tmp_path: Path) -> None:
    in_flight, peak = 0, 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return httpx.Response(404)

    async def main() -> None:
        settings = _settings(tmp_path, max_concurrency=3, no_cache=True)
        async with IndexClient(settings, transport=httpx.MockTransport(handler)) as client:
            await asyncio.gather(*(client.project(f"p{i}") for i in range(12)))

    asyncio.run(main())
    assert peak == 3


def test_server_answering_the_wrong_range_does_not_loop(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(206, content=WHEEL.data[:10],
                              headers={"content-range": f"bytes 0-9/{len(WHEEL.data)}"})

    with pytest.raises(MalformedResponse, match="range replies never held METADATA"):
        _run(_settings(tmp_path), handler, lambda c: c.metadata(_file(None)))


def test_project_list(tmp_path: Path, simple_data: Path) -> None:
    body = (simple_data / "project-list.json").read_bytes()
    listing = _run(_settings(tmp_path),
                   lambda r: httpx.Response(200, content=body, headers={"content-type": JSON}),
                   lambda c: c.project_list())
    assert listing.names == ("attrs", "zope-interface", "flask")


@pytest.mark.parametrize(
    ("fixture", "content_type", "files", "yanked", "with_metadata"),
    [
        ("pypi/simple/numpy/index.html", "text/html", 208, 0, 0),
        ("pypi/simple/numpy/index.json", JSON, 208, 0, 0),
        ("simple/packaging.html", "application/vnd.pypi.simple.v1+html", 108, 2, 0),
        ("simple/packaging.json", JSON, 108, 2, 0),
        ("simple/metadata-files.html", "text/html; charset=utf-8", 4, 2, 2),
        ("simple/metadata-files.json", JSON, 4, 2, 2),
    ],
    ids=["numpy-html", "numpy-json", "packaging-html", "packaging-json", "metadata-html",
         "metadata-json"],
)
def test_captured_pages_through_the_client(tmp_path: Path, simple_data: Path, fixture: str,
                                           content_type: str, files: int, yanked: int,
                                           with_metadata: int) -> None:
    body = (simple_data.parent / fixture).read_bytes()  # a path under tests/data
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": content_type})

    page = _run(_settings(tmp_path), handler, lambda c: c.project("whatever"))
    assert page is not None
    assert len(page.files) == files
    assert sum(f.yanked is not None for f in page.files) == yanked
    assert sum(f.core_metadata is not None for f in page.files) == with_metadata


def test_transport_error_text_is_scrubbed(tmp_path: Path) -> None:
    error = httpx.ConnectError("cannot reach https://bob:hunter2@proxy.example:3128/")
    with pytest.raises(ConnectionFailed) as caught:
        _run(_settings(tmp_path), _raise(error), lambda c: c.project("x"))
    assert "hunter2" not in str(caught.value)
    assert "https://bob:****@proxy.example:3128/" in str(caught.value)


def test_find_links_pages_over_http_and_file(tmp_path: Path) -> None:
    local_page = tmp_path / "links.html"
    local_page.write_text('<a href="wheels/demo-2.0.tar.gz">demo-2.0.tar.gz</a>'
                          '<a href="wheels/other-1.0.tar.gz">other-1.0.tar.gz</a>')

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "links.example":
            body = b'<a href="/d/demo-3.0-py3-none-any.whl#sha256=aa">w</a>'
            return httpx.Response(200, content=body, headers={"content-type": "text/html"})
        return httpx.Response(404)

    settings = _settings(tmp_path, find_links=("https://links.example/", str(local_page)))
    page = _run(settings, handler, lambda c: c.project("demo"))
    assert page is not None
    assert [f.url for f in page.files] == [
        "https://links.example/d/demo-3.0-py3-none-any.whl",
        (tmp_path / "wheels" / "demo-2.0.tar.gz").as_uri(),
    ]


def test_merged_versions_sort_as_versions(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        versions = ["1.9", "1.10"] if request.url.host == "idx.example" else ["1.2", "junk"]
        body = f'{{"meta": {{"api-version": "1.1"}}, "name": "x", "files": [], ' \
               f'"versions": {versions!r}}}'.replace("'", '"')
        return httpx.Response(200, content=body.encode(), headers={"content-type": JSON})

    settings = _settings(tmp_path, extra_index_urls=("https://two.example/simple/",))
    page = _run(settings, handler, lambda c: c.project("x"))
    assert page is not None
    assert page.versions == ("junk", "1.2", "1.9", "1.10")


# -- limits and trust ------------------------------------------------------------------------


class _Stream(httpx.AsyncByteStream):
    """A body that arrives in pieces (optionally slowly), as from a socket."""

    def __init__(self, pieces: list[bytes], pause: float = 0.0) -> None:
        self.pieces, self.pause = pieces, pause

    async def __aiter__(self):  # type: ignore[no-untyped-def]  # AsyncIterator[bytes]
        for piece in self.pieces:
            if self.pause:
                await asyncio.sleep(self.pause)
            yield piece


def _json_page(url: str) -> bytes:
    import json

    return json.dumps({"meta": {"api-version": "1.1"}, "name": "alpha", "files": [
        {"filename": "alpha-1.0-py3-none-any.whl", "url": url, "hashes": {}}]}).encode()


def _streamed(body: list[bytes], headers: dict[str, str] | None = None,
              pause: float = 0.0) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=_Stream(body, pause),
                              headers={"content-type": JSON, **(headers or {})})
    return handler


def test_a_gzip_page_is_decoded_in_bounded_steps(tmp_path: Path) -> None:
    import gzip

    body = gzip.compress(_json_page("https://files.example/alpha-1.0-py3-none-any.whl"))
    handler = _streamed([body[:10], body[10:]], {"content-encoding": "gzip"})
    page = _run(_settings(tmp_path), handler, lambda c: c.project("alpha"))
    assert page is not None
    assert [f.filename for f in page.files] == ["alpha-1.0-py3-none-any.whl"]


@pytest.mark.parametrize(
    ("pieces", "headers", "how"),
    [
        ([b"x" * 4096] * 100, {}, "sent"),
        ([b"x"], {"content-length": str(1 << 40)}, "declares"),
    ],
    ids=["streamed", "declared"],
)
def test_a_page_past_its_size_limit_is_one_error(
    tmp_path: Path, pieces: list[bytes], headers: dict[str, str], how: str
) -> None:
    from wheelscout.errors import ResponseTooLarge
    from wheelscout.limits import NetworkLimits, ResponseLimit

    limits = NetworkLimits(pages=ResponseLimit(max_bytes=64 * 1024, deadline=10))
    settings = _settings(tmp_path, limits=limits)
    with pytest.raises(ResponseTooLarge, match=f"'{INDEX}alpha/' {how} more than 64 KiB, "
                       "the limit for pages \\(WHEELSCOUT_MAX_PAGE_SIZE raises it\\)"):
        _run(settings, _streamed(pieces, headers), lambda c: c.project("alpha"))


def test_a_slow_page_ends_at_its_deadline(tmp_path: Path) -> None:
    from wheelscout.limits import NetworkLimits, ResponseLimit

    limits = NetworkLimits(pages=ResponseLimit(max_bytes=1 << 20, deadline=0.3))
    handler = _streamed([b"{"] * 100, pause=0.05)
    with pytest.raises(IndexTimeout, match=r"took longer than 0\.3 s, the limit for pages"):
        _run(_settings(tmp_path, limits=limits), handler, lambda c: c.project("alpha"))


@pytest.mark.parametrize(
    "url", ["file:///etc/alpha-1.0-py3-none-any.whl", "ftp://h/alpha-1.0-py3-none-any.whl"],
    ids=["file", "ftp"],
)
def test_a_remote_page_links_only_to_http(
    tmp_path: Path, url: str, caplog: pytest.LogCaptureFixture
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=_json_page(url), headers={"content-type": JSON})

    page = _run(_settings(tmp_path), handler, lambda c: c.project("alpha"))
    assert page is not None
    assert page.files == ()
    assert "ignored 1 link(s)" in caplog.text


def test_a_drip_ends_at_the_minimum_rate_before_its_deadline(tmp_path: Path) -> None:
    from wheelscout.limits import NetworkLimits

    limits = NetworkLimits(min_bytes_per_second=1024, slow_grace_seconds=0.3)
    handler = _streamed([b"{"] * 100, pause=0.05)  # 20 bytes/s
    with pytest.raises(IndexTimeout, match=r"sent \d+ bytes in 0 s, slower than the minimum of "
                       r"1024 bytes/s"):
        _run(_settings(tmp_path, limits=limits), handler, lambda c: c.project("alpha"))
