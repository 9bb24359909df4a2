"""The one real HTTP server on 127.0.0.1 for integration tests, benchmarks and scripts.

Serves a directory laid out like a simple index (``simple/<name>/index.html`` and/or
``index.json``, files under ``files/``) from a background thread:

- a directory URL serves ``index.json`` or ``index.html`` by the ``Accept`` header's q-values
  (PEP 691 negotiation); ``json``/``html`` withhold a format to test a client's fallback, and
  paths under ``html_only_prefix`` never get JSON; a client that accepts none of the formats on
  offer still gets HTML if there is any (as plain static servers do), else 404;
- single ``Range: bytes=...`` requests on files answer 206 (``ranges=False``: always 200);
- an ``ETag`` honoured by ``If-None-Match`` (304) and, with ``cache_control``, the caching
  headers PyPI sends (max-age 600 for pages, immutable for files);
- ``metadata_files=False`` hides PEP 658 ``.metadata`` files and their HTML attributes;
- basic auth, and fault injection per path prefix;
- hostile modes per path prefix (``hostile``), the ways a stranger's index attacks a client:
  ``endless`` (a chunked body that never ends), ``gzip-bomb`` (a small gzip body that decodes
  to ``bomb_bytes``), ``drip`` (one byte every ``drip_seconds``), and for HTML pages
  ``file-links`` (every href a ``file:`` URL of the served file), ``bare-paths`` (every href
  a local absolute path), ``base-file`` (``<base href="file:...">`` with bare filenames) and
  ``esc-yanked`` (every file yanked with terminal escape sequences as the reason); and
  ``redirect`` (a 302 to ``redirect_to``, e.g. a ``file:`` URL or port 99999);
- a request log (method, path, status, body bytes, ...) with totals for benchmarks.

Usage::

    with serve(root, ServerConfig(ranges=False)) as server:       # switches flip per request
        ...server.url, server.requests("/files/")...
    with MirrorServer(mirror.root, formats=("html",)) as server:  # a PyPI-like mirror
        ...server.index_url, server.stats()...
    with serve_directory(root) as url:                            # a plain static index
        ...
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Literal
from urllib.parse import unquote, urlsplit

__all__ = [
    "ESC_REASON",
    "JSON_TYPE",
    "Fault",
    "Format",
    "Hostile",
    "LoggedRequest",
    "MirrorServer",
    "RequestStats",
    "ServerConfig",
    "TestServer",
    "serve",
    "serve_directory",
]

JSON_TYPE = "application/vnd.pypi.simple.v1+json"
HTML_TYPE = "text/html; charset=utf-8"
_HTML_TYPES = ("application/vnd.pypi.simple.v1+html", "text/html")
_PAGES = ("index.json", "index.html")
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")

# "stall": half the body, then slow_seconds of silence, then the connection closes.
Fault = Literal["500", "slow", "truncate", "stall", "invalid-json", "401"]
Hostile = Literal[
    "endless", "gzip-bomb", "drip", "file-links", "bare-paths", "base-file", "esc-yanked",
    "redirect",
]
_STREAMING = ("endless", "gzip-bomb", "drip")
# What an "esc-yanked" page says: clear the screen, set the window title, ring the bell, a C1
# CSI (0x9b) that some terminals obey too, and a line of its own.
ESC_REASON = "\x1b[2J\x1b]0;pwned\x07\x9b31mred\n  wheel forged-line"
Format = Literal["json", "html"]


@dataclass
class ServerConfig:
    """Mutable switches; tests flip them between requests."""

    ranges: bool = True
    json: bool = True  # offer index.json when the client prefers it
    html: bool = True  # offer index.html
    # serve *.metadata files that exist on disk; when off, HTML pages do not advertise them
    metadata_files: bool = True
    etag: bool = True
    cache_control: bool = False  # PyPI's Cache-Control and Vary headers
    html_only_prefix: str | None = None  # paths under it never get JSON (prefix is stripped)
    auth: tuple[str, str] | None = None
    faults: dict[str, Fault] = field(default_factory=dict)  # path prefix -> fault
    fault_times: int | None = None  # None: always; n: only the first n matching requests
    slow_seconds: float = 2.0
    hostile: dict[str, Hostile] = field(default_factory=dict)  # path prefix -> hostile mode
    drip_seconds: float = 0.5
    bomb_bytes: int = 1 << 30  # what a gzip-bomb body decodes to
    redirect_to: str = "file:///etc/passwd"


class _Server(ThreadingHTTPServer):
    # socketserver listens with a backlog of 5: a client opening a dozen connections at once
    # (wheelscout, uv) had some SYNs dropped and retried by the kernel a second later, which
    # made benchmark runs take one second more, at random.
    request_queue_size = 128


@dataclass(frozen=True, slots=True, kw_only=True)
class LoggedRequest:
    """One request as the server answered it."""

    method: str
    path: str
    status: int
    bytes_sent: int  # body bytes sent
    content_type: str | None
    range: str | None  # the request's Range header, honoured or not
    conditional: bool
    at: float = field(default_factory=time.perf_counter)  # when it was answered (benchmarks)

    @property
    def sent(self) -> int:
        return self.bytes_sent


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestStats:
    """Totals over a request log."""

    requests: int
    bytes_sent: int
    pages: int
    metadata_files: int
    distributions: int
    range_requests: int  # answered as ranges (206 or 416)

    def __str__(self) -> str:
        return (f"{self.requests} requests ({self.pages} pages, {self.metadata_files} .metadata, "
                f"{self.distributions} files, {self.range_requests} ranged), "
                f"{self.bytes_sent} bytes")


class TestServer:
    """Serve ``root`` on an ephemeral 127.0.0.1 port in a background thread; a context manager."""

    __test__ = False  # not a pytest class

    def __init__(self, root: Path, config: ServerConfig | None = None) -> None:
        self.root = root.resolve()
        self.config = config or ServerConfig()
        self._log: list[LoggedRequest] = []
        self.lock = threading.Lock()
        self.fault_count = 0
        self._httpd = _Server(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,),
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def index_url(self) -> str:
        return f"{self.url}/simple/"

    def __enter__(self) -> TestServer:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def record(self, entry: LoggedRequest) -> None:
        with self.lock:
            self._log.append(entry)

    @property
    def log(self) -> list[LoggedRequest]:
        with self.lock:
            return list(self._log)

    def requests(self, prefix: str = "/") -> list[LoggedRequest]:
        return [r for r in self.log if r.path.startswith(prefix)]

    def bytes_sent(self, prefix: str = "/") -> int:
        return sum(r.bytes_sent for r in self.requests(prefix))

    def clear(self) -> None:
        with self.lock:
            self._log.clear()

    reset_log = clear

    def stats(self) -> RequestStats:
        log = self.log
        return RequestStats(
            requests=len(log),
            bytes_sent=sum(r.bytes_sent for r in log),
            pages=sum(r.path.startswith("/simple/") for r in log),
            metadata_files=sum(r.path.endswith(".metadata") for r in log),
            distributions=sum(r.path.startswith("/files/") and not r.path.endswith(".metadata")
                              for r in log),
            range_requests=sum(r.status in (206, 416) for r in log),
        )


class MirrorServer(TestServer):
    """A PyPI-like mirror of ``root``: PyPI's caching headers, both page formats by default."""

    def __init__(self, root: Path, *, formats: Iterable[Format] = ("json", "html"),
                 cache_headers: bool = True, ranges: bool = True) -> None:
        offered = frozenset(formats)
        super().__init__(root, ServerConfig(
            json="json" in offered, html="html" in offered, ranges=ranges,
            etag=cache_headers, cache_control=cache_headers))

    def __enter__(self) -> MirrorServer:
        super().__enter__()
        return self


