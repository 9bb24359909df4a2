"""`wheelscout audit` end to end: text, JSON (validated against the shipped schema), exit codes."""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import struct
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.support.schemas import load_schema
from tests.support.wheels import build_wheel, fixture
from wheelscout.cli import audit
from wheelscout.errors import InputError

ARM64_PYD = "win_arm64-_speedups.cp312-win_arm64.pyd"


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    audit.configure_parser(parser)
    return audit.execute(parser.parse_args(argv))


def _write(directory: Path, filename: str, members: dict[str, bytes]) -> Path:
    path = directory / filename
    path.write_bytes(build_wheel(filename, members))
    return path


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    name = "demo-1.0-cp312-cp312-win_arm64.whl"
    return _write(tmp_path, name, {"demo/_s.cp312-win_arm64.pyd": fixture(ARM64_PYD)})


@pytest.fixture
def wrong_suffix(tmp_path: Path) -> Path:
    name = "bad-1.0-cp312-cp312-win_arm64.whl"
    return _write(tmp_path, name, {"bad/_s.cp312-win_amd64.pyd": fixture(ARM64_PYD)})


def test_warnings_alone_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    program = bytearray(fixture(ARM64_PYD))
    (lfanew,) = struct.unpack_from("<I", program, 0x3C)
    (flags,) = struct.unpack_from("<H", program, lfanew + 22)
    struct.pack_into("<H", program, lfanew + 22, flags & ~0x2000)  # no longer a DLL
    name = "tool-1.0-py3-none-any.whl"
    path = _write(tmp_path, name, {"tool/launcher.exe": bytes(program)})
    assert _run(str(path)) == 0
    out = capsys.readouterr().out
    assert "0 error(s), 1 warning(s)" in out
    assert "binary-in-pure-wheel" in out


def _schema() -> dict[str, Any]:
    return load_schema("audit.schema.json", "wheelscout.binary")


def test_clean_wheel_exits_0(clean: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(str(clean)) == 0
    assert "clean" in capsys.readouterr().out


def test_finding_exits_1_and_shows_evidence(
    wrong_suffix: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(str(wrong_suffix)) == 1
    out = capsys.readouterr().out
    assert "ext-suffix" in out
    assert "SETUPTOOLS_EXT_SUFFIX" not in out


def test_explain_gives_the_fix(wrong_suffix: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(str(wrong_suffix), "--explain") == 1
    out = capsys.readouterr().out
    assert "SETUPTOOLS_EXT_SUFFIX=.cp312-win_arm64.pyd" in out
    assert "ModuleNotFoundError" in out


@pytest.mark.parametrize("explain", [False, True], ids=["plain", "explain"])
def test_json_matches_schema(
    clean: Path, wrong_suffix: Path, explain: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [str(clean.parent), "--format", "json", *(["--explain"] if explain else [])]
    assert _run(*args) == 1
    document = json.loads(capsys.readouterr().out)
    jsonschema.validate(document, _schema())
    assert document["schema_version"] == audit.SCHEMA_VERSION
    by_name = {w["filename"]: w for w in document["wheels"]}
    assert by_name[clean.name]["clean"] is True
    (finding,) = by_name[wrong_suffix.name]["findings"]
    assert finding["code"] == "ext-suffix"
    assert ("explanation" in finding) is explain


def test_schema_lists_every_code() -> None:
    from wheelscout.binary.findings import Code

    enum = _schema()["$defs"]["finding"]["properties"]["code"]["enum"]
    assert sorted(enum) == sorted(c.value for c in Code)


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda d: d / "missing.whl", "no such file or directory: '.*missing.whl'"),
        (lambda d: d, "no \\*.whl files in directory"),
    ],
    ids=["missing-file", "empty-directory"],
)
def test_usage_errors(tmp_path: Path, make: Any, match: str) -> None:
    with pytest.raises(InputError, match=match):
        _run(str(make(tmp_path)))


@pytest.mark.skipif(
    any(importlib.util.find_spec(f"wheelscout.cli.{n}") is None for n in ("targets", "tags")),
    reason="the other commands in COMMANDS are not on this branch yet",
)
def test_through_main(clean: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from wheelscout.cli.main import _main

    assert _main(["audit", str(clean)]) == 0
    assert _main(["audit", str(tmp_path / "nope.whl")]) == 2
    assert "nope.whl" in capsys.readouterr().err


def test_a_hostile_member_name_is_shown_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A wrong-suffix finding names the member: its ESC sequence and newline must not reach
    # the terminal raw.
    member = "bad/\x1b[2J\nforged_s.cp312-win_amd64.pyd"
    path = _write(tmp_path, "bad-1.0-cp312-cp312-win_arm64.whl", {member: fixture(ARM64_PYD)})
    for fmt in ("text", "json"):
        _run(str(path), "--format", fmt)
        out = capsys.readouterr().out
        assert "\x1b" not in out
        assert ("\\x1b[2J\\nforged" if fmt == "text" else "\\u001b[2J\\nforged") in out


def test_directory_and_fifo_named_whl_are_reported_and_skipped(
    clean: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = clean.parent
    (directory / "x.whl").mkdir()
    os.mkfifo(directory / "y.whl")  # opening it for reading would block forever
    assert _run(str(directory)) == 0
    captured = capsys.readouterr()
    assert clean.name in captured.out
    for name, kind in (("x.whl", "a directory"), ("y.whl", "a FIFO")):
        line = f"skipped {str(directory / name)!r}: not a regular file ({kind})"
        assert line in captured.err


def test_fifo_named_on_the_command_line_is_an_error(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "y.whl")
    with pytest.raises(InputError, match=r"'.*y\.whl' is not a regular file \(a FIFO\)"):
        _run(str(tmp_path / "y.whl"))


def test_directory_of_only_non_regular_wheels_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "x.whl").mkdir()
    with pytest.raises(InputError, match=r"no \*\.whl files in directory"):
        _run(str(tmp_path))
