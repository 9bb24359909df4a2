"""``wheelscout inspect-sdist`` on local files, hostile ones included."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jsonschema
import pytest

from tests.support.schemas import load_schema
from tests.support.sdists import NUMPY_LIKE, make_tar
from wheelscout.cli.main import _main


def _write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_numpy_like_on_win_arm64(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "numpy-1.26.2.tar.gz", make_tar(NUMPY_LIKE, root="numpy-1.26.2"))
    assert _main(["inspect-sdist", path, "--target", "win-arm64", "--python", "3.12"]) == 0

    out = capsys.readouterr().out
    assert out.startswith("numpy-1.26.2.tar.gz: meson-python: C, C++, Cython\n")
    assert "Microsoft.VisualStudio.Component.VC.Tools.ARM64" in out


def test_json_matches_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = make_tar(NUMPY_LIKE, root="numpy-1.26.2")
    path = _write(tmp_path, "numpy-1.26.2.tar.gz", data)
    digest = hashlib.sha256(data).hexdigest()
    argv = ["inspect-sdist", path, "--format", "json", "--sha256", digest, "-t", "linux-x86_64"]
    assert _main([*argv, "-p", "3.12"]) == 0

    document = json.loads(capsys.readouterr().out)
    jsonschema.validate(document, load_schema("inspect-sdist-v1.schema.json"))
    assert document["sha256"] == digest
    assert [item["name"] for item in document["languages"]] == ["C", "C++", "Cython"]
    assert document["setup_steps"]


def test_pure_sdist_builds_anywhere(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pyproject = '[build-system]\nrequires = ["flit_core"]\nbuild-backend = "flit_core.buildapi"\n'
    path = _write(tmp_path, "demo-1.0.tar.gz", make_tar({"pyproject.toml": pyproject}))
    assert _main(["inspect-sdist", path, "-t", "win-arm64", "-p", "3.12"]) == 0

    assert "demo-1.0.tar.gz: pure: builds anywhere, no compiler" in capsys.readouterr().out


def test_hostile_archive_is_findings_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "evil-1.0.tar.gz", make_tar({"../../evil": "x"}, root=""))
    assert _main(["inspect-sdist", path]) == 1

    captured = capsys.readouterr()
    assert "error path-traversal" in captured.out
    assert captured.err == ""


def test_corrupt_archive_never_tracebacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "broken-1.0.tar.gz", make_tar(NUMPY_LIKE)[:300])
    assert _main(["inspect-sdist", path, "--format", "json"]) == 1

    document = json.loads(capsys.readouterr().out)
    assert document["complete"] is False
    assert document["pure"] is False
    assert document["findings"][0]["kind"] == "truncated"


def test_missing_file_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _main(["inspect-sdist", str(tmp_path / "nope.tar.gz")]) == 2

    err = capsys.readouterr().err
    assert "nope.tar.gz" in err
    assert err.count("\n") == 1
