"""The captured fixtures are self-consistent and the mirror built from them is faithful."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import zipfile
from base64 import urlsafe_b64encode
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from packaging.markers import Marker
from packaging.metadata import Metadata
from packaging.utils import canonicalize_name, parse_sdist_filename, parse_wheel_filename

from tests.support.mirror import FIXTURES, Mirror, build_mirror, fixture_projects, load_page
from tests.support.peers import TARGETS

PROJECTS = fixture_projects()
MANIFEST: dict[str, Any] = json.loads((FIXTURES / "manifest.json").read_bytes())


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[dict[str, str | None], str]] = []
        self._open: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._open = dict(attrs)

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self.found.append((self._open, data.strip()))
            self._open = None


def html_files(page: bytes) -> list[dict[str, Any]]:
    """A PEP 503 page as the PEP 691 file dicts it stands for (url without fragment)."""
    parser = _Anchors()
    parser.feed(page.decode())
    files = []
    for attrs, text in parser.found:
        url, _, fragment = (attrs["href"] or "").partition("#")
        algo, _, digest = fragment.partition("=")
        entry: dict[str, Any] = {"filename": text, "url": url, "hashes": {algo: digest}}
        if attrs.get("data-requires-python") is not None:
            entry["requires-python"] = attrs["data-requires-python"]
        if "data-yanked" in attrs:
            entry["yanked"] = attrs["data-yanked"] or True
        if (value := attrs.get("data-core-metadata")) is not None:
            algo, _, digest = value.partition("=")
            entry["core-metadata"] = {algo: digest}
            entry["dist-info-metadata"] = {algo: digest}
        files.append(entry)
    return files


def version_of(filename: str) -> str:
    if filename.endswith(".whl"):
        return str(parse_wheel_filename(filename)[1])
    return str(parse_sdist_filename(filename)[1])


@pytest.mark.parametrize("project", PROJECTS, ids=PROJECTS)
def test_captured_html_and_json_agree(project: str) -> None:
    html = (FIXTURES / "simple" / project / "index.html").read_bytes()
    assert html_files(html) == load_page(project)["files"]


@pytest.mark.parametrize("project", PROJECTS, ids=PROJECTS)
def test_captured_page_holds_exactly_the_manifest_versions(project: str) -> None:
    versions = {version_of(f["filename"]) for f in load_page(project)["files"]}
    assert sorted(versions) == sorted(MANIFEST["projects"][project]["versions"])


METADATA = [(name, version, info) for name, project in MANIFEST["projects"].items()
            for version, info in project["metadata"].items()]


@pytest.mark.parametrize(("project", "version", "info"), METADATA,
                         ids=[f"{n}-{v}" for n, v, _ in METADATA])
def test_captured_metadata_is_real_and_matches_its_file(
    project: str, version: str, info: dict[str, Any]
) -> None:
    body = (FIXTURES / "metadata" / project / f"{info['from']}.metadata").read_bytes()
    meta = Metadata.from_email(body, validate=False)
    assert hashlib.sha256(body).hexdigest() == info["sha256"]
    assert canonicalize_name(meta.name) == project
    assert str(meta.version) == version == version_of(info["from"])


# Captured on purpose: real releases whose METADATA is invalid (resolvers skip them).
INVALID_METADATA = {("uvicorn", "0.14.0"), ("psycopg", "3.0b1")}


def test_captured_set_is_closed_under_dependencies_on_every_target() -> None:
    environments = [_marker_env(t) for t in TARGETS]
    for project, version, info in METADATA:
        body = (FIXTURES / "metadata" / project / f"{info['from']}.metadata").read_bytes()
        if (project, version) in INVALID_METADATA:
            with pytest.raises(ValueError, match="invalid"):
                _ = Metadata.from_email(body, validate=False).requires_dist
            continue
        for req in Metadata.from_email(body, validate=False).requires_dist or []:
            if _applies(req.marker, environments):
                assert canonicalize_name(req.name) in PROJECTS, f"{project} {version}: {req}"


def _marker_env(target: str) -> dict[str, str]:
    platform = {"win_arm64": ("win32", "ARM64"), "win_amd64": ("win32", "AMD64"),
                "manylinux_2_28_aarch64": ("linux", "aarch64"),
                "macos_arm64": ("darwin", "arm64")}[target]
    return {"sys_platform": platform[0], "platform_machine": platform[1],
            "python_version": "3.12", "python_full_version": "3.12.0", "extra": ""}


def _applies(marker: Marker | None, environments: list[dict[str, str]]) -> bool:
    return marker is None or any(marker.evaluate(env) for env in environments)


def test_fixtures_stay_small_and_hold_no_real_distributions() -> None:
    files = [p for p in FIXTURES.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 3_000_000
    assert not [p for p in files if p.name.endswith((".whl", ".tar.gz", ".zip"))]


@pytest.mark.parametrize("project", PROJECTS, ids=PROJECTS)
def test_mirror_pages_keep_files_requires_python_and_yanked(mirror: Mirror, project: str) -> None:
    served = json.loads((mirror.root / "simple" / project / "index.json").read_bytes())
    kept = ("filename", "requires-python", "yanked")
    assert [{k: f[k] for k in kept if k in f} for f in served["files"]] == [
        {k: f[k] for k in kept if k in f} for f in load_page(project)["files"]]
    html = (mirror.root / "simple" / project / "index.html").read_bytes()
    assert html_files(html) == served["files"]


def test_mirror_hashes_match_the_stand_ins(mirror: Mirror) -> None:
    for project in mirror.projects:
        page = json.loads((mirror.root / "simple" / project / "index.json").read_bytes())
        for entry in page["files"]:
            body = (mirror.root / "simple" / project / entry["url"]).resolve().read_bytes()
            assert hashlib.sha256(body).hexdigest() == entry["hashes"]["sha256"], entry["filename"]


@pytest.mark.parametrize("filename", [
    "numpy-1.26.2-cp312-cp312-win_amd64.whl",
    "numpy-2.5.5-cp312-cp312-manylinux_2_27_aarch64.manylinux_2_28_aarch64.whl",
    "PyYAML-6.0.2-cp312-cp312-macosx_11_0_arm64.whl",
    "six-1.17.0-py2.py3-none-any.whl",
], ids=["platform", "compressed-tags", "legacy-name-case", "pure"])
def test_stand_in_wheel_holds_real_metadata_and_a_correct_wheel_file(
    mirror: Mirror, filename: str
) -> None:
    name, version, _, tags = parse_wheel_filename(filename)
    with zipfile.ZipFile(mirror.root / "files" / filename) as wheel:
        dist_info = {n.split("/")[0] for n in wheel.namelist()}
        assert len(dist_info) == 1
        prefix = dist_info.pop()
        metadata = wheel.read(f"{prefix}/METADATA")
        wheel_file = wheel.read(f"{prefix}/WHEEL").decode()
        record = wheel.read(f"{prefix}/RECORD").decode()
    info = MANIFEST["projects"][name]["metadata"][str(version)]
    assert metadata == (FIXTURES / "metadata" / name / f"{info['from']}.metadata").read_bytes()
    assert sorted(line[5:] for line in wheel_file.splitlines() if line.startswith("Tag: ")) == (
        sorted(str(t) for t in tags))
    purelib = all(t.platform == "any" for t in tags)
    assert f"Root-Is-Purelib: {str(purelib).lower()}" in wheel_file
    digest = urlsafe_b64encode(hashlib.sha256(metadata).digest()).rstrip(b"=").decode()
    assert f"{prefix}/METADATA,sha256={digest},{len(metadata)}" in record


def test_stand_in_sdist_holds_pkg_info_and_cannot_be_built(mirror: Mirror) -> None:
    with tarfile.open(mirror.root / "files" / "numpy-1.26.2.tar.gz") as sdist:
        pkg_info = sdist.extractfile("numpy-1.26.2/PKG-INFO")
        pyproject = sdist.extractfile("numpy-1.26.2/pyproject.toml")
        assert pkg_info is not None
        assert pyproject is not None
        meta = Metadata.from_email(pkg_info.read(), validate=False)
        backend = pyproject.read().decode()
    assert (meta.name, str(meta.version)) == ("numpy", "1.26.2")
    assert "must_not_be_built" in backend


def test_build_is_reproducible_and_metadata_files_are_advertised(tmp_path: Path) -> None:
    plain = build_mirror(tmp_path / "a", projects=["six"])
    with_meta = build_mirror(tmp_path / "b", projects=["six"], metadata_files=True)
    assert [f.sha256 for f in plain.files] == [f.sha256 for f in with_meta.files]
    wheel = with_meta.file("six-1.17.0-py2.py3-none-any.whl")
    body = (tmp_path / "b" / "files" / f"{wheel.filename}.metadata").read_bytes()
    assert wheel.metadata_sha256 == hashlib.sha256(body).hexdigest()
    page = json.loads((tmp_path / "b" / "simple" / "six" / "index.json").read_bytes())
    entry = next(f for f in page["files"] if f["filename"] == wheel.filename)
    assert entry["core-metadata"] == {"sha256": wheel.metadata_sha256}
    html = (tmp_path / "b" / "simple" / "six" / "index.html").read_bytes()
    assert html_files(html) == page["files"]
    with zipfile.ZipFile(io.BytesIO((tmp_path / "b" / "files" / wheel.filename).read_bytes())) as z:
        assert z.read("six-1.17.0.dist-info/METADATA") == body


def test_root_index_lists_every_project(mirror: Mirror) -> None:
    listing = json.loads((mirror.root / "simple" / "index.json").read_bytes())
    assert [p["name"] for p in listing["projects"]] == PROJECTS
