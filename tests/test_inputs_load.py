from __future__ import annotations

from pathlib import Path

import pytest

from wheelscout.errors import InputError
from wheelscout.inputs import ALL, IndexOptions, load_inputs, read_requirement_files

DATA = Path(__file__).parent / "data" / "inputs"
NESTED = DATA / "nested"


def test_nested_requirements_file() -> None:
    result = load_inputs(
        requirement_files=[NESTED / "requirements.txt"], environ={"CERTIFI_MIN": "2024.2"}
    )
    top = str(NESTED / "requirements.txt")
    assert [str(r) for r in result.requirements] == [
        "click>=8",
        "rich",
        'requests[socks]>=2.31; python_version >= "3.9"',
        "numpy==1.26.2",
        "attrs @ https://files.example.org/attrs-23.2.0-py3-none-any.whl",
        "certifi>=2024.2",
    ]
    assert [str(r) for r in result.constraints] == ["urllib3<2", "idna==3.6"]
    assert [str(e.origin) for e in result.entries[:3]] == [
        f"{NESTED / 'sub' / 'base.txt'}:2",
        f"{NESTED / 'sub' / 'base.txt'}:4",
        f"{top}:10",
    ]
    assert len(result.entries[3].hashes) == 2
    assert [e.direct for e in result.entries] == [False] * 4 + [True, False]
    assert result.index_options == IndexOptions(
        index_url="https://pypi.example.org/simple",
        extra_index_urls=("https://extra.example.org/simple",),
        find_links=(str(NESTED / "sub" / "wheels"),),
        prefer_binary=True,
        no_binary=frozenset({"pyyaml"}),
        only_binary=frozenset({ALL}),
    )
    assert [(n.origin.line, n.message.split(":")[0]) for n in result.notes] == [
        (4, "ignored '--trusted-host extra.example.org'"),
        (15, "skipped editable requirement './local-checkout'"),
        (16, "skipped './vendor/thing-1.0.tar.gz'"),
    ]


def test_command_line_requirements_come_first() -> None:
    result = load_inputs(["numpy==1.26.2", "pip"], constraint_files=[NESTED / "constraints.txt"])
    assert [str(e.origin) for e in result.entries] == [
        "<command line> (requirement 1)",
        "<command line> (requirement 2)",
    ]
    assert len(result.constraints) == 2


def test_command_line_error() -> None:
    with pytest.raises(
        InputError, match=r"^<command line> \(requirement 1\): invalid requirement 'numpy=='"
    ):
        load_inputs(["numpy=="])


def test_pyproject_and_pylock() -> None:
    result = load_inputs(
        pyproject=DATA / "pyproject.toml",
        extras=["fast"],
        groups=["typing"],
        pylock=DATA / "pylock.toml",
    )
    assert [r.name for r in result.requirements] == ["httpx", "numpy", "orjson", "mypy"]
    assert result.settings is not None
    assert result.settings.mode == "prefer-binary"
    assert result.settings.find_links == (str(DATA / "wheels"),)
    assert result.locked is not None
    assert len(result.locked.packages) == 3


def test_extras_without_pyproject() -> None:
    with pytest.raises(InputError, match=r"extras and groups \['x'\] need a pyproject\.toml"):
        load_inputs(["a"], extras=["x"])


def test_cycle_is_reported() -> None:
    with pytest.raises(InputError, match=r"includes itself: a\.txt -> b\.txt -> a\.txt"):
        load_inputs(requirement_files=[DATA / "cycle" / "a.txt"])


def test_missing_file_is_named() -> None:
    with pytest.raises(InputError, match=r"cannot read '.*nope\.txt'"):
        load_inputs(requirement_files=[DATA / "nope.txt"])


def test_sans_io_walk_with_a_reader() -> None:
    files = {
        "req.txt": b"-r common/base.txt\nflask\n",
        "common/base.txt": b"-c pins.txt\n-r ../extra.txt\n",
        "common/pins.txt": b"werkzeug<3\n",
        "extra.txt": b"jinja2\n",
    }
    result = read_requirement_files(["req.txt"], read=files.__getitem__, environ={})
    assert [r.name for r in result.requirements] == ["jinja2", "flask"]
    assert [r.name for r in result.constraints] == ["werkzeug"]


def test_diamond_includes_are_not_cycles() -> None:
    files = {
        "a.txt": b"-r b.txt\n-r c.txt\n",
        "b.txt": b"-r d.txt\n",
        "c.txt": b"-r d.txt\n",
        "d.txt": b"x\n",
    }
    result = read_requirement_files(["a.txt"], read=files.__getitem__, environ={})
    # Read twice, not a cycle; the repeated requirement is kept once.
    assert [r.name for r in result.requirements] == ["x"]


def test_remote_include_is_refused() -> None:
    files = {"a.txt": b"-r https://example.org/r.txt\n"}
    with pytest.raises(InputError, match=r"^a\.txt:1: cannot follow remote requirements file"):
        read_requirement_files(["a.txt"], read=files.__getitem__, environ={})


def test_endless_file_stops_at_the_size_limit() -> None:
    with pytest.raises(InputError, match=r"'/dev/zero' is larger than 32 MiB, the limit"):
        load_inputs(requirement_files=[Path("/dev/zero")])


def test_include_chain_deeper_than_the_limit() -> None:
    files = {f"r{i}.txt": f"-r r{i + 1}.txt\n".encode() for i in range(2000)}
    with pytest.raises(InputError, match=r"chain of more than 100 -r/-c files"):
        read_requirement_files(["r0.txt"], read=files.__getitem__, environ={})


def test_include_chain_within_the_limit() -> None:
    files = {f"r{i}.txt": f"-r r{i + 1}.txt\n".encode() for i in range(99)}
    files["r99.txt"] = b"x\n"
    result = read_requirement_files(["r0.txt"], read=files.__getitem__, environ={})
    assert [r.name for r in result.requirements] == ["x"]


def test_exponential_diamond_includes_stop_at_the_limit() -> None:
    files = {f"r{i}.txt": f"-r r{i + 1}.txt\n-r r{i + 1}.txt\n".encode() for i in range(40)}
    files["r40.txt"] = b"x\n"
    with pytest.raises(InputError, match=r"more than 10000 -r/-c files read in all"):
        read_requirement_files(["r0.txt"], read=files.__getitem__, environ={})


def test_repeated_lines_are_kept_once_in_order() -> None:
    files = {"a.txt": b"requests>=2\n" * 10_000 + b"flask\nrequests>=2 --hash sha256:00\n"}
    result = read_requirement_files(["a.txt"], read=files.__getitem__, environ={})
    assert [(e.requirement.name, e.hashes) for e in result.entries] == [
        ("requests", ()),
        ("flask", ()),
        ("requests", ("sha256:00",)),
    ]
    assert result.entries[0].origin.line == 1


def test_repeated_includes_of_a_big_file_stop_at_the_byte_limit() -> None:
    big = b"#" * 10_000_000  # one 10 MB comment, read once per include
    files = {"a.txt": b"-r big.txt\n" * 10, "big.txt": big}
    with pytest.raises(InputError, match=r"more than 64 MiB of -r/-c files read in all"):
        read_requirement_files(["a.txt"], read=files.__getitem__, environ={})
