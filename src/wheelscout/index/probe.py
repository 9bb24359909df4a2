"""Say what an index answered when a project was missing: the hint behind "not found".

Only called after a resolution found no page for a project, so it costs a request or two in a
failed run and nothing otherwise. Every answer is bounded (:mod:`wheelscout.limits`) and every
URL printed is redacted.
"""

from __future__ import annotations

import itertools
import re
import time

import httpx

from wheelscout import __version__
from wheelscout.index._local import is_local, local_path
from wheelscout.limits import PROBE_BYTES, PROBE_MAX_ENTRIES, PROBE_TIMEOUT
from wheelscout.simple.urls import project_url, redact, split_userinfo

__all__ = ["index_answer", "local_project_names"]

_ANCHOR = re.compile(rb"<a\s[^>]*href", re.IGNORECASE)


def _get(url: str, auth: tuple[str, str] | None) -> tuple[int, str, bytes] | str:
    """Status, content type and the first bytes of ``url``, or what went wrong in words."""
    # identity and raw bytes: a compressed answer is never inflated (a gzip bomb stays small).
    headers = {"User-Agent": f"wheelscout/{__version__}", "Accept-Encoding": "identity",
               "Accept": "application/vnd.pypi.simple.v1+json, text/html;q=0.1"}
    try:
        with (
            httpx.Client(timeout=PROBE_TIMEOUT, follow_redirects=True, headers=headers,
                         auth=auth) as http,
            http.stream("GET", url) as response,
        ):
            body = b""
            deadline = time.monotonic() + PROBE_TIMEOUT  # a whole-answer bound, not per read
            for chunk in response.iter_raw():
                body += chunk
                if len(body) >= PROBE_BYTES or time.monotonic() > deadline:
                    break
            kind = response.headers.get("content-type", "").split(";")[0].strip()
            return response.status_code, kind, body[:PROBE_BYTES]
    except httpx.ConnectError:
        return "connection refused or host unreachable"
    except httpx.TimeoutException:
        return f"no answer within {PROBE_TIMEOUT:g} s"
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
        return type(exc).__name__  # the name only: a message may quote the URL


def _simple_page(kind: str, body: bytes) -> bool:
    if "json" in kind:
        return b'"meta"' in body
    return bool(_ANCHOR.search(body))  # a PEP 503 page lists its files or projects as links


def _describe(answer: tuple[int, str, bytes] | str) -> str:
    if isinstance(answer, str):
        return answer
    status, kind, body = answer
    phrase = httpx.codes.get_reason_phrase(status)
    text = f"{status} {phrase}".strip()
    if status == 200 and not _simple_page(kind, body):
        text += f", but not a simple index page ({kind or 'no content type'})"
    return text


def index_answer(index_url: str, name: str, *, root: bool) -> str:
    """One phrase: what ``index_url`` answered for project ``name`` (and, with ``root``, what
    the index URL itself answered, to spot a wrong ``--index-url``)."""
    if is_local(index_url):
        path = local_path(index_url)
        where = "does not exist" if not path.exists() else f"has no {name}/ directory"
        return f"{redact(index_url)} is a local index that {where}"
    # Credentials travel as an Authorization header, never in the URL: a password with a "#"
    # or "/" in it would otherwise end the URL's host part early.
    bare, auth = split_userinfo(index_url)
    url = project_url(bare, name)
    text = f"{redact(project_url(index_url, name))} answered {_describe(_get(url, auth))}"
    if root:
        text += f"; the index URL {redact(index_url)} answered {_describe(_get(bare, auth))}"
    return text


def local_project_names(locations: tuple[str, ...]) -> set[str]:
    """Project names in local find-links directories and local indexes (never a remote list)."""
    from wheelscout.index._local import dist_name

    names: set[str] = set()
    for location in locations:
        if not is_local(location):
            continue
        path = local_path(location)
        if path.is_dir():
            entries = [p.name for p in itertools.islice(path.iterdir(), PROBE_MAX_ENTRIES)]
            names |= {n for e in entries if (n := dist_name(e))}
            names |= {e for e in entries if (path / e).is_dir()}  # a local index's projects
    return names
