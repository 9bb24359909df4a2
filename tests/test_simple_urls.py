from __future__ import annotations

from urllib.parse import urljoin

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wheelscout.simple.urls import (
    hashes_from_fragment,
    join_url,
    project_url,
    redact,
    split_userinfo,
)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://user:secret@example.org/simple/", "https://user:****@example.org/simple/"),
        ("https://tok3n@example.org/simple/", "https://****@example.org/simple/"),
        ("https://example.org/simple/", "https://example.org/simple/"),
        ("file:///opt/pypi/simple", "file:///opt/pypi/simple"),
    ],
    ids=["user-password", "token", "plain", "file"],
)
def test_redact(url: str, shown: str) -> None:
    assert redact(url) == shown
    assert "secret" not in redact(url)
    assert "tok3n" not in redact(url)


def test_split_userinfo_unquotes() -> None:
    assert split_userinfo("https://a%40b:p%3Aw@h:8080/x") == ("https://h:8080/x", ("a@b", "p:w"))
    assert split_userinfo("https://h/x") == ("https://h/x", None)


@pytest.mark.parametrize(
    ("href", "expected"),
    [("../../files/a.whl", "https://h/files/a.whl"), ("/f/a.whl", "https://h/f/a.whl"),
     ("https://cdn/a.whl", "https://cdn/a.whl"), ("a.whl", "https://h/simple/a/a.whl")],
    ids=["relative-up", "root", "absolute", "sibling"],
)
def test_join_url(href: str, expected: str) -> None:
    assert join_url("https://h/simple/a/", href) == expected


def test_project_url_normalizes() -> None:
    assert project_url("https://h/simple", "Zope.Interface") == "https://h/simple/zope-interface/"


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [("sha256=ABCD", {"sha256": "abcd"}), ("egg=foo", {}), ("", {})],
    ids=["hash", "egg", "empty"],
)
def test_hashes_from_fragment(fragment: str, expected: dict[str, str]) -> None:
    assert hashes_from_fragment(fragment) == expected


_SEGMENTS = st.sampled_from(["", ".", "..", "a", "files", "x.whl", "b%20c", "c:d", "?q=1/2",
                             "#sha256=ab/cd", "//h2", "http:", ";p", " ", "\t", "\\", "é"])


@given(base=st.lists(_SEGMENTS, max_size=4), href=st.lists(_SEGMENTS, max_size=5))
def test_join_url_is_urljoin(base: list[str], href: list[str]) -> None:
    # join_url joins each directory once and appends the last segment: always urljoin's answer.
    page = "https://h/simple/" + "/".join(base)
    relative = "/".join(href)
    assert join_url(page, relative) == urljoin(page, relative)
