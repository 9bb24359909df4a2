"""``wheelscout download`` end to end on a loopback index; pip's and uv's offline installs from
the wheelhouse are the oracles.

pip evaluates markers for the host (Linux) even with ``--platform``, so pip resolves the Linux
wheelhouse with its dependencies, and the Windows one with ``--no-deps`` (every listed file is
there, hash-checked and installable on win_arm64); uv, which evaluates markers for the target,
resolves the Windows wheelhouse with its dependencies.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.indexgen import Built
from tests.support.lockset import LINUX, PYTHON, WINDOWS, write_lockset
from tests.support.peers import PeerTarget, peer_env
from tests.support.server import ServerConfig, TestServer, serve
from wheelscout.cli.main import _main

pytestmark = pytest.mark.integration

CP = f"cp{PYTHON.replace('.', '')}"
WIN_DIR = f"win_arm64-{CP}"
LINUX_DIR = f"manylinux_2_28_aarch64-{CP}"


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, dict[str, Built]]:
    root = tmp_path / "index"
    return root, write_lockset(root, wrong_hash=("winonly-1.0-py3-none-any.whl",))


@pytest.fixture
def clean(tmp_path: Path) -> tuple[Path, dict[str, Built]]:
    root = tmp_path / "clean-index"
    return root, write_lockset(root)


@pytest.fixture
def server(clean: tuple[Path, dict[str, Built]]) -> Iterator[TestServer]:
    with serve(clean[0]) as running:
        yield running


def _download(server: TestServer, dest: Path, *args: str) -> int:
    return _main(["download", "-i", server.index_url, "--python", PYTHON, "-d", str(dest),
                  "--no-remedy", "--no-inspect", *args])  # fmt: skip


def _files(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir()}


def _pip(directory: Path, platforms: tuple[str, ...], tmp: Path, *extra: str) -> set[str]:
    env = peer_env(PeerTarget(name="pip", uv_platform="", pip_platforms=platforms))
    command = [sys.executable, "-m", "pip", "install", "--isolated", "--no-index",
               "--find-links", str(directory), "--dry-run", "--quiet", "--report", "-",
               *[a for p in platforms for a in ("--platform", p)], "--python-version", PYTHON,
               "--only-binary", ":all:", "--target", str(tmp / "pip-target"), "--no-cache-dir",
               *extra, "-r", str(directory / "requirements.txt")]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120,
                          check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    installs = json.loads(done.stdout)["install"]
    return {item["download_info"]["url"].rsplit("/", 1)[-1] for item in installs}


def _uv(directory: Path, platform: str, tmp: Path) -> str:
    from uv import find_uv_bin  # the uv wheel from the dev extra

    env = peer_env(PeerTarget(name=platform, uv_platform=platform, pip_platforms=()))
    env["UV_NO_CONFIG"] = "1"
    done = subprocess.run(
        [find_uv_bin(), "pip", "install", "--dry-run", "--no-cache", "--no-python-downloads",
         "--python", sys.executable, "--python-platform", platform, "--python-version", PYTHON,
         "--target", str(tmp / "uv-target"), "--no-index", "--find-links", str(directory),
         "-r", str(directory / "requirements.txt")],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stderr


@pytest.mark.peer
def test_each_target_gets_its_own_wheelhouse_and_pip_installs_it_offline(
    server: TestServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "wheels"
    assert _download(server, dest, "app", "--target", WINDOWS[0], "--target", LINUX[0]) == 0
    assert "pip install --no-index --find-links" in capsys.readouterr().out
    win, linux = dest / WIN_DIR, dest / LINUX_DIR
    win_wheels = {"app-1.0-py3-none-any.whl", "winonly-1.0-py3-none-any.whl",
                  f"native-1.0-{CP}-{CP}-win_arm64.whl"}  # fmt: skip
    linux_wheels = {"app-1.0-py3-none-any.whl", "linuxonly-1.0-py3-none-any.whl",
                    f"native-1.0-{CP}-{CP}-manylinux_2_17_aarch64.manylinux2014_aarch64.whl"}
    assert _files(win) == win_wheels | {"requirements.txt"}
    assert _files(linux) == linux_wheels | {"requirements.txt"}
    assert _pip(linux, LINUX[2], tmp_path) == linux_wheels
    assert _pip(win, WINDOWS[2], tmp_path, "--no-deps") == win_wheels
    report = _uv(win, WINDOWS[1], tmp_path)
    assert {" + app==1.0", " + native==1.0", " + winonly==1.0"} <= set(report.splitlines())
    assert "linuxonly" not in report


def test_a_second_download_fetches_nothing(
    server: TestServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "wheels"
    assert _download(server, dest, "app", "--target", LINUX[0]) == 0
    first = {p.name: p.stat().st_mtime_ns for p in dest.iterdir() if p.suffix == ".whl"}
    server.clear()
    capsys.readouterr()
    assert _download(server, dest, "app", "--target", LINUX[0]) == 0
    assert server.requests("/files/") == []
    assert "(0 downloaded, 3 already there" in capsys.readouterr().out
    assert {p.name: p.stat().st_mtime_ns for p in dest.iterdir() if p.suffix == ".whl"} == first


def test_builds_block_the_wheelhouse_unless_allowed(
    server: TestServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "wheels"
    assert _download(server, dest, "app", "buildme", "--target", WINDOWS[0]) == 1
    out = capsys.readouterr().out
    assert "BLOCKS an offline install: buildme 2.0 would build buildme-2.0.tar.gz" in out
    assert "requirements.txt" not in _files(dest)
    assert "buildme-2.0.tar.gz" not in _files(dest)
    assert _download(server, dest, "app", "buildme", "--target", WINDOWS[0], "--allow-build") == 0
    assert "buildme-2.0.tar.gz" in _files(dest)
    requirements = (dest / "requirements.txt").read_text(encoding="utf-8")
    assert "buildme==2.0 \\" in requirements


def test_a_hash_mismatch_stops_the_wheelhouse_and_keeps_no_bad_file(
    built: tuple[Path, dict[str, Built]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "wheels"
    with serve(built[0]) as server:
        assert _download(server, dest, "app", "--target", WINDOWS[0]) == 4
    out = capsys.readouterr().out
    assert "FAILED winonly-1.0-py3-none-any.whl" in out
    assert "requirements.txt not written" in out
    assert _files(dest) == {"app-1.0-py3-none-any.whl", f"native-1.0-{CP}-{CP}-win_arm64.whl"}


def test_nothing_installable_downloads_nothing(
    server: TestServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "wheels"
    argv = ["app", "buildme", "--only-binary", ":all:", "--target", WINDOWS[0]]
    assert _download(server, dest, *argv) == 3
    assert "nothing downloaded" in capsys.readouterr().err
    assert not dest.exists()
    assert all(r.path.endswith(".metadata") for r in server.requests("/files/"))


def test_credentials_never_printed_when_a_file_fails(
    clean: tuple[Path, dict[str, Built]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve(clean[0], ServerConfig(auth=("user", "s3cret"))) as server:
        index = server.index_url.replace("http://", "http://user:s3cret@")
        argv = ["download", "-i", index, "--python", PYTHON, "-d", str(tmp_path / "w"),
                "--no-remedy", "--target", LINUX[0], "app"]  # fmt: skip
        (clean[0] / "files" / "linuxonly-1.0-py3-none-any.whl").unlink()  # metadata stays
        assert _main(argv) == 4
    captured = capsys.readouterr()
    assert "FAILED linuxonly-1.0-py3-none-any.whl" in captured.out
    assert "s3cret" not in captured.out + captured.err


def test_a_killed_download_leaves_no_file_that_looks_complete(
    server: TestServer, tmp_path: Path
) -> None:
    dest = tmp_path / "wheels"
    wheel = "app-1.0-py3-none-any.whl"
    assert _download(server, dest, "app", "--target", LINUX[0]) == 0  # metadata now cached
    (dest / wheel).unlink()
    server.config.faults = {f"/files/{wheel}": "stall"}  # half the file, then silence
    server.config.slow_seconds = 30
    command = [sys.executable, "-m", "wheelscout", "download", "app", "-i", server.index_url,
               "--python", PYTHON, "--target", LINUX[0], "-d", str(dest), "--no-remedy",
               "--no-inspect", "--no-progress"]  # fmt: skip
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as run:
        deadline = time.monotonic() + 60
        while not list(dest.glob(f".{wheel}.*.partial")) and time.monotonic() < deadline:
            time.sleep(0.05)
        run.kill()
    partial = list(dest.glob(f".{wheel}.*.partial"))
    assert len(partial) == 1
    assert wheel not in _files(dest)
    server.config.faults = {}
    assert _download(server, dest, "app", "--target", LINUX[0]) == 0
    assert not partial[0].exists()
    assert (dest / wheel).stat().st_size == len(server.root.joinpath("files", wheel).read_bytes())


def test_progress_bar_only_on_a_terminal(
    server: TestServer, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    assert _download(server, tmp_path / "a", "app", "--target", LINUX[0]) == 0
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setenv("TERM", "xterm")
    assert _download(server, tmp_path / "b", "app", "--target", LINUX[0]) == 0
    err = capsys.readouterr().err
    assert "3/3 files" in err
    assert "kB" in err


def test_a_path_that_cannot_be_written_fails_that_file_only(
    server: TestServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "wheels"
    (dest / "app-1.0-py3-none-any.whl").mkdir(parents=True)  # in the way, and not ours
    assert _download(server, dest, "app", "--target", LINUX[0]) == 4
    out = capsys.readouterr().out
    assert "FAILED app-1.0-py3-none-any.whl" in out
    assert "linuxonly-1.0-py3-none-any.whl" in _files(dest)
    assert "requirements.txt" not in _files(dest)
