from __future__ import annotations

from pathlib import Path

import pytest

from wheelscout.errors import InputError
from wheelscout.inputs.model import Settings
from wheelscout.inputs.pyproject import parse_pyproject, select_requirements

DATA = Path(__file__).parent / "data" / "inputs"


def names(
    pyproject_text: str, *, extras: tuple[str, ...] = (), groups: tuple[str, ...] = ()
) -> list[str]:
    project = parse_pyproject(pyproject_text.encode())
    return [str(e.requirement) for e in select_requirements(project, extras=extras, groups=groups)]


@pytest.fixture(scope="module")
def demo() -> bytes:
    return (DATA / "pyproject.toml").read_bytes()


@pytest.mark.parametrize(
    ("extras", "groups", "expected"),
    [
        ((), (), ["httpx>=0.27", 'numpy>=1.26; platform_machine != "armv7l"']),
        (
            ("fast",),
            (),
            ["httpx>=0.27", 'numpy>=1.26; platform_machine != "armv7l"', "orjson>=3.9"],
        ),
        (
            ("all",),
            (),
            [
                "httpx>=0.27",
                'numpy>=1.26; platform_machine != "armv7l"',
                "sphinx>=7",
                "orjson>=3.9",
            ],
        ),
        (
            ("DOCS",),
            ("Dev",),
            [
                "httpx>=0.27",
                'numpy>=1.26; platform_machine != "armv7l"',
                "sphinx>=7",
                "pytest>=8",
                "mypy>=1.10",
                "ruff",
            ],
        ),
    ],
    ids=["base", "extra", "self-referencing-extra", "normalised-names-and-nested-groups"],
)
def test_selection(
    demo: bytes, extras: tuple[str, ...], groups: tuple[str, ...], expected: list[str]
) -> None:
    project = parse_pyproject(demo)
    entries = select_requirements(project, extras=extras, groups=groups)
    assert [str(e.requirement) for e in entries] == expected


def test_self_reference_marker_is_kept() -> None:
    text = """
[project]
name = "app"
dependencies = []
[project.optional-dependencies]
win = ["pywin32; platform_machine == 'AMD64'", "colorama"]
all = ["app[win]; sys_platform == 'win32'"]
"""
    assert names(text, extras=("all",)) == [
        'pywin32; sys_platform == "win32" and platform_machine == "AMD64"',
        'colorama; sys_platform == "win32"',
    ]


def test_origins_name_the_key(demo: bytes) -> None:
    project = parse_pyproject(demo)
    entries = select_requirements(project, groups=["test"])
    assert [str(e.origin) for e in entries[-2:]] == [
        "pyproject.toml (dependency-groups.test[0])",
        "pyproject.toml (dependency-groups.test[1])",
    ]


def test_settings(demo: bytes) -> None:
    assert parse_pyproject(demo).settings == Settings(
        targets=("win-arm64", "manylinux-x86_64"),
        pythons=("3.12", "3.13"),
        index_url="https://pypi.example.org/simple",
        extra_index_urls=("https://extra.example.org/simple",),
        find_links=("./wheels",),
        mode="prefer-binary",
    )


def test_groups_without_project_table() -> None:
    assert names('[dependency-groups]\nlint = ["ruff"]\n', groups=("lint",)) == ["ruff"]
    assert names('[dependency-groups]\nlint = ["ruff"]\n') == []


