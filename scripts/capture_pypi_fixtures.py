#!/usr/bin/env python3
"""Capture small, trimmed PyPI fixtures for wheelscout's tests.

For a few NAMED projects (no scanning), this fetches the PEP 503 simple page from PyPI, keeps only
the versions the tests need, and writes under ``tests/data/pypi/``:

- ``simple/<name>/index.html``: the captured HTML page, anchor lines of other versions removed,
  every kept line byte-for-byte as PyPI served it;
- ``simple/<name>/index.json``: the same files as PEP 691 JSON (api-version 1.0), converted
  faithfully: url, hashes, requires-python, yanked (reason kept), core-metadata / dist-info-metadata
  only where the HTML advertises them;
- ``metadata/<name>/<wheel filename>.metadata``: the real core METADATA of one representative
  wheel per kept version, obtained cheaply: the ``.metadata`` file when the page offers it, else
  HTTP range reads of the wheel's zip directory and METADATA member, else (small files only) a
  whole download;
- ``manifest.json``: what was captured, when, from where, and how each METADATA was obtained.

``--set matrix`` and ``--set scale`` write the benchmarks' sets under ``benchmarks/data/`` the
same way; ``scale`` walks the dependency tree from its roots instead of naming every project.
The mirror builder (``tests/support/mirror.py``) turns these into a servable loopback index.
Run: ``python scripts/capture_pypi_fixtures.py`` (needs network; tests never do).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import sys
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag

import httpx
from packaging.markers import Marker
from packaging.metadata import Metadata
from packaging.requirements import Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "pypi"
INDEX = "https://pypi.org/simple/"

# Named projects and the versions the tests need. "newest" = newest final, non-yanked release.
PROJECTS: dict[str, list[str]] = {
    # win_arm64 wheels only from 2.3.0; 1.26.2 is the canonical "build on win_arm64".
    "numpy": ["1.26.2", "2.2.6", "2.3.0", "newest"],
    # 45.0.7: no win_arm64; 46.0.3: cp311-abi3 / cp38-abi3 / cp314t win_arm64 wheels;
    # newest (46.0.4 on dropped win_arm64 again): no win_arm64.
    "cryptography": ["45.0.7", "46.0.3", "newest"],
    "cffi": ["newest"],
    "pycparser": ["newest"],
    "pandas": ["newest"],
    "python-dateutil": ["newest"],
    "pytz": ["newest"],
    "tzdata": ["newest"],
    "six": ["newest"],
    "requests": ["newest"],
    "charset-normalizer": ["newest"],
    "idna": ["newest"],
    "urllib3": ["newest"],
    "certifi": ["newest"],
    # 6.0.2: no win_arm64 wheel at all (sdist only there); 6.0.3 adds cp312+ win_arm64.
    "pyyaml": ["6.0.2", "6.0.3"],
    # The failure path (issue 10): psycopg[binary] on win_arm64, every release, because pip and
    # uv walk them all; psycopg-binary has no win_arm64 wheel and no sdist in any release.
    "psycopg": ["all"],
    "psycopg-binary": ["all"],
    "typing-extensions": ["newest"],
    # 0.14.0's METADATA is invalid ('click (>=7.*)'): pip 26 and uv skip that release.
    "uvicorn": ["0.14.0", "newest"],
    "click": ["newest"],
    "h11": ["newest"],
    "asgiref": ["newest"],
    # scan's known cells: a pure project whose dependency (cryptography) builds on win_arm64
    # (typing-extensions, above, is its dependency on older Pythons too).
    "pyopenssl": ["newest"],
    # scan's curated n/a list: Windows only.
    "pywin32": ["newest"],
}
# The benchmark's tree (issue 13): `scikit-learn matplotlib scipy pandas` and their dependencies
# (18 projects when the issue was filed; joblib and scikit-learn have since added two)
# on CPython 3.12, newest release each. Captured with
# ``python scripts/capture_pypi_fixtures.py --set matrix`` into benchmarks/data/pypi-matrix.
MATRIX: dict[str, list[str]] = {name: ["newest"] for name in (
    "scikit-learn", "matplotlib", "scipy", "pandas", "numpy", "joblib", "threadpoolctl",
    "contourpy", "cycler", "fonttools", "kiwisolver", "packaging", "pillow", "pyparsing",
    "python-dateutil", "pytz", "tzdata", "six", "cloudpickle", "narwhals")}
# The scale benchmark's tree (issue 13, item 7): `jupyterlab dask[complete]` was 110 projects on
# CPython 3.12 when captured, so common roots with trees of their own bring it past 150 (155-160
# packages per target, 162 projects). Captured with ``--set scale`` into benchmarks/data/pypi-scale
# by walking the dependency tree from these roots (extras included, markers evaluated on the five
# targets below), newest release each, plus SCALE_OLDER.
SCALE_ROOTS: tuple[str, ...] = (
    "jupyterlab", "dask[complete]", "matplotlib", "seaborn", "sympy", "networkx", "sphinx",
    "boto3", "pytest", "black", "sqlalchemy", "flask", "pydantic", "rich", "typer", "tqdm")
# Older releases the wheels-only resolution picks (uv on pypi.org, 2026-12-01, five targets):
# pyarrow has no win_arm64 or musllinux wheel, so there dask[complete] backtracks to 2023.3.0,
# whose complete extra does not require pyarrow, and with it distributed and bokeh; on every
# target the tree's own bounds exclude the newest docutils (sphinx: <0.23), mpmath (sympy: <1.4)
# and python-dateutil (botocore: <3).
SCALE_OLDER: dict[str, list[str]] = {
    "dask": ["2023.3.0"], "distributed": ["2023.3.0"], "bokeh": ["2.4.3"],
    "docutils": ["0.22.4"], "mpmath": ["1.3.0"], "python-dateutil": ["2.9.0.post0"]}
SETS: dict[str, tuple[dict[str, list[str]], Path]] = {
    "tests": (PROJECTS, DATA),
    "matrix": (MATRIX, ROOT / "benchmarks" / "data" / "pypi-matrix"),
    "scale": (SCALE_OLDER, ROOT / "benchmarks" / "data" / "pypi-scale"),
}
# Sets captured by walking the tree from roots (the set's dict names only the extra versions).
TREES: dict[str, tuple[str, ...]] = {"scale": SCALE_ROOTS}

# Projects whose page is trimmed to some files of each kept version (the whole psycopg-binary
# page is 1.2 MB): only anchors whose file name contains one of these stay.
KEEP_FILES: dict[str, tuple[str, ...]] = {
    "psycopg-binary": ("-cp312-cp312-win_amd64.whl", "-cp312-cp312-manylinux_2_17_x86_64"),
}

# Environments used only to check that the captured set is closed under dependencies.
CLOSURE_ENVIRONMENTS: list[dict[str, str]] = [
    {"sys_platform": "win32", "platform_machine": "ARM64", "os_name": "nt",
     "platform_system": "Windows"},
    {"sys_platform": "win32", "platform_machine": "AMD64", "os_name": "nt",
     "platform_system": "Windows"},
    {"sys_platform": "linux", "platform_machine": "aarch64", "os_name": "posix",
     "platform_system": "Linux"},
    {"sys_platform": "darwin", "platform_machine": "arm64", "os_name": "posix",
     "platform_system": "Darwin"},
    {"sys_platform": "linux", "platform_machine": "x86_64", "os_name": "posix",
     "platform_system": "Linux"},
]
# pip evaluates markers on its host, whatever --platform and --python-version say: the benchmarks
# run it on this machine (CPython 3.11, Linux x86_64), so a tree walk covers that too.
PIP_HOST = {"sys_platform": "linux", "platform_machine": "x86_64", "os_name": "posix",
            "platform_system": "Linux", "python_version": "3.11", "python_full_version": "3.11.7"}
PYTHON_ENV = {"python_version": "3.12", "python_full_version": "3.12.0",
              "implementation_name": "cpython", "platform_python_implementation": "CPython",
              "extra": ""}

SMALL_FILE = 2_000_000  # bytes: below this a whole download is acceptable
BLOCK = 64 * 1024


@dataclass(slots=True, kw_only=True)
class Anchor:
    filename: str
    href: str
    attrs: dict[str, str | None]
    line: str


class _AnchorParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[tuple[dict[str, str | None], str]] = []
        self._attrs: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._attrs, self._text = dict(attrs), []

    def handle_data(self, data: str) -> None:
        if self._attrs is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._attrs is not None:
            self.anchors.append((self._attrs, "".join(self._text).strip()))
            self._attrs = None


def parse_anchor_line(line: str) -> Anchor | None:
    """PyPI writes one anchor per line; parse that line alone so it can be kept verbatim."""
    if "<a " not in line:
        return None
    parser = _AnchorParser()
    parser.feed(line)
    parser.close()
    if len(parser.anchors) != 1:
        raise SystemExit(f"expected one anchor per line, got {line!r}")
    attrs, text = parser.anchors[0]
    return Anchor(filename=text, href=attrs.get("href") or "", attrs=attrs, line=line)


def file_version(filename: str) -> Version | None:
    try:
        if filename.endswith(".whl"):
            return parse_wheel_filename(filename)[1]
        return parse_sdist_filename(filename)[1]
    except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion):
        return None  # .exe, .egg, .msi and other legacy uploads: never selected


def select_versions(anchors: Iterable[Anchor], wanted: list[str]) -> set[Version]:
    by_version: dict[Version, list[Anchor]] = {}
    for anchor in anchors:
        version = file_version(anchor.filename)
        if version is not None:
            by_version.setdefault(version, []).append(anchor)
    chosen: set[Version] = set()
    for spec in wanted:
        if spec == "all":
            chosen.update(by_version)
        elif spec == "newest":  # for CPython 3.12, as pip would pick it
            finals = [v for v, files in by_version.items()
                      if not v.is_prerelease and not v.is_devrelease
                      and not all("data-yanked" in a.attrs for a in files)
                      and any(_admits_python(a) for a in files)]
            chosen.add(max(finals))
        elif Version(spec) in by_version:
            chosen.add(Version(spec))
        else:
            raise SystemExit(f"version {spec!r} not on the page")
    return chosen


def _admits_python(anchor: Anchor) -> bool:
    requires = anchor.attrs.get("data-requires-python")
    try:
        return not requires or SpecifierSet(requires).contains(PYTHON_ENV["python_full_version"])
    except InvalidSpecifier:  # pip ignores an invalid Requires-Python
        return True


def to_pep691(name: str, anchors: list[Anchor]) -> dict[str, Any]:
    return {"meta": {"api-version": "1.0"}, "name": name,
            "files": [_file_json(a) for a in anchors]}


def _file_json(anchor: Anchor) -> dict[str, Any]:
    url, fragment = urldefrag(anchor.href)
    hashes = dict([fragment.split("=", 1)]) if "=" in fragment else {}
    entry: dict[str, Any] = {"filename": anchor.filename, "url": url, "hashes": hashes}
    if (requires_python := anchor.attrs.get("data-requires-python")) is not None:
        entry["requires-python"] = requires_python
    if "data-yanked" in anchor.attrs:
        entry["yanked"] = anchor.attrs["data-yanked"] or True
    for attr, key in (("data-core-metadata", "core-metadata"),
                      ("data-dist-info-metadata", "dist-info-metadata")):
        if attr in anchor.attrs:
            entry[key] = _metadata_flag(anchor.attrs[attr])
    return entry


def _metadata_flag(value: str | None) -> bool | dict[str, str]:
    if value in (None, "", "true"):
        return True
    assert value is not None
    algo, _, digest = value.partition("=")
    return {algo: digest}


class RangeFile(io.RawIOBase):
    """A read-only, seekable view of a remote file, fetched in cached 64 KiB range blocks."""

    def __init__(self, client: httpx.Client, url: str, size: int) -> None:
        self._client, self._url, self._size, self._pos = client, url, size, 0
        self._blocks: dict[int, bytes] = {}
        self.transferred = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: Any) -> int:
        end = min(self._pos + len(buffer), self._size)
        data = b"".join(self._block(b)[max(0, self._pos - b * BLOCK):end - b * BLOCK]
                        for b in range(self._pos // BLOCK, (end - 1) // BLOCK + 1)) \
            if end > self._pos else b""
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)

    def _block(self, index: int) -> bytes:
        if index not in self._blocks:
            start = index * BLOCK
            stop = min(start + BLOCK, self._size) - 1
            response = self._client.get(self._url, headers={"Range": f"bytes={start}-{stop}"})
            if response.status_code != 206:
                raise RuntimeError(f"no range support at {self._url!r}")
            self._blocks[index] = response.content
            self.transferred += len(response.content)
        return self._blocks[index]


def fetch_metadata(client: httpx.Client, entry: dict[str, Any]) -> tuple[bytes, str, int]:
    """The real METADATA of a wheel, and how it was obtained (method, bytes transferred)."""
    url = entry["url"]
    flag = entry.get("core-metadata", entry.get("dist-info-metadata"))
    if flag:
        body = client.get(url + ".metadata").raise_for_status().content
        if isinstance(flag, dict) and "sha256" in flag:
            _check_sha256(body, flag["sha256"], url + ".metadata")
        return body, "metadata-file", len(body)
    size = int(client.head(url).raise_for_status().headers["content-length"])
    try:
        remote = RangeFile(client, url, size)
        return _metadata_member(io.BufferedReader(remote)), "range", remote.transferred
    except RuntimeError:
        if size > SMALL_FILE:
            raise
    body = client.get(url).raise_for_status().content
    _check_sha256(body, entry["hashes"]["sha256"], url)
    return _metadata_member(io.BytesIO(body)), "download", len(body)


def _check_sha256(body: bytes, expected: str, url: str) -> None:
    if hashlib.sha256(body).hexdigest() != expected:
        raise RuntimeError(f"sha256 mismatch for {url!r}")


def _metadata_member(stream: io.BufferedIOBase) -> bytes:
    with zipfile.ZipFile(stream) as archive:
        names = [n for n in archive.namelist()
                 if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
        if len(names) != 1:
            raise RuntimeError(f"wheel has {len(names)} .dist-info/METADATA members")
        return archive.read(names[0])


def representative(files: list[dict[str, Any]]) -> dict[str, Any] | None:
    """One wheel per version whose METADATA stands for all files of that version."""
    wheels = [f for f in files if f["filename"].endswith(".whl")]
    for suffix in ("-none-any.whl", "-cp312-win_amd64.whl", "-abi3-win_amd64.whl", "win_amd64.whl"):
        for wheel in wheels:
            if wheel["filename"].endswith(suffix):
                return wheel
    return wheels[0] if wheels else None


def capture(client: httpx.Client, name: str, wanted: list[str], data: Path) -> dict[str, Any]:
    html = client.get(f"{INDEX}{name}/").raise_for_status().text
    lines = html.splitlines(keepends=True)
    parsed = [(line, parse_anchor_line(line)) for line in lines]
    keep = KEEP_FILES.get(str(canonicalize_name(name)))
    if keep is not None:
        parsed = [(line, a) for line, a in parsed
                  if a is None or any(k in a.filename for k in keep)]
    chosen = select_versions([a for _, a in parsed if a is not None], wanted)
    kept_lines = [line for line, a in parsed if a is None or file_version(a.filename) in chosen]
    kept = [a for _, a in parsed if a is not None and file_version(a.filename) in chosen]
    page = to_pep691(str(canonicalize_name(name)), kept)
    folder = data / "simple" / page["name"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text("".join(kept_lines), encoding="utf-8")
    (folder / "index.json").write_text(json.dumps(page, indent=1) + "\n", encoding="utf-8")
    return {"versions": sorted(str(v) for v in chosen),
            "metadata": _capture_metadata(client, page, chosen, data)}


def _capture_metadata(client: httpx.Client, page: dict[str, Any],
                      chosen: set[Version], data: Path) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for version in sorted(chosen):
        files = [f for f in page["files"] if file_version(f["filename"]) == version]
        wheel = representative(files)
        if wheel is None:
            print(f"  {page['name']} {version}: no wheel, no METADATA", file=sys.stderr)
            continue
        body, method, transferred = fetch_metadata(client, wheel)
        target = data / "metadata" / page["name"] / f"{wheel['filename']}.metadata"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        result[str(version)] = {"from": wheel["filename"], "method": method,
                                "bytes_transferred": transferred,
                                "sha256": hashlib.sha256(body).hexdigest()}
        print(f"  {page['name']} {version}: METADATA of {wheel['filename']} via {method} "
              f"({transferred} bytes)", file=sys.stderr)
    return result


def capture_tree(client: httpx.Client, roots: Iterable[str], older: dict[str, list[str]],
                 data: Path) -> dict[str, Any]:
    """Capture every project reachable from ``roots``: newest release, plus ``older`` ones."""
    captured: dict[str, Any] = {}
    extras: dict[str, set[str]] = {}
    queue = [Requirement(r) for r in roots]
    while queue:
        req = queue.pop(0)
        name = str(canonicalize_name(req.name))
        new = {str(canonicalize_name(e)) for e in req.extras} - extras.setdefault(name, set())
        if name in captured and not new:
            continue
        extras[name] |= new
        if name not in captured:
            print(f"{name}: newest {older.get(name, [])}", file=sys.stderr)
            captured[name] = capture(client, name, ["newest", *older.get(name, [])], data)
        queue.extend(tree_requirements(name, captured[name], extras[name], data))
    return captured


def tree_requirements(name: str, project: dict[str, Any], extras: set[str],
                      data: Path) -> list[Requirement]:
    """The requirements of every captured version of ``name`` that apply on some target."""
    found = []
    for info in project["metadata"].values():
        path = data / "metadata" / name / f"{info['from']}.metadata"
        meta = Metadata.from_email(path.read_bytes(), validate=False)
        try:
            requires = meta.requires_dist or []
        except ValueError:  # invalid on PyPI: resolvers skip the release
            continue
        found += [r for r in requires
                  if _applies(r.marker, extras, [*CLOSURE_ENVIRONMENTS, PIP_HOST])]
    return found


def check_closure(manifest: dict[str, Any], data: Path) -> list[str]:
    """Dependencies (no extras, CPython 3.12, four targets) that the capture does not cover."""
    missing = []
    for name, project in manifest["projects"].items():
        for version, info in project["metadata"].items():
            path = data / "metadata" / name / f"{info['from']}.metadata"
            meta = Metadata.from_email(path.read_bytes(), validate=False)
            try:
                requires = meta.requires_dist or []
            except ValueError:  # invalid on PyPI (uvicorn 0.14.0): resolvers skip the release
                continue
            for req in requires:
                if not _applies(req.marker):
                    continue
                if canonicalize_name(req.name) not in manifest["projects"]:
                    missing.append(f"{name} {version} -> {req}")
    return missing


def _applies(marker: Marker | None, extras: Iterable[str] = (),
             environments: Iterable[dict[str, str]] = CLOSURE_ENVIRONMENTS) -> bool:
    if marker is None:
        return True
    return any(marker.evaluate({**PYTHON_ENV, **env, "extra": extra})
               for env in environments for extra in ("", *extras))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("projects", nargs="*", help="subset of the named projects")
    parser.add_argument("--set", choices=sorted(SETS), default="tests",
                        help="which named set (and which directory): the tests' or a benchmark's")
    args = parser.parse_args(argv)
    projects, data = SETS[args.set]
    selected = args.projects or list(projects)
    manifest_path = data / "manifest.json"
    manifest: dict[str, Any] = (json.loads(manifest_path.read_text())
                                if manifest_path.exists() else {"projects": {}})
    manifest.update({"source": INDEX,
                     "captured_at": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%MZ"),
                     "script": "scripts/capture_pypi_fixtures.py"})
    headers = {"User-Agent": "wheelscout-fixture-capture"}
    if args.set in TREES and args.projects:
        raise SystemExit(f"--set {args.set} walks the whole tree: name no projects")
    if args.set in TREES:
        manifest["roots"] = list(TREES[args.set])
    with httpx.Client(headers=headers, follow_redirects=True, timeout=60) as client:
        if args.set in TREES:
            manifest["projects"] = capture_tree(client, TREES[args.set], projects, data)
            selected = []
        for name in selected:
            print(f"{name}: {projects[name]}", file=sys.stderr)
            manifest["projects"][str(canonicalize_name(name))] = capture(
                client, name, projects[name], data)
    manifest["projects"] = dict(sorted(manifest["projects"].items()))
    manifest_path.parent.mkdir(parents=True, exist_ok=True)
    manifest_path.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    for line in check_closure(manifest, data):
        print(f"not captured: {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
