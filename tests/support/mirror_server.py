"""A minimal threaded static server for a built mirror, on 127.0.0.1, with a request log.

- ``GET``/``HEAD`` of files under the root; single ``Range: bytes=...`` requests answer 206;
- a directory URL serves its ``index.json`` or ``index.html`` by the ``Accept`` header (PEP 691
  content negotiation; ``formats`` can withhold one format to test a client's fallback);
- caching headers as PyPI sends them (``Cache-Control`` max-age 600 for pages, immutable for
  files) and an ``ETag`` honoured by ``If-None-Match`` (304), so warm runs of pip and uv behave
  as they do against PyPI; ``cache_headers=False`` turns this off;
- ``ranges=False`` answers every ``Range`` request with the whole file (200), as some servers do;
- every request is logged (method, path, status, body bytes) for benchmarks and tests.

Usage::

    with MirrorServer(mirror.root) as server:
        run(["uv", "pip", "compile", "--index-url", server.index_url, ...])
        print(server.stats())
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Literal
from urllib.parse import unquote, urlsplit

__all__ = ["Format", "LoggedRequest", "MirrorServer", "RequestStats"]

Format = Literal["json", "html"]
JSON_TYPE = "application/vnd.pypi.simple.v1+json"
_HTML_TYPES = ("application/vnd.pypi.simple.v1+html", "text/html")
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


@dataclass(frozen=True, slots=True, kw_only=True)
class LoggedRequest:
    """One request as the server answered it."""

    method: str
    path: str
    status: int
    bytes_sent: int
    content_type: str | None
    range: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestStats:
    """Totals over a request log."""

    requests: int
    bytes_sent: int
    pages: int
    metadata_files: int
    distributions: int
    range_requests: int

    def __str__(self) -> str:
        return (f"{self.requests} requests ({self.pages} pages, {self.metadata_files} .metadata, "
                f"{self.distributions} files, {self.range_requests} ranged), "
                f"{self.bytes_sent} bytes")


class MirrorServer:
    """Serve ``root`` on 127.0.0.1 in a background thread; a context manager."""

    def __init__(
        self,
        root: Path,
        *,
        formats: Iterable[Format] = ("json", "html"),
        cache_headers: bool = True,
        ranges: bool = True,
    ) -> None:
        self.root = root.resolve()
        self.formats: frozenset[Format] = frozenset(formats)
        self.cache_headers = cache_headers
        self.ranges = ranges
        self._log: list[LoggedRequest] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,),
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def index_url(self) -> str:
        return f"{self.url}/simple/"

    def __enter__(self) -> MirrorServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def record(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._log.append(entry)

    @property
    def log(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._log)

    def reset_log(self) -> None:
        with self._lock:
            self._log.clear()

    def stats(self) -> RequestStats:
        log = self.log
        return RequestStats(
            requests=len(log),
            bytes_sent=sum(r.bytes_sent for r in log),
            pages=sum(r.path.startswith("/simple/") for r in log),
            metadata_files=sum(r.path.endswith(".metadata") for r in log),
            distributions=sum(r.path.startswith("/files/") and not r.path.endswith(".metadata")
                              for r in log),
            range_requests=sum(r.range is not None for r in log),
        )


def _handler_for(server: MirrorServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        mirror = server

    return Handler


class _Handler(BaseHTTPRequestHandler):
    mirror: MirrorServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the request log replaces stderr chatter

    def _answer(self, *, send_body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        target = self._resolve(path)
        if target is not None and target.is_dir():
            if not path.endswith("/"):
                self._send(HTTPStatus.MOVED_PERMANENTLY, b"", path, location=path + "/")
                return
            target = self._negotiate(target)
        if target is None or not target.is_file():
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", path, send_body=send_body)
            return
        self._send_file(target, path, send_body=send_body)

    def _resolve(self, path: str) -> Path | None:
        candidate = (self.mirror.root / path.lstrip("/")).resolve()
        if candidate != self.mirror.root and self.mirror.root not in candidate.parents:
            return None
        return candidate

    def _negotiate(self, folder: Path) -> Path | None:
        accept = _parse_accept(self.headers.get("Accept", ""))
        json_q = accept.get(JSON_TYPE, 0.0) if "json" in self.mirror.formats else 0.0
        html_q = max([accept.get(t, 0.0) for t in _HTML_TYPES] + [accept.get("*/*", 0.0)])
        html_q = html_q if "html" in self.mirror.formats else 0.0
        if json_q > 0 and json_q >= html_q:
            return folder / "index.json"
        if html_q > 0 or (not accept and "html" in self.mirror.formats):
            return folder / "index.html"
        return None

    def _send_file(self, target: Path, path: str, *, send_body: bool) -> None:
        body = target.read_bytes()
        content_type = _content_type(target)
        cache = self._cache_headers(target, body)
        if cache and self.headers.get("If-None-Match") == cache["ETag"]:
            self._send(HTTPStatus.NOT_MODIFIED, b"", path, send_body=False, extra=cache)
            return
        requested = self.headers.get("Range") if self.mirror.ranges else None
        span = _byte_range(requested, len(body)) if requested else None
        if span == "unsatisfiable":
            self._send(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, b"", path, send_body=send_body,
                       range_=requested, extra={"Content-Range": f"bytes */{len(body)}"})
        elif span is not None:
            start, stop = span
            self._send(HTTPStatus.PARTIAL_CONTENT, body[start:stop + 1], path,
                       content_type=content_type, send_body=send_body, range_=requested,
                       extra={"Content-Range": f"bytes {start}-{stop}/{len(body)}"})
        else:
            self._send(HTTPStatus.OK, body, path, content_type=content_type, send_body=send_body,
                       extra=cache)

    def _cache_headers(self, target: Path, body: bytes) -> dict[str, str]:
        if not self.mirror.cache_headers:
            return {}
        is_page = target.name in ("index.json", "index.html")
        return {"ETag": f'"{hashlib.sha256(body).hexdigest()[:32]}"',
                "Cache-Control": "max-age=600, public" if is_page
                else "max-age=365000000, immutable, public",
                "Vary": "Accept" if is_page else "Accept-Encoding"}

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        path: str,
        *,
        content_type: str | None = None,
        send_body: bool = True,
        location: str | None = None,
        range_: str | None = None,
        extra: dict[str, str] | None = None,
    ) -> None:
        # Logged first so that a client holding the response always finds its entry.
        self.mirror.record(LoggedRequest(
            method=self.command, path=path, status=int(status),
            bytes_sent=len(body) if send_body else 0, content_type=content_type, range=range_))
        self.send_response(status)
        headers = {"Accept-Ranges": "bytes" if self.mirror.ranges else "none", **(extra or {})}
        if status != HTTPStatus.NOT_MODIFIED:
            headers["Content-Length"] = str(len(body))
        if content_type:
            headers["Content-Type"] = content_type
        if location:
            headers["Location"] = location
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)


def _parse_accept(header: str) -> dict[str, float]:
    result: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in header.split(","))):
        media, *params = (p.strip() for p in item.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        result[media.lower()] = q
    return result


def _byte_range(header: str, size: int) -> tuple[int, int] | Literal["unsatisfiable"] | None:
    """The inclusive span of a single-range header; None means "ignore it, send everything"."""
    match = _RANGE.match(header.strip())
    if match is None or match.groups() == ("", ""):
        return None  # several ranges or a malformed header: a 200 is a valid answer
    first, last = match.groups()
    if first == "":
        start, stop = max(0, size - int(last)), size - 1
    else:
        start = int(first)
        stop = min(int(last), size - 1) if last else size - 1
    if start >= size or start > stop:
        return "unsatisfiable"
    return start, stop


def _content_type(target: Path) -> str:
    if target.name == "index.json":
        return JSON_TYPE
    if target.suffix == ".html":
        return "text/html; charset=utf-8"
    return "application/octet-stream"
