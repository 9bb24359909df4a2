"""Fuzzing the index-side parsers: PEP 691 JSON, PEP 503 HTML, core metadata, distribution
filenames, the wheel range reader and the sdist PKG-INFO reader.

Each property: whatever bytes an index serves, the parser returns a value or raises the
package's own error (a ``WheelscoutError``), within the Hypothesis deadline. The profile
(tests/conftest.py) sets how many examples: a bounded run here, a long one under fuzz/.
"""

from __future__ import annotations

import contextlib
import io
import json
import tarfile
import warnings
import zipfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.support.fuzz import mutated, pieces
from wheelscout.classify import parse_file
from wheelscout.errors import MalformedResponse, WheelscoutError
from wheelscout.limits import MAX_TAGS_PER_FILENAME
from wheelscout.model.project import DistFile
from wheelscout.simple import parse_project_list, parse_project_page
from wheelscout.simple.lazyzip import WheelMetadataReader
from wheelscout.simple.metadata import parse_core_metadata
from wheelscout.simple.sdist import read_pkg_info

DATA = Path(__file__).parent / "data" / "simple"
PAGE = "https://example.org/simple/demo/"
JSON_TYPE = "application/vnd.pypi.simple.v1+json"

# -- PEP 691 JSON ------------------------------------------------------------------------------

