"""Every scan is a dated run in one SQLite file: its projects' results, the share of projects
ready per target, and what became ready or regressed since the run before.

SQLite because each write is a transaction (a scan killed half-way leaves the projects done so
far, and the next scan with the same matrix resumes that run), and one file is easy to keep,
copy and publish. Results are stored as the JSON of :class:`~wheelscout.scan.model.ProjectResult`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from wheelscout.errors import InputError
from wheelscout.scan.model import ProjectResult

__all__ = ["Change", "History", "RunInfo", "SharePoint", "default_path", "target_shares"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,
    finished TEXT,
    config TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS results (
    run INTEGER NOT NULL REFERENCES runs(id),
    name TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (run, name)
);
CREATE TABLE IF NOT EXISTS shares (
    run INTEGER NOT NULL REFERENCES runs(id),
    target TEXT NOT NULL,
    ready INTEGER NOT NULL,
    applicable INTEGER NOT NULL,
    PRIMARY KEY (run, target)
);
CREATE TABLE IF NOT EXISTS changes (
    run INTEGER NOT NULL REFERENCES runs(id),
    project TEXT NOT NULL,
    target TEXT NOT NULL,
    python TEXT NOT NULL,
    kind TEXT NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    since TEXT NOT NULL
);
"""

ChangeKind = Literal["newly ready", "regressed"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RunInfo:
    id: int
    started: str
    finished: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class SharePoint:
    """Per target, at one run: projects whose every applicable cell installs from wheels."""

    run: int
    date: str
    target: str
    ready: int
    applicable: int

    @property
    def share(self) -> float:
        return self.ready / self.applicable if self.applicable else 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """A cell that became ready (``tree`` now ``wheels``) or stopped being ready."""

    run: int
    date: str  # the run that saw it
    since: str  # the run before, when it was still the other way
    project: str
    target: str
    python: str
    kind: ChangeKind
    before: str
    after: str


def default_path() -> Path:
    """``scan-history.sqlite3`` in platformdirs' user data directory."""
    import platformdirs

    return platformdirs.user_data_path("wheelscout") / "scan-history.sqlite3"


def target_shares(results: Iterable[ProjectResult]) -> dict[str, tuple[int, int]]:
    """Per target spelling: (projects ready on every applicable Python, projects applicable)."""
    found: dict[str, list[int]] = {}
    for result in results:
        by_target: dict[str, list[str]] = {}
        for cell in result.cells:
            if cell.tree != "n/a":
                by_target.setdefault(cell.target, []).append(cell.tree)
            else:
                by_target.setdefault(cell.target, [])
        for target, trees in by_target.items():
            counts = found.setdefault(target, [0, 0])
            if trees:
                counts[1] += 1
                counts[0] += all(t == "wheels" for t in trees)
    return {t: (c[0], c[1]) for t, c in found.items()}


class History:
    """The history database; use as a context manager."""

    def __init__(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise InputError(f"cannot open --db {str(path)!r}: {exc}") from None
        except OSError as exc:
            raise InputError(f"cannot create --db {str(path)!r}: {exc.strerror}") from None

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self._db.close()

    def open_run(self, config: str, started: datetime) -> tuple[int, dict[str, ProjectResult]]:
        """A new run, or the last one if it is unfinished with the same ``config`` (a resumed
        scan); with the results that run already holds."""
        row = self._db.execute(
            "SELECT id, finished, config FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        if row is not None and row[1] is None and row[2] == config:
            return row[0], self.results(row[0])
        cursor = self._db.execute("INSERT INTO runs (started, config) VALUES (?, ?)",
                                  (started.isoformat(timespec="seconds"), config))
        assert cursor.lastrowid is not None
        return cursor.lastrowid, {}

    def record(self, run: int, result: ProjectResult) -> None:
        self._db.execute("INSERT OR REPLACE INTO results (run, name, data) VALUES (?, ?, ?)",
                         (run, result.name, json.dumps(result.to_json())))

    def results(self, run: int) -> dict[str, ProjectResult]:
        rows = self._db.execute("SELECT name, data FROM results WHERE run = ?", (run,))
        return {name: ProjectResult.from_json(json.loads(data)) for name, data in rows}

    def runs(self) -> list[RunInfo]:
        rows = self._db.execute("SELECT id, started, finished FROM runs ORDER BY id")
        return [RunInfo(id=r[0], started=r[1], finished=r[2]) for r in rows]

    def previous(self, before: int) -> RunInfo | None:
        """The last finished run before run ``before``."""
        row = self._db.execute(
            "SELECT id, started, finished FROM runs WHERE finished IS NOT NULL AND id < ? "
            "ORDER BY id DESC LIMIT 1", (before,)).fetchone()
        return None if row is None else RunInfo(id=row[0], started=row[1], finished=row[2])

    def finish(self, run: int, finished: datetime, results: Sequence[ProjectResult]) -> None:
        """Close the run: its shares per target and its changes since the previous run."""
        info = next(r for r in self.runs() if r.id == run)
        before = self.previous(run)
        changes = _changes(self.results(before.id), results) if before else []
        self._db.execute("BEGIN")
        try:
            self._db.execute("DELETE FROM shares WHERE run = ?", (run,))
            self._db.execute("DELETE FROM changes WHERE run = ?", (run,))
            self._db.executemany(
                "INSERT INTO shares (run, target, ready, applicable) VALUES (?, ?, ?, ?)",
                [(run, t, r, a) for t, (r, a) in target_shares(results).items()])
            self._db.executemany(
                "INSERT INTO changes VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(run, *c, before.started if before else info.started) for c in changes])
            self._db.execute("UPDATE runs SET finished = ? WHERE id = ?",
                             (finished.isoformat(timespec="seconds"), run))
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def shares(self) -> list[SharePoint]:
        rows = self._db.execute(
            "SELECT s.run, r.started, s.target, s.ready, s.applicable FROM shares s "
            "JOIN runs r ON r.id = s.run WHERE r.finished IS NOT NULL ORDER BY s.run")
        return [SharePoint(run=r[0], date=r[1], target=r[2], ready=r[3], applicable=r[4])
                for r in rows]

    def changes(self, limit: int = 500) -> list[Change]:
        """Changes, newest run first."""
        rows = self._db.execute(
            "SELECT c.run, r.started, c.since, c.project, c.target, c.python, c.kind, c.before, "
            "c.after FROM changes c JOIN runs r ON r.id = c.run "
            "ORDER BY c.run DESC, c.project, c.target, c.python LIMIT ?", (limit,))
        return [Change(run=r[0], date=r[1], since=r[2], project=r[3], target=r[4], python=r[5],
                       kind=r[6], before=r[7], after=r[8]) for r in rows]


def _changes(before: dict[str, ProjectResult],
             now: Sequence[ProjectResult]) -> list[tuple[str, str, str, str, str, str]]:
    found: list[tuple[str, str, str, str, str, str]] = []
    for result in now:
        old = before.get(result.name)
        if old is None:
            continue
        cells = {(c.target, c.python): c.tree for c in old.cells}
        for cell in result.cells:
            was = cells.get((cell.target, cell.python))
            if was is None or was == cell.tree or "n/a" in (was, cell.tree):
                continue
            if cell.tree == "wheels":
                found.append((result.name, cell.target, cell.python, "newly ready", was,
                              cell.tree))
            elif was == "wheels":
                found.append((result.name, cell.target, cell.python, "regressed", was,
                              cell.tree))
    return found
