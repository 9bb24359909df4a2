"""Build a static package index from one packse scenario file.

packse (astral-sh/packse, the scenarios uv tests its resolver with) describes tiny package
universes in TOML. This module reads one scenario and writes, under ``out_dir``:

- ``files/``: a real wheel per wheel tag (zip with METADATA, WHEEL with its ``Tag`` lines and a
  RECORD with hashes), an sdist (tar.gz with a PKG-INFO, Metadata-Version 2.2 and no
  ``Dynamic``, so its dependencies are static per PEP 643), and ``<wheel>.metadata`` files
  (PEP 658) when enabled;
- ``simple/``: PEP 503 HTML pages (``index.html``, with ``data-requires-python``,
  ``data-yanked`` and ``data-core-metadata``) and PEP 691 JSON pages (``index.json``).

Nothing in these distributions runs: the sdists carry no build script at all.
Serve the directory with :mod:`tests.support.server`, which picks JSON or HTML by the
``Accept`` header as PyPI does.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import io
import json
import re
import sys
import tarfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.tags import parse_tag
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.support.server import serve_directory

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - 3.10 only
    import tomli as tomllib

__all__ = [
    "Expected",
    "IndexFeatures",
    "ScenarioIndex",
    "ScenarioOptions",
    "ServedScenarios",
    "build_scenario_index",
    "load_scenario",
    "scenario_id",
    "scenario_paths",
    "serve_scenarios",
]

DATA = Path(__file__).resolve().parent.parent / "data" / "packse"
#: packse's defaults (scenario.py at 0.3.59): the active Python and every package's floor.
DEFAULT_PYTHON = "3.12"
DEFAULT_REQUIRES_PYTHON = ">=3.12"
#: Scenarios without a ``python_platform`` are host-independent; pin one so runs are stable.
DEFAULT_PLATFORM = "x86_64-manylinux_2_28"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True, slots=True, kw_only=True)
class PackageVersion:
    """One ``[packages.<name>.versions."<v>"]`` table, with packse's defaults filled in."""

    name: str
    version: str
    requires_python: str | None = DEFAULT_REQUIRES_PYTHON
    requires: tuple[str, ...] = ()
    extras: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    sdist: bool = True
    wheel: bool = True
    yanked: bool = False
    wheel_tags: tuple[str, ...] = ("py3-none-any",)


