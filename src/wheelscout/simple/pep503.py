"""PEP 503 HTML simple pages (plus PEP 592 yanks and PEP 658/714 metadata attributes)."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from posixpath import basename
from urllib.parse import unquote

from wheelscout.errors import MalformedResponse
from wheelscout.model.project import DistFile, ProjectList, ProjectPage
from wheelscout.simple.urls import (
    hashes_from_fragment,
    join_url,
    normalize_name,
    redact,
    strip_fragment,
)

__all__ = ["parse_links", "parse_project_html", "parse_project_list_html"]

_Attrs = dict[str, str | None]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[tuple[_Attrs, str]] = []
        self.base: str | None = None
        self.api_version: str | None = None
        self._open: _Attrs | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a":
            self._open, self._text = attributes, []
        elif tag == "base" and self.base is None:
            self.base = attributes.get("href")
        elif tag == "meta" and attributes.get("name") == "pypi:repository-version":
            self.api_version = attributes.get("content")

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            self.anchors.append((self._open, "".join(self._text).strip()))
            self._open = None


class _Scanned:
    """What the fast scanner read: the same three things as :class:`_Collector`."""

    def __init__(self) -> None:
        self.anchors: list[tuple[_Attrs, str]] = []
        self.base: str | None = None
        self.api_version: str | None = None


# A strict subset of HTML, the shape of every simple page seen (PyPI's, devpi's, Artifactory's,
# a directory listing's): tags whose attribute values are all quoted, a doctype, and text.
# A page that holds anything else (a comment, a script, an unquoted value, a stray '<') is read
# by html.parser instead; on the pages both accept, the two agree (tests/test_fuzz_simple.py).
_ATTR = r"""[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:"[^"]*"|'[^']*'))?"""
_TOKEN = re.compile(
    rf"<(?P<end>/?)(?P<tag>[a-zA-Z][a-zA-Z0-9]*)(?P<attrs>(?:\s+{_ATTR})*)\s*(?P<close>/?)>"
    r"|<!doctype(?:\s[^<>]*)?>"
    r"|(?P<other><)",
    re.IGNORECASE,
)
_ATTRIBUTE = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'))?""")
_RAW_TEXT = frozenset(["script", "style"])  # html.parser reads their content as text


def _attributes(text: str) -> _Attrs:
    found: _Attrs = {}
    for match in _ATTRIBUTE.finditer(text):
        name, double, single = match.groups()
        value = double if double is not None else single
        found[name.lower()] = unescape(value) if value and "&" in value else value
    return found


def _scan(text: str) -> _Scanned | None:
    """The anchors, base and API version of a plain page; ``None`` when it is not plain."""
    scanned = _Scanned()
    open_attrs: _Attrs | None = None
    pieces: list[str] = []
    position = 0
    for token in _TOKEN.finditer(text):
        if token["other"] is not None:
            return None
        if open_attrs is not None and token.start() > position:
            pieces.append(text[position:token.start()])
        position = token.end()
        tag = token["tag"]
        if tag is None:
            continue  # the doctype
        tag = tag.lower()
        if tag in _RAW_TEXT:
            return None
        if token["end"]:
            if tag == "a" and open_attrs is not None:
                anchor_text = "".join(pieces)
                if "&" in anchor_text:
                    anchor_text = unescape(anchor_text)
                scanned.anchors.append((open_attrs, anchor_text.strip()))
                open_attrs = None
            continue
        attrs = _attributes(token["attrs"])
        if tag == "a":
            open_attrs, pieces = attrs, []
            if token["close"]:  # <a .../>: html.parser closes it at once
                scanned.anchors.append((open_attrs, ""))
                open_attrs = None
        elif tag == "base" and scanned.base is None:
            scanned.base = attrs.get("href")
        elif tag == "meta" and attrs.get("name") == "pypi:repository-version":
            scanned.api_version = attrs.get("content")
    return scanned


def _collect(body: bytes, url: str) -> _Collector | _Scanned:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedResponse(f"page {redact(url)!r} is not UTF-8 HTML: {exc}") from None
    # html.parser costs about 15 us a link (numpy's page of 4,415 files: 80 ms); the scanner a
    # fifth of that, on the pages it accepts.
    scanned = _scan(text)
    if scanned is not None:
        return scanned
    collector = _Collector()
    try:
        collector.feed(text)
    except AssertionError:  # _markupbase on a bogus declaration such as '<![<!['
        message = f"page {redact(url)!r} is not valid HTML (a malformed <! declaration)"
        raise MalformedResponse(message) from None
    # No close(): before Python 3.13.4 it re-scans an unfinished tag left at the end once per
    # '<' (quadratic: 200 KB of '<a href="x' took 37 s). feed() has already handled every
    # complete tag; what is left is an unfinished one, which the HTML standard drops at EOF.
    return collector


def _metadata_attr(attrs: _Attrs) -> dict[str, str] | None:
    # PEP 714: the new spelling wins; the old one is still served by older indexes.
    value = attrs.get("data-core-metadata", attrs.get("data-dist-info-metadata"))
    if value is None or value == "false":
        return None
    return hashes_from_fragment(value)


def _dist_file(attrs: _Attrs, page_url: str) -> DistFile | None:
    href = attrs.get("href")
    if not href:
        return None
    url, fragment = strip_fragment(join_url(page_url, href))
    # The name is the last path segment; splitting by hand is what urlsplit would do, and this
    # runs once per file (numpy's page lists thousands).
    filename = unquote(basename(url.split("?", 1)[0]))
    if not filename:
        return None
    yanked = (attrs.get("data-yanked") or "") if "data-yanked" in attrs else None
    return DistFile(
        filename=filename,
        url=url,
        hashes=hashes_from_fragment(fragment),
        requires_python=attrs.get("data-requires-python") or None,
        yanked=yanked,
        core_metadata=_metadata_attr(attrs),
        upload_time=attrs.get("data-upload-time"),
    )


def parse_links(body: bytes, url: str) -> list[DistFile]:
    """Every file linked from an HTML page (a project page or a ``--find-links`` page)."""
    collector = _collect(body, url)
    base = join_url(url, collector.base) if collector.base else url
    files = (_dist_file(attrs, base) for attrs, _ in collector.anchors)
    return [f for f in files if f is not None]


def parse_project_html(body: bytes, url: str, name: str) -> ProjectPage:
    """Parse a PEP 503 project page served from ``url`` (the final URL, after redirects)."""
    collector = _collect(body, url)
    base = join_url(url, collector.base) if collector.base else url
    files = (_dist_file(attrs, base) for attrs, _ in collector.anchors)
    return ProjectPage(
        name=normalize_name(name),
        files=tuple(f for f in files if f is not None),
        api_version=collector.api_version,
    )


def parse_project_list_html(body: bytes, url: str) -> ProjectList:
    """Parse the index root: one anchor per project, its text being the project name."""
    collector = _collect(body, url)
    names = (normalize_name(text) for _, text in collector.anchors if text)
    return ProjectList(names=tuple(dict.fromkeys(names)), api_version=collector.api_version)
