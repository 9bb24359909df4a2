"""Build a loopback-servable static index from the captured PyPI fixtures.

The fixtures (``tests/data/pypi``, made by ``scripts/capture_pypi_fixtures.py``) hold trimmed
PyPI pages and the real METADATA of one wheel per version. From them :func:`build_mirror` writes a
directory that pip, uv and wheelscout can all resolve against through
:mod:`tests.support.server`:

``simple/index.html``, ``simple/index.json``
    the project list (PEP 503 / PEP 691);
``simple/<name>/index.html``, ``simple/<name>/index.json``
    every captured file of the project, linked relatively, with the captured requires-python and
    yanked values and the sha256 of the *stand-in*;
``files/<filename>``
    stand-ins: wheels holding the real METADATA, a WHEEL file whose tags match the filename, and
    a RECORD; sdists holding the real METADATA as PKG-INFO and a pyproject.toml whose build
    backend does not exist, so that any attempt to build one fails loudly instead of running code;
``files/<filename>.metadata``
    only with ``metadata_files=True``: the PEP 658 file, advertised on the pages.

Stand-ins are byte-for-byte reproducible, so page hashes are stable from one build to the next.
They come from the one wheel and sdist builders (:mod:`tests.support.wheels`,
:mod:`tests.support.sdists`); the pages from the one page writer
(:mod:`tests.support.index_pages`), in the captured pages' API version 1.0.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.utils import parse_sdist_filename, parse_wheel_filename
from packaging.version import Version

from tests.support.index_pages import PageFile, PageStyle, write_project_page, write_root_page
from tests.support.sdists import build_sdist
from tests.support.wheels import build_wheel, dist_info

__all__ = ["FIXTURES", "Mirror", "MirrorFile", "build_mirror", "fixture_projects", "load_page"]

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "pypi"
#: As captured: API 1.0 pages; a metadata file, when offered, under both names.
_STYLE = PageStyle(api_version="1.0", metadata_keys=("core-metadata", "dist-info-metadata"))
_NO_BACKEND = "wheelscout_stand_in_sdist_must_not_be_built"


@dataclass(frozen=True, slots=True, kw_only=True)
class MirrorFile:
    """One stand-in distribution file as served by the mirror."""

    project: str
    filename: str
    sha256: str
    size: int
    metadata_sha256: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Mirror:
    """A built mirror directory; serve ``root`` and point clients at ``<url>/simple/``."""

    root: Path
    projects: tuple[str, ...]
    files: tuple[MirrorFile, ...]

    def file(self, filename: str) -> MirrorFile:
        return next(f for f in self.files if f.filename == filename)


def fixture_projects(fixtures: Path = FIXTURES) -> list[str]:
    """The normalised names of the captured projects."""
    return sorted(p.name for p in (fixtures / "simple").iterdir() if p.is_dir())


def load_page(project: str, fixtures: Path = FIXTURES) -> dict[str, Any]:
    """The captured PEP 691 page of ``project``."""
    data: dict[str, Any] = json.loads((fixtures / "simple" / project / "index.json").read_bytes())
    return data


def build_mirror(
    dest: Path,
    *,
    fixtures: Path = FIXTURES,
    projects: Iterable[str] | None = None,
    metadata_files: bool = False,
) -> Mirror:
    """Write a static index for ``projects`` (default: all captured) into ``dest``."""
    manifest = json.loads((fixtures / "manifest.json").read_bytes())
    names = sorted(projects) if projects is not None else fixture_projects(fixtures)
    (dest / "files").mkdir(parents=True, exist_ok=True)
    files: list[MirrorFile] = []
    for name in names:
        metadata = _version_metadata(fixtures, name, manifest["projects"][name])
        page = load_page(name, fixtures)
        served = [_write_file(dest / "files", name, entry, metadata, metadata_files)
                  for entry in page["files"]]
        _write_project_pages(dest / "simple", page, served)
        files.extend(f for f, _ in served)
    _write_root_pages(dest / "simple", names)
    return Mirror(root=dest, projects=tuple(names), files=tuple(files))


def _version_metadata(fixtures: Path, name: str, captured: dict[str, Any]) -> dict[Version, bytes]:
    folder = fixtures / "metadata" / name
    return {Version(version): (folder / f"{info['from']}.metadata").read_bytes()
            for version, info in captured["metadata"].items()}


def _write_file(
    folder: Path,
    project: str,
    entry: dict[str, Any],
    metadata: dict[Version, bytes],
    metadata_files: bool,
) -> tuple[MirrorFile, dict[str, Any]]:
    filename: str = entry["filename"]
    is_wheel = filename.endswith(".whl")
    version = parse_wheel_filename(filename)[1] if is_wheel else parse_sdist_filename(filename)[1]
    meta = metadata.get(version) or _minimal_metadata(project, str(version))
    body = _stand_in_wheel(filename, meta) if is_wheel else _stand_in_sdist(filename, meta)
    (folder / filename).write_bytes(body)
    meta_sha = None
    if metadata_files and is_wheel:
        (folder / f"{filename}.metadata").write_bytes(meta)
        meta_sha = hashlib.sha256(meta).hexdigest()
    served = MirrorFile(project=project, filename=filename, size=len(body),
                        sha256=hashlib.sha256(body).hexdigest(), metadata_sha256=meta_sha)
    return served, entry


def _minimal_metadata(project: str, version: str) -> bytes:
    return f"Metadata-Version: 2.1\nName: {project}\nVersion: {version}\n".encode()


def _stand_in_wheel(filename: str, metadata: bytes) -> bytes:
    members = {f"{dist_info(filename)}/METADATA": metadata}
    return build_wheel(filename, members, generator="wheelscout-test-mirror (stand-in, no code)")


def _stand_in_sdist(filename: str, metadata: bytes) -> bytes:
    pyproject = ("[build-system]\nrequires = []\n"
                 f'build-backend = "{_NO_BACKEND}"\n').encode()
    return build_sdist(filename, {"PKG-INFO": metadata, "pyproject.toml": pyproject})


def _write_project_pages(
    simple: Path, page: dict[str, Any], served: list[tuple[MirrorFile, dict[str, Any]]]
) -> None:
    files = [_page_file(f, entry) for f, entry in served]
    write_project_page(simple, page["name"], files, _STYLE)


def _page_file(served: MirrorFile, captured: dict[str, Any]) -> PageFile:
    return PageFile(
        filename=served.filename,
        url=f"../../files/{served.filename}",
        hashes={"sha256": served.sha256},
        requires_python=captured.get("requires-python"),
        yanked=captured.get("yanked"),
        metadata_sha256=served.metadata_sha256,
    )


def _write_root_pages(folder: Path, names: list[str]) -> None:
    write_root_page(folder, names, _STYLE)
