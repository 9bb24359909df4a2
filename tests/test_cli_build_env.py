"""``wheelscout build-env`` end to end through the CLI entry point."""

from __future__ import annotations

import json

import jsonschema
import pytest

from tests.support.schemas import load_schema
from wheelscout.cli.main import _main


def test_win_arm64_cp312_setuptools_cmd(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["build-env", "--target", "win-arm64", "--python", "3.12", "--backend", "setuptools"]
    assert _main([*argv, "--shell", "cmd"]) == 0

    out = capsys.readouterr().out
    assert 'set "SETUPTOOLS_USE_DISTUTILS=local"' in out
    assert 'set "VSCMD_ARG_TGT_ARCH=arm64"' in out
    assert 'set "SETUPTOOLS_EXT_SUFFIX=.cp312-win_arm64.pyd"' in out
    assert "setuptools>=57.4.0" in out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["--target", "linux-aarch64", "--backend", "maturin"],
            "--target aarch64-unknown-linux-gnu",
        ),
        (["--target", "win-arm64", "--backend", "cibuildwheel"], 'archs = ["ARM64"]'),
        (
            ["--target", "macos-arm64", "--backend", "meson-python"],
            "export ARCHFLAGS='-arch arm64'",
        ),
        (
            ["--target", "win-arm64", "--backend", "scikit-build-core", "--shell", "powershell"],
            "$env:CMAKE_GENERATOR_PLATFORM = 'ARM64'",
        ),
    ],
    ids=["maturin", "cibuildwheel", "meson-python", "scikit-build-core"],
)
def test_backends(argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _main(["build-env", "--python", "3.12", "--host", "linux/x86_64", *argv]) == 0

    assert expected in capsys.readouterr().out


def test_json_matches_schema(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["build-env", "-t", "win-arm64", "-p", "3.13t", "--backend", "setuptools"]
    assert _main([*argv, "--shell", "json", "--host", "windows/AMD64"]) == 0

    document = json.loads(capsys.readouterr().out)
    jsonschema.validate(document, load_schema("build-env-v1.schema.json"))
    assert document["variables"]["SETUPTOOLS_EXT_SUFFIX"] == ".cp313t-win_arm64.pyd"
    assert document["cross"] is True


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--target", "win-arm65", "--backend", "setuptools"], "'win-arm65'"),
        (["--target", "win-arm64", "--backend", "setuptools", "--host", "windows"], "'windows'"),
        (["--target", "win-arm64", "--backend", "setuptools", "--host", "beos/x86"], "'beos'"),
        (["--target", "host", "--backend", "setuptools"], "'host'"),
    ],
    ids=["unknown-target", "host-without-arch", "unknown-host-os", "host-target"],
)
def test_bad_input_is_one_line_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _main(["build-env", "--python", "3.12", *argv]) == 2

    err = capsys.readouterr().err
    assert err.startswith("wheelscout: error:")
    assert message in err
    assert err.count("\n") == 1
