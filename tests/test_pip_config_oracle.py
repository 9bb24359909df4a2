"""pip's configuration, round trip against pip itself.

A temporary pip config file (or ``PIP_*`` variables) with ``constraint=`` and ``only-binary=``
must change wheelscout's verdicts exactly as it changes ``pip install --dry-run --report``;
``--isolated``/``--no-config`` must remove every such effect. Both tools run on a loopback
index with a private HOME and XDG dirs, so the machine's own pip config plays no part (except
``/etc/pip.conf``, which pip always reads on Linux; both tools read it alike).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.indexgen import Release, write_index
from tests.support.server import serve_directory
from wheelscout.cli.main import _main

RELEASES = (
    Release("torch", "2.14.1"),
    Release("torch", "2.15.0"),
    Release("sdistonly", "1.0"),
    Release("sdistonly", "2.0", sdist=True, tags=()),
    Release("app", "1.0", requires_dist=("torch",)),
)


@pytest.fixture(scope="module")
def index_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("index")
    write_index(root, RELEASES)
    with serve_directory(root) as url:
        yield f"{url}/simple/"


def _home(tmp_path: Path, conf: str | None, env: dict[str, str]) -> dict[str, str]:
    """A private environment: no PIP_*/UV_* but ``env``, its own HOME and XDG dirs."""
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("PIP_", "UV_")) and k not in ("XDG_CONFIG_HOME", "HOME")}
    (tmp_path / "constraints.txt").write_text("torch<=2.14.1\n")
    clean.update(HOME=str(tmp_path / "home"), XDG_CONFIG_DIRS=str(tmp_path / "xdg"),
                 XDG_CONFIG_HOME=str(tmp_path / "config"), PIP_DISABLE_PIP_VERSION_CHECK="1",
                 WHEELSCOUT_CACHE_DIR=str(tmp_path / "cache"), UV_NO_CONFIG="1")
    if conf is not None:
        path = tmp_path / "pip.conf"
        path.write_text(conf.format(constraints=tmp_path / "constraints.txt"))
        clean["PIP_CONFIG_FILE"] = str(path)
    clean.update({k: v.format(constraints=tmp_path / "constraints.txt") for k, v in env.items()})
    return clean


def _pip(env: dict[str, str], index_url: str,
         requirements: tuple[str, ...] = ("torch", "sdistonly")) -> dict[str, tuple[str, str]]:
    # The stand-in sdists refuse to build, so pip is only asked what it can answer from wheels.
    command = [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--report", "-",
               "--ignore-installed", "--no-cache-dir", "--index-url", index_url, *requirements]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120,
                          check=True)
    report = json.loads(done.stdout)
    return {i["metadata"]["name"]: (i["metadata"]["version"],
                                    "wheel" if i["download_info"]["url"].endswith(".whl")
                                    else "build")
            for i in report["install"]}


def _ours(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
          env: dict[str, str], index_url: str, *extra: str,
          requirements: tuple[str, ...] = ("torch", "sdistonly")) -> dict[str, Any]:
    for name in list(os.environ):
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code = _main(["check", *requirements, "-t", "host", "--format", "json", "--no-remedy",
                  "--no-inspect", "--index-url", index_url, *extra])
    document: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert code in (0, 1), document
    return document


def _versions(document: dict[str, Any]) -> dict[str, tuple[str, str]]:
    (result,) = document["results"]
    return {p["name"]: (p["version"], p["install"]) for p in result["packages"]}


LAYERS = {
    "config-file": ("[global]\nconstraint = {constraints}\n[install]\nonly-binary = sdistonly\n",
                    {}),
    "env-vars": (None, {"PIP_CONSTRAINT": "{constraints}", "PIP_ONLY_BINARY": "sdistonly"}),
    "env-over-config": ("[global]\nconstraint = /nonexistent.txt\nonly-binary = numpy\n",
                        {"PIP_CONSTRAINT": "{constraints}", "PIP_ONLY_BINARY": ":all:"}),
    "uv-constraint-and-pip-config": ("[install]\nonly-binary = :all:\n",
                                     {"UV_CONSTRAINT": "{constraints}"}),
}


@pytest.mark.parametrize("layer", list(LAYERS))
def test_config_changes_verdicts_as_it_changes_pip(
    layer: str, index_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    conf, variables = LAYERS[layer]
    env = _home(tmp_path, conf, variables)
    ours = _versions(_ours(monkeypatch, capsys, env, index_url))
    expected = {"torch": ("2.14.1", "wheel"), "sdistonly": ("1.0", "wheel")}
    assert ours == expected
    if not layer.startswith("uv"):  # pip does not read uv's variables
        assert _pip(env, index_url) == expected


@pytest.mark.parametrize("flag", ["--isolated", "--no-config"])
def test_isolated_removes_every_config_effect(
    flag: str, index_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    conf = ("[global]\nconstraint = {constraints}\nextra-index-url = http://127.0.0.1:9/x/\n"
            "find-links = /nonexistent\n[install]\nonly-binary = :all:\npre = yes\n")
    env = _home(tmp_path, conf, {"PIP_NO_INDEX": "1", "UV_CONSTRAINT": "{constraints}",
                                 "MACOSX_DEPLOYMENT_TARGET": "11.0"})
    document = _ours(monkeypatch, capsys, env, index_url, flag)
    assert _versions(document) == {"torch": ("2.15.0", "wheel"), "sdistonly": ("2.0", "build")}
    assert document["notes"] == []  # no dependency-confusion warning from the ignored config
    # pip with no config at all agrees on the version it can tell without building.
    bare = dict(env, PIP_CONFIG_FILE=os.devnull)
    del bare["PIP_NO_INDEX"]
    assert _pip(bare, index_url, ("torch",)) == {"torch": ("2.15.0", "wheel")}


def test_extra_index_warning_names_its_source_in_json_notes(
    index_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    extra = index_url.replace("http://", "http://u:secret@").replace("/simple/", "/other/")
    env = _home(tmp_path, f"[global]\nextra-index-url = {extra}\n", {})
    document = _ours(monkeypatch, capsys, env, index_url)
    (note,) = [n for n in document["notes"] if "dependency confusion" in n]
    assert f"{tmp_path / 'pip.conf'} [global] extra-index-url" in note
    assert "secret" not in note


@pytest.mark.parametrize("how", ["flag", "PIP_NO_DEPS", "config"])
def test_no_deps_as_pip(
    how: str, index_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    conf = "[install]\nno-deps = true\n" if how == "config" else None
    env = _home(tmp_path, conf, {"PIP_NO_DEPS": "1"} if how == "PIP_NO_DEPS" else {})
    flags = ("--no-deps",) if how == "flag" else ()
    ours = _versions(_ours(monkeypatch, capsys, env, index_url, *flags, requirements=("app",)))
    assert ours == _pip(env, index_url, ("app", *flags)) == {"app": ("1.0", "wheel")}
    with_deps = _ours(monkeypatch, capsys, env, index_url, "--isolated", requirements=("app",))
    assert set(_versions(with_deps)) == {"app", "torch"}


def test_requirements_file_index_url_wins_as_in_pip(
    index_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    env = _home(tmp_path, None, {"PIP_EXTRA_INDEX_URL": "http://127.0.0.1:9/env-extra/"})
    requirements = tmp_path / "r.txt"
    requirements.write_text(f"--index-url {index_url}\ntorch\n")
    # The command line's index and the environment's extra are dead ends (port 9 refuses):
    # pip never asks them, so neither may wheelscout.
    bogus = "http://127.0.0.1:9/cli/"
    ours = _ours(monkeypatch, capsys, env, bogus, "-r", str(requirements), requirements=())
    command = [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--report", "-",
               "--ignore-installed", "--no-cache-dir", "--index-url", bogus, "-r",
               str(requirements)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120,
                          check=True)
    (pip,) = json.loads(done.stdout)["install"]
    assert _versions(ours) == {"torch": (pip["metadata"]["version"], "wheel")}
