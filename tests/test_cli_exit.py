"""The console entry point ends the process without interpreter teardown (``os._exit``) when
nothing else runs: what it printed must still arrive whole, and its status unchanged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.indexgen import Release, write_index
from tests.support.server import serve


def _wheelscout(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PIP_CONFIG_FILE": os.devnull, "HOME": str(cwd)}
    # Buffered output, as on most machines (this one sets PYTHONUNBUFFERED).
    env = {k: v for k, v in env.items()
           if not k.startswith(("PIP_FIND", "UV_")) and k != "PYTHONUNBUFFERED"}
    return subprocess.run([sys.executable, "-m", "wheelscout", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_a_long_output_arrives_whole_through_a_pipe(tmp_path: Path) -> None:
    done = _wheelscout("targets", "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout) > 10_000  # more than one pipe buffer's worth is flushed
    assert json.loads(done.stdout)


def test_an_error_keeps_its_status_and_its_line(tmp_path: Path) -> None:
    done = _wheelscout("check", "-r", str(tmp_path / "missing.txt"), "--target", "win-arm64",
                       cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("wheelscout: error: cannot read ")
    assert done.stderr.count("\n") == 1


def test_a_check_that_builds_exits_1_with_its_whole_report(tmp_path: Path) -> None:
    index = tmp_path / "index"
    write_index(index, [Release("onlysdist", "1.0", sdist=True, tags=())])
    with serve(index) as server:
        done = _wheelscout("check", "onlysdist", "--target", "win-arm64", "--python", "3.12",
                           "--index-url", f"{server.url}/simple/", "--format", "json",
                           "--no-progress", "--cache-dir", str(tmp_path / "cache"), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert [p["install"] for p in report["results"][0]["packages"]] == ["build"]
