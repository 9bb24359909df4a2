"""``wheelscout targets`` and ``wheelscout tags`` from the command line."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest
from packaging import tags as ptags

from tests.support.schemas import load_schema
from wheelscout.cli.main import _main


def test_tags_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code = _main(
        ["tags", "--target", "aarch64-pc-windows-msvc", "--python", "3.12", "--format", "json"]
    )
    document = json.loads(capsys.readouterr().out)
    assert code == 0
    jsonschema.validate(document, load_schema("tags-v1.schema.json"))
    (entry,) = document["targets"]
    assert entry["target"] == "aarch64-pc-windows-msvc"
    assert entry["platform"] == "win_arm64"
    assert entry["python"] == "3.12"
    assert entry["tags"][0] == "cp312-cp312-win_arm64"
    assert "cp312-abi3-win_arm64" in entry["tags"]
    assert entry["markers"]["platform_machine"] == "ARM64"


def test_tags_free_threaded(capsys: pytest.CaptureFixture[str]) -> None:
    assert _main(["tags", "-t", "win-arm64", "-p", "3.13t", "--format", "json"]) == 0
    tags = json.loads(capsys.readouterr().out)["targets"][0]["tags"]
    assert tags[0] == "cp313-cp313t-win_arm64"
    assert not [t for t in tags if "abi3" in t]


def test_tags_host_matches_sys_tags(capsys: pytest.CaptureFixture[str]) -> None:
    assert _main(["tags", "--target", "host", "--format", "json"]) == 0
    tags = json.loads(capsys.readouterr().out)["targets"][0]["tags"]
    assert tags == [str(t) for t in ptags.sys_tags()]


def test_tags_matrix(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        _main(
            [
                "tags",
                "-t",
                "win-arm64",
                "-t",
                "linux-aarch64",
                "-p",
                "3.12",
                "-p",
                "3.13",
                "--format",
                "json",
            ]
        )
        == 0
    )
    entries = json.loads(capsys.readouterr().out)["targets"]
    assert [(e["platform"], e["python"]) for e in entries] == [
        ("win_arm64", "3.12"),
        ("win_arm64", "3.13"),
        ("manylinux_2_28_aarch64", "3.12"),
        ("manylinux_2_28_aarch64", "3.13"),
    ]


def test_tags_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert _main(["tags", "-t", "win-arm64", "-p", "3.12"]) == 0
    out = capsys.readouterr().out
    assert "cp312-cp312-win_arm64" in out
    assert "'ARM64'" in out


def test_targets_lists_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    assert _main(["targets", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    names = {p["name"] for p in document["platforms"]}
    assert {
        "win-arm64",
        "linux-riscv64",
        "musllinux-aarch64",
        "macos-universal2",
        "ios-arm64",
        "android-arm64",
        "pyodide-2024",
        "pyemscripten-2026",
    } <= names
    assert document["uv_triples"]["aarch64-pc-windows-msvc"] == "win_arm64"
    assert "3.13t" in document["pythons"]
    assert _main(["targets"]) == 0
    assert "win-arm64" in capsys.readouterr().out


def _exit_code(argv: list[str]) -> int:
    try:
        return _main(argv)
    except SystemExit as exc:  # argparse-level usage errors exit directly
        return int(exc.code or 0)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["tags", "-t", "win-arn64", "-p", "3.12"], "unknown target 'win-arn64'; did you mean"),
        (["tags", "-t", "win-arm64", "-p", "2.7"], "unknown Python '2.7'"),
        (["tags", "-t", "win-arm64", "-p", "3.8"], "unsupported Python '3.8'"),
        (["tags", "-t", "pyodide-2024", "-p", "3.13"], "Python 3.12 only"),
        (["tags", "-t", "linux-aarch64", "--glibc", "two"], "--glibc expects MAJOR.MINOR"),
        (["tags"], "the following arguments are required: -t/--target"),
        (["nosuchcommand"], "invalid choice: 'nosuchcommand'"),
    ],
    ids=["typo", "python2", "python38", "pyodide", "bad-glibc", "no-target", "no-command"],
)
def test_errors_are_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _exit_code(argv)
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_python_m_entry_point() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "wheelscout",
            "tags",
            "-t",
            "win-arm64",
            "-p",
            "3.12",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["targets"][0]["tags"][0] == "cp312-cp312-win_arm64"
