from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.support.mirror import FIXTURES
from wheelscout.errors import MalformedResponse
from wheelscout.simple.pep503 import parse_links, parse_project_html, parse_project_list_html

PYPI = "https://pypi.org/simple/"


def test_real_packaging_page_has_yanks_and_requires_python(simple_data: Path) -> None:
    page = parse_project_html((simple_data / "packaging.html").read_bytes(),
                              PYPI + "packaging/", "Packaging")
    assert page.name == "packaging"
    assert len(page.files) == 108
    yanked = {f.filename: f.yanked for f in page.files if f.yanked is not None}
    assert yanked["packaging-20.6-py2.py3-none-any.whl"] == (
        "Incorrect git commit was used for cutting release"
    )
    wheel = next(f for f in page.files if f.filename == "packaging-26.0-py3-none-any.whl")
    assert wheel.requires_python == ">=3.8"  # &gt; unescaped
    assert wheel.hashes == {
        "sha256": "b36f1fef9334a5588b4166f8bcd26a14e521f2b55e6b9de3aaa80d3ff7a37529"
    }
    assert wheel.url.startswith("https://files.pythonhosted.org/packages/")
    assert "#" not in wheel.url
    assert wheel.core_metadata is None


def test_real_numpy_page() -> None:
    body = (FIXTURES / "simple" / "numpy" / "index.html").read_bytes()
    page = parse_project_html(body, PYPI + "numpy/", "numpy")
    names = {f.filename for f in page.files}
    assert "numpy-2.5.5-cp315-cp315t-win_arm64.whl" in names
    assert "numpy-2.5.5.tar.gz" in names
    assert all(f.hashes for f in page.files)


@pytest.mark.parametrize(
    ("filename", "url", "core_metadata", "yanked"),
    [
        ("attrs-25.4.0-py3-none-any.whl",
         "https://files.pythonhosted.org/packages/aa/attrs-25.4.0-py3-none-any.whl",
         {"sha256": "8ac5b34e3fe5e4b4ab8e8ac6d6fcd57c0ee1d20d5e43c7e6e5c4e3dd8f0a1e2b"}, None),
        ("attrs-25.4.0.tar.gz", "https://example.org/packages/bb/attrs-25.4.0.tar.gz", None, None),
        ("attrs-21.1.0-py2.py3-none-any.whl",
         "https://example.org/packages/cc/attrs-21.1.0-py2.py3-none-any.whl", {}, ""),
        ("attrs-20.1.0.tar.gz", "https://example.org/simple/attrs/attrs-20.1.0.tar.gz", None,
         "broken release"),
    ],
    ids=["core-metadata-hash-absolute", "root-relative", "old-spelling-true-yanked-no-reason",
         "metadata-false-page-relative"],
)
def test_metadata_attributes_and_urls(simple_data: Path, filename: str, url: str,
                                      core_metadata: dict[str, str] | None,
                                      yanked: str | None) -> None:
    page = parse_project_html((simple_data / "metadata-files.html").read_bytes(),
                              "https://example.org/simple/attrs/", "attrs")
    file = next(f for f in page.files if f.filename == filename)
    assert (file.url, file.core_metadata, file.yanked) == (url, core_metadata, yanked)
    assert page.api_version == "1.1"


def test_base_href_changes_the_base() -> None:
    body = b'<html><head><base href="https://mirror.example/x/"></head>' \
           b'<a href="f-1.0.tar.gz">f-1.0.tar.gz</a></html>'
    (file,) = parse_links(body, "https://example.org/simple/f/")
    assert file.url == "https://mirror.example/x/f-1.0.tar.gz"


def test_project_list(simple_data: Path) -> None:
    listing = parse_project_list_html((simple_data / "project-list.html").read_bytes(), PYPI)
    assert listing.names == ("attrs", "zope-interface", "flask")


def test_non_utf8_is_malformed() -> None:
    with pytest.raises(MalformedResponse, match=r"'https://u:\*\*\*\*@h/simple/x/' is not UTF-8"):
        parse_project_html(b"\xff\xfe<a>", "https://u:secret@h/simple/x/", "x")


@pytest.mark.parametrize(
    "hostile",
    ['<a href="x' * 20_000, "<a " * 20_000, "<a x=\"' " * 20_000, "<a x=" * 20_000, "<a" * 20_000],
    ids=["unclosed-quotes", "unclosed-tags", "mixed-quotes", "unfinished-attributes", "bare-lt"],
)
def test_unfinished_tags_are_dropped_in_linear_time(hostile: str) -> None:
    # Found by tests/test_fuzz_simple.py: HTMLParser.close() (Python < 3.13.4) re-scanned the
    # unfinished tail once per '<': 37 s for 200 KB.
    body = '<a href="demo-1.0.tar.gz">demo-1.0.tar.gz</a>\n' + hostile
    start = time.process_time()
    page = parse_project_html(body.encode(), PYPI + "demo/", "demo")
    assert time.process_time() - start < 5.0
    assert [f.filename for f in page.files] == ["demo-1.0.tar.gz"]


def test_last_anchor_without_a_final_newline_is_kept() -> None:
    body = b'<a href="demo-1.0.tar.gz">1</a><a href="demo-2.0.tar.gz">2</a>'
    page = parse_project_html(body, PYPI + "demo/", "demo")
    assert [f.filename for f in page.files] == ["demo-1.0.tar.gz", "demo-2.0.tar.gz"]


def test_bogus_declaration_is_malformed_not_a_crash() -> None:
    # Found by fuzzing: _markupbase raised AssertionError on '<![' not followed by a name.
    with pytest.raises(MalformedResponse, match=r"is not valid HTML \(a malformed <! decl"):
        parse_project_html(b"<![<![<![", PYPI + "demo/", "demo")
