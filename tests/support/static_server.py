"""A minimal threaded static file server on 127.0.0.1 for fixture indexes.

Directory requests get ``index.json`` (as ``application/vnd.pypi.simple.v1+json``) when the
client's ``Accept`` header asks for PEP 691 JSON and the file exists, else ``index.html``, so
one built index serves both formats. Paths under ``/html-only/`` never get JSON, to exercise
PEP 503 parsing in clients that prefer JSON.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

__all__ = ["JSON_TYPE", "serve_directory"]

JSON_TYPE = "application/vnd.pypi.simple.v1+json"
HTML_ONLY = "/html-only"


class _Handler(http.server.SimpleHTTPRequestHandler):
    def translate_path(self, path: str) -> str:
        html_only = path.startswith(HTML_ONLY + "/")
        if html_only:
            path = path[len(HTML_ONLY) :]
        local = Path(super().translate_path(path))
        if local.is_dir():
            wants_json = JSON_TYPE in self.headers.get("Accept", "") and not html_only
            json_page = local / "index.json"
            return str(json_page if wants_json and json_page.exists() else local / "index.html")
        return str(local)

    def guess_type(self, path: str | Any) -> str:
        if str(path).endswith("index.json"):
            return JSON_TYPE
        if str(path).endswith(".metadata"):
            return "application/octet-stream"
        return super().guess_type(path)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read the result, not an access log."""


@contextmanager
def serve_directory(root: Path) -> Iterator[str]:
    """Serve ``root`` on an ephemeral port of 127.0.0.1; yields ``http://127.0.0.1:PORT``."""
    handler = partial(_Handler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="static-index", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
