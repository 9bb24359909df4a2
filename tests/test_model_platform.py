"""PlatformTag: the one parser of platform tags (family, version, arch)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wheelscout.model.platform import MACOS_ARCH_GROUPS, PlatformFamily, PlatformTag
from wheelscout.model.target import OperatingSystem
from wheelscout.targets import FAMILIES, make_target

F = PlatformFamily


PARSED = [
    ("any", F.ANY, (), ""),
    ("win32", F.WINDOWS, (), "win32"),
    ("win_amd64", F.WINDOWS, (), "amd64"),
    ("win_arm64", F.WINDOWS, (), "arm64"),
    ("linux_x86_64", F.LINUX, (), "x86_64"),
    ("linux_armv7l", F.LINUX, (), "armv7l"),
    ("manylinux_2_28_aarch64", F.MANYLINUX, (2, 28), "aarch64"),
    ("manylinux1_i686", F.MANYLINUX, (2, 5), "i686"),
    ("manylinux2010_x86_64", F.MANYLINUX, (2, 12), "x86_64"),
    ("manylinux2014_ppc64le", F.MANYLINUX, (2, 17), "ppc64le"),
    ("musllinux_1_2_x86_64", F.MUSLLINUX, (1, 2), "x86_64"),
    ("macosx_14_0_arm64", F.MACOS, (14, 0), "arm64"),
    ("macosx_10_9_universal2", F.MACOS, (10, 9), "universal2"),
    ("macosx_10_6_intel", F.MACOS, (10, 6), "intel"),
    ("ios_13_0_arm64_iphoneos", F.IOS, (13, 0), "arm64_iphoneos"),
    ("ios_13_0_x86_64_iphonesimulator", F.IOS, (13, 0), "x86_64_iphonesimulator"),
    ("android_24_arm64_v8a", F.ANDROID, (24,), "arm64_v8a"),
    ("android_21_armeabi_v7a", F.ANDROID, (21,), "armeabi_v7a"),
    ("pyodide_2024_0_wasm32", F.PYODIDE, (2024, 0), "wasm32"),
    ("pyemscripten_2026_0_wasm32", F.PYEMSCRIPTEN, (2026, 0), "wasm32"),
    ("emscripten_3_1_58_wasm32", F.EMSCRIPTEN, (3, 1, 58), "wasm32"),
]


@pytest.mark.parametrize(
    ("text", "family", "version", "arch"), PARSED, ids=[row[0] for row in PARSED]
)
def test_parse(text: str, family: PlatformFamily, version: tuple[int, ...], arch: str) -> None:
    tag = PlatformTag.parse(text)
    assert tag == PlatformTag(family=family, version=version, arch=arch)
    assert tag is not None
    assert text in (str(tag), tag.legacy_alias)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "freebsd_13_1_release_amd64",
        "manylinux_2_aarch64",  # one number short
        "manylinux_2_x_aarch64",
        "manylinux_2_28_",
        "manylinux_2_28",
        "manylinux2014",
        "manylinux2015_x86_64",
        "macosx_14_0__arm64",
        "android_x_arm64_v8a",
        "win_win32",
        "win_",
        "musllinux_1_" + "9" * 5000 + "_x86_64",
        "manylinux_\u0662_28_x86_64",  # a non-ASCII digit
    ],
    ids=[
        "empty",
        "freebsd",
        "short",
        "letter",
        "no-arch",
        "no-arch-2",
        "legacy-no-arch",
        "unknown-legacy",
        "double-underscore",
        "android-letter",
        "win-win32",
        "win-empty",
        "5000-digits",
        "arabic-digit",
    ],
)
def test_parse_refuses(text: str) -> None:
    assert PlatformTag.parse(text) is None


def test_legacy_aliases_are_the_pep600_tag() -> None:
    legacy = PlatformTag.parse("manylinux2014_x86_64")
    assert legacy == PlatformTag.parse("manylinux_2_17_x86_64")
    assert legacy is not None
    assert str(legacy) == "manylinux_2_17_x86_64"
    assert legacy.legacy_alias == "manylinux2014_x86_64"
    assert legacy.without_arch == "manylinux_2_17"
    newer = PlatformTag(family=F.MANYLINUX, version=(2, 28), arch="x86_64")
    assert newer.legacy_alias is None
    assert PlatformTag(family=F.MUSLLINUX, version=(2, 17), arch="x86_64").legacy_alias is None


@pytest.mark.parametrize(
    ("text", "cpus"),
    [
        ("macosx_11_0_arm64", {"arm64"}),
        ("macosx_10_9_universal2", {"arm64", "x86_64"}),
        ("macosx_10_6_intel", {"i386", "x86_64"}),
        ("macosx_10_4_fat", {"i386", "ppc"}),
        ("macosx_10_5_fat64", {"ppc64", "x86_64"}),
        ("macosx_10_5_universal", {"i386", "ppc", "ppc64", "x86_64"}),
        ("macosx_10_9_sparc", set()),
        ("manylinux_2_17_x86_64", set()),
    ],
    ids=["arm64", "universal2", "intel", "fat", "fat64", "universal", "unknown", "linux"],
)
def test_macos_arch_groups(text: str, cpus: set[str]) -> None:
    tag = PlatformTag.parse(text)
    assert tag is not None
    assert tag.cpu_arches == cpus


@pytest.mark.parametrize(
    ("text", "cpu"),
    [
        ("ios_13_0_arm64_iphoneos", "arm64"),
        ("ios_13_0_arm64_iphonesimulator", "arm64"),
        ("ios_13_0_x86_64_iphonesimulator", "x86_64"),
        ("android_24_arm64_v8a", "arm64_v8a"),
        ("manylinux_2_28_x86_64", "x86_64"),
    ],
    ids=["ios-device", "ios-sim-arm", "ios-sim-intel", "android", "linux"],
)
def test_cpu(text: str, cpu: str) -> None:
    tag = PlatformTag.parse(text)
    assert tag is not None
    assert tag.cpu == cpu


def test_every_tag_the_catalogue_ranks_parses_back() -> None:
    # Every platform tag an installer on a catalogue target accepts is one the type reads and
    # writes back (legacy aliases as their PEP 600 spelling).
    for family in FAMILIES:
        python = "3.14" if family.name == "pyemscripten-2026" else "3.13"
        python = "3.12" if family.name == "pyodide-2024" else python
        for platform in {t.platform for t in make_target(family.name, python).tags}:
            tag = PlatformTag.parse(platform)
            assert tag is not None, platform
            assert platform in (str(tag), tag.legacy_alias)
            assert tag.family is F.ANY or OperatingSystem.of_family(tag.family) is not None


def test_os_of_family() -> None:
    assert OperatingSystem.of_family(F.LINUX) is OperatingSystem.MANYLINUX
    assert OperatingSystem.of_family(F.MUSLLINUX) is OperatingSystem.MUSLLINUX
    assert OperatingSystem.of_family(F.PYODIDE) is OperatingSystem.EMSCRIPTEN
    assert OperatingSystem.of_family(F.ANY) is None
    assert OperatingSystem.HOST.tag_families == frozenset()


_ARCH = st.from_regex(r"[a-z][a-z0-9]{0,6}(_[a-z0-9]{1,6}){0,2}", fullmatch=True)


@st.composite
def platform_tags(draw: st.DrawFn) -> PlatformTag:
    family = draw(st.sampled_from(PlatformFamily))
    if family is F.ANY:
        return PlatformTag(family=family)
    version = tuple(
        draw(
            st.lists(
                st.integers(0, 10**6), min_size=family.version_parts, max_size=family.version_parts
            )
        )
    )
    arch = draw(
        _ARCH.filter(lambda a: a != "win32")
        | st.sampled_from(sorted({"x86_64", "arm64_iphoneos", "arm64_v8a", *MACOS_ARCH_GROUPS}))
    )
    if family is F.WINDOWS and draw(st.booleans()):
        arch = "win32"
    return PlatformTag(family=family, version=version, arch=arch)


@given(platform_tags())
def test_round_trip(tag: PlatformTag) -> None:
    assert PlatformTag.parse(str(tag)) == tag


@given(st.text(alphabet="amnuxlis_0123456789wc", max_size=30))
def test_parse_is_total_and_canonical(text: str) -> None:
    # Any string: None, or a tag whose own spelling parses back to it.
    tag = PlatformTag.parse(text)
    if tag is not None:
        assert PlatformTag.parse(str(tag)) == tag
