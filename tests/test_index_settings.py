from __future__ import annotations

from pathlib import Path

import pytest

from wheelscout.index.settings import (
    DEFAULT_INDEX_URL,
    SourceOptions,
    pip_config_files,
    resolve,
)


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pip.conf"
    path.write_text(text)
    return path


def test_defaults() -> None:
    settings = resolve(SourceOptions(), {}, [])
    assert settings.index_urls == (DEFAULT_INDEX_URL,)
    assert (settings.find_links, settings.warnings) == ((), ())


@pytest.mark.parametrize(
    ("options", "env", "expected"),
    [
        (SourceOptions(index_url="https://cli/"), {"PIP_INDEX_URL": "https://pip/"},
         "https://cli/"),
        (SourceOptions(), {"PIP_INDEX_URL": "https://pip/", "UV_DEFAULT_INDEX": "https://uv/"},
         "https://pip/"),
        (SourceOptions(), {"UV_DEFAULT_INDEX": "https://uvd/", "UV_INDEX_URL": "https://uv/"},
         "https://uvd/"),
        (SourceOptions(), {"UV_INDEX_URL": "https://uv/"}, "https://uv/"),
        (SourceOptions(), {}, "https://config/"),
    ],
    ids=["cli-beats-env", "pip-beats-uv", "uv-default-beats-uv-index-url", "uv-index-url",
         "config"],
)
def test_index_url_precedence(tmp_path: Path, options: SourceOptions, env: dict[str, str],
                              expected: str) -> None:
    config = _config(tmp_path, "[global]\nindex-url = https://config/\n")
    assert resolve(options, env, [config]).index_url == expected


def test_install_section_beats_global_and_later_file_beats_earlier(tmp_path: Path) -> None:
    first = _config(tmp_path, "[global]\nindex-url = https://a/\n[install]\nindex-url = https://b/\n")
    second = tmp_path / "second.conf"
    second.write_text("[global]\nfind-links = /w1\n  /w2\n")
    settings = resolve(SourceOptions(), {}, [first, second])
    assert settings.index_url == "https://b/"
    assert settings.find_links == ("/w1", "/w2")


def test_env_replaces_config_and_the_command_line_adds(tmp_path: Path) -> None:
    config = _config(tmp_path, "[global]\nextra-index-url = https://c1/ https://c2/\n")
    settings = resolve(SourceOptions(), {"PIP_EXTRA_INDEX_URL": "https://e/"}, [config])
    assert settings.extra_index_urls == ("https://e/",)
    # pip's append options start from the config's list (checked against pip 26).
    given = resolve(SourceOptions(extra_index_urls=("https://cli/",)), {}, [config])
    assert given.extra_index_urls == ("https://c1/", "https://c2/", "https://cli/")


def test_uv_find_links_are_comma_separated() -> None:
    settings = resolve(SourceOptions(), {"UV_FIND_LINKS": "/a,/b"}, [])
    assert settings.find_links == ("/a", "/b")


def test_dependency_confusion_warning_is_redacted() -> None:
    settings = resolve(SourceOptions(extra_index_urls=("https://u:secret@extra/simple/",)), {},
                       [])
    (warning,) = settings.warnings
    assert "dependency confusion" in warning
    assert "secret" not in warning
    assert "https://u:****@extra/simple/" in warning


def test_unreadable_config_is_ignored(tmp_path: Path) -> None:
    broken = _config(tmp_path, "no section header\n")
    assert resolve(SourceOptions(), {}, [broken, tmp_path / "missing"]).index_url == (
        DEFAULT_INDEX_URL
    )


def test_pip_config_files(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "XDG_CONFIG_DIRS": "/etc/xdg", "PIP_CONFIG_FILE": "/x.conf"}
    files = pip_config_files(env)
    assert files[-1] == Path("/x.conf")
    assert tmp_path / ".config" / "pip" / "pip.conf" in files
    assert pip_config_files({"PIP_CONFIG_FILE": "/dev/null"}) == []


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"UV_INDEX": "internal=https://in/simple/ https://x/?a=b"},
         ("https://in/simple/", "https://x/?a=b")),
        ({"UV_INDEX": "https://a/", "UV_EXTRA_INDEX_URL": "https://b/"},
         ("https://a/", "https://b/")),
        ({"UV_EXTRA_INDEX_URL": "https://b/ https://c/"}, ("https://b/", "https://c/")),
    ],
    ids=["uv-index-named", "uv-index-and-extra", "uv-extra"],
)
def test_uv_extra_indexes(env: dict[str, str], expected: tuple[str, ...]) -> None:
    assert resolve(SourceOptions(), env, []).extra_index_urls == expected
