"""``wheelscout metadata`` end to end against a real server on 127.0.0.1."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from tests.support.indexgen import Release, write_index
from tests.support.schemas import load_schema
from tests.support.server import ServerConfig, TestServer, serve
from wheelscout.cli import metadata
from wheelscout.cli._index_options import add_index_options, settings_from_args
from wheelscout.errors import InputError

pytestmark = pytest.mark.integration


@pytest.fixture
def server(tmp_path: Path) -> Iterator[TestServer]:
    write_index(tmp_path / "index", [Release("Demo", "1.0", ("dep>=2",), ">=3.10",
                                             padding=300_000, sdist=True)])
    with serve(tmp_path / "index", ServerConfig(json=False, metadata_files=False)) as running:
        yield running


def _main(argv: list[str]) -> int:
    # The command's own parser: cli.main's COMMANDS also lists modules from other branches.
    parser = argparse.ArgumentParser()
    metadata.configure_parser(parser)
    return metadata.execute(parser.parse_args(argv))


def test_text_output(server: TestServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert _main(["demo==1.0", "-i", f"{server.url}/simple/"]) == 0
    out = capsys.readouterr().out
    assert "demo-1.0-py3-none-any.whl" in out
    assert "via HTTP range reads into the wheel" in out
    assert "Requires-Python: >=3.10" in out
    assert "    dep>=2" in out


def test_json_output_matches_schema(server: TestServer,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert _main(["Demo==1.0", "-i", f"{server.url}/simple/", "--format", "json",
                  "--file", "demo-1.0.tar.gz"]) == 0
    report = json.loads(capsys.readouterr().out)
    jsonschema.validate(report, load_schema("metadata-v1.schema.json"))
    assert report["metadata"]["source"] == "download"
    assert report["metadata"]["requires_dist_trusted"] is False  # Metadata-Version 2.1 sdist


def test_second_run_from_cache_then_offline(server: TestServer,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["demo==1.0", "-i", f"{server.url}/simple/", "--format", "json"]
    assert _main(argv) == 0
    assert _main([*argv, "--offline"]) == 0
    report = json.loads(capsys.readouterr().out.split("\n}\n")[1] + "\n}")
    assert report["metadata"]["from_cache"] is True


def test_not_found_and_bad_input(server: TestServer,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert _main(["nope==1", "-i", f"{server.url}/simple/"]) == 1
    assert "project 'nope' not found" in capsys.readouterr().err
    assert _main(["demo==9", "-i", f"{server.url}/simple/"]) == 1
    with pytest.raises(InputError, match="requirement 'demo>=1' must pin one version"):
        _main(["demo>=1"])
    with pytest.raises(InputError, match=r"file 'x\.whl' is not among"):
        _main(["demo==1.0", "-i", f"{server.url}/simple/", "--file", "x.whl"])


def test_settings_from_args_env_and_warning(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    add_index_options(parser)
    args = parser.parse_args(["--extra-index-url", "https://u:pw@x/simple/", "--no-cache"])
    env = {"PIP_INDEX_URL": "https://pip/simple/", "WHEELSCOUT_CACHE_DIR": str(tmp_path)}
    settings = settings_from_args(args, env, [])
    assert settings.index_urls == ("https://pip/simple/", "https://u:pw@x/simple/")
    assert settings.no_cache
    assert settings.cache_dir == tmp_path
    assert "pw" not in settings.warnings[0]


def test_registered_in_main() -> None:
    from wheelscout.cli.main import COMMANDS

    assert COMMANDS["metadata"] == "metadata"
