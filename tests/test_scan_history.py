"""``wheelscout scan`` history: dated runs in SQLite, revalidated rescans, newly ready and
regressed cells, share over time, and a resumed run."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.support.mirror import Mirror, build_mirror
from tests.support.server import ServerConfig, TestServer
from wheelscout.index.settings import IndexSettings
from wheelscout.scan import ProjectResult, ScanOptions, ScanReporter
from wheelscout.scan.history import History
from wheelscout.scan.matrix import matrix
from wheelscout.scan.projects import parse_projects
from wheelscout.scan.runner import ScanRequest, ScanRun, run_scan

ARM64_WHEEL = "-win_arm64.whl"


@pytest.fixture
def mirror_dir(tmp_path: Path) -> Mirror:
    return build_mirror(tmp_path / "mirror", projects=["pyyaml", "six", "requests", "idna",
                                                       "urllib3", "certifi",
                                                       "charset-normalizer"])


@pytest.fixture
def server(mirror_dir: Mirror) -> Iterator[TestServer]:
    # ETags but no max-age: every rescan revalidates every page it needs.
    with TestServer(mirror_dir.root, ServerConfig(etag=True, cache_control=False)) as running:
        yield running


def _set_arm64_wheels(mirror: Mirror, present: bool) -> None:
    """Withdraw (or restore) pyyaml 6.0.3's win_arm64 wheels from its page."""
    folder = mirror.root / "simple" / "pyyaml"
    for name in ("index.json", "index.html"):
        original = folder / f"{name}.orig"
        if not original.exists():
            original.write_bytes((folder / name).read_bytes())
    if present:
        for name in ("index.json", "index.html"):
            (folder / name).write_bytes((folder / f"{name}.orig").read_bytes())
        return
    page = json.loads((folder / "index.json.orig").read_bytes())
    page["files"] = [f for f in page["files"] if not f["filename"].endswith(ARM64_WHEEL)]
    (folder / "index.json").write_text(json.dumps(page))
    lines = (folder / "index.html.orig").read_text().splitlines(keepends=True)
    (folder / "index.html").write_text("".join(x for x in lines if ARM64_WHEEL not in x))


def _scan(server: TestServer, tmp_path: Path, day: int,
          reporter: ScanReporter | None = None) -> ScanRun:
    request = ScanRequest(
        projects=tuple(parse_projects("pyyaml\nrequests\nsix\n", "<test>")),
        targets=tuple(matrix(["win-arm64", "linux-x86_64"], ["3.12", "3.13"])),
        settings=IndexSettings(index_url=server.index_url, cache_dir=tmp_path / "cache"),
        options=ScanOptions(),
        db=tmp_path / "history.sqlite3",
    )
    return run_scan(request, reporter, now=datetime(2026, 11, day, 6, 0, tzinfo=timezone.utc))


def _tree(run: ScanRun, project: str, target: str, python: str) -> str:
    result = next(r for r in run.results if r.name == project)
    return next(c.tree for c in result.cells if (c.target, c.python) == (target, python))


def test_a_changed_page_is_newly_ready_then_regressed(
        mirror_dir: Mirror, server: TestServer, tmp_path: Path) -> None:
    _set_arm64_wheels(mirror_dir, present=False)
    first = _scan(server, tmp_path, 1)
    assert _tree(first, "pyyaml", "win-arm64", "3.12") == "build"
    assert first.previous_started is None
    assert first.changes == ()

    _set_arm64_wheels(mirror_dir, present=True)
    server.clear()
    second = _scan(server, tmp_path, 2)
    assert _tree(second, "pyyaml", "win-arm64", "3.12") == "wheels"
    # only pyyaml's page changed: the other projects were revalidated (304), not re-resolved
    assert {r.name: r.reused for r in second.results} == {
        "pyyaml": False, "requests": True, "six": True}
    pages = {r.path: r.status for r in server.log if r.path.startswith("/simple/")}
    assert pages["/simple/pyyaml/"] == 200
    assert pages["/simple/six/"] == 304
    assert pages["/simple/requests/"] == 304
    assert not any(r.path.startswith("/files/six") for r in server.log)
    assert second.previous_started == "2026-11-01T06:00:00+00:00"
    newly = [(c.project, c.target, c.python, c.kind, c.since[:10], c.date[:10])
             for c in second.changes if c.run == second.run_id]
    assert newly == [
        ("pyyaml", "win-arm64", "3.12", "newly ready", "2026-11-01", "2026-11-02"),
        ("pyyaml", "win-arm64", "3.13", "newly ready", "2026-11-01", "2026-11-02"),
    ]

    _set_arm64_wheels(mirror_dir, present=False)
    third = _scan(server, tmp_path, 3)
    assert [(c.project, c.python, c.kind) for c in third.changes if c.run == third.run_id] == [
        ("pyyaml", "3.12", "regressed"), ("pyyaml", "3.13", "regressed")]
    win = [(p.date[:10], p.ready, p.applicable) for p in third.shares if p.target == "win-arm64"]
    assert win == [("2026-11-01", 2, 3), ("2026-11-02", 3, 3), ("2026-11-03", 2, 3)]


class _Interrupt(ScanReporter):
    def __init__(self) -> None:
        self.seen = 0

    def project_done(self, result: ProjectResult) -> None:
        self.seen += 1
        if self.seen == 2:
            raise KeyboardInterrupt


def test_an_interrupted_run_resumes(server: TestServer, tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt):
        _scan(server, tmp_path, 1, _Interrupt())
    with History(tmp_path / "history.sqlite3") as history:
        (unfinished,) = history.runs()
        assert unfinished.finished is None
        assert len(history.results(unfinished.id)) == 1
    resumed = _scan(server, tmp_path, 1)
    assert resumed.run_id == unfinished.id
    assert [r.name for r in resumed.results] == ["pyyaml", "requests", "six"]
    with History(tmp_path / "history.sqlite3") as history:
        assert [r.finished is not None for r in history.runs()] == [True]
