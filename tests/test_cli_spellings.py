"""pip's and uv's spellings on the command line, version flags on every target spelling, and
what pip cannot build: end to end through ``_main`` over a find-links directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from tests.support.sdists import make_tar
from tests.support.wheels import build_wheel
from wheelscout._toml import loads as toml_loads
from wheelscout.cli._targets import targets_from_args
from wheelscout.cli.main import _main, build_parser

# 2.2 with nothing dynamic: uv reads an sdist's PKG-INFO instead of building it (PEP 643).
_METADATA = "Metadata-Version: 2.2\nName: {name}\nVersion: {version}\n"


def _wheel(links: Path, filename: str) -> None:
    name, version = filename.split("-")[:2]
    meta = _METADATA.format(name=name, version=version).encode()
    files = {f"{name}-{version}.dist-info/METADATA": meta}
    (links / filename).write_bytes(build_wheel(filename, files))


def _sdist(links: Path, name: str, version: str) -> None:
    pkg_info = _METADATA.format(name=name, version=version)
    tar = make_tar({"PKG-INFO": pkg_info}, root=f"{name}-{version}")
    (links / f"{name}-{version}.tar.gz").write_bytes(tar)


@pytest.fixture
def links(tmp_path: Path) -> Path:
    """scipy-like wheels for macOS 12 and 14 plus its sdist; a project with an iOS-less sdist
    release on top of a pure-wheel one."""
    links = tmp_path / "links"
    links.mkdir()
    _wheel(links, "scipy-1.16.0-cp312-cp312-macosx_12_0_arm64.whl")
    _wheel(links, "scipy-1.16.0-cp312-cp312-macosx_14_0_arm64.whl")
    _sdist(links, "scipy", "1.16.0")
    _wheel(links, "mobilepkg-1.0-py3-none-any.whl")
    _sdist(links, "mobilepkg", "2.0")
    _sdist(links, "sdistonly", "1.0")
    return links


class Run(NamedTuple):
    code: int
    document: Any
    err: str


def _run(links: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> Run:
    code = _main(["check", *argv, "--no-index", "-f", str(links), "--no-inspect",
                  "--no-remedy", "--format", "json"])
    captured = capsys.readouterr()
    return Run(code, json.loads(captured.out) if captured.out else None, captured.err)


def _packages(document: Any) -> dict[str, tuple[str, str, str]]:
    (result,) = document["results"]
    return {p["name"]: (p["version"], p["install"], p["file"]) for p in result["packages"]}


def test_uv_spellings_and_macos_flag_make_scipy_build(
    links: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The "done when": uv's triple with --macos 11.0 is macOS 11, where neither
    # macosx_12_0 nor macosx_14_0 wheels install.
    uv = ("scipy", "--python-platform", "aarch64-apple-darwin", "--python-version", "3.12")
    code, document, _ = _run(links, capsys, *uv, "--macos", "11.0")
    assert _packages(document)["scipy"] == ("1.16.0", "build", "scipy-1.16.0.tar.gz")
    assert document["results"][0]["platform"] == "macosx_11_0_arm64"
    assert code == 1
    _, default, _ = _run(links, capsys, *uv)
    wheel = "scipy-1.16.0-cp312-cp312-macosx_12_0_arm64.whl"
    assert _packages(default)["scipy"][1:] == ("wheel", wheel)


def _uv_files(links: Path, tmp_path: Path, deployment: str | None) -> list[str]:
    """The files uv's lock lists for scipy on aarch64-apple-darwin."""
    from uv import find_uv_bin

    (tmp_path / "req.in").write_text("scipy\n")
    out = tmp_path / "pylock.toml"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UV_", "MACOSX_"))}
    env |= {"MACOSX_DEPLOYMENT_TARGET": deployment} if deployment else {}
    subprocess.run([find_uv_bin(), "pip", "compile", "--no-config", "--no-index", "-f",
                    str(links), "--python-platform", "aarch64-apple-darwin", "--python-version",
                    "3.12", "--python", sys.executable, "--no-cache", "-q", "-o", str(out),
                    str(tmp_path / "req.in")], env=env, check=True, timeout=120)
    (package,) = toml_loads(out.read_text())["packages"]
    return [Path(w["url"]).name for w in package.get("wheels", [])]


@pytest.mark.parametrize("deployment", [None, "11.0", "14.0"])
def test_macosx_deployment_target_agrees_with_uv(
    links: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, deployment: str | None,
) -> None:
    if deployment:
        monkeypatch.setenv("MACOSX_DEPLOYMENT_TARGET", deployment)
    _, document, _ = _run(links, capsys, "scipy", "--python-platform", "aarch64-apple-darwin",
                          "--python-version", "3.12")
    _, install, file = _packages(document)["scipy"]
    wheels = _uv_files(links, tmp_path, deployment)  # uv lists the target's wheels only
    assert (install == "wheel") == bool(wheels)
    assert install == "build" or file in wheels


