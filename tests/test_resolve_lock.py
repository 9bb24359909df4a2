"""pylock.toml checked per target: the locked file that would install, or why none does."""

from __future__ import annotations

import pytest

from wheelscout.inputs import parse_pylock
from wheelscout.model.reasons import ReasonCode
from wheelscout.resolve.lock import check_lock
from wheelscout.targets import make_target

LOCK = b"""
lock-version = "1.0"
created-by = "test"
requires-python = ">=3.10"

[[packages]]
name = "numpy"
version = "2.3.0"
[[packages.wheels]]
name = "numpy-2.3.0-cp312-cp312-win_amd64.whl"
url = "https://example.invalid/a.whl"
hashes = {sha256 = "00"}
[[packages.wheels]]
name = "numpy-2.3.0-cp312-cp312-win_arm64.whl"
url = "https://example.invalid/b.whl"
hashes = {sha256 = "00"}

[[packages]]
name = "pywin32"
version = "311"
marker = "sys_platform == 'win32'"
[[packages.wheels]]
name = "pywin32-311-cp312-cp312-win_amd64.whl"
url = "https://example.invalid/c.whl"
hashes = {sha256 = "00"}

[[packages]]
name = "six"
version = "1.17.0"
[[packages.wheels]]
name = "six-1.17.0-py2.py3-none-any.whl"
url = "https://example.invalid/d.whl"
hashes = {sha256 = "00"}
"""


def _verdicts(spelling: str, python: str = "3.12") -> dict[str, tuple[str, str | None]]:
    result = check_lock(parse_pylock(LOCK), make_target(spelling, python))
    return {v.name: (v.install, v.file.filename if v.file else None) for v in result.packages}


def test_best_locked_wheel_per_target() -> None:
    assert _verdicts("win-arm64") == {
        "numpy": ("wheel", "numpy-2.3.0-cp312-cp312-win_arm64.whl"),
        "pywin32": ("none", None),
        "six": ("wheel", "six-1.17.0-py2.py3-none-any.whl"),
    }


def test_markers_drop_packages_for_other_platforms() -> None:
    verdicts = _verdicts("linux-aarch64")
    assert "pywin32" not in verdicts
    assert verdicts["numpy"] == ("none", None)
    assert verdicts["six"][0] == "wheel"


def test_none_reason_counts_the_locked_wheels() -> None:
    result = check_lock(parse_pylock(LOCK), make_target("win-arm64", "3.12"))
    (pywin32,) = [v for v in result.packages if v.name == "pywin32"]
    assert pywin32.reason_code is ReasonCode.LOCKED_NO_WHEEL
    assert pywin32.reason == (
        "none of the 1 locked wheels of pywin32 installs on win_arm64, and the lock has no sdist"
    )


@pytest.mark.parametrize("python", ["3.9"])
def test_lock_requires_python_excludes_target(python: str) -> None:
    result = check_lock(parse_pylock(LOCK), make_target("win-amd64", python))
    assert result.status == "unresolvable"
    assert result.conflict_code is ReasonCode.REQUIRES_PYTHON
    assert result.conflict


def test_locked_wheel_with_an_absurd_platform_version_is_just_unusable() -> None:
    names = [
        "alpha-1.0-py3-none-macosx_99999999999999999999_0_arm64.whl",
        "alpha-1.0-" + "-".join(".".join(f"x{i}" for i in range(10)) for _ in range(3)) + ".whl",
    ]
    wheels = ", ".join(f'{{ url = "https://x.invalid/{n}", hashes = {{ sha256 = "00" }} }}'
                       for n in names)
    lock = parse_pylock(
        f'lock-version = "1.0"\ncreated-by = "t"\n[[packages]]\nname = "alpha"\n'
        f'version = "1.0"\nwheels = [{wheels}]\n'.encode()
    )
    for spelling in ("macos-arm64", "macosx_14_0_arm64", "linux-x86_64"):
        result = check_lock(lock, make_target(spelling, "3.12"))
        assert [p.install for p in result.packages] == ["none"]