@contextmanager
def serve(root: Path, config: ServerConfig | None = None) -> Iterator[TestServer]:
    """Run a server over ``root`` on an ephemeral 127.0.0.1 port for the ``with`` block."""
    with TestServer(root, config) as running:
        yield running


@contextmanager
def serve_directory(root: Path) -> Iterator[str]:
    """Serve ``root`` as a plain static index; yields ``http://127.0.0.1:PORT``.

    No ranges and no validators, like ``http.server``; paths under ``/html-only/`` never get
    JSON, to exercise PEP 503 parsing in clients that prefer JSON.
    """
    config = ServerConfig(ranges=False, etag=False, html_only_prefix="/html-only")
    with serve(root, config) as running:
        yield running.url


def _handler_for(server: TestServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        state = server

    return Handler


class _Handler(BaseHTTPRequestHandler):
    state: TestServer
    protocol_version = "HTTP/1.1"
    # Real servers (nginx, a CDN) send with TCP_NODELAY: without it the body, written after the
    # headers, waits for the client's delayed ACK (40 ms on Linux) on a reused connection.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:
        pass  # the request log is the record

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        if not self._authorized():
            self._send(401, b"auth required", path, "text/plain",
                       {"WWW-Authenticate": 'Basic realm="test"'})
            return
        fault = self._fault(path)
        if fault in ("500", "401"):
            self._send(int(fault), b"fault", path, "text/plain")
            return
        if fault == "slow":
            time.sleep(self.state.config.slow_seconds)
        mode = self._hostile(path)
        if mode == "redirect":
            self._send(302, b"", path, None, {"Location": self.state.config.redirect_to})
            return
        if mode in _STREAMING:
            try:
                self._attack(path, mode)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up, as it should
            return
        try:
            self._answer(path, fault)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client went away (it gave up, or was stopped)

    def _hostile(self, path: str) -> Hostile | None:
        return next((mode for prefix, mode in self.state.config.hostile.items()
                     if path.startswith(prefix)), None)

    def _attack(self, path: str, mode: Hostile) -> None:
        config = self.state.config
        self.state.record(LoggedRequest(
            method=self.command, path=path, status=200, bytes_sent=0, content_type=HTML_TYPE,
            range=self.headers.get("Range"), conditional=False))
        self.send_response(200)
        self.send_header("Content-Type", HTML_TYPE)
        self.close_connection = True
        if mode == "endless":
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b'<a href="x-1.0.tar.gz">x</a>\n' * 2048
            while True:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        elif mode == "gzip-bomb":
            body = _gzip_bomb(config.bomb_bytes)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:  # drip
            self.send_header("Content-Length", str(1 << 20))
            self.end_headers()
            for _ in range(1 << 20):
                self.wfile.write(b"<")
                self.wfile.flush()
                time.sleep(config.drip_seconds)

    def _answer(self, path: str, fault: Fault | None) -> None:
        local, html_only = self._resolve(path)
        if local is not None and local.is_dir():
            if not path.endswith("/"):
                self._send(301, b"", path, None, {"Location": path + "/"})
                return
            local = self._negotiate(local, html_only=html_only)
        hidden = local is not None and local.suffix == ".metadata" and not self._metadata_files
        if local is None or not local.is_file() or hidden:
            self._send(404, b"not found\n", path, "text/plain")
            return
        body, content_type = self._read(local)
        if fault == "invalid-json":
            body, content_type = b'{"meta": {"api-version": "1.0"}, "files": [', JSON_TYPE
        if fault in ("truncate", "stall"):
            self._send(200, body, path, content_type, truncate=True)
            if fault == "stall":
                self.wfile.flush()
                time.sleep(self.state.config.slow_seconds)
            return
        self._serve(local, body, content_type, path)

    def _authorized(self) -> bool:
        if self.state.config.auth is None:
            return True
        expected = base64.b64encode(":".join(self.state.config.auth).encode()).decode()
        return self.headers.get("Authorization") == f"Basic {expected}"

    def _fault(self, path: str) -> Fault | None:
        for prefix, fault in self.state.config.faults.items():
            if path.startswith(prefix):
                with self.state.lock:
                    self.state.fault_count += 1
                    limit = self.state.config.fault_times
                    if limit is None or self.state.fault_count <= limit:
                        return fault
        return None

    def _resolve(self, path: str) -> tuple[Path | None, bool]:
        prefix = self.state.config.html_only_prefix
        html_only = prefix is not None and path.startswith(prefix + "/")
        if html_only and prefix is not None:
            path = path[len(prefix):]
        local = (self.state.root / path.lstrip("/")).resolve()
        return (local if local.is_relative_to(self.state.root) else None), html_only

    def _negotiate(self, folder: Path, *, html_only: bool) -> Path | None:
        config = self.state.config
        has_json = config.json and not html_only and (folder / "index.json").is_file()
        has_html = config.html and (folder / "index.html").is_file()
        accept = _parse_accept(self.headers.get("Accept", ""))
        json_q = accept.get(JSON_TYPE, 0.0) if has_json else 0.0
        html_q = max([accept.get(t, 0.0) for t in _HTML_TYPES] + [accept.get("*/*", 0.0)])
        if json_q > 0 and json_q >= (html_q if has_html else 0.0):
            return folder / "index.json"
        return folder / "index.html" if has_html else None

    @property
    def _metadata_files(self) -> bool:
        return self.state.config.metadata_files

    def _read(self, local: Path) -> tuple[bytes, str]:
        body = local.read_bytes()
        if local.name == "index.json":
            return body, JSON_TYPE
        if local.suffix == ".html":
            if not self._metadata_files:  # an index that knows nothing of PEP 658
                body = re.sub(rb' data-(core|dist-info)-metadata="[^"]*"', b"", body)
            mode = self._hostile(unquote(urlsplit(self.path).path))
            if mode is not None:
                body = _hostile_page(body, mode, local.parent)
            return body, HTML_TYPE
        return body, "application/octet-stream"

    def _serve(self, local: Path, body: bytes, content_type: str, path: str) -> None:
        validators = self._validators(local, body)
        if "ETag" in validators and self.headers.get("If-None-Match") == validators["ETag"]:
            self._send(304, b"", path, content_type, validators)
            return
        wanted = self.headers.get("Range")
        is_file = local.name not in _PAGES
        span = _byte_range(wanted, len(body)) if wanted and is_file and self._ranges else None
        if span == "unsatisfiable":
            self._send(416, b"", path, None, {"Content-Range": f"bytes */{len(body)}"})
        elif span is not None:
            start, stop = span
            self._send(206, body[start:stop + 1], path, content_type,
                       {"Content-Range": f"bytes {start}-{stop}/{len(body)}"})
        else:
            self._send(200, body, path, content_type, validators)

    @property
    def _ranges(self) -> bool:
        return self.state.config.ranges

    def _validators(self, local: Path, body: bytes) -> dict[str, str]:
        config = self.state.config
        headers = {"ETag": f'"{hashlib.sha256(body).hexdigest()[:32]}"'} if config.etag else {}
        if config.cache_control:
            is_page = local.name in _PAGES
            headers["Cache-Control"] = ("max-age=600, public" if is_page
                                        else "max-age=365000000, immutable, public")
            headers["Vary"] = "Accept" if is_page else "Accept-Encoding"
        return headers

    def _send(self, status: int, body: bytes, path: str, content_type: str | None,
              headers: dict[str, str] | None = None, *, truncate: bool = False) -> None:
        payload = body[: len(body) // 2] if truncate else body
        if self.command == "HEAD" or status == HTTPStatus.NOT_MODIFIED:
            payload = b""
        # Logged before replying: a client may check the log as soon as it has the response.
        self.state.record(LoggedRequest(
            method=self.command, path=path, status=status, bytes_sent=len(payload),
            content_type=content_type, range=self.headers.get("Range"),
            conditional="If-None-Match" in self.headers))
        self.send_response(status)
        all_headers = {"Accept-Ranges": "bytes" if self._ranges else "none", **(headers or {})}
        if status != HTTPStatus.NOT_MODIFIED:
            all_headers["Content-Length"] = str(len(body))
        if content_type:
            all_headers["Content-Type"] = content_type
        for name, value in all_headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)
        if truncate:
            self.close_connection = True


@functools.lru_cache(maxsize=2)
def _gzip_bomb(size: int) -> bytes:
    """``size`` zero bytes, gzipped (about a thousandth of ``size``)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(1 << 20)
    parts = [compressor.compress(block) for _ in range(size >> 20)]
    parts.append(compressor.compress(bytes(size & ((1 << 20) - 1))))
    return b"".join(parts) + compressor.flush()


def _hostile_page(body: bytes, mode: Hostile, folder: Path) -> bytes:
    """An HTML project page rewritten the way ``mode`` attacks a client."""
    def local(match: re.Match[bytes]) -> Path:
        href = match[1].decode().split("#")[0]
        return (folder / unquote(href)).resolve()

    if mode == "file-links":
        return re.sub(rb'href="([^"]*)"', lambda m: b'href="%s"' % local(m).as_uri().encode(),
                      body)
    if mode == "bare-paths":
        return re.sub(rb'href="([^"]*)"', lambda m: b'href="%s"' % str(local(m)).encode(), body)
    if mode == "base-file":
        first = re.search(rb'href="([^"#]*)', body)
        base = (folder / unquote(first[1].decode())).resolve().parent if first else folder
        body = re.sub(rb'href="[^"]*/([^"/]*)"', rb'href="\1"', body)
        return body.replace(b"<body>", b'<head><base href="%s/"></head><body>'
                            % base.as_uri().encode(), 1)
    if mode == "esc-yanked":
        return body.replace(b"<a ", b'<a data-yanked="%s" ' % ESC_REASON.encode())
    return body


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
