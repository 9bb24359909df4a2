"""The capture script's offline parts: anchor parsing, PEP 691 conversion, range-read METADATA."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from tests.support.mirror import Mirror, build_mirror
from tests.support.server import MirrorServer

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "capture_pypi_fixtures.py"


@pytest.fixture(scope="module")
def capture() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("capture_pypi_fixtures", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


LINE = ('<a href="https://files.example/numpy-2.3.0-cp312-cp312-win_arm64.whl#sha256=ab12" '
        'data-requires-python="&gt;=3.11" data-yanked="broken &amp; pulled" '
        'data-core-metadata="sha256=cd34">numpy-2.3.0-cp312-cp312-win_arm64.whl</a><br/>\n')


def test_anchor_line_converts_to_pep691(capture: ModuleType) -> None:
    anchor = capture.parse_anchor_line(LINE)
    assert capture.to_pep691("numpy", [anchor])["files"] == [{
        "filename": "numpy-2.3.0-cp312-cp312-win_arm64.whl",
        "url": "https://files.example/numpy-2.3.0-cp312-cp312-win_arm64.whl",
        "hashes": {"sha256": "ab12"},
        "requires-python": ">=3.11",
        "yanked": "broken & pulled",
        "core-metadata": {"sha256": "cd34"},
    }]


@pytest.mark.parametrize(("line", "expected"), [
    ('<a href="x.whl#sha256=00" data-yanked="">x-1.0-py3-none-any.whl</a>', True),
    ('<a href="x.whl#sha256=00">x-1.0-py3-none-any.whl</a>', None),
], ids=["yanked-without-reason", "not-yanked"])
def test_yanked_without_reason_is_true(capture: ModuleType, line: str, expected: object) -> None:
    entry = capture.to_pep691("x", [capture.parse_anchor_line(line)])["files"][0]
    assert entry.get("yanked") == expected


def test_newest_skips_prereleases_and_fully_yanked_versions(capture: ModuleType) -> None:
    lines = ['<a href="a">p-1.0.tar.gz</a>', '<a href="b">p-2.0rc1.tar.gz</a>',
             '<a href="c" data-yanked="">p-1.5.tar.gz</a>', '<a href="d">p-0.9.tar.gz</a>']
    anchors = [capture.parse_anchor_line(line) for line in lines]
    chosen = capture.select_versions(anchors, ["newest", "0.9"])
    assert sorted(str(v) for v in chosen) == ["0.9", "1.0"]


@pytest.mark.integration
def test_metadata_is_read_with_ranges_not_a_download(capture: ModuleType, mirror: Mirror) -> None:
    filename = "numpy-2.5.5-cp312-cp312-win_arm64.whl"
    with MirrorServer(mirror.root) as server, httpx.Client() as client:
        entry = {"filename": filename, "url": f"{server.url}/files/{filename}", "hashes": {}}
        body, method, transferred = capture.fetch_metadata(client, entry)
        log = server.log
    served = (mirror.root / "files" / filename).stat().st_size
    assert method == "range"
    assert body.startswith(b"Metadata-Version: ")
    assert all(r.range is not None for r in log if r.method == "GET")
    assert transferred <= served


@pytest.mark.integration
def test_small_wheel_is_downloaded_when_ranges_are_refused(
    capture: ModuleType, mirror: Mirror
) -> None:
    served = mirror.file("six-1.17.0-py2.py3-none-any.whl")
    with MirrorServer(mirror.root, ranges=False) as server, httpx.Client() as client:
        entry = {"filename": served.filename, "url": f"{server.url}/files/{served.filename}",
                 "hashes": {"sha256": served.sha256}}
        body, method, transferred = capture.fetch_metadata(client, entry)
    assert (method, transferred) == ("download", served.size)
    assert b"\nName: six\n" in body


@pytest.mark.integration
def test_advertised_metadata_file_is_used_and_checked(
    capture: ModuleType, tmp_path: Path
) -> None:
    small = build_mirror(tmp_path, projects=["six"], metadata_files=True)
    served = small.file("six-1.17.0-py2.py3-none-any.whl")
    with MirrorServer(small.root) as server, httpx.Client() as client:
        entry = {"filename": served.filename, "url": f"{server.url}/files/{served.filename}",
                 "hashes": {}, "core-metadata": {"sha256": served.metadata_sha256}}
        body, method, _ = capture.fetch_metadata(client, entry)
        wrong = {**entry, "core-metadata": {"sha256": "0" * 64}}
        with pytest.raises(RuntimeError, match="sha256 mismatch"):
            capture.fetch_metadata(client, wrong)
        log = server.log
    assert method == "metadata-file"
    assert body.startswith(b"Metadata-Version: ")
    assert {r.path for r in log} == {f"/files/{served.filename}.metadata"}
