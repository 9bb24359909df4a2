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

import hashlib
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.support.index_pages import PageFile, PageStyle, write_project_page, write_root_page
from tests.support.sdists import build_sdist
from tests.support.server import serve_directory
from tests.support.wheels import build_wheel, core_metadata, dist_info

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
#: PyPI's shape today: API 1.1 with the PEP 629 meta tag, metadata under both PEP 714's and
#: PEP 658's attribute names in HTML (JSON: PEP 714's only).
_HTML_STYLE = PageStyle(formats=("html",), api_version="1.1", html_meta=True,
                        metadata_keys=("core-metadata", "dist-info-metadata"))
_JSON_STYLE = PageStyle(formats=("json",), api_version="1.1", metadata_keys=("core-metadata",))


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
    pages: dict[str, list[PageFile]] = {}
    hashes: dict[str, str] = {}
    for package in scenario.packages:
        entries = pages.setdefault(canonicalize_name(package.name), [])
        for filename, data, metadata in _distributions(package, features):
            (files_dir / filename).write_bytes(data)
            hashes[filename] = _sha256(data)
            offered = metadata if features.metadata_files else None
            if offered is not None:
                (files_dir / f"{filename}.metadata").write_bytes(offered)
            entries.append(_page_file(filename, data, package, offered))
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
        metadata = package_metadata(package, metadata_version="2.2")
        for tag in package.wheel_tags:
            filename = f"{stem}-{tag}.whl"
            result.append((filename, wheel_bytes(package, tag, metadata), metadata))
    if package.sdist:
        version = "2.2" if features.static_sdist_metadata else "2.1"
        pkg_info = package_metadata(package, metadata_version=version)
        result.append((f"{stem}.tar.gz", sdist_bytes(stem, pkg_info), None))
    return result


def package_metadata(package: PackageVersion, *, metadata_version: str) -> bytes:
    """METADATA / PKG-INFO; extras become ``Provides-Extra`` plus marked Requires-Dist."""
    return core_metadata(
        package.name, package.version, requires_dist=package.requires,
        requires_python=package.requires_python, extras=package.extras,
        metadata_version=metadata_version,
    )


def wheel_bytes(package: PackageVersion, tag: str, metadata: bytes) -> bytes:
    """A small, valid wheel: one empty module, METADATA, WHEEL with every ``Tag`` line, RECORD."""
    filename = f"{_escape(package.name)}-{Version(package.version)}-{tag}.whl"
    members = {f"{_escape(package.name)}/__init__.py": b"",
               f"{dist_info(filename)}/METADATA": metadata}
    return build_wheel(filename, members, generator="wheelscout-tests")


def sdist_bytes(stem: str, pkg_info: bytes) -> bytes:
    """A tar.gz holding only ``<stem>/PKG-INFO``: readable, not buildable."""
    return build_sdist(f"{stem}.tar.gz", {"PKG-INFO": pkg_info})


def _page_file(
    filename: str, data: bytes, package: PackageVersion, metadata: bytes | None
) -> PageFile:
    return PageFile(
        filename=filename,
        url=f"../../files/{filename}",
        hashes={"sha256": _sha256(data)},
        requires_python=package.requires_python,
        yanked=package.yanked,
        metadata_sha256=_sha256(metadata) if metadata is not None else None,
        size=len(data),
    )


def _write_pages(
    simple: Path, pages: Mapping[str, list[PageFile]], features: IndexFeatures
) -> None:
    styles = ([_JSON_STYLE] if features.json_pages else []) + (
        [_HTML_STYLE] if features.html_pages else [])
    for style in styles:
        write_root_page(simple, pages, style)
        for name, files in pages.items():
            write_project_page(simple, name, files, style)


def _escape(name: str) -> str:
    """The distribution name as wheel and sdist filenames spell it."""
    return re.sub(r"[-_.]+", "_", name).lower()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
