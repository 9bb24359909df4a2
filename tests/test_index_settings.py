from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from wheelscout.index.settings import (
    DEFAULT_INDEX_URL,
    SourceOptions,
    apply_format,
    effective,
    pip_config_files,
    resolve,
    uv_config_files,
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


# -- the whole of pip's configuration ------------------------------------------------------

_VALUES = ("numpy", "Scipy", "foo_bar", ":all:", ":none:", "numpy,:all:", ":all:,:none:,numpy",
           ":none:,scipy", "numpy,foo.bar")
_OPS = [(key, value) for key in ("only-binary", "no-binary") for value in _VALUES]


def test_format_control_is_pips() -> None:
    """Every sequence of three --only-binary/--no-binary values (5832 of them) ends where
    pip's own FormatControl does."""
    for ops in itertools.product(_OPS, repeat=3):
        _same_as_pip(ops)


def _same_as_pip(ops: tuple[tuple[str, str], ...]) -> None:
    from pip._internal.models.format_control import FormatControl

    theirs = FormatControl(set(), set())
    only: set[str] = set()
    no: set[str] = set()
    for key, value in ops:
        if key == "only-binary":
            theirs.handle_mutual_excludes(value, theirs.only_binary, theirs.no_binary)
            apply_format(value, only, no, option="--only-binary")
        else:
            theirs.handle_mutual_excludes(value, theirs.no_binary, theirs.only_binary)
            apply_format(value, no, only, option="--no-binary")
    assert (only, no) == (theirs.only_binary, theirs.no_binary), ops


def test_config_sections_combine_as_in_pip(tmp_path: Path) -> None:
    # [global] only-binary and [install] no-binary both apply, in that order, then PIP_*.
    config = _config(tmp_path, "[global]\nonly-binary = :all:\n[install]\nno-binary = numpy\n")
    merged = effective([SourceOptions()], {"PIP_NO_BINARY": "scipy"}, [config])
    assert (merged.only_binary, merged.no_binary) == (frozenset({":all:"}),
                                                      frozenset({"numpy", "scipy"}))
    sources = [str(s) for s in merged.setting("no-binary").sources]
    assert sources == [f"{config} [install] no-binary", "$PIP_NO_BINARY"]


@pytest.mark.parametrize(
    ("env", "expected"),
    [({"PIP_NO_INDEX": "yes"}, ()), ({"PIP_NO_INDEX": "off"}, ("https://pypi.org/simple/",)),
     ({}, ("https://pypi.org/simple/",))],
    ids=["on", "off", "unset"],
)
def test_no_index(env: dict[str, str], expected: tuple[str, ...]) -> None:
    settings = resolve(SourceOptions(find_links=("/w",)), env, [])
    assert (settings.index_urls, settings.find_links) == (expected, ("/w",))


def test_flags_cannot_switch_off_what_config_switched_on(tmp_path: Path) -> None:
    config = _config(tmp_path, "[install]\npre = true\nprefer-binary = 1\n")
    merged = effective([SourceOptions()], {"PIP_PRE": "no"}, [config])
    assert (merged.pre, merged.prefer_binary) == (False, True)  # PIP_PRE=no beats the file


def test_isolated_reads_nothing(tmp_path: Path) -> None:
    config = _config(tmp_path, "[global]\nconstraint = /c.txt\n")
    merged = effective([SourceOptions(constraints=("mine.txt",))],
                       {"PIP_ONLY_BINARY": ":all:", "UV_CONSTRAINT": "/u.txt"}, [config],
                       isolated=True)
    assert merged.constraints == ("mine.txt",)
    assert not merged.only_binary
    assert not merged.files


def test_user_config_skipped_when_pip_config_file_exists(tmp_path: Path) -> None:
    explicit = _config(tmp_path, "[global]\n")
    env = {"HOME": str(tmp_path), "XDG_CONFIG_DIRS": "/etc/xdg", "PIP_CONFIG_FILE": str(explicit)}
    assert tmp_path / ".config" / "pip" / "pip.conf" not in pip_config_files(env)


def test_uv_prerelease(tmp_path: Path) -> None:
    assert effective([SourceOptions()], {"UV_PRERELEASE": "allow"}, []).pre
    assert not effective([SourceOptions()], {"UV_PRERELEASE": "allow", "PIP_PRE": "0"}, []).pre


# -- uv's config files ---------------------------------------------------------------------

_UV_TOML = """
index-url = "https://top/simple/"
prerelease = "allow"
[[index]]
name = "corp"
url = "https://corp/simple/"
[[index]]
url = "https://default/simple/"
default = true
[pip]
only-binary = ["numpy"]
no-deps = true
"""


def test_uv_toml_is_read_below_pip(tmp_path: Path) -> None:
    uv_toml = tmp_path / "uv.toml"
    uv_toml.write_text(_UV_TOML)
    merged = effective([SourceOptions()], {}, [], uv_files=[uv_toml])
    assert merged.index_url == "https://default/simple/"  # [[index]] default over index-url
    assert merged.extra_index_urls == ("https://corp/simple/",)
    assert (merged.pre, merged.no_deps, merged.only_binary) == (True, True, frozenset({"numpy"}))
    assert [str(s) for s in merged.setting("only-binary").sources] == [f"{uv_toml} only-binary"]
    pip_conf = _config(tmp_path, "[global]\nindex-url = https://pip/simple/\n")
    over = effective([SourceOptions()], {"UV_PRERELEASE": "disallow"}, [pip_conf],
                     uv_files=[uv_toml])
    assert (over.index_url, over.pre) == ("https://pip/simple/", False)
    assert effective([SourceOptions()], {}, [], uv_files=[uv_toml], isolated=True).index_url == (
        DEFAULT_INDEX_URL)


def test_broken_uv_toml_is_a_note(tmp_path: Path) -> None:
    uv_toml = tmp_path / "uv.toml"
    uv_toml.write_text("index-url = [unclosed\n")
    merged = effective([SourceOptions()], {}, [], uv_files=[uv_toml])
    (warning,) = merged.warnings
    assert f"uv config file {str(uv_toml)!r} could not be read" in warning


def test_uv_config_discovery(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n[tool.uv]\nno-index = true\n")
    user = tmp_path / "config" / "uv" / "uv.toml"
    user.parent.mkdir(parents=True)
    user.write_text("")
    env = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_CONFIG_DIRS": str(tmp_path / "none")}
    files = uv_config_files(env, project / "src")
    assert files[-2:] == [user, project / "pyproject.toml"]
    (project / "uv.toml").write_text("")  # uv.toml wins over pyproject.toml in one directory
    assert uv_config_files(env, project)[-1] == project / "uv.toml"
    assert uv_config_files({**env, "UV_CONFIG_FILE": "/x/uv.toml"}, project) == [Path("/x/uv.toml")]
    assert uv_config_files({**env, "UV_NO_CONFIG": "1"}, project) == []
    assert effective([SourceOptions()], {}, [], uv_files=[project / "pyproject.toml"]).no_index


@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        ("linux", ["/etc/xdg/pip/pip.conf", "/etc/pip.conf", "{home}/.pip/pip.conf",
                   "{home}/.config/pip/pip.conf"]),
        ("darwin", ["/Library/Application Support/pip/pip.conf", "{home}/.pip/pip.conf",
                    "{home}/.config/pip/pip.conf"]),
        ("win32", ["C:/ProgramData/pip/pip.ini", "{home}/pip/pip.ini",
                   "{home}/AppData/Roaming/pip/pip.ini"]),
    ],
)
def test_pip_config_files_per_platform(tmp_path: Path, platform: str,
                                       expected: list[str]) -> None:
    files = pip_config_files({"HOME": str(tmp_path)}, platform)
    assert [str(f) for f in files[:-1]] == [e.format(home=tmp_path) for e in expected]
    assert files[-1].name == ("pip.ini" if platform == "win32" else "pip.conf")  # sys.prefix


def test_a_requirements_files_index_url_replaces_every_index_before_it(tmp_path: Path) -> None:
    # pip 26: `-r r.txt` with `--index-url F` looks in F only, whatever the command line said.
    config = _config(tmp_path, "[global]\nextra-index-url = https://conf-extra/\n")
    cli = SourceOptions(index_url="https://cli/", extra_index_urls=("https://cli-extra/",))
    files = SourceOptions(index_url="https://file/", extra_index_urls=("https://file-extra/",),
                          kind="requirements-file", name="requirements files")
    merged = effective([cli, files], {}, [config])
    assert (merged.index_url, merged.extra_index_urls) == ("https://file/",
                                                           ("https://file-extra/",))
    without = effective([cli, SourceOptions(kind="requirements-file")], {}, [config])
    assert (without.index_url, without.extra_index_urls) == (
        "https://cli/", ("https://conf-extra/", "https://cli-extra/"))
