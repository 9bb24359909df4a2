from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from wheelscout.errors import WheelscoutError
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


def test_unusable_directory(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(WheelscoutError, match="cannot open the cache"):
        HttpCache(blocker / "sub")


def test_failed_writes_and_reads_are_logged_not_raised(tmp_path: Path,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    cache = HttpCache(tmp_path)
    cache.close()
    cache.put("k", CacheEntry(body=b"x"))
    assert cache.get("k") is None
    assert "cache write failed" in caplog.text
    assert "cache read failed" in caplog.text