@pytest.mark.parametrize(
    ("text", "extras", "groups", "message"),
    [
        ('[project]\nname = "x"\n', ("nope",), (), r"unknown extra 'nope'"),
        ("[dependency-groups]\n", (), ("nope",), r"unknown dependency group 'nope'"),
        (
            '[dependency-groups]\na = [{include-group = "b"}]\nb = [{include-group = "A"}]\n',
            (),
            ("a",),
            r"dependency group 'a' includes itself: a -> b -> a",
        ),
        (
            '[dependency-groups]\na = [{include-group = "a"}]\n',
            (),
            ("a",),
            r"includes itself: a -> a",
        ),
        ("[dependency-groups]\nA = []\na = []\n", (), (), r"dependency group 'a' is defined twice"),
        (
            '[dependency-groups]\na = [{include = "b"}]\n',
            (),
            (),
            r"'dependency-groups\.a\[0\]' must be a string",
        ),
        (
            '[project]\ndependencies = ["foo=="]\n',
            (),
            (),
            r"\(project\.dependencies\[0\]\): invalid requirement 'foo=='",
        ),
        (
            '[project]\ndependencies = "foo"\n',
            (),
            (),
            r"'project\.dependencies' must be a list of strings",
        ),
        (
            '[project]\nname = "x"\ndynamic = ["dependencies"]\n',
            (),
            (),
            r"dependencies are dynamic",
        ),
        ("[dependency-groups]\n", ("x",), (), r"need a \[project\] table"),
        ("[project\n", (), (), r"invalid TOML"),
    ],
    ids=[
        "unknown-extra",
        "unknown-group",
        "group-cycle",
        "self-include",
        "duplicate-group",
        "bad-group-table",
        "bad-requirement",
        "bad-dependencies-type",
        "dynamic",
        "extras-no-project",
        "bad-toml",
    ],
)
def test_errors(text: str, extras: tuple[str, ...], groups: tuple[str, ...], message: str) -> None:
    with pytest.raises(InputError, match=message):
        names(text, extras=extras, groups=groups)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("color = true", r"unknown key 'tool\.wheelscout\.color'"),
        (
            'targets = "win-arm64"',
            r"'tool\.wheelscout\.targets' must be a list of strings, got 'win-arm64'",
        ),
        ("pythons = [3.12]", r"'tool\.wheelscout\.pythons' must be a list of strings"),
        ("index-url = 1", r"'tool\.wheelscout\.index-url' must be a string, got 1"),
        (
            'mode = "fast"',
            r"'tool\.wheelscout\.mode' must be one of "
            r"\['default', 'prefer-binary', 'only-binary'\], got 'fast'",
        ),
    ],
    ids=["unknown-key", "targets-not-list", "pythons-not-strings", "index-url-type", "bad-mode"],
)
def test_settings_errors_name_the_key(body: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_pyproject(f"[tool.wheelscout]\n{body}\n".encode())


def test_no_tool_table_means_no_settings() -> None:
    assert parse_pyproject(b'[project]\nname = "x"\n').settings is None


def _groups(lines: list[str]) -> bytes:
    return ("[dependency-groups]\n" + "\n".join(lines) + "\n").encode()


def test_include_group_chain_deeper_than_the_limit() -> None:
    lines = [f'g{i} = [{{include-group = "g{i + 1}"}}]' for i in range(3000)]
    project = parse_pyproject(_groups([*lines, 'g3000 = ["x"]']))
    with pytest.raises(InputError, match=r"chain of more than 100 groups \(the limit\)"):
        select_requirements(project, groups=["g0"])


def test_include_group_expanding_exponentially_stops() -> None:
    lines = [f'g{i} = [{{include-group = "g{i + 1}"}}, {{include-group = "g{i + 1}"}}]'
             for i in range(40)]
    project = parse_pyproject(_groups([*lines, 'g40 = ["x"]']))
    with pytest.raises(InputError, match=r"expands to more than 100000 requirements"):
        select_requirements(project, groups=["g0"])


def test_self_referencing_extras_deeper_than_the_limit() -> None:
    extras = "\n".join(f'e{i} = ["demo[e{i + 1}]"]' for i in range(300))
    text = f'[project]\nname = "demo"\nversion = "1"\n[project.optional-dependencies]\n{extras}\n'
    project = parse_pyproject(text.encode())
    with pytest.raises(InputError, match=r"more than 100 nested self-references"):
        select_requirements(project, extras=["e0"])


@pytest.mark.parametrize(
    "text",
    ["a = " + "[" * 3000 + "]" * 3000, "a = " + "{b = " * 3000 + "1" + "}" * 3000],
    ids=["arrays", "inline-tables"],
)
def test_deeply_nested_toml_is_one_error(text: str) -> None:
    with pytest.raises(InputError, match=r"invalid TOML: .*nested more than \d+ levels deep"):
        parse_pyproject(text.encode())
