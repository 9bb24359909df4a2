"""The one writer of simple-index pages for tests: PEP 503 HTML and PEP 691 JSON.

Every index the tests serve (``indexgen``, ``packse_index``, ``mirror``) writes its pages here;
what differs between them is data (a :class:`PageFile` per file) or an explicit switch of
:class:`PageStyle`, never a second writer:

- ``formats``: HTML, JSON or both;
- ``api_version``: the JSON ``meta.api-version``; from 1.1 on a project page lists ``versions``
  (PEP 700) and each file its ``size``;
- ``html_meta``: the ``<meta name="pypi:repository-version">`` tag of PEP 629 on HTML pages;
- ``metadata_keys``: the names a PEP 658 metadata file is advertised under, PEP 714's
  ``core-metadata`` and/or the older ``dist-info-metadata`` (``data-`` prefixed in HTML);
- ``hashes``: whether file hashes are written at all.

A file's ``requires_python`` and ``yanked`` are written only when stated (not ``None``), so a
captured page keeps exactly the attributes it had.

Layout written for a project ``name`` under ``simple``: ``simple/<name>/index.html`` and
``index.json``; :func:`write_root_page` writes ``simple/index.html`` and ``index.json``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import Version

__all__ = ["Format", "MetadataKey", "PageFile", "PageStyle", "write_project_page",
           "write_root_page"]

Format = Literal["html", "json"]
MetadataKey = Literal["core-metadata", "dist-info-metadata"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PageFile:
    """One file as a project page lists it.

    ``yanked``: ``None`` not stated, ``False`` stated as not yanked (JSON only; HTML has no way
    to say it), ``True`` or a reason. ``metadata_sha256``: the PEP 658 file's digest, ``None``
    when the index offers none. ``size`` is written on 1.1+ JSON pages when known.
    """

    filename: str
    url: str
    hashes: Mapping[str, str] = field(default_factory=dict, hash=False)
    requires_python: str | None = None
    yanked: bool | str | None = None
    metadata_sha256: str | None = None
    size: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PageStyle:
    """The switches that tell one index's pages from another's (see the module docstring)."""

    formats: tuple[Format, ...] = ("html", "json")
    api_version: str = "1.1"
    html_meta: bool = False
    metadata_keys: tuple[MetadataKey, ...] = ("core-metadata",)
    hashes: bool = True

    @property
    def lists_versions(self) -> bool:
        return Version(self.api_version) >= Version("1.1")


def write_project_page(
    simple: Path, name: str, files: Sequence[PageFile], style: PageStyle = PageStyle()
) -> None:
    """Write ``simple/<name>/index.html`` and/or ``index.json``."""
    folder = simple / name
    folder.mkdir(parents=True, exist_ok=True)
    if "json" in style.formats:
        document = _json_page(name, files, style)
        (folder / "index.json").write_text(json.dumps(document, indent=1) + "\n", "utf-8")
    if "html" in style.formats:
        anchors = "".join(f"{_anchor(f, style)}<br/>\n" for f in files)
        (folder / "index.html").write_text(_html(f"Links for {name}", anchors, style), "utf-8")


def write_root_page(simple: Path, names: Iterable[str], style: PageStyle = PageStyle()) -> None:
    """Write the project list, ``simple/index.html`` and/or ``index.json`` (PEP 503 / 691)."""
    simple.mkdir(parents=True, exist_ok=True)
    ordered = sorted(names)
    if "json" in style.formats:
        listing = {"meta": {"api-version": style.api_version},
                   "projects": [{"name": n} for n in ordered]}
        (simple / "index.json").write_text(json.dumps(listing, indent=1) + "\n", "utf-8")
    if "html" in style.formats:
        links = "".join(f'<a href="{html.escape(n)}/">{html.escape(n)}</a>\n' for n in ordered)
        (simple / "index.html").write_text(_html("Simple index", links, style), "utf-8")


def _json_page(name: str, files: Sequence[PageFile], style: PageStyle) -> dict[str, Any]:
    document: dict[str, Any] = {"meta": {"api-version": style.api_version}, "name": name}
    if style.lists_versions:
        document["versions"] = _versions(f.filename for f in files)
    document["files"] = [_json_file(f, style) for f in files]
    return document


def _json_file(file: PageFile, style: PageStyle) -> dict[str, Any]:
    entry: dict[str, Any] = {"filename": file.filename, "url": file.url,
                             "hashes": dict(file.hashes) if style.hashes else {}}
    if file.requires_python is not None:
        entry["requires-python"] = file.requires_python
    if file.yanked is not None:
        entry["yanked"] = file.yanked
    if file.metadata_sha256 is not None:
        for key in style.metadata_keys:
            entry[key] = {"sha256": file.metadata_sha256}
    if file.size is not None and style.lists_versions:
        entry["size"] = file.size
    return entry


def _anchor(file: PageFile, style: PageStyle) -> str:
    href = file.url
    if style.hashes and file.hashes:
        algorithm, digest = next(iter(file.hashes.items()))
        href += f"#{algorithm}={digest}"
    attributes = [f'href="{html.escape(href)}"']
    if file.requires_python is not None:
        attributes.append(f'data-requires-python="{html.escape(file.requires_python)}"')
    if file.yanked is True or isinstance(file.yanked, str):
        reason = "" if file.yanked is True else str(file.yanked)
        attributes.append(f'data-yanked="{html.escape(reason)}"')
    if file.metadata_sha256 is not None:
        attributes += [f'data-{key}="sha256={file.metadata_sha256}"'
                       for key in style.metadata_keys]
    return f"<a {' '.join(attributes)}>{html.escape(file.filename)}</a>"


def _html(title: str, body: str, style: PageStyle) -> str:
    meta = (f'<meta name="pypi:repository-version" content="{style.api_version}">\n'
            if style.html_meta else "")
    return (f"<!DOCTYPE html>\n<html>\n<head>\n{meta}<title>{html.escape(title)}</title>\n"
            f"</head>\n<body>\n<h1>{html.escape(title)}</h1>\n{body}</body>\n</html>\n")


def _versions(filenames: Iterable[str]) -> list[str]:
    found: set[Version] = set()
    for filename in filenames:
        try:
            if filename.endswith(".whl"):
                found.add(parse_wheel_filename(filename)[1])
            else:
                found.add(parse_sdist_filename(filename)[1])
        except (InvalidWheelFilename, InvalidSdistFilename):
            continue  # a hostile test's file: listed, but it names no version
    return [str(v) for v in sorted(found)]
