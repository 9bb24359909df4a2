"""URL helpers every layer needs: joining against a page, fragments, names, redaction."""

from __future__ import annotations

import functools
import re
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from packaging.utils import canonicalize_name

from wheelscout.model.project import NormalizedName
from wheelscout.redact import redact, split_userinfo_span

__all__ = [
    "hashes_from_fragment",
    "join_url",
    "normalize_name",
    "project_url",
    "redact",
    "split_userinfo",
    "strip_fragment",
]

_HASH_FRAGMENT = re.compile(r"^([a-z0-9_]+)=([0-9a-fA-F]+)$")


def normalize_name(name: str) -> NormalizedName:
    """PEP 503 normalisation, the form used in index URLs and as project identity."""
    return NormalizedName(canonicalize_name(name))


def project_url(index_url: str, name: str) -> str:
    """The project page URL on a simple index: ``<index>/<normalized-name>/``."""
    return index_url.rstrip("/") + "/" + normalize_name(name) + "/"


def join_url(page_url: str, href: str) -> str:
    """Resolve ``href`` (relative or absolute) against the URL the page was served from."""
    if href.startswith(("https://", "http://")) and "/." not in href:
        return href  # already absolute and normal: what urljoin would return, without its cost
    # A page links hundreds of files from one or two directories ("../../files/x.whl"): join
    # each directory once and append the last segment, which urljoin would copy unchanged.
    if _plain_relative(href):
        end = len(href)
        for mark in ("?", "#"):
            if (found := href.find(mark, 0, end)) >= 0:
                end = found
        head, slash, tail = href[:end].rpartition("/")
        if slash and ":" not in head and tail not in ("", ".", ".."):
            return _join_directory(page_url, head + "/") + tail + href[end:]
    return urljoin(page_url, href)


def _plain_relative(href: str) -> bool:
    # urlsplit strips leading blanks and drops tabs and newlines; "//host" names a host.
    return href.isprintable() and not href[:1].isspace() and not href.startswith("//")


@functools.lru_cache(maxsize=256)
def _join_directory(page_url: str, directory: str) -> str:
    return urljoin(page_url, directory)


def strip_fragment(url: str) -> tuple[str, str]:
    """Split ``url`` into the part before ``#`` and the fragment."""
    base, _, fragment = url.partition("#")
    return base, fragment


def hashes_from_fragment(fragment: str) -> dict[str, str]:
    """PEP 503 puts one ``<algo>=<hexdigest>`` in the URL fragment; anything else is ignored."""
    match = _HASH_FRAGMENT.match(fragment)
    return {match[1]: match[2].lower()} if match else {}


def split_userinfo(url: str) -> tuple[str, tuple[str, str] | None]:
    """``https://u:p@host/x`` -> (``https://host/x``, (``u``, ``p``)); no userinfo -> None.

    A password with an unencoded ``#``, ``/`` or ``?`` (``http://u:pa#ss@host/``) leaves
    ``urlsplit`` with no userinfo and an invalid port; then the userinfo is what a person meant,
    the text before the last ``@`` (see :mod:`wheelscout.redact`).
    """
    parts = urlsplit(url)
    if "@" in parts.netloc:
        userinfo, _, host = parts.netloc.rpartition("@")
        clean = urlunsplit(parts._replace(netloc=host))
    else:
        span = split_userinfo_span(url)
        if span is None or _has_valid_port(url):
            return url, None
        userinfo, clean = url[span[0] : span[1]], url[: span[0]] + url[span[1] + 1 :]
    user, _, password = userinfo.partition(":")
    return clean, (unquote(user), unquote(password))


def _has_valid_port(url: str) -> bool:
    try:
        _ = urlsplit(url).port
    except ValueError:
        return False
    return True