_json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
)
_json = st.recursive(
    _json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
_file_keys = st.sampled_from(
    ["filename", "url", "hashes", "requires-python", "yanked", "size", "upload-time",
     "core-metadata", "dist-info-metadata", "data-dist-info-metadata", "provenance"]
)  # fmt: skip
_filenames = pieces(["demo", "-", "1.0", ".whl", ".tar.gz", ".zip", "py3", "none", "any", "."])


@st.composite
def _pages(draw: st.DrawFn) -> bytes:
    """A page shaped like PEP 691 whose every value may be of the wrong type."""
    files = draw(
        st.lists(st.dictionaries(_file_keys, st.one_of(_json, _filenames), max_size=8), max_size=5)
    )
    meta: Any = draw(st.one_of(st.just({"api-version": "1.1"}), _json))
    page: dict[str, Any] = {"meta": meta, "name": draw(st.one_of(st.just("demo"), _json))}
    page["files"] = draw(st.one_of(st.just(files), _json))
    page["versions"] = draw(st.one_of(st.just(["1.0"]), _json))
    return json.dumps(page).encode()


def _parse_page(body: bytes, content_type: str) -> None:
    try:
        page = parse_project_page(body, content_type, PAGE, "demo")
    except WheelscoutError:
        return
    for file in page.files:
        parse_file(file)  # every file the page lists goes through the filename parser too


@given(_pages())
def test_pep691_page(body: bytes) -> None:
    _parse_page(body, JSON_TYPE)


@given(mutated((DATA / "packaging.json").read_bytes()))
def test_pep691_mutated_real_page(body: bytes) -> None:
    _parse_page(body, JSON_TYPE)


@given(st.binary(max_size=200))
def test_pep691_and_project_list_on_any_bytes(body: bytes) -> None:
    _parse_page(body, JSON_TYPE)
    with contextlib.suppress(WheelscoutError):
        parse_project_list(body, JSON_TYPE, PAGE)


# -- PEP 503 HTML ------------------------------------------------------------------------------

_HTML = [
    "<a href=\"", "\">", "</a>", "<a ", "href=", "'", '"', "demo-1.0.tar.gz",
    "demo-1.0-py3-none-any.whl",
    "#sha256=", "ab" * 8, "data-requires-python=\"&gt;=3.8\"", " data-yanked", "=\"bad\"",
    " data-dist-info-metadata=\"sha256=00\"", " data-core-metadata=\"true\"", "<base href=\"",
    "http://other.example/", "../", "file:///etc/", "<meta name=\"pypi:repository-version\" ",
    "content=\"1.0\">", "&amp;", "&#x27;", "<!--", "-->", "<![CDATA[", "]]>", "<script>",
    "</script>", "<", ">", "&", "%2F", "?", "#",
]  # fmt: skip


@given(pieces(_HTML, max_size=80))
def test_pep503_page(text: str) -> None:
    _parse_page(text.encode("utf-8", "surrogatepass"), "text/html")
    with contextlib.suppress(WheelscoutError):
        parse_project_list(text.encode("utf-8", "surrogatepass"), "text/html", PAGE)


@given(mutated((DATA / "packaging.html").read_bytes()))
def test_pep503_mutated_real_page(body: bytes) -> None:
    _parse_page(body, "text/html")


# -- core metadata -----------------------------------------------------------------------------

_METADATA = [
    "Metadata-Version: ", "2.1", "2.4", "3.0", "Name: ", "demo", "Version: ", "1.0", "1" * 30,
    "Requires-Dist: ", "dep>=1", "dep[extra]; python_version < '3.9'", "dep @ https://x/",
    "Requires-Python: ", ">=3.8", ">=", "Dynamic: ", "Requires-Dist", "Provides-Extra: ",
    "Description-Content-Type: ", "\n", "\n ", ":", ";", "=?utf-8?q?x?=", "\n\n",
]  # fmt: skip


@given(st.one_of(pieces(_METADATA, max_size=50).map(str.encode), st.binary(max_size=200)))
def test_core_metadata(raw: bytes) -> None:
    try:
        metadata = parse_core_metadata(raw, "https://example.org/demo.metadata")
    except MalformedResponse:
        return
    for requirement in metadata.requires_dist or []:
        str(requirement)


# -- filenames ---------------------------------------------------------------------------------

_NAME_PIECES = [
    "demo", "-", "_", ".", "1", "0", "1.0", "!", "+local", "post1", "dev0", "rc1", "py3", "py2.py3",
    "cp312", "cp3" + "1" * 5, "abi3", "none", "any", "manylinux_2_17_x86_64", "win_amd64",
    "macosx_11_0_arm64", ".whl", ".tar.gz", ".zip", "1" * 40,
]  # fmt: skip


@given(pieces(_NAME_PIECES, max_size=30))
def test_filenames(filename: str) -> None:
    parsed = parse_file(DistFile(filename=filename, url=f"https://example.org/{filename}"))
    if parsed is not None:
        assert len(parsed.tags) <= MAX_TAGS_PER_FILENAME
        str(parsed.version)


@given(st.integers(1, 400), st.integers(1, 400), st.integers(1, 400))
def test_compressed_tag_sets_never_expand_past_the_limit(a: int, b: int, c: int) -> None:
    parts = [".".join(f"x{i}" for i in range(n)) for n in (a, b, c)]
    filename = f"demo-1.0-{'-'.join(parts)}.whl"
    parsed = parse_file(DistFile(filename=filename, url=f"https://example.org/{filename}"))
    if a * b * c > MAX_TAGS_PER_FILENAME:
        assert parsed is None
    else:
        assert parsed is not None
        assert len(parsed.tags) == a * b * c


# -- the wheel range reader --------------------------------------------------------------------


def _wheel(members: dict[str, bytes], compression: int) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", compression) as archive:
        warnings.simplefilter("ignore")  # zipfile warns on names it normalizes to duplicates
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


_member_names = st.one_of(
    st.just("demo-1.0.dist-info/METADATA"),
    st.just("other-1.0.dist-info/METADATA"),
    st.just("demo/__init__.py"),
    st.text(max_size=20).map(lambda text: "x" + text),  # zipfile drops leading slashes
)


@st.composite
def _wheels(draw: st.DrawFn) -> bytes:
    members = draw(st.dictionaries(_member_names, st.binary(max_size=300), max_size=5))
    compression = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
    return draw(mutated(_wheel(members, compression), max_edits=4))


def _drive(data: bytes, tail: int) -> bytes | None:
    """Serve the reader's ranges from ``data`` as a Range-capable server would."""
    reader = WheelMetadataReader("demo-1.0-py3-none-any.whl", tail=tail)
    for _ in range(20):  # the reader must finish in a few requests
        want = reader.want()
        if want is None:
            return reader.metadata
        assert want.length >= 0
        start = max(0, len(data) - want.length) if want.start is None else want.start
        assert 0 <= start <= len(data)
        end = len(data) if want.start is None else min(len(data), start + want.length)
        reader.feed(start, data[start:end], len(data))
    raise AssertionError("the reader asked for more than 20 ranges")


@given(_wheels(), st.sampled_from([22, 100, 1024, 64 * 1024]))
def test_wheel_range_reader(data: bytes, tail: int) -> None:
    with contextlib.suppress(MalformedResponse):
        _drive(data, tail)


# -- sdist PKG-INFO ----------------------------------------------------------------------------


def _tar(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


_sdist_names = st.one_of(
    st.just("demo-1.0/PKG-INFO"),
    st.just("demo-1.0/x/PKG-INFO"),
    st.text(max_size=20).map(lambda text: "x" + text),
)


@given(
    st.dictionaries(_sdist_names, st.binary(max_size=100), max_size=4),
    st.sampled_from(["demo-1.0.tar.gz", "demo-1.0.zip"]),
    st.data(),
)
def test_sdist_pkg_info(members: dict[str, bytes], filename: str, data: st.DataObject) -> None:
    archive = _tar(members) if filename.endswith(".gz") else _wheel(members, zipfile.ZIP_DEFLATED)
    with contextlib.suppress(MalformedResponse):
        read_pkg_info(io.BytesIO(data.draw(mutated(archive, max_edits=4))), filename)
