"""``check``'s remedies end to end on the loopback mirror: the remedy object, the wheels-only
plan, and constraints files that pip and uv honour."""

from __future__ import annotations

import argparse
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.support.mirror import build_mirror
from tests.support.peers import TARGETS, peer_env, run_peer, uv_command
from tests.support.schemas import load_schema
from tests.support.server import MirrorServer
from wheelscout.cli import check

pytestmark = pytest.mark.integration

PROJECTS = ["numpy", "cryptography", "cffi", "pycparser", "pyyaml", "pandas",
            "python-dateutil", "tzdata", "six", "pytz"]


@pytest.fixture(scope="module")
def index_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    mirror = build_mirror(tmp_path_factory.mktemp("mirror"), projects=PROJECTS)
    with MirrorServer(mirror.root) as server:
        yield server.index_url


def _schema(name: str) -> dict[str, Any]:
    return {**load_schema("remedy-v1.schema.json"), "$ref": f"#/$defs/{name}"}


def _check(index_url: str, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    parser = argparse.ArgumentParser()
    check.configure_parser(parser)
    args = parser.parse_args([*argv, "-t", "win-arm64", "-p", "3.12", "-i", index_url,
                              "--no-cache", "--no-progress"])
    status = check.execute(args)
    return status, capsys.readouterr().out


def _json(index_url: str, capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    _, out = _check(index_url, capsys, *argv, "--format", "json")
    (result,) = json.loads(out)["results"]
    jsonschema.validate(result["binary_plan"], _schema("binary_plan"))
    for package in result["packages"]:
        if "remedy" in package:
            jsonschema.validate(package["remedy"], _schema("remedy"))
    assert all(("remedy" in p) == (p["install"] != "wheel") for p in result["packages"])
    return result  # type: ignore[no-any-return]


def test_numpy_pin_remedy(index_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    result = _json(index_url, capsys, "numpy==1.26.2")
    (numpy,) = result["packages"]
    assert numpy["remedy"]["nearest"]["newer"] == {
        "version": "2.3.0", "file": "numpy-2.3.0-cp312-cp312-win_arm64.whl",
        "tag": "cp312-cp312-win_arm64", "allowed": False}
    assert numpy["remedy"]["advice"] == (
        "numpy 2.3.0 is the nearest newer version with a wheel for win_arm64/cp312, "
        "but numpy==1.26.2 forbids it")
    plan = result["binary_plan"]
    assert plan["status"] == "blocked"
    assert plan["blocked"][0]["chain"].startswith("you asked for numpy==1.26.2: numpy 1.26.2 "
                                                  "ships wheels for win_amd64 and win32")


def test_unpinned_numpy_needs_no_plan(index_url: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    default = _json(index_url, capsys, "numpy")
    binary = _json(index_url, capsys, "numpy", "--only-binary", ":all:")
    assert default["binary_plan"] is None
    assert [(p["version"], p["file"]) for p in default["packages"]] == [
        (p["version"], p["file"]) for p in binary["packages"]]


def test_cryptography_moves_to_46_0_3(index_url: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    result = _json(index_url, capsys, "cryptography")
    plan = result["binary_plan"]
    assert plan["status"] == "moves"
    assert plan["moves"] == [{"name": "cryptography", "from": "50.0.2", "to": "46.0.3",
                              "from_install": "build", "to_install": "wheel"}]
    assert "cryptography==46.0.3" in plan["pins"]


def test_unsatisfiable_with_wheels_through_a_dependency(
    index_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # pandas needs numpy; a constraint keeps numpy below 2.3, and no numpy before 2.3.0 has a
    # win_arm64 wheel: wheels only, numpy cannot be satisfied, and the chain says via pandas.
    constraints = tmp_path / "c.txt"
    constraints.write_text("numpy<2.3\n", encoding="utf-8")
    result = _json(index_url, capsys, "pandas", "-c", str(constraints))
    plan = result["binary_plan"]
    assert plan["status"] == "blocked"
    assert [b["name"] for b in plan["blocked"]] == ["numpy"]
    assert plan["blocked"][0]["chain"].startswith("pandas -> numpy: numpy 2.2.6 ships wheels "
                                                  "for win_amd64 and win32 but not win_arm64")
    numpy = next(p for p in result["packages"] if p["name"] == "numpy")
    # The limit combines the constraint with what pandas 3.1.1 requires of numpy on 3.12.
    assert numpy["remedy"]["advice"].endswith("but numpy<2.3,>=2.0.2 forbids it")


def test_markdown_and_text_show_remedies(index_url: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    status, markdown = _check(index_url, capsys, "cryptography", "pyyaml==6.0.2",
                              "--format", "markdown")
    assert status == 1
    assert ("  - remedy: pyyaml 6.0.3 is the nearest newer version with a wheel for "
            "win_arm64, but pyyaml==6.0.2 forbids it") in markdown
    assert ("  - with wheels only (--only-binary :all:): cryptography takes the 46.0.3 wheel "
            "instead of 50.0.2 from source") in markdown
    _, text = _check(index_url, capsys, "cryptography")
    assert ("  remedy: with wheels only, cryptography 46.0.3 installs on win_arm64 "
            "(pin cryptography==46.0.3)") in text


def _written(index_url: str, capsys: pytest.CaptureFixture[str], directory: Path,
             *requirements: str) -> Path:
    _check(index_url, capsys, *requirements, "--write-constraints", str(directory))
    path = directory / "constraints-win_arm64-cp312.txt"
    assert path.is_file()
    return path


def test_written_constraints_file(index_url: str, capsys: pytest.CaptureFixture[str],
                                  tmp_path: Path) -> None:
    path = _written(index_url, capsys, tmp_path / "out", "numpy", "cryptography")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "--only-binary :all:" in lines
    assert {"numpy==2.5.5", "cryptography==46.0.3", "cffi==2.1.1"} <= set(lines)



def test_written_constraints_never_follow_a_planted_symlink(
    index_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim"
    victim.write_text("precious", encoding="utf-8")
    # The temporary name the writer used to use, and the target itself.
    (out / ".constraints-win_arm64-cp312.txt.partial").symlink_to(victim)
    (out / "constraints-win_arm64-cp312.txt").symlink_to(victim)
    path = _written(index_url, capsys, out, "numpy", "cryptography")
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not path.is_symlink()
    assert "--only-binary :all:" in path.read_text(encoding="utf-8").splitlines()
    assert sorted(p.name for p in out.iterdir()) == [
        ".constraints-win_arm64-cp312.txt.partial", "constraints-win_arm64-cp312.txt"]

@pytest.mark.peer
def test_pip_takes_wheels_with_the_constraints_file(
    index_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _written(index_url, capsys, tmp_path / "out", "numpy", "cryptography")
    answer = run_peer("pip-only-binary", ("-c", str(path), "numpy", "cryptography"),
                      TARGETS["win_arm64"], index_url, tmp_path / "pip")
    assert answer.status == "ok", answer.error
    versions = {p.name: (p.version, p.install) for p in answer.packages}
    assert versions["numpy"] == ("2.5.5", "wheel")
    assert versions["cryptography"] == ("46.0.3", "wheel")


def _uv_with_constraints(index_url: str, constraints: Path, requirement: str,
                        workdir: Path) -> tuple[int, str, str]:
    """``uv pip compile -c FILE`` (the file on the command line, as a user would pass it)."""
    workdir.mkdir(parents=True)
    source, output = workdir / "requirements.in", workdir / "pylock.toml"
    source.write_text(f"{requirement}\n", encoding="utf-8")
    target = TARGETS["win_arm64"]
    command = [*uv_command(source, target, index_url, output), "-c", str(constraints)]
    done = subprocess.run(command, capture_output=True, text=True, env=peer_env(target),
                          timeout=120, check=False)
    lock = output.read_text(encoding="utf-8") if output.exists() else ""
    return done.returncode, lock, done.stderr


@pytest.mark.peer
def test_uv_takes_wheels_with_the_constraints_file(
    index_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Without the file uv builds cryptography 50.0.2 on win_arm64; with it, the 46.0.3 wheel.
    path = _written(index_url, capsys, tmp_path / "out", "cryptography")
    status, lock, stderr = _uv_with_constraints(index_url, path, "cryptography", tmp_path / "uv")
    assert status == 0, stderr
    assert "cryptography-46.0.3-cp311-abi3-win_arm64.whl" in lock
    assert "cryptography-50.0.2.tar.gz" not in lock


@pytest.mark.peer
def test_uv_refuses_the_build_a_blocked_file_names(
    index_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # The pin leaves no version with a wheel: the file's `--only-binary :all:` makes uv fail
    # rather than quietly build pyyaml 6.0.2 from source.
    path = _written(index_url, capsys, tmp_path / "out", "pyyaml==6.0.2")
    assert "# no wheel: you asked for pyyaml==6.0.2" in path.read_text(encoding="utf-8")
    status, _, stderr = _uv_with_constraints(index_url, path, "pyyaml==6.0.2", tmp_path / "uv")
    assert status != 0
    assert "pyyaml==6.0.2 has no usable wheels" in stderr
