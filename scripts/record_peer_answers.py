#!/usr/bin/env python3
"""Record what uv and pip answer on the loopback mirror, as expected data for wheelscout's tests.

Builds the mirror from ``tests/data/pypi`` (``tests/support/mirror.py``), serves it on 127.0.0.1
and runs, for every requirement set x target in ``tests/support/peers.py``, the three peer modes
(``uv``, ``uv-no-build``, ``pip-only-binary``). Writes ``tests/data/pypi/expected/<set>.json``.
No network beyond 127.0.0.1. Run: ``python scripts/record_peer_answers.py [SET ...]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.mirror import build_mirror  # noqa: E402
from tests.support.peers import (  # noqa: E402
    MODES,
    PYTHON,
    REQUIREMENT_SETS,
    TARGETS,
    PeerAnswer,
    peer_versions,
    run_peer,
)
from tests.support.server import MirrorServer  # noqa: E402

EXPECTED = ROOT / "tests" / "data" / "pypi" / "expected"


def record(name: str, index_url: str, work: Path) -> dict[str, Any]:
    requirements = REQUIREMENT_SETS[name]
    jobs = [(mode, target) for target in TARGETS.values() for mode in MODES]

    def ask(job: tuple[Any, Any]) -> PeerAnswer:
        mode, target = job
        workdir = work / f"{name}-{target.name}-{mode}"
        return run_peer(mode, requirements, target, index_url, workdir)

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(ask, jobs))
    return {
        "schema_version": 1,
        "requirements": list(requirements),
        "python": PYTHON,
        "peers": peer_versions(),
        "index": "tests/data/pypi via tests/support/mirror.py",
        "targets": {t.name: {"uv_platform": t.uv_platform, "pip_platforms": list(t.pip_platforms),
                             "env": t.env} for t in TARGETS.values()},
        "answers": [a.to_json() for a in answers],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", choices=[[], *REQUIREMENT_SETS], default=[])
    args = parser.parse_args(argv)
    EXPECTED.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        mirror = build_mirror(Path(tmp) / "mirror")
        with MirrorServer(mirror.root) as server:
            for name in args.sets or REQUIREMENT_SETS:
                data = record(name, server.index_url, Path(tmp) / "work")
                path = EXPECTED / f"{name}.json"
                path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
                summary = {f"{a['mode']}@{a['target']}": a["status"] for a in data["answers"]}
                print(f"{path.relative_to(ROOT)}: {summary}", file=sys.stderr)
            print(f"server: {server.stats()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
