from __future__ import annotations

from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from wheelscout.errors import InputError
from wheelscout.inputs.pylock import lock_excludes, parse_pylock, select_locked
from wheelscout.model.reasons import ReasonCode

DATA = Path(__file__).parent / "data" / "inputs"

HASH = 'hashes = { sha256 = "00" }'


def test_real_looking_lock() -> None:
    lock = parse_pylock((DATA / "pylock.toml").read_bytes())
    assert (lock.lock_version, lock.created_by) == ("1.0", "uv")
    assert lock.requires_python == SpecifierSet(">=3.12")
    assert lock.environments == (
        Marker("sys_platform == 'win32'"),
        Marker("sys_platform == 'linux'"),
    )
    numpy, colorama, app = lock.packages
    assert (numpy.name, numpy.version, numpy.index) == (
        "numpy",
        Version("1.26.2"),
        "https://pypi.org/simple",
    )
    assert numpy.sdist is not None
    assert numpy.sdist.name == "numpy-1.26.2.tar.gz"
    assert numpy.sdist.size == 15664839
    assert [w.name for w in numpy.wheels] == [
        "numpy-1.26.2-cp312-cp312-win_amd64.whl",
        "numpy-1.26.2-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    ]
    assert numpy.wheels[0].upload_time == "2023-11-12 22:00:00+00:00"
    assert numpy.wheels[1].hashes == {
        "sha256": "425b390e4619f58d6526b3dcf656dde069133ae5c240229821f01b5f44ea07af"
    }
    assert colorama.marker == Marker("sys_platform == 'win32'")
    assert (app.directory, app.version, app.wheels) == (".", None, ())


def lock_with(package: str) -> bytes:
    return f'lock-version = "1.0"\ncreated-by = "t"\n[[packages]]\n{package}\n'.encode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'created-by = "x"\n', r"in 'lock-version'.*missing required key"),
        (b'lock-version = "2.0"\ncreated-by = "x"\n', r"unsupported lock-version '2\.0'"),
        (lock_with('version = "1"'), r"in 'packages\[0\]\.name'.*missing required key"),
        (
            lock_with('name = "a"\nversion = "one"'),
            r"in 'packages\[0\]\.version'.*invalid version 'one'",
        ),
        (lock_with('name = "a"\nmarker = "os ="'), r"in 'packages\[0\]\.marker'.*invalid marker"),
        (
            lock_with('name = "a"\nwheels = [{ url = "https://x/a.whl", ' + HASH + " }]"),
            r"in 'packages\[0\]\.wheels\[0\]\.name'.*invalid wheel filename 'a\.whl'",
        ),
        (
            lock_with('name = "a"\nversion = "' + "1" * 5000 + '"'),
            r"in 'packages\[0\]\.version'.*5000 characters, over the limit of 256",
        ),
        (
            lock_with(
                'name = "a"\nwheels = [{ url = "https://x/a-1-'
                + "-".join(".".join(f"x{i}" for i in range(320)) for _ in range(3))
                + '.whl", '
                + HASH
                + " }]"
            ),
            r"wheels\[0\]\.name'.*expand to 32768000 tags, over the limit of 1024",
        ),
        (
            lock_with('name = "a"\nwheels = [{ url = "https://x/a-1-py3-none-any.whl" }]'),
            r"in 'packages\[0\]\.wheels\[0\]\.hashes'",
        ),
        (
            lock_with('name = "a"\nsdist = { ' + HASH + " }"),
            r"in 'packages\[0\]\.sdist'.*needs 'url' or 'path'",
        ),
        (
            lock_with('name = "a"\nvcs = { url = "x" }\ndirectory = { path = "." }'),
            r"at most one of",
        ),
        (
            lock_with(
                'name = "a"\narchive = { path = "a.zip", ' + HASH + " }\n"
                'wheels = [{ path = "a-1-py3-none-any.whl", ' + HASH + " }]"
            ),
            r"cannot be combined with 'archive'",
        ),
        (
            b'lock-version = "1.0"\ncreated-by = "x"\npackages = 3\n',
            r"'packages'.*must be an array of tables",
        ),
    ],
    ids=[
        "no-lock-version",
        "future-major",
        "no-name",
        "bad-version",
        "bad-marker",
        "bad-wheel-name",
        "5000-digit-version",
        "wheel-name-with-320-tags",
        "no-hashes",
        "no-location",
        "two-sources",
        "wheels-with-archive",
        "packages-not-array",
    ],
)
def test_errors_name_the_key(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_pylock(data)


def test_newer_minor_version_is_read() -> None:
    assert parse_pylock(b'lock-version = "1.1"\ncreated-by = "x"\n').packages == ()


LINUX_312 = {
    "python_full_version": "3.12.4",
    "python_version": "3.12",
    "sys_platform": "linux",
    "platform_machine": "x86_64",
    "implementation_name": "cpython",
}


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({}, None),
        ({"python_full_version": "3.11.9"}, ReasonCode.REQUIRES_PYTHON),
        ({"sys_platform": "darwin"}, ReasonCode.LOCK_ENVIRONMENT),
    ],
    ids=["covered", "python-too-old", "platform-not-locked"],
)
def test_lock_excludes(changes: dict[str, str], code: ReasonCode | None) -> None:
    lock = parse_pylock((DATA / "pylock.toml").read_bytes())
    found = lock_excludes(lock, {**LINUX_312, **changes})
    assert (found and found.code) == code


def test_lock_excludes_names_what_it_covers() -> None:
    lock = parse_pylock((DATA / "pylock.toml").read_bytes())
    found = lock_excludes(lock, {**LINUX_312, "sys_platform": "darwin"})
    assert found is not None
    assert found.text.startswith("the lock covers only 'sys_platform == \"win32\"' or")


GROUPED = b"""
lock-version = "1.0"
created-by = "t"
default-groups = ["docs"]
[[packages]]
name = "plain"
[[packages]]
name = "win-only"
marker = "sys_platform == 'win32'"
[[packages]]
name = "for-extra"
marker = "'fast' in extras"
[[packages]]
name = "for-docs"
marker = "'docs' in dependency_groups"
[[packages]]
name = "for-test"
marker = "'test' in dependency_groups"
"""


@pytest.mark.parametrize(
    ("extras", "groups", "expected"),
    [
        ((), None, ["plain", "for-docs"]),
        (("Fast",), ("test",), ["plain", "for-extra", "for-test"]),
        ((), (), ["plain"]),
    ],
    ids=["default-groups", "extra-and-group", "no-groups"],
)
def test_select_locked(
    extras: tuple[str, ...], groups: tuple[str, ...] | None, expected: list[str]
) -> None:
    lock = parse_pylock(GROUPED)
    chosen = select_locked(lock, LINUX_312, extras=extras, groups=groups)
    assert [p.name for p in chosen] == expected


def test_a_wheelscout_lock_names_the_platform_and_python_it_was_written_for() -> None:
    head = b'lock-version = "1.0"\ncreated-by = "wheelscout"\n'
    ours = parse_pylock(head + b'[tool.wheelscout]\nplatform = "win_arm64"\npython = "3.12"\n')
    assert (ours.target, ours.python) == ("win_arm64", "3.12")
    other = parse_pylock(head + b'[tool.other]\nplatform = "x"\n')
    assert (other.target, other.python) == (None, None)
    with pytest.raises(InputError, match=r"in 'tool\.wheelscout\.platform': must be a string"):
        parse_pylock(head + b"[tool.wheelscout]\nplatform = 3\n")
