"""PEP 691 JSON simple pages, API 1.x, with PEP 700 ``versions``, ``size``, ``upload-time``."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any

from wheelscout.errors import MalformedResponse
from wheelscout.model.project import DistFile, ProjectList, ProjectPage
from wheelscout.simple.urls import join_url, normalize_name, redact

__all__ = ["ACCEPT", "JSON_CONTENT_TYPE", "parse_project_json", "parse_project_list_json"]

JSON_CONTENT_TYPE = "application/vnd.pypi.simple.v1+json"
# JSON first, the HTML flavours as fallbacks, exactly as PEP 691 suggests clients ask.
ACCEPT = f"{JSON_CONTENT_TYPE}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"


class _Reader:
    """Typed access into a decoded document; errors say where (``in 'files[3].hashes'``)."""

    def __init__(self, url: str) -> None:
        self.url = url

    def fail(self, where: str, problem: str) -> MalformedResponse:
        return MalformedResponse(f"page {redact(self.url)!r}: {problem} in {where!r}")

    def get(
        self,
        obj: Mapping[str, Any],
        key: str,
        kind: type | tuple[type, ...],
        where: str,
        *,
        required: bool = False,
    ) -> Any:
        if key not in obj or obj[key] is None:
            if required:
                raise self.fail(f"{where}.{key}".lstrip("."), "missing key")
            return None
        value = obj[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(f"{where}.{key}".lstrip("."), f"unexpected {type(value).__name__}")
        return value


def _load(body: bytes, url: str) -> tuple[_Reader, dict[str, Any], str]:
    reader = _Reader(url)
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedResponse(f"page {redact(url)!r} is not valid JSON: {exc}") from None
    except RecursionError:
        # json recurses per nested array/object; no real page nests more than a few levels.
        raise MalformedResponse(
            f"page {redact(url)!r} nests arrays or objects more than "
            f"{sys.getrecursionlimit()} levels deep"
        ) from None
    if not isinstance(document, dict):
        raise reader.fail("$", "top level is not an object")
    meta = reader.get(document, "meta", dict, "", required=True)
    version = reader.get(meta, "api-version", str, "meta", required=True)
    if version.split(".")[0] != "1":
        raise reader.fail("meta.api-version", f"unsupported major version {version!r}")
    return reader, document, version


def _hashes(reader: _Reader, value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise reader.fail(where, "expected an object of strings")
    return {k: v.lower() for k, v in value.items()}


def _core_metadata(reader: _Reader, entry: Mapping[str, Any], where: str) -> dict[str, str] | None:
    key = "core-metadata" if "core-metadata" in entry else "dist-info-metadata"
    value = entry.get(key)
    if value is None or value is False:
        return None
    if value is True:
        return {}
    return _hashes(reader, value, f"{where}.{key}")


def _dist_file(reader: _Reader, entry: Any, where: str) -> DistFile:
    if not isinstance(entry, dict):
        raise reader.fail(where, "expected an object")
    yanked = reader.get(entry, "yanked", (bool, str), where)
    return DistFile(
        filename=reader.get(entry, "filename", str, where, required=True),
        url=join_url(reader.url, reader.get(entry, "url", str, where, required=True)),
        hashes=_hashes(reader, entry.get("hashes", {}), f"{where}.hashes"),
        requires_python=reader.get(entry, "requires-python", str, where) or None,
        yanked=None if yanked in (None, False) else ("" if yanked is True else yanked),
        core_metadata=_core_metadata(reader, entry, where),
        size=reader.get(entry, "size", int, where),
        upload_time=reader.get(entry, "upload-time", str, where),
    )


def parse_project_json(body: bytes, url: str, name: str) -> ProjectPage:
    """Parse a PEP 691 project page served from ``url`` (the final URL, after redirects)."""
    reader, document, version = _load(body, url)
    files = reader.get(document, "files", list, "", required=True)
    versions = reader.get(document, "versions", list, "")
    return ProjectPage(
        name=normalize_name(reader.get(document, "name", str, "") or name),
        files=tuple(_dist_file(reader, f, f"files[{i}]") for i, f in enumerate(files)),
        versions=None if versions is None else tuple(str(v) for v in versions),
        api_version=version,
    )


def parse_project_list_json(body: bytes, url: str) -> ProjectList:
    """Parse the PEP 691 root page: ``{"meta": ..., "projects": [{"name": ...}, ...]}``."""
    reader, document, version = _load(body, url)
    projects = reader.get(document, "projects", list, "", required=True)
    names = []
    for i, project in enumerate(projects):
        if not isinstance(project, dict):
            raise reader.fail(f"projects[{i}]", "expected an object")
        names.append(
            normalize_name(reader.get(project, "name", str, f"projects[{i}]", required=True))
        )
    return ProjectList(names=tuple(dict.fromkeys(names)), api_version=version)