def test_macosx_deployment_target_is_read_as_uv_reads_it(
    links: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MACOSX_DEPLOYMENT_TARGET", "11.0")
    argv = ("scipy", "--python-platform", "aarch64-apple-darwin", "-p", "3.12")
    _, document, _ = _run(links, capsys, *argv)
    assert _packages(document)["scipy"][1] == "build"
    _, flag_wins, _ = _run(links, capsys, *argv, "--macos", "14.0")
    assert _packages(flag_wins)["scipy"][2].endswith("macosx_14_0_arm64.whl")
    _, isolated, _ = _run(links, capsys, *argv, "--isolated")
    assert _packages(isolated)["scipy"][2].endswith("macosx_12_0_arm64.whl")
    for bad in ("eleven", "1" * 5000):
        monkeypatch.setenv("MACOSX_DEPLOYMENT_TARGET", bad)
        run = _run(links, capsys, *argv)
        assert run.code == 2
        assert f"MACOSX_DEPLOYMENT_TARGET={bad[:10]!r}"[:-1] in run.err
        assert len(run.err) < 200


@pytest.mark.parametrize(
    ("target", "python", "expected"),
    [
        ("ios-arm64", "3.13", ("1.0", "wheel", "mobilepkg-1.0-py3-none-any.whl")),
        ("aarch64-linux-android", "3.13", ("1.0", "wheel", "mobilepkg-1.0-py3-none-any.whl")),
        ("pyodide-2025", "3.13", ("1.0", "wheel", "mobilepkg-1.0-py3-none-any.whl")),
        ("linux-aarch64", "3.13", ("2.0", "build", "mobilepkg-2.0.tar.gz")),
    ],
    ids=["ios", "android", "pyodide", "linux-builds"],
)
def test_no_local_builds_where_pip_cannot_build(
    links: Path, capsys: pytest.CaptureFixture[str], target: str, python: str,
    expected: tuple[str, str, str],
) -> None:
    _, document, _ = _run(links, capsys, "mobilepkg", "-t", target, "-p", python)
    assert _packages(document)["mobilepkg"] == expected


def test_sdist_only_on_ios_is_none_with_the_reason(
    links: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, document, _ = _run(links, capsys, "sdistonly", "-t", "ios-arm64", "-p", "3.13")
    (package,) = document["results"][0]["packages"]
    assert (package["install"], package["reason_code"]) == ("none", "cannot-build-here")
    assert "cibuildwheel" in package["reason"]  # the sentence says how such wheels are made
    assert code == 3


@pytest.mark.parametrize("target", ["ios-arm64", "arm64-apple-ios", "aarch64-linux-android"])
def test_mobile_targets_need_python_3_13(
    links: Path, capsys: pytest.CaptureFixture[str], target: str
) -> None:
    code, _, err = _run(links, capsys, "scipy", "-t", target, "-p", "3.12")
    err = err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1
    assert "needs Python 3.13 or newer" in err


def test_duplicate_targets_merge() -> None:
    argv = ["check", "x", "-t", "win-arm64", "-t", "woa", "-t", "aarch64-pc-windows-msvc",
            "--platform", "win_arm64", "-p", "3.12", "-p", "3.12", "--python-version", "3.12.0"]
    args = build_parser(argv).parse_args(argv)
    (target,) = targets_from_args(args)
    assert (target.platform.name, target.python.short) == ("win_arm64", "3.12")


@pytest.mark.parametrize(
    "argv",
    [
        ["-q", "check"],
        ["check", "--quiet", "-vv"],
        ["--isolated", "check"],
        ["check", "--no-config"],
        ["check", "--index", "name=https://example.invalid/simple/"],
        ["check", "--default-index", "https://example.invalid/simple/"],
    ],
    ids=["q-before", "quiet-verbose-after", "isolated-before", "no-config", "uv-index",
         "uv-default-index"],
)
def test_pip_and_uv_general_spellings_are_accepted(argv: list[str]) -> None:
    args = build_parser(argv).parse_args([*argv, "numpy"])
    assert args.command == "check"
    if "--index" in argv:
        assert args.extra_index_url == ["https://example.invalid/simple/"]
    if "--isolated" in argv or "--no-config" in argv:
        assert args.isolated or args.no_config


def test_only_binary_needs_a_value_and_refuses_a_requirement(
    links: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(links, capsys, "-t", "linux-aarch64", "-p", "3.12", "--only-binary",
                        "numpy==1.26.2")
    assert code == 2
    assert "--only-binary 'numpy==1.26.2'" in err
    assert "put it before --only-binary" in err
    with pytest.raises(SystemExit):
        _main(["check", "scipy", "-t", "linux-aarch64", "--only-binary"])


@pytest.mark.parametrize(
    ("fail_on", "code"),
    [("build", 1), ("uninstallable", 0), ("none", 0), ("never", 0)],
)
def test_fail_on_names(
    links: Path, capsys: pytest.CaptureFixture[str], fail_on: str, code: int
) -> None:
    argv = ("scipy", "-t", "macos-arm64", "--macos", "11.0", "-p", "3.12", "--fail-on", fail_on)
    assert _run(links, capsys, *argv).code == code


def test_only_binary_all_then_none_in_one_value(
    links: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # pip's FormatControl: ":all:,:none:" clears the set again, so scipy may build.
    argv = ("scipy", "-t", "macos-arm64", "--macos", "11.0", "-p", "3.12")
    _, strict, _ = _run(links, capsys, *argv, "--only-binary", ":all:")
    assert _packages(strict)["scipy"][1] == "none"
    _, cleared, _ = _run(links, capsys, *argv, "--only-binary", ":all:,:none:")
    assert _packages(cleared)["scipy"][1] == "build"


def test_a_command_with_its_own_quiet_keeps_it() -> None:
    import argparse

    from wheelscout.cli.main import add_global_options

    parser = argparse.ArgumentParser()
    parser.add_argument("-q", "--quiet", action="store_true", help="the command's own")
    add_global_options(parser, command=True)
    args = parser.parse_args(["-q", "--isolated"])
    assert args.quiet is True
    assert args.isolated is True
