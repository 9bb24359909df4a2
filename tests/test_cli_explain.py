"""``wheelscout explain`` end to end against the loopback mirror of captured PyPI pages."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from packaging.requirements import Requirement

from tests.support.mirror import build_mirror
from tests.support.schemas import load_schema
from tests.support.server import MirrorServer
from wheelscout.cli import explain
from wheelscout.errors import InputError
from wheelscout.model.project import DistFile, NormalizedName, ProjectPage

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def index_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    mirror = build_mirror(tmp_path_factory.mktemp("mirror"),
                          projects=["numpy", "cryptography", "pyyaml"])
    with MirrorServer(mirror.root) as server:
        yield server.index_url


def _main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    explain.configure_parser(parser)
    return explain.execute(parser.parse_args(argv))


def _json(index_url: str, capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert _main([*argv, "-i", index_url, "--no-cache", "--format", "json"]) == 0
    document: dict[str, Any] = json.loads(capsys.readouterr().out)
    schema = load_schema("explain-v1.schema.json")
    jsonschema.validate(document, schema)
    return document


def test_numpy_1_26_2_text(index_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["numpy==1.26.2", "--target", "win-arm64", "--python", "3.12", "-i", index_url,
            "--no-cache"]
    assert _main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("numpy 1.26.2 on win_arm64/cp312: builds from source "
                          "(numpy-1.26.2.tar.gz)\n")
    assert "none for win_arm64; sdist numpy-1.26.2.tar.gz" in out
    assert "    cp312-cp312-win_amd64: built for win_amd64, target is win_arm64\n" in out
    assert "first version with a wheel for win_arm64/cp312: 2.3.0 " in out
    assert ("nearest newer version with a wheel: 2.3.0 "
            "(numpy-2.3.0-cp312-cp312-win_arm64.whl); numpy==1.26.2 forbids it\n") in out
    assert "  2.2.6    no   sdist only\n" in out
    assert "  2.3.0    yes  numpy-2.3.0-cp312-cp312-win_arm64.whl\n" in out


def test_numpy_json_matches_schema(index_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    document = _json(index_url, capsys, "numpy==1.26.2", "-t", "win-arm64", "-p", "3.12")
    (section,) = document["targets"]
    assert section["install"] == "build"
    assert section["first_with_wheel"]["version"] == "2.3.0"
    assert section["nearest"]["newer"]["version"] == "2.3.0"
    assert section["nearest"]["newer"]["allowed"] is False
    assert section["specifier"] == "==1.26.2"
    assert section["groups"]["target_pythons"] == []
    assert [(r["version"], r["has_wheel"]) for r in section["coverage"]] == [
        ("2.5.5", True), ("2.3.0", True), ("2.2.6", False), ("1.26.2", False)]


def test_newest_by_default_and_two_pythons(index_url: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    document = _json(index_url, capsys, "cryptography", "-t", "win-arm64", "-p", "3.12",
                     "-p", "3.14t", "--versions", "2")
    assert document["version"] == "50.0.2"
    assert [s["target"]["label"] for s in document["targets"]] == [
        "win_arm64/cp312", "win_arm64/cp314t"]
    for section in document["targets"]:
        assert section["install"] == "build"
        assert section["nearest"]["older"]["version"] == "46.0.3"
        assert len(section["coverage"]) == 2
    assert document["targets"][1]["nearest"]["older"]["tag"] == "cp314-cp314t-win_arm64"


def test_wheel_that_wins(index_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _main(["cryptography==46.0.3", "-t", "win-arm64", "-p", "3.12", "-i", index_url,
                  "--no-cache"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("cryptography 46.0.3 on win_arm64/cp312: installs from a wheel "
                          "(cryptography-46.0.3-cp311-abi3-win_arm64.whl, "
                          "tag cp311-abi3-win_arm64)\n")
    assert "why no wheel matches" not in out
    assert "nearest" not in out


def test_glibc_near_miss_beside_the_winner(index_url: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert _main(["cryptography==46.0.3", "-t", "linux-aarch64", "-p", "3.12", "-i", index_url,
                  "--no-cache"]) == 0
    out = capsys.readouterr().out
    assert "tag cp311-abi3-manylinux_2_28_aarch64)" in out
    assert "near misses on manylinux_2_28_aarch64/cp312:\n" in out
    assert ("    cp311-abi3-manylinux_2_34_aarch64: manylinux_2_34_aarch64 needs glibc 2.34 > "
            "target 2.28\n") in out


def test_not_found(index_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _main(["nope", "-t", "win-arm64", "-i", index_url, "--no-cache"]) == 1
    assert "project 'nope' not found" in capsys.readouterr().err
    assert _main(["pyyaml==9", "-t", "win-arm64", "-i", index_url, "--no-cache"]) == 1
    assert "no version of pyyaml matches ==9" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "message"),
    [("numpy==", "requirement 'numpy==' is invalid"),
     ("numpy @ https://x/n.whl", "requirement 'numpy @ https://x/n.whl' is a URL")],
    ids=["invalid", "url"],
)
def test_bad_requirement(text: str, message: str, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=message):
        _main([text, "-t", "win-arm64", "-i", "http://127.0.0.1:9/simple/"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [("demo", "2.0"), ("demo==3.0", "3.0"), ("demo<2", "1.0"), ("demo>=4", None),
     ("demo==3.0rc1", "3.0rc1")],
    ids=["newest-not-yanked", "pinned-yanked", "range", "nothing", "pinned-pre"],
)
def test_pick_version(text: str, expected: str | None) -> None:
    page = ProjectPage(name=NormalizedName("demo"), files=(
        DistFile(filename="demo-1.0.tar.gz", url="https://x/1"),
        DistFile(filename="demo-2.0.tar.gz", url="https://x/2"),
        DistFile(filename="demo-3.0.tar.gz", url="https://x/3", yanked="bad"),
        DistFile(filename="demo-3.0rc1.tar.gz", url="https://x/4"),
    ))
    found = explain._pick_version(page, Requirement(text), pre=False)
    assert (str(found) if found else None) == expected
