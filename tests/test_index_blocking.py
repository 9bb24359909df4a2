from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.support.indexgen import Release, release_wheel
from wheelscout.errors import ConnectionFailed
from wheelscout.index import IndexSettings
from wheelscout.index.blocking import BlockingIndexClient
from wheelscout.model.project import DistFile

WHEEL = release_wheel(Release("demo", "1.0", ("dep",)))


def _handler(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/simple/demo/":
        body = f'<a href="/f/{WHEEL.filename}#sha256={WHEEL.sha256}">w</a>'.encode()
        return httpx.Response(200, content=body, headers={"content-type": "text/html"})
    if request.url.path.startswith("/f/"):
        return httpx.Response(200, content=WHEEL.data)
    return httpx.Response(500)


def _settings(tmp_path: Path) -> IndexSettings:
    return IndexSettings(index_url="https://idx.example/simple/", cache_dir=tmp_path / "c",
                         retries=0, backoff=0.0)


def test_blocking_calls_and_prefetch(tmp_path: Path) -> None:
    transport = httpx.MockTransport(_handler)
    with BlockingIndexClient(_settings(tmp_path), transport=transport) as client:
        page = client.project("demo")
        assert page is not None
        client.prefetch(page.files)
        core = client.metadata(page.files[0])
        assert [str(r) for r in core.requires_dist] == ["dep"]
        assert client.stats().requests == 2  # page, then one fetch shared by both calls


def test_errors_cross_the_thread(tmp_path: Path) -> None:
    transport = httpx.MockTransport(_handler)
    broken = DistFile(filename="x-1-py3-none-any.whl", url="https://idx.example/x/x.whl")
    with BlockingIndexClient(_settings(tmp_path), transport=transport) as client:
        client.prefetch([broken])
        with pytest.raises(ConnectionFailed, match="answered HTTP 500"):
            client.metadata(broken)
