"""``check`` inputs as pip and uv users write them (issue 11): direct references with their
dependencies, local paths, ``check PATH``, the working directory's pyproject.toml, and a
Python outside the project's ``requires-python``."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.support.schemas import load_schema
from tests.support.sdists import make_tar
from tests.support.server import MirrorServer
from tests.support.wheels import build_wheel
from wheelscout.cli.main import _main


def _run(server: MirrorServer, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[
        int, dict[str, Any]]:
    code = _main(["check", *argv, "-t", "win-arm64", "-p", "3.12", "--index-url",
                  server.index_url, "--no-cache", "--format", "json", "--no-remedy"])
    document = json.loads(capsys.readouterr().out)
    schema = load_schema("check-v1.schema.json")
    jsonschema.validate(document, schema)
    return code, document


def _packages(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in document["results"][0]["packages"]}


def _requests_wheel(server: MirrorServer, capsys: pytest.CaptureFixture[str]) -> str:
    _, document = _run(server, capsys, "requests")
    return str(_packages(document)["requests"]["url"])


def test_direct_wheel_url_brings_its_dependencies(
    mirror_server: MirrorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _requests_wheel(mirror_server, capsys)
    code, document = _run(mirror_server, capsys, f"requests @ {url}")
    packages = _packages(document)
    assert sorted(packages) == ["certifi", "charset-normalizer", "idna", "requests", "urllib3"]
    assert packages["requests"]["requested"] is True
    assert packages["requests"]["dependencies_from"] == "wheel"
    assert packages["urllib3"]["requested"] is False
    assert packages["urllib3"]["path"] == ["requests", "urllib3"]
    assert packages["urllib3"]["required_by"] == ["requests"]
    assert code == 0


def test_direct_wheel_hash_is_checked(
    mirror_server: MirrorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _requests_wheel(mirror_server, capsys)
    code = _main(["check", f"requests @ {url}#sha256={'0' * 64}", "-t", "win-arm64", "-p",
                  "3.12", "--index-url", mirror_server.index_url, "--no-cache"])
    err = capsys.readouterr().err
    assert code == 2
    assert "sha256" in err
    assert err.strip().count("\n") == 0


def _sdist(tmp_path: Path, name: str, pkg_info: str, pyproject: str) -> Path:
    path = tmp_path / f"{name}-1.0.tar.gz"
    files = {"PKG-INFO": pkg_info, "pyproject.toml": pyproject, f"{name}/__init__.py": ""}
    path.write_bytes(make_tar(files, root=f"{name}-1.0"))
    return path


_BACKEND = '[build-system]\nrequires = ["flit_core"]\nbuild-backend = "flit_core.buildapi"\n'


@pytest.mark.parametrize(
    ("pkg_info", "pyproject", "expected", "source"),
    [
        ("Metadata-Version: 2.2\nName: demo\nVersion: 1.0\nRequires-Dist: idna\n",
         _BACKEND, {"demo", "idna"}, "sdist"),
        ("Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n",
         _BACKEND + '[project]\nname = "demo"\nversion = "1.0"\ndependencies = ["six"]\n',
         {"demo", "six"}, "sdist"),
        ("Metadata-Version: 2.2\nName: demo\nVersion: 1.0\nDynamic: Requires-Dist\n",
         _BACKEND + '[project]\nname = "demo"\ndynamic = ["version", "dependencies"]\n',
         {"demo"}, "unknown"),
    ],
    ids=["static-pkg-info", "static-pyproject", "dynamic"],
)
def test_local_sdist_dependencies_read_statically(
    mirror_server: MirrorServer, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, pkg_info: str, pyproject: str, expected: set[str],
    source: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    _sdist(tmp_path, "demo", pkg_info, pyproject)
    code, document = _run(mirror_server, capsys, "./demo-1.0.tar.gz")
    packages = _packages(document)
    assert set(packages) == expected
    assert packages["demo"]["install"] == "build"
    assert packages["demo"]["dependencies_from"] == source
    if source == "unknown":
        assert "its dependencies are unknown" in packages["demo"]["reason"]
        (warning,) = document["results"][0]["warnings"]
        assert warning.startswith("the dependencies of demo are unknown: demo-1.0.tar.gz has "
                                  "neither static PKG-INFO Requires-Dist")
    assert code == 1


def _project(folder: Path, dependencies: str = '["idna"]', extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text(
        f'{_BACKEND}[project]\nname = "my-app"\nversion = "0.1"\n'
        f'requires-python = ">=3.11"\ndependencies = {dependencies}\n{extra}')
    return folder


def test_editable_local_project_brings_its_dependencies(
    mirror_server: MirrorServer, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    _project(tmp_path / "app")
    (tmp_path / "reqs.txt").write_text("-e ./app\n")
    code, document = _run(mirror_server, capsys, "-r", "reqs.txt")
    packages = _packages(document)
    assert set(packages) == {"my-app", "idna"}
    assert packages["my-app"]["reason"] == "my-app is the local project './app', which pip " \
        "install -e builds"
    assert packages["idna"]["path"] == ["my-app", "idna"]
    code_e, document_e = _run(mirror_server, capsys, "-e", "app")
    assert set(_packages(document_e)) == {"my-app", "idna"}
    assert (code, code_e) == (1, 1)


def test_requirements_file_without_r_is_read_as_r(
    mirror_server: MirrorServer, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "requirements.txt").write_text("idna\n")
    code, document = _run(mirror_server, capsys, "requirements.txt")
    assert set(_packages(document)) == {"idna"}
    assert any("read 'requirements.txt' as '-r requirements.txt'" in n
               for n in document["notes"])
    assert code == 0


def test_project_directory_is_the_project(
    mirror_server: MirrorServer, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    _project(tmp_path / "app", '["six"]')
    code, document = _run(mirror_server, capsys, "./app")
    assert set(_packages(document)) == {"six"}  # its dependencies, as --project
    assert code == 0


def test_cwd_pyproject_gives_dependencies_and_settings(
    mirror_server: MirrorServer, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(_project(tmp_path, '["six"]',
                               '[tool.wheelscout]\ntargets = ["linux-aarch64"]\n'))
    code = _main(["check", "--index-url", mirror_server.index_url, "--no-cache",
                  "--format", "json", "--no-remedy"])
    document = json.loads(capsys.readouterr().out)
    (result,) = document["results"]
    assert result["target"] == "linux-aarch64"  # [tool.wheelscout] targets
    assert [p["name"] for p in result["packages"]] == ["six"]
    assert code == 0
    # With a requirement given, the settings still apply but the dependencies do not.
    code = _main(["check", "idna", "--index-url", mirror_server.index_url, "--no-cache",
                  "--format", "json", "--no-remedy"])
    (result,) = json.loads(capsys.readouterr().out)["results"]
    assert result["target"] == "linux-aarch64"
    assert [p["name"] for p in result["packages"]] == ["idna"]


def test_python_outside_requires_python_is_reported(
    mirror_server: MirrorServer, capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    project = _project(tmp_path / "app")
    code = _main(["check", "--project", str(project), "-t", "win-arm64", "-p", "3.10", "-p",
                  "3.12", "--index-url", mirror_server.index_url, "--no-cache", "--format",
                  "json", "--no-remedy"])
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    old, new = document["results"]
    assert old["status"] == "unresolvable"
    assert "requires Python >=3.11; Python 3.10.0" in old["conflict"]
    assert new["status"] == "ok"
    assert any("requires Python >=3.11" in note for note in document["notes"])
    assert "warning:" in captured.err
    assert "requires Python >=3.11" in captured.err
    assert code == 3


def test_direct_wheel_file_next_to_index_packages(
    mirror_server: MirrorServer, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    metadata = b"Metadata-Version: 2.1\nName: tool\nVersion: 2.0\nRequires-Dist: six\n"
    wheel = build_wheel("tool-2.0-py3-none-any.whl",
                        {"tool/__init__.py": b"", "tool-2.0.dist-info/METADATA": metadata})
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "tool-2.0-py3-none-any.whl").write_bytes(wheel)
    digest = hashlib.sha256(wheel).hexdigest()
    assert digest
    code, document = _run(mirror_server, capsys, "dist/tool-2.0-py3-none-any.whl", "idna")
    packages = _packages(document)
    assert set(packages) == {"tool", "six", "idna"}
    assert packages["tool"]["version"] == "2.0"
    assert packages["six"]["required_by"] == ["tool"]
    assert code == 0


def test_missing_requirements_file_suggests_r(
    mirror_server: MirrorServer, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    code = _main(["check", "requirements.txt", "-t", "win-arm64", "--index-url",
                  mirror_server.index_url, "--no-cache"])
    err = capsys.readouterr().err
    assert code == 2
    assert "'requirements.txt' looks like a requirements file" in err
    assert "-r requirements.txt" in err
    assert err.strip().count("\n") == 0


def test_local_project_refused_on_a_python_it_excludes(
    mirror_server: MirrorServer, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    _project(tmp_path / "app")  # requires-python >=3.11, depends on idna
    code = _main(["check", "-e", "app", "-t", "win-arm64", "-p", "3.10", "--index-url",
                  mirror_server.index_url, "--no-cache", "--format", "json", "--no-remedy"])
    packages = _packages(json.loads(capsys.readouterr().out))
    assert set(packages) == {"my-app"}
    assert packages["my-app"]["install"] == "none"
    assert packages["my-app"]["reason"] == (
        "my-app requires Python >=3.11, and the target's Python 3.10.0 is outside it, so pip "
        "refuses it")
    assert code == 3
