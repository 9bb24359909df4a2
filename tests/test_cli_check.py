"""``wheelscout check`` end to end: command line in, report and exit status out."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.support.schemas import load_schema
from tests.support.sdists import make_tar
from tests.support.server import MirrorServer
from wheelscout.cli.main import _main


def _check(server: MirrorServer, *argv: str) -> int:
    return _main(["check", *argv, "--index-url", server.index_url, "--no-cache"])


def _json(server: MirrorServer, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = _check(server, *argv, "--format", "json")
    return code, json.loads(capsys.readouterr().out)


def test_numpy_wheel_on_amd64_build_on_arm64(
    mirror_server: MirrorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, document = _json(
        mirror_server,
        capsys,
        "numpy==1.26.2",
        "--target",
        "win-amd64",
        "--target",
        "win-arm64",
        "--python",
        "3.12",
    )
    schema = load_schema("check-v1.schema.json")
    jsonschema.validate(document, schema)
    amd64, arm64 = document["results"]
    (numpy_amd64,) = amd64["packages"]
    (numpy_arm64,) = arm64["packages"]
    assert (numpy_amd64["install"], numpy_amd64["wheel_kind"]) == ("wheel", "platform")
    assert numpy_amd64["file"] == "numpy-1.26.2-cp312-cp312-win_amd64.whl"
    assert numpy_arm64["install"] == "build"
    assert numpy_arm64["file"] == "numpy-1.26.2.tar.gz"
    assert numpy_arm64["reason"] == (
        "numpy 1.26.2 ships wheels for win_amd64 and win32 but not win_arm64, "
        "so pip builds numpy-1.26.2.tar.gz from source"
    )
    assert code == 1


def test_text_matrix_and_summary(
    mirror_server: MirrorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _check(
        mirror_server, "numpy==1.26.2", "-t", "win-amd64", "-t", "win-arm64", "-p", "3.12"
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "wheel 1.26.2" in out
    assert "BUILD 1.26.2" in out
    assert out.startswith("1 package on 2 targets: 1 package would build from source (numpy)")
    assert "numpy 1.26.2 builds from source on win-arm64 3.12: ships wheels for" in out


def test_markdown(mirror_server: MirrorServer, capsys: pytest.CaptureFixture[str]) -> None:
    code = _check(
        mirror_server, "numpy==1.26.2", "-t", "win-arm64", "-p", "3.12", "--format", "markdown"
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "| package | win-arm64 3.12 |" in out
    assert "| numpy | 🛠️ build 1.26.2 |" in out


def test_dependency_path_and_abi3(
    mirror_server: MirrorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, document = _json(
        mirror_server, capsys, "cryptography", "-t", "linux-aarch64", "-p", "3.12"
    )
    packages = {p["name"]: p for p in document["results"][0]["packages"]}
    assert packages["cryptography"]["wheel_kind"] == "abi3"
    assert packages["cffi"]["required_by"] == ["cryptography"]
    assert packages["pycparser"]["path"] == ["cryptography", "cffi", "pycparser"]
    assert packages["pycparser"]["wheel_kind"] == "pure"
    assert code == 0


def test_only_binary_backtracks_to_a_wheel(
    mirror_server: MirrorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, document = _json(
        mirror_server, capsys, "cryptography", "-t", "win-arm64", "-p", "3.12",
        "--only-binary", ":all:",
    )
    packages = {p["name"]: p for p in document["results"][0]["packages"]}
    assert packages["cryptography"]["version"] == "46.0.3"
    assert packages["cryptography"]["install"] == "wheel"
    assert document["results"][0]["mode"] == "only-binary"
    assert code == 0


def test_none_verdict_exit_3(
    mirror_server: MirrorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, document = _json(
        mirror_server, capsys, "numpy==1.26.2", "-t", "win-arm64", "-p", "3.12",
        "--only-binary", ":all:",
    )
    (numpy,) = document["results"][0]["packages"]
    assert numpy["install"] == "none"
    assert "not win_arm64" in numpy["reason"]
    assert "building is not allowed" in numpy["reason"]
    assert code == 3


@pytest.mark.parametrize(("fail_on", "expected"), [("build", 1), ("none", 0), ("never", 0)])
def test_fail_on(
    mirror_server: MirrorServer, capsys: pytest.CaptureFixture[str], fail_on: str, expected: int
) -> None:
    code = _check(
        mirror_server,
        "numpy==1.26.2",
        "-t",
        "win-arm64",
        "-p",
        "3.12",
        "--fail-on",
        fail_on,
        "--format",
        "json",
    )
    capsys.readouterr()
    assert code == expected


def test_unresolvable_target_is_reported_not_raised(
    mirror_server: MirrorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, document = _json(
        mirror_server, capsys, "pandas", "numpy<1.0", "-t", "win-amd64", "-p", "3.12"
    )
    (result,) = document["results"]
    assert result["status"] in ("unresolvable", "fails")
    assert code == 3


def test_requirements_file_and_pyproject_settings(
    mirror_server: MirrorServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "base.txt").write_text("requests  # http\n", encoding="utf-8")
    (tmp_path / "requirements.txt").write_text(
        "-r base.txt\nnumpy==1.26.2 ; sys_platform == 'win32'\n", encoding="utf-8"
    )
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "app"\nversion = "1"\ndependencies = []\n'
        '[tool.wheelscout]\ntargets = ["win-arm64", "linux-aarch64"]\npythons = ["3.12"]\n',
        encoding="utf-8",
    )
    code, document = _json(
        mirror_server,
        capsys,
        "-r",
        str(tmp_path / "requirements.txt"),
        "--project",
        str(tmp_path / "pyproject.toml"),
    )
    by_platform = {r["platform"]: {p["name"] for p in r["packages"]} for r in document["results"]}
    assert "numpy" in by_platform["win_arm64"]
    assert "numpy" not in by_platform["manylinux_2_28_aarch64"]
    assert "requests" in by_platform["manylinux_2_28_aarch64"]
    assert code == 1


def test_pylock_checked_without_resolving(
    mirror_server: MirrorServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lock = tmp_path / "pylock.toml"
    lock.write_text(
        'lock-version = "1.0"\ncreated-by = "test"\n'
        '[[packages]]\nname = "numpy"\nversion = "1.26.2"\n'
        '[packages.sdist]\nname = "numpy-1.26.2.tar.gz"\nurl = "https://example.invalid/n.tar.gz"\n'
        'hashes = {sha256 = "00"}\n'
        '[[packages.wheels]]\nname = "numpy-1.26.2-cp312-cp312-win_amd64.whl"\n'
        'url = "https://example.invalid/n.whl"\nhashes = {sha256 = "00"}\n',
        encoding="utf-8",
    )
    code, document = _json(
        mirror_server,
        capsys,
        "--lock",
        str(lock),
        "-t",
        "win-amd64",
        "-t",
        "win-arm64",
        "-p",
        "3.12",
    )
    installs = [r["packages"][0]["install"] for r in document["results"]]
    assert installs == ["wheel", "build"]
    assert code == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["numpy", "-t", "win-arm64", "-r", "missing.txt"], "missing.txt"),
        (["numpy=="], "numpy=="),
        ([], "nothing to check"),
        (["numpy"], "no target"),
    ],
    ids=["missing-file", "bad-requirement", "nothing", "no-target"],
)
def test_bad_input_one_line(
    mirror_server: MirrorServer,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # no pyproject.toml here to fall back on
    code = _check(mirror_server, *argv)
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert err.strip().count("\n") == 0


def _pkg_info(name: str) -> str:
    return f"Metadata-Version: 2.2\nName: {name}\nVersion: 1.0\n"


def test_build_needs_per_target(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    links = tmp_path / "links"
    links.mkdir()
    (tmp_path / "empty").mkdir()
    pure = {
        "PKG-INFO": _pkg_info("purepkg"),
        "pyproject.toml": (
            '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
        ),
        "purepkg/__init__.py": "",
    }
    native = {
        "PKG-INFO": _pkg_info("cext"),
        "setup.py": (
            "from setuptools import setup, Extension\n"
            "setup(ext_modules=[Extension('cext._speed', ['src/speed.c'])])\n"
        ),
        "src/speed.c": "int f(void) { return 1; }\n",
    }
    (links / "purepkg-1.0.tar.gz").write_bytes(make_tar(pure, root="purepkg-1.0"))
    (links / "cext-1.0.tar.gz").write_bytes(make_tar(native, root="cext-1.0"))
    code = _main(
        [
            "check",
            "purepkg",
            "cext",
            "-t",
            "win-arm64",
            "-t",
            "linux-aarch64",
            "-p",
            "3.12",
            "--index-url",
            (tmp_path / "empty").as_uri(),
            "--find-links",
            str(links),
            "--no-cache",
            "--format",
            "json",
        ]
    )
    document = json.loads(capsys.readouterr().out)
    schema = load_schema("check-v1.schema.json")
    jsonschema.validate(document, schema)  # build, remedy and binary_plan by their $defs
    win, linux = ({p["name"]: p for p in r["packages"]} for r in document["results"])
    assert code == 1
    assert win["purepkg"]["install"] == "build"
    assert win["purepkg"]["build"]["summary"] == "pure: builds anywhere, no compiler"
    assert win["purepkg"]["build"]["setup_steps"] == []
    assert win["cext"]["build"]["languages"] == ["C"]
    components = {c for s in win["cext"]["build"]["setup_steps"] for c in s["components"]}
    assert "Microsoft.VisualStudio.Component.VC.Tools.ARM64" in components
    assert not {c for s in linux["cext"]["build"]["setup_steps"] for c in s["components"]}
    assert linux["cext"]["build"]["setup_steps"], "Linux needs a compiler too"


def test_conflict_is_explained_not_looped(
    mirror_server: MirrorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, document = _json(
        mirror_server,
        capsys,
        "pandas",
        "numpy==1.26.2",
        "-t",
        "win-amd64",
        "-p",
        "3.12",
        "--no-remedy",
    )
    (result,) = document["results"]
    assert result["status"] == "unresolvable"
    assert result["conflict"] == (
        "cannot install numpy: you asked for numpy==1.26.2, and pandas 3.1.1 requires numpy>=2.0.2"
    )
    assert code == 3


def test_no_release_matches_is_a_none_verdict(
    mirror_server: MirrorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, document = _json(mirror_server, capsys, "numpy>=99", "-t", "win-arm64", "-p", "3.12")
    (numpy,) = document["results"][0]["packages"]
    assert numpy["install"] == "none"
    assert numpy["reason"] == "no release of numpy matches numpy>=99 (newest is 2.5.5)"
    assert code == 3


def test_warm_cache_sends_nothing_and_refresh_revalidates(
    mirror_server: MirrorServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    argv = [
        "check",
        "requests",
        "-t",
        "win-arm64",
        "-p",
        "3.12",
        "--format",
        "json",
        "--index-url",
        mirror_server.index_url,
        "--cache-dir",
        str(tmp_path / "cache"),
    ]
    mirror_server.reset_log()
    assert _main(argv) == 0
    cold = mirror_server.stats()
    mirror_server.reset_log()
    assert _main(argv) == 0
    assert mirror_server.stats().requests == 0, "max-age still running: no request at all"
    assert _main([*argv, "--refresh"]) == 0
    refreshed = mirror_server.log
    assert refreshed, "--refresh revalidates the pages"
    assert {entry.status for entry in refreshed} == {304}
    assert len(refreshed) == cold.pages
    capsys.readouterr()
