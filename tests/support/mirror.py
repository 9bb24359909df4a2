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
"""

from __future__ import annotations

import gzip
import hashlib
import html
import io
import json
import tarfile
import zipfile
from base64 import urlsafe_b64encode
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.utils import parse_sdist_filename, parse_wheel_filename
from packaging.version import Version

__all__ = ["FIXTURES", "Mirror", "MirrorFile", "build_mirror", "fixture_projects", "load_page"]

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "pypi"
_EPOCH = (1980, 1, 1, 0, 0, 0)
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
        _write_project_pages(dest / "simple" / name, page, served)
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
    tags = parse_wheel_filename(filename)[3]
    dist_info = f"{filename.split('-')[0]}-{filename.split('-')[1]}.dist-info"
    purelib = all(tag.platform == "any" for tag in tags)
    wheel = "".join([
        "Wheel-Version: 1.0\n",
        "Generator: wheelscout-test-mirror (stand-in, no code)\n",
        f"Root-Is-Purelib: {str(purelib).lower()}\n",
        *(f"Tag: {tag}\n" for tag in sorted(str(t) for t in tags)),
    ]).encode()
    members = {f"{dist_info}/METADATA": metadata, f"{dist_info}/WHEEL": wheel}
    record = "".join(f"{path},sha256={_record_hash(data)},{len(data)}\n"
                     for path, data in members.items()) + f"{dist_info}/RECORD,,\n"
    members[f"{dist_info}/RECORD"] = record.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for path, data in members.items():
            info = zipfile.ZipInfo(path, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def _record_hash(data: bytes) -> str:
    return urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _stand_in_sdist(filename: str, metadata: bytes) -> bytes:
    stem = filename.removesuffix(".tar.gz").removesuffix(".zip")
    pyproject = ("[build-system]\nrequires = []\n"
                 f'build-backend = "{_NO_BACKEND}"\n').encode()
    members = {f"{stem}/PKG-INFO": metadata, f"{stem}/pyproject.toml": pyproject}
    if filename.endswith(".zip"):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for path, data in members.items():
                archive.writestr(zipfile.ZipInfo(path, date_time=_EPOCH), data)
        return buffer.getvalue()
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for path, data in members.items():
            info = tarfile.TarInfo(path)
            info.size, info.mode = len(data), 0o644
            archive.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), mtime=0)


def _write_project_pages(
    folder: Path, page: dict[str, Any], served: list[tuple[MirrorFile, dict[str, Any]]]
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    files = [_json_entry(f, entry) for f, entry in served]
    document = {"meta": {"api-version": "1.0"}, "name": page["name"], "files": files}
    (folder / "index.json").write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    anchors = "".join(_html_anchor(entry) for entry in files)
    (folder / "index.html").write_text(
        "<!DOCTYPE html>\n<html>\n<head><title>Links for {0}</title></head>\n<body>\n"
        "<h1>Links for {0}</h1>\n{1}</body>\n</html>\n".format(html.escape(page["name"]), anchors),
        encoding="utf-8",
    )


def _json_entry(served: MirrorFile, captured: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {"filename": served.filename,
                             "url": f"../../files/{served.filename}",
                             "hashes": {"sha256": served.sha256}}
    for key in ("requires-python", "yanked"):
        if key in captured:
            entry[key] = captured[key]
    if served.metadata_sha256 is not None:
        entry["core-metadata"] = {"sha256": served.metadata_sha256}
        entry["dist-info-metadata"] = {"sha256": served.metadata_sha256}
    return entry


def _html_anchor(entry: dict[str, Any]) -> str:
    attrs = [f'href="{html.escape(entry["url"])}#sha256={entry["hashes"]["sha256"]}"']
    if "requires-python" in entry:
        attrs.append(f'data-requires-python="{html.escape(entry["requires-python"])}"')
    if "yanked" in entry:
        reason = "" if entry["yanked"] is True else entry["yanked"]
        attrs.append(f'data-yanked="{html.escape(reason)}"')
    if "core-metadata" in entry:
        value = f'sha256={entry["core-metadata"]["sha256"]}'
        attrs += [f'data-core-metadata="{value}"', f'data-dist-info-metadata="{value}"']
    return f"<a {' '.join(attrs)}>{html.escape(entry['filename'])}</a><br/>\n"


def _write_root_pages(folder: Path, names: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    links = "".join(f'<a href="{name}/">{name}</a>\n' for name in names)
    (folder / "index.html").write_text(
        f"<!DOCTYPE html>\n<html>\n<body>\n{links}</body>\n</html>\n", encoding="utf-8")
    listing = {"meta": {"api-version": "1.0"}, "projects": [{"name": n} for n in names]}
    (folder / "index.json").write_text(json.dumps(listing, indent=1) + "\n", encoding="utf-8")
