"""The loopback static server: content negotiation, ranges, errors and the request log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.server import JSON_TYPE, MirrorServer

pytestmark = pytest.mark.integration

BODY = bytes(range(256)) * 4  # 1024 bytes


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("static")
    (base / "simple" / "demo").mkdir(parents=True)
    (base / "simple" / "demo" / "index.json").write_text('{"name": "demo"}')
    (base / "simple" / "demo" / "index.html").write_text("<html>demo</html>")
    (base / "files").mkdir()
    (base / "files" / "demo-1.0-py3-none-any.whl").write_bytes(BODY)
    return base


@pytest.fixture
def server(root: Path) -> Iterator[MirrorServer]:
    with MirrorServer(root) as running:
        yield running


@pytest.fixture
def client(server: MirrorServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url) as http:
        yield http


PIP_ACCEPT = f"{JSON_TYPE}, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01"


@pytest.mark.parametrize(("accept", "expected_type"), [
    (PIP_ACCEPT, JSON_TYPE),
    ("text/html", "text/html; charset=utf-8"),
    ("", "text/html; charset=utf-8"),
    (f"{JSON_TYPE}; q=0.1, text/html", "text/html; charset=utf-8"),
], ids=["pip-prefers-json", "html-only-client", "no-accept", "html-preferred"])
def test_project_page_is_negotiated(client: httpx.Client, accept: str, expected_type: str) -> None:
    response = client.get("/simple/demo/", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.headers["content-type"] == expected_type


def test_json_can_be_withheld_to_test_html_fallback(root: Path) -> None:
    with MirrorServer(root, formats=("html",)) as html_only, httpx.Client() as http:
        response = http.get(f"{html_only.index_url}demo/", headers={"Accept": PIP_ACCEPT})
    assert response.headers["content-type"].startswith("text/html")


def test_json_only_server_refuses_html_only_clients(root: Path) -> None:
    with MirrorServer(root, formats=("json",)) as json_only, httpx.Client() as http:
        response = http.get(f"{json_only.index_url}demo/", headers={"Accept": "text/html"})
    assert response.status_code == 404


@pytest.mark.parametrize(("header", "status", "content", "content_range"), [
    ("bytes=0-9", 206, BODY[:10], "bytes 0-9/1024"),
    ("bytes=1000-", 206, BODY[1000:], "bytes 1000-1023/1024"),
    ("bytes=-22", 206, BODY[-22:], "bytes 1002-1023/1024"),
    ("bytes=1000-5000", 206, BODY[1000:], "bytes 1000-1023/1024"),
    ("bytes=2000-", 416, b"", "bytes */1024"),
    ("bytes=0-1,5-6", 200, BODY, None),
], ids=["first-bytes", "open-ended", "suffix", "clamped", "unsatisfiable", "multi-range-ignored"])
def test_ranges(
    client: httpx.Client, header: str, status: int, content: bytes, content_range: str | None
) -> None:
    response = client.get("/files/demo-1.0-py3-none-any.whl", headers={"Range": header})
    assert (response.status_code, response.content) == (status, content)
    assert response.headers.get("content-range") == content_range


def test_head_sends_length_and_no_body(client: httpx.Client, server: MirrorServer) -> None:
    response = client.head("/files/demo-1.0-py3-none-any.whl")
    assert response.headers["content-length"] == "1024"
    assert response.headers["accept-ranges"] == "bytes"
    assert server.log[-1].bytes_sent == 0


@pytest.mark.parametrize("path", ["/simple/missing/", "/files/nothing.whl", "/../etc/passwd",
                                  "/%2e%2e/%2e%2e/etc/passwd"],
                         ids=["missing-project", "missing-file", "dot-dot", "encoded-dot-dot"])
def test_not_found(client: httpx.Client, path: str) -> None:
    assert client.get(path).status_code == 404


def test_directory_without_slash_redirects(client: httpx.Client) -> None:
    response = client.get("/simple/demo")
    assert (response.status_code, response.headers["location"]) == (301, "/simple/demo/")


def test_log_counts_requests_and_bytes(client: httpx.Client, server: MirrorServer) -> None:
    client.get("/simple/demo/", headers={"Accept": JSON_TYPE})
    client.get("/files/demo-1.0-py3-none-any.whl")
    client.get("/files/demo-1.0-py3-none-any.whl", headers={"Range": "bytes=0-9"})
    stats = server.stats()
    assert (stats.requests, stats.pages, stats.distributions, stats.range_requests) == (3, 1, 2, 1)
    assert stats.bytes_sent == len('{"name": "demo"}') + 1024 + 10
    server.reset_log()
    assert server.stats().requests == 0


def test_cache_headers_and_conditional_requests(client: httpx.Client) -> None:
    first = client.get("/simple/demo/", headers={"Accept": JSON_TYPE})
    assert first.headers["cache-control"] == "max-age=600, public"
    again = client.get("/simple/demo/", headers={"Accept": JSON_TYPE,
                                                 "If-None-Match": first.headers["etag"]})
    assert (again.status_code, again.content) == (304, b"")
    wheel = client.get("/files/demo-1.0-py3-none-any.whl")
    assert "immutable" in wheel.headers["cache-control"]


def test_cache_headers_can_be_turned_off(root: Path) -> None:
    with MirrorServer(root, cache_headers=False) as plain, httpx.Client() as http:
        response = http.get(f"{plain.url}/files/demo-1.0-py3-none-any.whl")
    assert "etag" not in response.headers
    assert "cache-control" not in response.headers


def test_ranges_can_be_turned_off(root: Path) -> None:
    with MirrorServer(root, ranges=False) as plain, httpx.Client() as http:
        response = http.get(f"{plain.url}/files/demo-1.0-py3-none-any.whl",
                            headers={"Range": "bytes=0-9"})
    assert (response.status_code, response.content) == (200, BODY)
    assert response.headers["accept-ranges"] == "none"
