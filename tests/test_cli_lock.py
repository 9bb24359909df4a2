"""``wheelscout lock`` end to end on a loopback index, with uv's pylock install as the oracle."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.indexgen import Built
from tests.support.lockset import LINUX, PYTHON, WINDOWS, write_lockset
from tests.support.peers import TARGETS, PeerTarget, peer_env, run_peer
from tests.support.server import ServerConfig, TestServer, serve
from wheelscout.cli.main import _main

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

pytestmark = pytest.mark.integration

WIN_LOCK = f"pylock.win_arm64-cp{PYTHON.replace('.', '')}.toml"
LINUX_LOCK = f"pylock.manylinux_2_28_aarch64-cp{PYTHON.replace('.', '')}.toml"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Built]]:
    root = tmp_path_factory.mktemp("lockset")
    return root, write_lockset(root)


@pytest.fixture
def server(built: tuple[Path, dict[str, Built]]) -> Iterator[TestServer]:
    with serve(built[0]) as running:
        yield running


def _lock(server: TestServer, out: Path, *args: str) -> int:
    return _main(["lock", "-i", server.index_url, "--python", PYTHON, "-o", str(out),
                  "--no-remedy", "--no-inspect", *args])  # fmt: skip


def _uv_install(lock: Path, platform: str, tmp: Path) -> tuple[int, set[str], str]:
    from uv import find_uv_bin  # the uv wheel from the dev extra

    env = peer_env(PeerTarget(name=platform, uv_platform=platform, pip_platforms=()))
    env["UV_NO_CONFIG"] = "1"
    done = subprocess.run(
        [find_uv_bin(), "pip", "install", "--dry-run", "--no-cache", "--no-python-downloads",
         "--python", sys.executable, "--python-platform", platform, "--python-version", PYTHON,
         "--target", str(tmp / "target"), "-r", str(lock)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    installed = set(re.findall(r"^ \+ (\S+)$", done.stderr, re.MULTILINE))
    return done.returncode, installed, done.stderr


def _files(path: Path) -> set[tuple[str, str, str]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {(p["name"], p["version"], p["wheels"][0]["name"]) for p in data["packages"]}


def _locked(path: Path) -> set[str]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {f"{p['name']}=={p['version']}" for p in data["packages"]}


@pytest.mark.peer
def test_each_target_lock_installs_exactly_the_predicted_set_with_uv(
    server: TestServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "locks"
    assert _lock(server, out, "app", "--target", WINDOWS[0], "--target", LINUX[0]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted([WIN_LOCK, LINUX_LOCK])
    assert f"wrote {out / WIN_LOCK}" in capsys.readouterr().out
    expected = {
        WIN_LOCK: {"app==1.0", "native==1.0", "winonly==1.0"},
        LINUX_LOCK: {"app==1.0", "native==1.0", "linuxonly==1.0"},
    }
    for name, (_, platform, _) in ((WIN_LOCK, WINDOWS), (LINUX_LOCK, LINUX)):
        assert _locked(out / name) == expected[name]
        status, installed, stderr = _uv_install(out / name, platform, tmp_path)
        assert status == 0, stderr
        assert installed == expected[name]
    # uv's own resolution for each platform takes the same files the locks hold.
    peers = ((WIN_LOCK, TARGETS["win_arm64"]), (LINUX_LOCK, TARGETS["manylinux_2_28_aarch64"]))
    for name, peer in peers:
        answer = run_peer("uv", ("app",), peer, server.index_url, tmp_path / peer.name,
                          python=PYTHON)  # fmt: skip
        assert answer.status == "ok", answer.error
        assert {(p.name, p.version, p.file) for p in answer.packages} == _files(out / name)
    # The Windows lock says it is not for another machine, and uv listens.
    status, _, stderr = _uv_install(out / WIN_LOCK, "x86_64-pc-windows-msvc", tmp_path)
    assert status != 0
    assert "not supported by the lockfile" in stderr


def test_a_lock_checks_clean_for_its_target(
    server: TestServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "locks"
    assert _lock(server, out, "app", "--target", WINDOWS[0], "--target", LINUX[0]) == 0
    capsys.readouterr()
    for name, spelling in ((WIN_LOCK, WINDOWS[0]), (LINUX_LOCK, LINUX[0])):
        check = ["check", "--lock", str(out / name), "--target", spelling, "--python", PYTHON]
        assert _main(check) == 0
        assert "0 built from source, 0 not installable" in capsys.readouterr().out
    app = next(p for p in tomllib.loads((out / WIN_LOCK).read_text())["packages"]
               if p["name"] == "app")  # fmt: skip
    assert app["dependencies"] == [{"name": "native"}, {"name": "winonly"}]
    other = ["check", "--lock", str(out / WIN_LOCK), "--target", LINUX[0], "--python", PYTHON]
    assert _main(other) == 3
    assert "the lock covers only" in capsys.readouterr().out


def test_a_package_that_would_build_is_locked_as_its_sdist_and_reported(
    server: TestServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = tmp_path / "pylock.win.toml"
    assert _lock(server, lock, "app", "buildme", "--target", WINDOWS[0]) == 1
    out = capsys.readouterr().out
    assert "BUILD buildme" in out
    assert f"wrote {lock}" in out
    data = tomllib.loads(lock.read_text(encoding="utf-8"))
    buildme = next(p for p in data["packages"] if p["name"] == "buildme")
    assert buildme["sdist"]["name"] == "buildme-2.0.tar.gz"
    assert "wheels" not in buildme
    assert _main(["check", "--lock", str(lock), "--target", WINDOWS[0], "--python", PYTHON]) == 1


def test_nothing_installable_writes_nothing_and_exits_3(
    server: TestServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "locks"
    status = _lock(server, out, "app", "buildme", "--only-binary", ":all:", "--target", WINDOWS[0],
                   "--target", LINUX[0])  # fmt: skip
    assert status == 3
    err = capsys.readouterr().err
    assert "nothing written" in err
    assert "buildme" in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("output", "targets", "message"),
    [
        ("lock.toml", 1, "PEP 751 names a lock"),
        ("pylock.a.b.toml", 1, "PEP 751 names a lock"),
        ("pylock.two.toml", 2, "names one file, but 2 targets"),
        ("missing/pylock.x.toml", 1, "no such directory"),
    ],
    ids=["bad-name", "dotted-name", "one-file-two-targets", "no-directory"],
)
def test_bad_output_is_refused_before_anything_is_fetched(
    server: TestServer, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    output: str, targets: int, message: str,
) -> None:  # fmt: skip
    spellings = [WINDOWS[0], LINUX[0]][:targets]
    args = [a for s in spellings for a in ("--target", s)]
    assert _lock(server, tmp_path / output, "app", *args) == 2
    assert message in capsys.readouterr().err
    assert server.log == []


def test_credentials_never_reach_the_lock(
    built: tuple[Path, dict[str, Built]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve(built[0], ServerConfig(auth=("user", "s3cret"))) as server:
        index = server.index_url.replace("http://", "http://user:s3cret@")
        lock = tmp_path / "pylock.toml"
        argv = ["lock", "-i", index, "--python", PYTHON, "-o", str(lock), "--no-remedy",
                "--target", WINDOWS[0], "app"]  # fmt: skip
        assert _main(argv) == 0
    text = lock.read_text(encoding="utf-8")
    assert "s3cret" not in text
    assert "user@" not in text
    assert f'index = "{server.index_url}"' in text
    assert "s3cret" not in capsys.readouterr().out


def test_inputs_as_check_takes_them_project_extras_and_constraints(
    server: TestServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "0"\ndependencies = ["app"]\n'
        '[project.optional-dependencies]\nbuild = ["buildme"]\n',
        encoding="utf-8",
    )
    (tmp_path / "constraints.txt").write_text("native==1.0\n", encoding="utf-8")
    lock = tmp_path / "pylock.toml"
    argv = ["--project", str(tmp_path), "--extra", "build", "-c", str(tmp_path / "constraints.txt"),
            "--target", LINUX[0]]  # fmt: skip
    assert _lock(server, lock, *argv) == 1
    assert _locked(lock) == {"app==1.0", "native==1.0", "linuxonly==1.0", "buildme==2.0"}


def test_files_from_a_local_find_links_directory_are_locked_by_path_with_their_hash(
    built: tuple[Path, dict[str, Built]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty-index"
    empty.mkdir()
    lock = tmp_path / "pylock.toml"
    argv = ["lock", "app", "-i", empty.as_uri(), "-f", str(built[0] / "files"), "--python",
            PYTHON, "--target", WINDOWS[0], "-o", str(lock), "--no-remedy"]  # fmt: skip
    assert _main(argv) == 0
    packages = tomllib.loads(lock.read_text(encoding="utf-8"))["packages"]
    for package in packages:
        wheel, = package["wheels"]
        assert "index" not in package
        assert Path(wheel["path"]).parent == (built[0] / "files").resolve()
        assert wheel["hashes"] == {"sha256": built[1][wheel["name"]].sha256}
        assert wheel["size"] == len(built[1][wheel["name"]].data)
    capsys.readouterr()
    assert _main(["check", "--lock", str(lock), "--target", WINDOWS[0], "--python", PYTHON]) == 0


def test_an_unwritable_lock_path_is_one_line(
    server: TestServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = tmp_path / "pylock.toml"
    lock.mkdir()  # a directory where the lock should go
    assert _lock(server, lock, "app", "--target", WINDOWS[0]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"wheelscout: error: cannot write {str(lock)!r}")
    assert "Traceback" not in err


def test_check_lock_defaults_to_the_target_the_lock_was_written_for(
    server: TestServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = tmp_path / "pylock.linux.toml"
    assert _lock(server, lock, "app", "--target", LINUX[0], "--glibc", "2.17") == 0
    capsys.readouterr()
    assert _main(["check", "--lock", str(lock)]) == 0
    out = capsys.readouterr().out
    assert f"manylinux_2_17_aarch64 (manylinux_2_17_aarch64, CPython {PYTHON})" in out


def test_a_requirement_nothing_meets_writes_nothing_and_says_why(
    server: TestServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "locks"
    assert _lock(server, out, "app", "native>=2", "--target", WINDOWS[0]) == 3
    err = capsys.readouterr().err
    assert "nothing written" in err
    assert "win_arm64/cp3" in err
    assert ": native: no release of native matches native>=1,>=2" in err
    assert not out.exists()