@dataclass(frozen=True, slots=True, kw_only=True)
class ScenarioOptions:
    """``[resolver_options]``: what the resolver is told besides the requirements."""

    no_binary: tuple[str, ...] = ()
    no_build: tuple[str, ...] = ()
    prereleases: bool = False
    universal: bool = False
    required_environments: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Expected:
    """``[expected]``: whether it resolves and, when listed, to which versions."""

    satisfiable: bool
    packages: Mapping[str, str] = field(default_factory=dict, hash=False)
    explanation: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    name: str
    description: str
    root_requirements: tuple[str, ...]
    root_requires_python: str | None
    python_version: str
    python_platform: str
    options: ScenarioOptions
    expected: Expected
    packages: tuple[PackageVersion, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexFeatures:
    """What the built index offers; switch parts off to test fallbacks."""

    metadata_files: bool = True
    static_sdist_metadata: bool = True
    json_pages: bool = True
    html_pages: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class ScenarioIndex:
    """A built index and what to resolve against it.

    ``python_platform`` is uv's spelling (``x86_64-manylinux2014``); ``simple_dir`` is the
    directory to serve as ``/simple``; ``files`` maps each filename to its sha256.
    """

    name: str
    root: Path
    root_requirements: tuple[str, ...]
    root_requires_python: str | None
    python_version: str
    python_platform: str
    options: ScenarioOptions
    expected: Expected
    files: Mapping[str, str] = field(default_factory=dict, hash=False)

    @property
    def simple_dir(self) -> Path:
        return self.root / "simple"


@dataclass(frozen=True, slots=True, kw_only=True)
class ServedScenarios:
    """Built scenarios behind one loopback server; keys are :func:`scenario_id` values."""

    url: str
    indexes: Mapping[str, ScenarioIndex]

    def index_url(self, key: str, *, html_only: bool = False) -> str:
        """The ``/simple`` URL of one scenario; ``html_only`` never negotiates JSON."""
        return f"{self.url}{'/html-only' if html_only else ''}/{key}/simple"


@contextmanager
def serve_scenarios(paths: Iterable[Path], root: Path) -> Iterator[ServedScenarios]:
    """Build each scenario under ``root/<folder>/<name>`` and serve them all from 127.0.0.1.

    Wrap it in a session-scoped fixture so each index is built once per test session.
    """
    indexes = {
        scenario_id(path): build_scenario_index(path, root / path.parent.name / path.stem)
        for path in paths
    }
    with serve_directory(root) as url:
        yield ServedScenarios(url=url, indexes=indexes)


def scenario_id(path: Path) -> str:
    """``<folder>/<name>``, e.g. ``wheels/no-binary``: readable test ids and URL paths."""
    return f"{path.parent.name}/{path.stem}"


def scenario_paths(*folders: str) -> list[Path]:
    """The copied scenario files under ``tests/data/packse/<folder>/``, sorted."""
    return sorted(path for folder in folders for path in (DATA / folder).glob("*.toml"))


def load_scenario(path: Path) -> Scenario:
    """Read a packse scenario TOML with packse's defaults."""
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    root = document.get("root", {})
    environment = document.get("environment", {})
    resolver = document.get("resolver_options", {})
    expected = document["expected"]
    return Scenario(
        name=document["name"],
        description=document.get("description", ""),
        root_requirements=tuple(root.get("requires", [])),
        root_requires_python=root.get("requires_python", DEFAULT_REQUIRES_PYTHON),
        python_version=resolver.get("python") or environment.get("python", DEFAULT_PYTHON),
        python_platform=resolver.get("python_platform") or DEFAULT_PLATFORM,
        options=ScenarioOptions(
            no_binary=tuple(resolver.get("no_binary", [])),
            no_build=tuple(resolver.get("no_build", [])),
            prereleases=resolver.get("prereleases", False),
            universal=resolver.get("universal", False),
            required_environments=tuple(resolver.get("required_environments", [])),
        ),
        expected=Expected(
            satisfiable=expected["satisfiable"],
            packages=dict(expected.get("packages", {})),
            explanation=expected.get("explanation"),
        ),
        packages=tuple(_versions(document.get("packages", {}))),
    )


def _versions(packages: Mapping[str, Any]) -> list[PackageVersion]:
    found = []
    for name, package in packages.items():
        for version, table in package.get("versions", {}).items():
            found.append(
                PackageVersion(
                    name=name,
                    version=version,
                    requires_python=table.get("requires_python", DEFAULT_REQUIRES_PYTHON),
                    requires=tuple(table.get("requires", [])),
                    extras={k: tuple(v) for k, v in table.get("extras", {}).items()},
                    sdist=table.get("sdist", True),
                    wheel=table.get("wheel", True),
                    yanked=table.get("yanked", False),
                    wheel_tags=tuple(table.get("wheel_tags") or ["py3-none-any"]),
                )
            )
    return found


def build_scenario_index(
    scenario_path: Path, out_dir: Path, *, features: IndexFeatures | None = None
) -> ScenarioIndex:
    """Write the scenario's index under ``out_dir`` and say what to resolve against it."""
    features = features or IndexFeatures()
    scenario = load_scenario(scenario_path)
    files_dir = out_dir / "files"
    files_dir.mkdir(parents=True, exist_ok=True)
    pages: dict[str, list[dict[str, Any]]] = {}
    hashes: dict[str, str] = {}
    for package in scenario.packages:
        entries = pages.setdefault(canonicalize_name(package.name), [])
        for filename, data, metadata in _distributions(package, features):
            (files_dir / filename).write_bytes(data)
            hashes[filename] = _sha256(data)
            entry = _file_entry(
                filename, data, package, metadata if features.metadata_files else None
            )
            if metadata is not None and features.metadata_files:
                (files_dir / f"{filename}.metadata").write_bytes(metadata)
            entries.append(entry)
    _write_pages(out_dir / "simple", pages, features)
    return ScenarioIndex(
        name=scenario.name,
        root=out_dir,
        root_requirements=scenario.root_requirements,
        root_requires_python=scenario.root_requires_python,
        python_version=scenario.python_version,
        python_platform=scenario.python_platform,
        options=scenario.options,
        expected=scenario.expected,
        files=hashes,
    )


def _distributions(
    package: PackageVersion, features: IndexFeatures
) -> list[tuple[str, bytes, bytes | None]]:
    """(filename, content, core metadata or None) for every file of one version."""
    result: list[tuple[str, bytes, bytes | None]] = []
    stem = f"{_escape(package.name)}-{Version(package.version)}"
    if package.wheel:
        metadata = core_metadata(package, metadata_version="2.2")
        for tag in package.wheel_tags:
            filename = f"{stem}-{tag}.whl"
            result.append((filename, wheel_bytes(package, tag, metadata), metadata))
    if package.sdist:
        version = "2.2" if features.static_sdist_metadata else "2.1"
        pkg_info = core_metadata(package, metadata_version=version)
        result.append((f"{stem}.tar.gz", sdist_bytes(stem, pkg_info), None))
    return result


def core_metadata(package: PackageVersion, *, metadata_version: str) -> bytes:
    """METADATA / PKG-INFO text; extras become ``Provides-Extra`` plus marked Requires-Dist."""
    lines = [
        f"Metadata-Version: {metadata_version}",
        f"Name: {package.name}",
        f"Version: {package.version}",
    ]
    if package.requires_python:
        lines.append(f"Requires-Python: {package.requires_python}")
    lines.extend(f"Requires-Dist: {requirement}" for requirement in package.requires)
    for extra, requirements in package.extras.items():
        lines.append(f"Provides-Extra: {extra}")
        lines.extend(f"Requires-Dist: {_with_extra(r, extra)}" for r in requirements)
    return ("\n".join(lines) + "\n\n").encode()


def _with_extra(requirement: str, extra: str) -> str:
    text, _, marker = requirement.partition(";")
    condition = f'extra == "{extra}"'
    return (
        f"{text.strip()} ; ({marker.strip()}) and {condition}"
        if marker.strip()
        else f"{text.strip()} ; {condition}"
    )


def wheel_bytes(package: PackageVersion, tag: str, metadata: bytes) -> bytes:
    """A small, valid wheel: one empty module, METADATA, WHEEL with every ``Tag`` line, RECORD."""
    dist_info = f"{_escape(package.name)}-{Version(package.version)}.dist-info"
    tags = sorted(str(t) for t in parse_tag(tag))
    pure = "true" if all(t.endswith("-none-any") for t in tags) else "false"
    wheel = "Wheel-Version: 1.0\nGenerator: wheelscout-tests\n"
    wheel += f"Root-Is-Purelib: {pure}\n" + "".join(f"Tag: {t}\n" for t in tags)
    members = {
        f"{_escape(package.name)}/__init__.py": b"",
        f"{dist_info}/METADATA": metadata,
        f"{dist_info}/WHEEL": wheel.encode(),
    }
    record = "".join(
        f"{path},sha256={_urlsafe_sha256(data)},{len(data)}\n" for path, data in members.items()
    )
    members[f"{dist_info}/RECORD"] = (record + f"{dist_info}/RECORD,,\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in members.items():
            archive.writestr(zipfile.ZipInfo(path, date_time=_ZIP_DATE), data)
    return buffer.getvalue()


def sdist_bytes(stem: str, pkg_info: bytes) -> bytes:
    """A tar.gz holding only ``<stem>/PKG-INFO``: readable, not buildable."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        info = tarfile.TarInfo(f"{stem}/PKG-INFO")
        info.size, info.mtime, info.mode = len(pkg_info), 0, 0o644
        archive.addfile(info, io.BytesIO(pkg_info))
    return gzip.compress(raw.getvalue(), mtime=0)


def _file_entry(
    filename: str, data: bytes, package: PackageVersion, metadata: bytes | None
) -> dict[str, Any]:
    return {
        "filename": filename,
        "url": f"../../files/{filename}",
        "hashes": {"sha256": _sha256(data)},
        "requires-python": package.requires_python,
        "yanked": package.yanked,
        "core-metadata": {"sha256": _sha256(metadata)} if metadata is not None else False,
        "size": len(data),
        "_version": str(Version(package.version)),
    }


def _write_pages(
    simple: Path, pages: Mapping[str, list[dict[str, Any]]], features: IndexFeatures
) -> None:
    simple.mkdir(parents=True, exist_ok=True)
    names = sorted(pages)
    if features.json_pages:
        projects = {"meta": {"api-version": "1.1"}, "projects": [{"name": n} for n in names]}
        (simple / "index.json").write_text(json.dumps(projects, indent=1))
    if features.html_pages:
        links = "".join(f'<a href="{n}/">{n}</a>\n' for n in names)
        (simple / "index.html").write_text(_html("Simple index", links))
    for name, files in pages.items():
        folder = simple / name
        folder.mkdir(exist_ok=True)
        if features.json_pages:
            (folder / "index.json").write_text(json.dumps(_json_page(name, files), indent=1))
        if features.html_pages:
            (folder / "index.html").write_text(_html(f"Links for {name}", _anchors(files)))


def _json_page(name: str, files: list[dict[str, Any]]) -> dict[str, Any]:
    versions = sorted({f["_version"] for f in files}, key=Version)
    public = [
        {k: v for k, v in f.items() if not k.startswith("_") and v is not None} for f in files
    ]
    return {"meta": {"api-version": "1.1"}, "name": name, "versions": versions, "files": public}


def _anchors(files: list[dict[str, Any]]) -> str:
    anchors = []
    for entry in files:
        attributes = [f'href="{entry["url"]}#sha256={entry["hashes"]["sha256"]}"']
        if entry["requires-python"]:
            attributes.append(f'data-requires-python="{html.escape(entry["requires-python"])}"')
        if entry["yanked"]:
            attributes.append('data-yanked=""')
        if entry["core-metadata"]:
            value = f"sha256={entry['core-metadata']['sha256']}"
            attributes.append(f'data-core-metadata="{value}" data-dist-info-metadata="{value}"')
        anchors.append(f"<a {' '.join(attributes)}>{entry['filename']}</a><br>\n")
    return "".join(anchors)


def _html(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta name="pypi:repository-version" content="1.1">\n'
        f"<title>{title}</title>\n</head>\n<body>\n<h1>{title}</h1>\n{body}</body>\n</html>\n"
    )


def _escape(name: str) -> str:
    """The distribution name as wheel and sdist filenames spell it."""
    return re.sub(r"[-_.]+", "_", name).lower()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _urlsafe_sha256(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
