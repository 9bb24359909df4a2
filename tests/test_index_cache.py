from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from wheelscout.index.cache import CacheEntry, HttpCache


def test_round_trip(tmp_path: Path) -> None:
    cache = HttpCache(tmp_path)
    entry = CacheEntry(body=b"x" * 10, content_type="text/html", url="u", etag='"e"')
    cache.put("k", entry)
    assert cache.get("k") == entry
    assert cache.get("missing") is None
    cache.close()


def test_corrupted_body_is_dropped_not_served(tmp_path: Path) -> None:
    cache = HttpCache(tmp_path)
    cache.put("k", CacheEntry(body=b"complete body"))
    cache.close()
    with sqlite3.connect(tmp_path / HttpCache.FILENAME) as db:
        db.execute("UPDATE entries SET body = ? WHERE key = 'k'", (b"complete",))
    cache = HttpCache(tmp_path)
    assert cache.get("k") is None
    cache.close()


def test_crash_mid_write_leaves_the_old_entry(tmp_path: Path) -> None:
    cache = HttpCache(tmp_path)
    cache.put("k", CacheEntry(body=b"old"))
    cache.close()
    # A process killed inside the write transaction (os._exit: no cleanup at all).
    script = textwrap.dedent(f"""
        import os
        from pathlib import Path
        from wheelscout.index.cache import HttpCache
        cache = HttpCache(Path({str(tmp_path)!r}))
        cache._db.execute("BEGIN IMMEDIATE")
        cache._db.execute("UPDATE entries SET body = ? WHERE key = 'k'", (b"new, trunc",))
        os._exit(9)
    """)
    assert subprocess.run([sys.executable, "-c", script], check=False).returncode == 9
    cache = HttpCache(tmp_path)
    assert cache.get("k") == CacheEntry(body=b"old")
    cache.close()


def test_two_processes_write_concurrently(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from wheelscout.index.cache import CacheEntry, HttpCache
        cache = HttpCache(Path({str(tmp_path)!r}))
        me = sys.argv[1]
        for i in range(200):
            cache.put(f"{{me}}-{{i}}", CacheEntry(body=me.encode() * 1000))
            cache.put("shared", CacheEntry(body=me.encode() * 1000))
            assert cache.get(f"{{me}}-{{i // 2}}") is not None
    """)
    workers = [subprocess.Popen([sys.executable, "-c", script, name]) for name in "ab"]
    assert [w.wait(timeout=60) for w in workers] == [0, 0]
    cache = HttpCache(tmp_path)
    assert all(cache.get(f"{n}-{i}") is not None for n in "ab" for i in range(200))
    shared = cache.get("shared")
    assert shared is not None
    assert shared.body in (b"a" * 1000, b"b" * 1000)
    cache.close()


def test_unusable_directory_warns_once_and_runs_without(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    cache = HttpCache(blocker / "sub")
    cache.put("k", CacheEntry(body=b"x"))
    assert cache.get("k") is None
    assert cache.problem is not None
    assert "cannot open the cache" in cache.problem
    assert [r.getMessage() for r in caplog.records] == [cache.problem]


def test_corrupt_file_warns_once_and_runs_without(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / HttpCache.FILENAME).write_bytes(b"not a database\n" * 100)
    cache = HttpCache(tmp_path)
    for key in ("a", "b"):
        cache.put(key, CacheEntry(body=b"x"))
        assert cache.get(key) is None
    assert len(caplog.records) == 1
    assert "continuing without it" in caplog.text


def test_read_only_cache_still_answers_reads(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = HttpCache(tmp_path)
    cache.put("k", CacheEntry(body=b"x"))
    cache.close()
    for path in tmp_path.iterdir():
        path.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        if os.access(tmp_path, os.W_OK):
            pytest.skip("running as a user who may write anywhere (root)")
        reopened = HttpCache(tmp_path)
        reopened.put("other", CacheEntry(body=b"y"))
        entry = reopened.get("k")
        assert entry is not None
        assert entry.body == b"x"
        assert len(caplog.records) == 1
        reopened.close()
    finally:
        tmp_path.chmod(0o755)


def test_cache_that_cannot_be_opened_for_writing_is_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a read-only file gives a user who is not root (root may write anyway).
    cache = HttpCache(tmp_path)
    cache.put("k", CacheEntry(body=b"x"))
    cache.close()

    def refuse(self: HttpCache) -> sqlite3.Connection:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(HttpCache, "_open", refuse)
    reopened = HttpCache(tmp_path)
    reopened.put("other", CacheEntry(body=b"y"))
    entry = reopened.get("k")
    assert entry is not None
    assert entry.body == b"x"
    assert reopened.get("other") is None
    assert [r.getMessage() for r in caplog.records] == [reopened.problem]
    assert "reading it only" in caplog.text
    reopened.close()


def test_failed_writes_and_reads_are_reported_once_not_raised(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = HttpCache(tmp_path)
    cache.close()
    cache.put("k", CacheEntry(body=b"x"))
    assert cache.get("k") is None
    cache.put("k2", CacheEntry(body=b"x"))
    assert len(caplog.records) == 1
    assert "cannot write to the cache" in caplog.text
