"""Persistent HTTP cache for index pages and core metadata, in one SQLite file.

Why SQLite: every write is one transaction, so a crash mid-write leaves the previous entry or
none, never a truncated one; WAL mode lets two processes read and write the same cache without
locks of our own; one file is easy to find and delete. Each body is stored with its SHA-256,
checked on read, so an entry damaged outside SQLite is dropped instead of served.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import platformdirs

__all__ = ["CacheEntry", "HttpCache", "default_cache_dir"]

log = logging.getLogger("wheelscout.index")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    key TEXT PRIMARY KEY,
    body BLOB NOT NULL,
    sha256 TEXT NOT NULL,
    content_type TEXT,
    url TEXT,
    etag TEXT,
    last_modified TEXT,
    stored_at REAL NOT NULL,
    expires REAL
)
"""


def default_cache_dir() -> Path:
    """The user cache directory (``~/.cache/wheelscout`` on Linux)."""
    return platformdirs.user_cache_path("wheelscout")


@dataclass(frozen=True, slots=True, kw_only=True)
class CacheEntry:
    """One stored response: the body, where it finally came from, and its validators."""

    body: bytes
    content_type: str | None = None
    url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    expires: float | None = None  # epoch seconds until which it is fresh (Cache-Control max-age)

    def is_fresh(self, now: float) -> bool:
        return self.expires is not None and now < self.expires


class HttpCache:
    """Key -> :class:`CacheEntry`, safe across processes and crashes."""

    FILENAME = "index-v2.sqlite3"

    def __init__(self, directory: Path) -> None:
        self.path = directory / self.FILENAME
        self.problem: str | None = None  # why the cache is (partly) unusable, once known
        self._db: sqlite3.Connection | None = None
        self._writable = True
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self._db = self._open()
        except (OSError, sqlite3.Error) as exc:
            self._db = self._open_read_only()
            self._give_up("cannot open", exc, reads=self._db is not None)

    def _open_read_only(self) -> sqlite3.Connection | None:
        try:
            db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
            db.execute("SELECT key FROM entries LIMIT 1").fetchall()
        except (OSError, sqlite3.Error):
            return None
        self._writable = False
        return db

    def _give_up(self, what: str, exc: BaseException, *, reads: bool = False) -> None:
        if not reads and self._db is not None:
            self._db.close()
            self._db = None
        self._writable = False
        if self.problem is None:
            how = "reading it only" if reads else "continuing without it"
            self.problem = f"{what} the cache {str(self.path)!r} ({exc}); {how}"
            log.warning("%s", self.problem)

    def _open(self) -> sqlite3.Connection:
        # Switching a new file to WAL needs a moment of exclusive access, which the busy timeout
        # does not cover: two processes creating the cache at once retry instead of failing.
        for attempt in range(50):
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute(_SCHEMA)
            except sqlite3.OperationalError as exc:
                db.close()
                if "locked" not in str(exc) or attempt == 49:
                    raise
                time.sleep(0.02 * (attempt + 1))
                continue
            return db
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._db is not None:
            self._db.close()

    def get(self, key: str) -> CacheEntry | None:
        """The entry under ``key``; ``None`` when absent, damaged or the database is busy."""
        if self._db is None:
            return None
        try:
            row = self._db.execute(
                "SELECT body, sha256, content_type, url, etag, last_modified, expires FROM entries"
                " WHERE key = ?",
                (key,),
            ).fetchone()
        except sqlite3.Error as exc:
            self._give_up("cannot read", exc)
            return None
        if row is None:
            return None
        body, digest, content_type, url, etag, last_modified, expires = row
        if hashlib.sha256(body).hexdigest() != digest:
            self.delete(key)
            return None
        return CacheEntry(
            body=body,
            content_type=content_type,
            url=url,
            etag=etag,
            last_modified=last_modified,
            expires=expires,
        )

    def put(self, key: str, entry: CacheEntry) -> None:
        """Store ``entry`` atomically. A failed write (disk full, locked too long) only costs
        a future refetch, so it is reported once, not raised."""
        if self._db is None or not self._writable:
            return
        try:
            self._put(key, entry)
        except (sqlite3.Error, OverflowError, MemoryError) as exc:
            self._give_up("cannot write to", exc, reads=True)

    def _put(self, key: str, entry: CacheEntry) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    entry.body,
                    hashlib.sha256(entry.body).hexdigest(),
                    entry.content_type,
                    entry.url,
                    entry.etag,
                    entry.last_modified,
                    time.time(),
                    entry.expires,
                ),
            )

    def delete(self, key: str) -> None:
        if self._db is None or not self._writable:
            return
        try:
            with self._transaction() as db:
                db.execute("DELETE FROM entries WHERE key = ?", (key,))
        except sqlite3.Error as exc:
            self._give_up("cannot write to", exc, reads=True)

    def _transaction(self) -> _Transaction:
        assert self._db is not None  # callers checked
        return _Transaction(self._db)


class _Transaction:
    # BEGIN IMMEDIATE takes the write lock up front, so two writers queue instead of failing
    # on lock upgrade; busy timeout (connect's ``timeout``) makes them wait.
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> sqlite3.Connection:
        self._db.execute("BEGIN IMMEDIATE")
        return self._db

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        if kind is None:
            self._db.execute("COMMIT")
        elif self._db.in_transaction:
            self._db.execute("ROLLBACK")
