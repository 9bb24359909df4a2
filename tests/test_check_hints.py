"""Hints for a missing project: what the index answered, and "did you mean" from names the
run already saw (never a registry's project list)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.indexgen import Release, write_index
from tests.support.server import Hostile, ServerConfig, serve, serve_directory
from wheelscout.check.hints import did_you_mean
from wheelscout.cli.main import _main


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("index")
    write_index(root, [Release("numpy", "2.0.0"), Release("requests", "2.32.0")])
    (root / "notsimple").mkdir()
    (root / "notsimple" / "index.html").write_text("<html><body>It works!</body></html>")
    (root / "website" / "numpy").mkdir(parents=True)  # a site answering 200 for every page
    (root / "website" / "index.html").write_text("<html><body>Welcome</body></html>")
    (root / "website" / "numpy" / "index.html").write_text("<html><body>Welcome</body></html>")
    with serve_directory(root) as url:
        yield url


def _packages(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    code = _main(["check", *argv, "-t", "linux-aarch64", "-p", "3.12", "--no-cache",
                  "--no-remedy", "--no-inspect", "--format", "json"])
    assert code == 3
    (result,) = json.loads(capsys.readouterr().out)["results"]
    return {p["name"]: p for p in result["packages"]}


def _reasons(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    return {name: p["reason"] for name, p in _packages(capsys, *argv).items()}


def test_typo_gets_did_you_mean_from_the_other_requirements(
    server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    reasons = _reasons(capsys, "numpyy", "numpy", "--index-url", f"{server}/simple/")
    assert reasons["numpyy"] == (
        f"numpyy was not found on any configured index ({server}/simple/numpyy/ answered "
        "404 Not Found); did you mean 'numpy'?"
    )


def test_typo_gets_did_you_mean_from_a_local_find_links_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "requests-2.32.0-py3-none-any.whl").write_bytes(b"")
    reasons = _reasons(capsys, "reqeusts", "--no-index", "-f", str(tmp_path))
    assert reasons["reqeusts"].endswith("did you mean 'requests'?")
    assert "no --find-links location has it" in reasons["reqeusts"]


@pytest.mark.parametrize(
    ("path", "answer"),
    [("wrong/", "404 Not Found"),
     ("notsimple/", "200 OK, but not a simple index page (text/html)")],
    ids=["404", "not-simple"],
)
def test_wrong_index_url_says_what_the_index_answered(
    server: str, capsys: pytest.CaptureFixture[str], path: str, answer: str
) -> None:
    index = server.replace("http://", "http://user:hunter2@") + f"/{path}"
    reason = _reasons(capsys, "numpy", "--index-url", index)["numpy"]
    shown = server.replace("http://", "http://user:****@") + f"/{path}"
    assert f"the index URL {shown} answered {answer}" in reason
    assert "hunter2" not in reason


def test_did_you_mean_needs_a_close_name() -> None:
    assert did_you_mean("numpyy", ["numpy", "pandas"]) == "; did you mean 'numpy'?"
    assert did_you_mean("torch", ["numpy", "pandas"]) == ""


def test_a_missing_name_is_never_suggested(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    packages = _packages(capsys, "numpyy", "numpyyy", "--index-url", f"{server}/simple/")
    assert {p["reason_code"] for p in packages.values()} == {"not-found"}
    assert "did you mean" not in packages["numpyy"]["reason"] + packages["numpyyy"]["reason"]


def test_a_web_page_that_is_not_an_index(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    (numpy,) = _packages(capsys, "numpy", "--index-url", f"{server}/website/").values()
    assert numpy["reason_code"] == "no-files"
    assert numpy["reason"] == (
        f"numpy's index page lists no files ({server}/website/numpy/ answered 200 OK, but not a "
        f"simple index page (text/html); the index URL {server}/website/ answered 200 OK, but "
        "not a simple index page (text/html))"
    )


@pytest.mark.parametrize("mode", ["drip", "endless", "gzip-bomb"])
def test_the_probe_is_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: Hostile
) -> None:
    from wheelscout.index import probe

    monkeypatch.setattr(probe, "PROBE_TIMEOUT", 1.0)
    write_index(tmp_path, [Release("alpha", "1.0")])
    with serve(tmp_path, ServerConfig(drip_seconds=0.05)) as server:
        server.config.hostile = {"/simple/": mode}
        start = time.monotonic()
        answer = probe.index_answer(server.index_url, "nope", root=True)
    assert time.monotonic() - start < 10  # two probes, each cut at its deadline or size
    assert answer.startswith(f"{server.index_url}nope/ answered ")
    assert "Traceback" not in answer
