"""The text report in a real terminal (tmux) at 80 and 120 columns: it fits, nothing is cut,
target names are the user's, and the progress line ends cleanly (issue 11)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.mirror import Mirror
from tests.support.server import MirrorServer, ServerConfig, TestServer

SRC = Path(__file__).resolve().parent.parent / "src"
_DONE = "__wheelscout_done__"


@pytest.fixture
def tmux() -> Iterator[list[str]]:
    if shutil.which("tmux") is None:
        if os.environ.get("CI"):
            pytest.fail("tmux is missing: .ci/run installs it (apt-get install tmux)")
        pytest.skip("tmux is not installed (apt-get install tmux)")
    socket = f"wheelscout-test-{uuid.uuid4().hex[:8]}"
    yield ["tmux", "-L", socket, "-f", "/dev/null"]
    subprocess.run(["tmux", "-L", socket, "kill-server"], check=False, capture_output=True)


def _start(tmux: list[str], width: int, command: str, tmp_path: Path) -> None:
    env = {
        "PYTHONPATH": str(SRC),
        "PIP_CONFIG_FILE": "/dev/null",
        "WHEELSCOUT_CACHE_DIR": str(tmp_path / "cache"),
        "HOME": str(tmp_path / "home"),
        "TERM": "xterm-256color",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }
    exports = " ".join(f"{k}={v}" for k, v in env.items())
    script = tmp_path / "run.sh"
    script.write_text(f"env -i {exports} {command}; echo {_DONE}; sleep 600\n")
    # The scrollback must be long enough before the pane exists: one tmux invocation.
    subprocess.run([*tmux, "start-server", ";", "set-option", "-g", "history-limit", "5000",
                    ";", "new-session", "-d", "-s", "main", "-x", str(width), "-y", "60",
                    "sh", str(script)], check=True)


def _screen(tmux: list[str], width: int, command: str, tmp_path: Path) -> list[str]:
    _start(tmux, width, command, tmp_path)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        shown = subprocess.run([*tmux, "capture-pane", "-p", "-S", "-", "-t", "main"],
                               check=True, capture_output=True, text=True).stdout
        if _DONE in shown:
            return shown.split(_DONE)[0].rstrip("\n").splitlines()
        time.sleep(0.2)
    pytest.fail(f"wheelscout did not finish in tmux; screen:\n{shown}")


@pytest.mark.parametrize("width", [80, 120])
def test_report_fits_the_terminal(
    tmux: list[str], mirror_server: MirrorServer, tmp_path: Path, width: int
) -> None:
    command = (f"{sys.executable} -m wheelscout check requests numpy==1.26.2 -t win-arm64 "
               "-t linux-aarch64 -p 3.12 -p 3.11 --no-cache "
               f"--index-url {mirror_server.index_url}")
    lines = _screen(tmux, width, command, tmp_path)
    text = "\n".join(lines)
    assert all(len(line) <= width for line in lines), text
    assert "…" not in text, text
    # The summary comes first, in words, with the right plural.
    summary = next(line for line in lines if line.strip() and not line.startswith("done: "))
    assert summary == "6 packages on 4 targets: 1 package would build from source (numpy)"
    # The user's target names head the columns; names and versions are never cut.
    assert "win-arm64" in text
    assert "linux-aarch64" in text
    assert "manylinux_2_" not in text.split("numpy 1.26.2 builds")[0]
    matrix_rows = [line.split() for line in lines if line.startswith(" charset-normalizer ")]
    assert matrix_rows
    assert all(row.count("3.5.2") == 2 for row in matrix_rows), text
    # One entry per problem, grouped across the Pythons, with its remedy.
    assert text.count("numpy 1.26.2 builds from source on win-arm64 3.12, 3.11:") == 1
    assert "remedy: numpy 2.3.0 is the nearest newer version with a wheel" in text
    assert "1 packages" not in text
    # Progress (stderr is the terminal too) ends on its own line.
    assert any(line.startswith("done: ") for line in lines), text


def test_narrow_terminal_lists_instead_of_cutting(
    tmux: list[str], mirror_server: MirrorServer, tmp_path: Path
) -> None:
    command = (f"{sys.executable} -m wheelscout check requests -t aarch64-pc-windows-msvc "
               f"-p 3.12 --no-cache --no-progress --index-url {mirror_server.index_url}")
    lines = _screen(tmux, 30, command, tmp_path)
    text = "\n".join(lines)
    assert all(len(line) <= 30 for line in lines), text
    assert "charset-normalizer" in text
    assert "aarch64-pc-windows-msvc 3.12" in text


def test_progress_names_the_phase_target_and_project(
    tmux: list[str], mirror: Mirror, tmp_path: Path
) -> None:
    # urllib3's page comes slowly, so the progress line is on screen while it waits.
    config = ServerConfig(faults={"/simple/urllib3": "slow"}, slow_seconds=3.0)
    with TestServer(mirror.root, config) as server:
        command = (f"{sys.executable} -m wheelscout check requests -t win-arm64 -p 3.12 "
                   f"--no-cache --no-remedy --index-url {server.index_url}")
        seen = _watch(tmux, command, tmp_path, r"resolving win-arm64 3\.12: [a-z0-9-]+ \[")
    assert seen is not None
    assert re.search(r"\[\d+ requests, \d+ KiB\]", seen)


def _watch(tmux: list[str], command: str, tmp_path: Path, pattern: str) -> str | None:
    """Start ``command`` at 100 columns and return the first screen line matching
    ``pattern`` before it finishes."""
    _start(tmux, 100, command, tmp_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        shown = subprocess.run([*tmux, "capture-pane", "-p", "-t", "main"], check=True,
                               capture_output=True, text=True).stdout
        found = next((line for line in shown.splitlines() if re.search(pattern, line)), None)
        if found is not None or _DONE in shown:
            return found
        time.sleep(0.05)
    return None
