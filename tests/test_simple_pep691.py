from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.mirror import FIXTURES
from wheelscout.errors import MalformedResponse
from wheelscout.simple import is_json, parse_project_list, parse_project_page
from wheelscout.simple.pep691 import parse_project_json

PAGE = "https://example.org/simple/attrs/"


def _twins(simple_data: Path, project: str) -> tuple[Path, Path]:
    # numpy's one capture is the mirror's (tests/data/pypi, scripts/capture_pypi_fixtures.py).
    if project == "numpy":
        folder = FIXTURES / "simple" / "numpy"
        return folder / "index.html", folder / "index.json"
    return simple_data / f"{project}.html", simple_data / f"{project}.json"


@pytest.mark.parametrize("project", ["packaging", "numpy"], ids=["packaging", "numpy"])
def test_json_twin_equals_html(simple_data: Path, project: str) -> None:
    url = f"https://pypi.org/simple/{project}/"
    html_page, json_page = _twins(simple_data, project)
    from_html = parse_project_page(html_page.read_bytes(), "text/html", url, project)
    from_json = parse_project_page(json_page.read_bytes(),
                                   "application/vnd.pypi.simple.v1+json", url, project)
    assert from_json.files == from_html.files


def test_pep700_and_pep714_fields(simple_data: Path) -> None:
    page = parse_project_json((simple_data / "metadata-files.json").read_bytes(), PAGE, "attrs")
    assert page.versions == ("20.1.0", "21.1.0", "25.4.0")
    assert page.api_version == "1.1"
    wheel, sdist, old, broken = page.files
    assert wheel.size == 67615
    assert wheel.upload_time == "2025-10-06T13:54:43.123456Z"
    assert wheel.core_metadata == {
        "sha256": "8ac5b34e3fe5e4b4ab8e8ac6d6fcd57c0ee1d20d5e43c7e6e5c4e3dd8f0a1e2b"
    }
    assert sdist.url == "https://example.org/packages/bb/attrs-25.4.0.tar.gz"
    assert sdist.core_metadata is None
    assert (old.core_metadata, old.yanked) == ({}, "")
    assert (broken.yanked, broken.url) == ("broken release", PAGE + "attrs-20.1.0.tar.gz")


def _page(**changes: object) -> bytes:
    document: dict[str, object] = {"meta": {"api-version": "1.0"}, "name": "x", "files": [
        {"filename": "x-1.tar.gz", "url": "x-1.tar.gz", "hashes": {}}]}
    document.update(changes)
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b"{not json", "is not valid JSON"),
        (b"[]", "top level is not an object"),
        (_page(meta={"api-version": "2.0"}), "unsupported major version '2.0'"),
        (_page(meta={}), "missing key in 'meta.api-version'"),
        (_page(files=[{"filename": "x-1.tar.gz", "url": "u", "hashes": []}]),
         r"expected an object of strings in 'files\[0\].hashes'"),
        (_page(files=[{"filename": "x-1.tar.gz", "url": "u", "hashes": {}, "size": "1"}]),
         r"unexpected str in 'files\[0\].size'"),
        (_page(files=[{"url": "u", "hashes": {}}]), r"missing key in 'files\[0\].filename'"),
        (b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
         r"nests arrays or objects more than \d+ levels deep"),
        (b'{"meta": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_001,
         r"nests arrays or objects more than \d+ levels deep"),
    ],
    ids=["bad-json", "not-object", "major-2", "no-version", "bad-hashes", "bad-size",
         "no-filename", "deep-arrays", "deep-objects"],
)
def test_malformed(body: bytes, match: str) -> None:
    with pytest.raises(MalformedResponse, match=match):
        parse_project_json(body, PAGE, "x")


def test_minor_versions_accepted() -> None:
    assert parse_project_json(_page(meta={"api-version": "1.4"}), PAGE, "x").api_version == "1.4"


def test_project_list_json(simple_data: Path) -> None:
    body = (simple_data / "project-list.json").read_bytes()
    listing = parse_project_list(body, "application/vnd.pypi.simple.v1+json; charset=utf-8", PAGE)
    assert listing.names == ("attrs", "zope-interface", "flask")


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [("application/vnd.pypi.simple.v1+json", True), ("text/html; charset=utf-8", False),
     ("application/vnd.pypi.simple.v1+html", False), (None, False)],
    ids=["json", "html", "v1-html", "none"],
)
def test_is_json(content_type: str | None, expected: bool) -> None:
    assert is_json(content_type) is expected
