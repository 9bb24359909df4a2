"""A real HTTP server on 127.0.0.1 for integration tests and the benchmark.

Serves a directory laid out like a simple index (``simple/<name>/index.html`` and optionally
``index.json``, files under ``files/``), with content negotiation, optional Range support,
ETag revalidation, basic auth, a request log, and fault injection per path prefix.
"""

from __future__ import annotations

import base64
import hashlib
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Literal

__all__ = ["Fault", "LoggedRequest", "ServerConfig", "TestServer", "serve"]

JSON_TYPE = "application/vnd.pypi.simple.v1+json"
Fault = Literal["500", "slow", "truncate", "invalid-json", "401"]


@dataclass
class ServerConfig:
    """Mutable switches; tests flip them between requests."""

    ranges: bool = True
    json: bool = True  # offer index.json when the client prefers it
    # serve *.metadata files that exist on disk; when off, HTML pages do not advertise them
    metadata_files: bool = True
    auth: tuple[str, str] | None = None
    faults: dict[str, Fault] = field(default_factory=dict)  # path prefix -> fault
    fault_times: int | None = None  # None: always; n: only the first n matching requests
    slow_seconds: float = 2.0


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    path: str
    range: str | None
    status: int
    sent: int  # body bytes sent
    conditional: bool


class TestServer:
    """Handle on a running server: ``url``, ``config``, ``log``."""

    __test__ = False  # not a pytest class

    def __init__(self, root: Path, config: ServerConfig) -> None:
        self.root = root
        self.config = config
        self.log: list[LoggedRequest] = []
        self.lock = threading.Lock()
        self.fault_count = 0
        self.url = ""

    def requests(self, prefix: str = "/") -> list[LoggedRequest]:
        with self.lock:
            return [r for r in self.log if r.path.startswith(prefix)]

    def bytes_sent(self, prefix: str = "/") -> int:
        return sum(r.sent for r in self.requests(prefix))

    def clear(self) -> None:
        with self.lock:
            self.log.clear()


def _handler(state: TestServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet; the log list is the record

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            if not self._authorized():
                self._send(401, b"auth required", "text/plain", path,
                           {"WWW-Authenticate": 'Basic realm="test"'})
                return
            fault = self._fault(path)
            if fault in ("500", "401"):
                self._send(int(fault), b"fault", "text/plain", path)
                return
            if fault == "slow":
                time.sleep(state.config.slow_seconds)
            target = self._resolve(path)
            if target is None:
                self._send(404, b"not found", "text/plain", path)
                return
            body, content_type = target
            if fault == "invalid-json":
                body, content_type = b'{"meta": {"api-version": "1.0"}, "files": [', JSON_TYPE
            if fault == "truncate":
                self._send(200, body, content_type, path, truncate=True)
                return
            self._serve(path, body, content_type)

        def do_HEAD(self) -> None:
            self.do_GET()

        def _authorized(self) -> bool:
            if state.config.auth is None:
                return True
            expected = base64.b64encode(":".join(state.config.auth).encode()).decode()
            return self.headers.get("Authorization") == f"Basic {expected}"

        def _fault(self, path: str) -> Fault | None:
            for prefix, fault in state.config.faults.items():
                if path.startswith(prefix):
                    with state.lock:
                        state.fault_count += 1
                        limit = state.config.fault_times
                        if limit is None or state.fault_count <= limit:
                            return fault
            return None

        def _resolve(self, path: str) -> tuple[bytes, str] | None:
            local = (state.root / path.lstrip("/")).resolve()
            if not local.is_relative_to(state.root.resolve()):
                return None
            if local.is_dir():
                accept = self.headers.get("Accept", "")
                json_file = local / "index.json"
                if state.config.json and JSON_TYPE in accept and json_file.is_file():
                    return json_file.read_bytes(), JSON_TYPE
                local = local / "index.html"
                if not local.is_file():
                    return None
                page = local.read_bytes()
                if not state.config.metadata_files:  # an index that knows nothing of PEP 658
                    page = re.sub(rb' data-(core|dist-info)-metadata="[^"]*"', b"", page)
                return page, "text/html"
            if local.suffix == ".metadata" and not state.config.metadata_files:
                return None
            if not local.is_file():
                return None
            return local.read_bytes(), "application/octet-stream"

        def _serve(self, path: str, body: bytes, content_type: str) -> None:
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self._send(304, b"", content_type, path, {"ETag": etag})
                return
            wanted = self.headers.get("Range")
            if wanted and state.config.ranges and content_type == "application/octet-stream":
                span = _parse_range(wanted, len(body))
                if span is None:
                    self._send(416, b"", content_type, path,
                               {"Content-Range": f"bytes */{len(body)}"})
                    return
                start, end = span
                headers = {"Content-Range": f"bytes {start}-{end - 1}/{len(body)}"}
                self._send(206, body[start:end], content_type, path, headers)
                return
            extra = {"ETag": etag}
            if state.config.ranges:
                extra["Accept-Ranges"] = "bytes"
            self._send(200, body, content_type, path, extra)

        def _send(self, status: int, body: bytes, content_type: str, path: str,
                  headers: dict[str, str] | None = None, *, truncate: bool = False) -> None:
            payload = body[: len(body) // 2] if truncate else body
            if self.command == "HEAD":
                payload = b""
            with state.lock:  # logged before replying: a client may check the log at once
                state.log.append(LoggedRequest(
                    path, self.headers.get("Range"), status, len(payload),
                    "If-None-Match" in self.headers,
                ))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
            if truncate:
                self.close_connection = True

    return Handler


def _parse_range(value: str, size: int) -> tuple[int, int] | None:
    match = re.fullmatch(r"bytes=(\d*)-(\d*)", value.strip())
    if match is None or (not match[1] and not match[2]):
        return None
    if not match[1]:
        return max(0, size - int(match[2])), size
    start = int(match[1])
    end = min(size, int(match[2]) + 1) if match[2] else size
    return (start, end) if start < size else None


@contextmanager
def serve(root: Path, config: ServerConfig | None = None) -> Iterator[TestServer]:
    """Run a server over ``root`` on an ephemeral 127.0.0.1 port for the ``with`` block."""
    state = TestServer(root, config or ServerConfig())
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
