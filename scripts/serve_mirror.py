#!/usr/bin/env python3
"""Serve the loopback mirror of the captured PyPI fixtures until interrupted.

For trying wheelscout, pip or uv by hand against the same index the tests use::

    python scripts/serve_mirror.py            # prints http://127.0.0.1:<port>/simple/
    wheelscout check numpy==1.26.2 --target win-arm64 --python 3.12 --index-url <that url>

``--metadata-files`` also serves and advertises PEP 658 ``.metadata`` files; ``--html-only``
withholds the PEP 691 JSON pages. On exit it prints the request log totals.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.mirror import build_mirror  # noqa: E402
from tests.support.server import Format, MirrorServer  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--metadata-files", action="store_true")
    parser.add_argument("--html-only", action="store_true")
    args = parser.parse_args(argv)
    formats: tuple[Format, ...] = ("html",) if args.html_only else ("json", "html")
    with tempfile.TemporaryDirectory(prefix="wheelscout-mirror-") as tmp:
        mirror = build_mirror(Path(tmp), metadata_files=args.metadata_files)
        with MirrorServer(mirror.root, formats=formats) as server:
            print(server.index_url, flush=True)
            print(f"{len(mirror.projects)} projects, {len(mirror.files)} files; Ctrl-C stops",
                  file=sys.stderr)
            with contextlib.suppress(KeyboardInterrupt):
                threading.Event().wait()
            print(f"\n{server.stats()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
