"""``wheelscout config``: each effective setting and where it came from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.support.schemas import load_schema
from wheelscout.cli.main import _main


def _config(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert _main(["config", "--format", "json", *argv]) == 0
    document: dict[str, Any] = json.loads(capsys.readouterr().out)
    schema = load_schema("config-v1.schema.json")
    jsonschema.validate(document, schema)
    return document


def _by_key(document: dict[str, Any]) -> dict[str, tuple[Any, list[str]]]:
    def where(source: dict[str, Any]) -> str:
        return " ".join(filter(None, (source["name"], source["key"])))

    return {s["key"]: (s["value"], [where(x) for x in s["sources"]]) for s in document["settings"]}


@pytest.fixture
def pip_conf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PIP_CONFIG_FILE plus a 'global' file under XDG_CONFIG_DIRS, as on a corporate box."""
    xdg = tmp_path / "xdg" / "pip"
    xdg.mkdir(parents=True)
    (xdg / "pip.conf").write_text(
        "[install]\nindex-url = https://global-install/simple/\n"
        "[global]\nconstraint = /etc/c.txt\nextra-index-url = https://extra/simple/\n"
    )
    conf = tmp_path / "pip.conf"
    conf.write_text("[global]\nindex-url = https://env-global/simple/\npre = yes\n")
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "xdg"))
    monkeypatch.setenv("PIP_CONFIG_FILE", str(conf))
    return conf


def test_sources_follow_pips_precedence(
    pip_conf: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PIP_ONLY_BINARY", ":all:")
    monkeypatch.setenv("UV_CONSTRAINT", "/uv/c.txt")
    settings = _by_key(_config(capsys, "--no-binary", "numpy", "-c", "cli.txt"))
    xdg_conf = tmp_path / "xdg" / "pip" / "pip.conf"
    # [install] of the lowest file beats [global] of PIP_CONFIG_FILE (checked against pip 26).
    assert settings["index-url"] == ("https://global-install/simple/",
                                     [f"{xdg_conf} [install] index-url"])
    assert settings["pre"] == (True, [f"{pip_conf} [global] pre"])
    # UV_CONSTRAINT beats pip's config files; -c adds to it.
    assert settings["constraint"] == (["/uv/c.txt", "cli.txt"], ["UV_CONSTRAINT", "-c"])
    assert settings["only-binary"] == ([":all:"], ["PIP_ONLY_BINARY"])
    assert settings["no-binary"] == (["numpy"], ["--no-binary"])
    assert settings["prefer-binary"] == (False, [])


def test_extra_index_note_names_the_file(
    pip_conf: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = _config(capsys)
    (note,) = document["notes"]
    assert f"{tmp_path / 'xdg' / 'pip' / 'pip.conf'} [global] extra-index-url" in note
    assert document["config_files"] == [str(tmp_path / "xdg" / "pip" / "pip.conf"),
                                        *([] if not Path("/etc/pip.conf").exists()
                                          else ["/etc/pip.conf"]), str(pip_conf)]


@pytest.mark.parametrize("flag", ["--isolated", "--no-config"])
def test_isolated_shows_only_defaults_and_flags(
    pip_conf: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    flag: str,
) -> None:
    monkeypatch.setenv("PIP_PRE", "1")
    monkeypatch.setenv("MACOSX_DEPLOYMENT_TARGET", "11.0")
    document = _config(capsys, flag, "--prefer-binary")
    assert document["isolated"] is True
    assert document["config_files"] == []
    assert document["notes"] == []
    settings = _by_key(document)
    assert settings["index-url"] == ("https://pypi.org/simple/", [])
    assert settings["pre"] == (False, [])
    assert settings["prefer-binary"] == (True, ["--prefer-binary"])
    assert "macos" not in settings


def test_deployment_target_and_redaction_in_text(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MACOSX_DEPLOYMENT_TARGET", "11")
    monkeypatch.setenv("PIP_INDEX_URL", "https://user:hunter2@corp.example/simple/")
    assert _main(["config"]) == 0
    text = capsys.readouterr().out
    assert "hunter2" not in text
    assert "https://user:****@corp.example/simple/  ($PIP_INDEX_URL)" in text
    assert "macos            11.0  ($MACOSX_DEPLOYMENT_TARGET)" in text


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PIP_PRE": "maybe"}, "pre = 'maybe' in $PIP_PRE is not a boolean"),
        ({"PIP_ONLY_BINARY": "numpy==1.26"}, "--only-binary 'numpy==1.26' in $PIP_ONLY_BINARY"),
    ],
    ids=["bad-bool", "bad-names"],
)
def test_bad_values_name_their_source(
    env: dict[str, str], message: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert _main(["config"]) == 2
    assert message in capsys.readouterr().err


def test_project_uv_toml_from_the_current_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("UV_NO_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "none"))
    (tmp_path / "uv.toml").write_text('[pip]\nno-build = true\nfind-links = ["/wheels"]\n')
    monkeypatch.chdir(tmp_path)
    settings = _by_key(_config(capsys))
    assert settings["only-binary"] == ([":all:"], [f"{tmp_path / 'uv.toml'} no-build"])
    assert settings["find-links"] == (["/wheels"], [f"{tmp_path / 'uv.toml'} find-links"])
    assert _by_key(_config(capsys, "--no-config"))["only-binary"] == ([], [])


def test_check_verbose_shows_the_settings_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIP_PRE", "1")
    (tmp_path / "demo-1.0-py3-none-any.whl").write_bytes(b"")
    _main(["check", "demo", "-t", "linux-aarch64", "-p", "3.12", "--no-index", "-f",
           str(tmp_path), "-v", "--format", "json", "--no-remedy"])
    err = capsys.readouterr().err
    assert "pre              yes  ($PIP_PRE)" in err
    assert f"find-links       {tmp_path}  (--find-links)" in err


def test_escape_sequences_in_settings_never_reach_the_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIP_FIND_LINKS", "/w\x1b[2J\x07")
    assert _main(["config"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "/w\\x1b[2J\\x07" in out
