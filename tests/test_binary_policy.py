"""Policy data: auditwheel's JSON loads, tags map to policies."""

from __future__ import annotations

import pytest

from wheelscout.binary.policy import load_policies, parse_linux_tag, policy_for
from wheelscout.model.platform import PlatformFamily, PlatformTag

_MANY, _MUSL = PlatformFamily.MANYLINUX, PlatformFamily.MUSLLINUX


@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        ("manylinux_2_17_aarch64", PlatformTag(family=_MANY, version=(2, 17), arch="aarch64")),
        ("manylinux2014_x86_64", PlatformTag(family=_MANY, version=(2, 17), arch="x86_64")),
        ("manylinux1_i686", PlatformTag(family=_MANY, version=(2, 5), arch="i686")),
        ("musllinux_1_2_armv7l", PlatformTag(family=_MUSL, version=(1, 2), arch="armv7l")),
        ("linux_x86_64", None),
        ("win_arm64", None),
    ],
    ids=["pep600", "manylinux2014", "manylinux1", "musllinux", "linux", "windows"],
)
def test_parse_linux_tag(platform: str, expected: PlatformTag | None) -> None:
    assert parse_linux_tag(platform) == expected


def test_policies_load() -> None:
    names = {p.name for p in load_policies("manylinux")}
    assert {"manylinux_2_5", "manylinux_2_17", "manylinux_2_28"} <= names
    policy = next(p for p in load_policies("manylinux") if p.name == "manylinux_2_17")
    assert "2.17" in policy.symbol_versions["aarch64"]["GLIBC"]
    # CentOS 7 on aarch64 versions some 2.17 symbols as 2.18: membership, not a numeric floor.
    assert "2.18" in policy.symbol_versions["aarch64"]["GLIBC"]
    assert "2.19" not in policy.symbol_versions["aarch64"]["GLIBC"]
    assert "libc.so.6" in policy.lib_whitelist
    assert load_policies("musllinux")


@pytest.mark.parametrize(
    ("platform", "policy"),
    [
        ("manylinux_2_28_x86_64", "manylinux_2_28"),
        ("manylinux_2_29_x86_64", "manylinux_2_28"),  # no 2_29 entry: the newest older one
        ("manylinux_2_99_x86_64", "manylinux_2_41"),
        ("musllinux_1_2_aarch64", "musllinux_1_2"),
    ],
    ids=["exact", "between", "newer-than-file", "musl"],
)
def test_policy_for(platform: str, policy: str) -> None:
    tag = parse_linux_tag(platform)
    assert tag is not None
    found = policy_for(tag)
    assert found is not None
    assert found.name == policy


def test_policy_for_tag_older_than_any_policy() -> None:
    assert policy_for(PlatformTag(family=_MANY, version=(2, 1), arch="x86_64")) is None
