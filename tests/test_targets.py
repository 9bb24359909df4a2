"""The target catalogue: spellings, ranked tags and marker environments."""

from __future__ import annotations

import pytest
from packaging import markers as pmarkers
from packaging import tags as ptags
from packaging.markers import Marker

from wheelscout.errors import TargetError
from wheelscout.model.target import OperatingSystem
from wheelscout.targets import (
    Overrides,
    darwin_release,
    make_target,
    parse_platform,
    parse_python,
)
from wheelscout.targets.catalogue import FAMILIES
from wheelscout.targets.uv_triples import UV_TRIPLES


def _tags(spelling: str, python: str, overrides: Overrides | None = None) -> list[str]:
    return [str(tag) for tag in make_target(spelling, python, overrides).tags]


def test_host_tags_equal_sys_tags() -> None:
    host = make_target("host", "")
    assert list(host.tags) == list(ptags.sys_tags())
    assert dict(host.markers) == dict(pmarkers.default_environment())


def test_host_with_other_python_keeps_host_platforms() -> None:
    host = make_target("host", "3.9")
    assert str(host.tags[0]).startswith("cp39-cp39-")
    assert host.markers["python_version"] == "3.9"


WIN_ARM64_CP312 = [
    "cp312-cp312-win_arm64",
    "cp312-abi3-win_arm64",
    "cp312-none-win_arm64",
    *(f"cp3{minor}-abi3-win_arm64" for minor in range(11, 1, -1)),
    "py312-none-win_arm64",
    "py3-none-win_arm64",
    *(f"py3{minor}-none-win_arm64" for minor in range(11, -1, -1)),
    "cp312-none-any",
    "py312-none-any",
    "py3-none-any",
    *(f"py3{minor}-none-any" for minor in range(11, -1, -1)),
]


def test_win_arm64_cp312_exact() -> None:
    assert _tags("win-arm64", "3.12") == WIN_ARM64_CP312


@pytest.mark.parametrize(
    "spelling", ["win-arm64", "win_arm64", "aarch64-pc-windows-msvc", "WIN-ARM64", "woa"]
)
def test_win_arm64_spellings_agree(spelling: str) -> None:
    target = make_target(spelling, "3.12")
    assert _tags(spelling, "3.12") == WIN_ARM64_CP312
    assert target.platform.name == "win_arm64"
    assert target.spelling == spelling


def test_done_when_contract() -> None:
    tags = _tags("aarch64-pc-windows-msvc", "3.12")
    assert tags[0] == "cp312-cp312-win_arm64"
    assert "cp312-abi3-win_arm64" in tags
    last_platform = max(i for i, t in enumerate(tags) if not t.endswith("-any"))
    assert tags.index("py3-none-any") > last_platform
    markers = make_target("aarch64-pc-windows-msvc", "3.12").markers
    assert markers["platform_machine"] == "ARM64"


@pytest.mark.parametrize("python", ["3.13t", "3.14t"])
def test_free_threaded_has_no_stable_abi(python: str) -> None:
    tags = _tags("win-arm64", python)
    nodot = python[0] + python[2:4]
    assert tags[0] == f"cp{nodot}-cp{nodot}t-win_arm64"
    assert not [t for t in tags if "abi3" in t]


def test_free_threaded_315_gets_abi3t_only_from_315() -> None:
    tags = _tags("win-arm64", "3.15t")
    assert [t for t in tags if "abi3" in t] == ["cp315-abi3t-win_arm64"]


MANYLINUX_AARCH64_217_PLATFORMS = [
    "linux_aarch64",
    "manylinux_2_17_aarch64",
    "manylinux2014_aarch64",
]


def test_manylinux_aarch64_floor_217() -> None:
    target = make_target("aarch64-manylinux_2_17", "3.12")
    platforms = list(dict.fromkeys(t.platform for t in target.tags))
    assert platforms == [*MANYLINUX_AARCH64_217_PLATFORMS, "any"]
    assert target.platform.name == "manylinux_2_17_aarch64"


def test_manylinux_aarch64_floor_228() -> None:
    target = make_target("linux-aarch64", "3.12")
    platforms = list(dict.fromkeys(t.platform for t in target.tags))
    assert platforms[:4] == [
        "linux_aarch64",
        "manylinux_2_28_aarch64",
        "manylinux_2_27_aarch64",
        "manylinux_2_26_aarch64",
    ]
    assert platforms[-4:] == ["manylinux_2_18_aarch64", *MANYLINUX_AARCH64_217_PLATFORMS[1:], "any"]
    assert len(platforms) == 1 + 12 + 1 + 1
    assert str(target.tags[1]) == "cp312-cp312-manylinux_2_28_aarch64"


def test_x86_64_goes_down_to_manylinux1() -> None:
    platforms = list(dict.fromkeys(t.platform for t in make_target("linux-x86_64", "3.12").tags))
    assert platforms[-4:] == [
        "manylinux_2_6_x86_64",
        "manylinux_2_5_x86_64",
        "manylinux1_x86_64",
        "any",
    ]
    assert "manylinux2010_x86_64" in platforms


def test_glibc_override_applies_to_friendly_names_only() -> None:
    overrides = Overrides(glibc=(2, 31))
    assert make_target("linux-aarch64", "3.12", overrides).platform.name == "manylinux_2_31_aarch64"
    spelled = make_target("manylinux_2_17_aarch64", "3.12", overrides)
    assert spelled.platform.name == "manylinux_2_17_aarch64"


@pytest.mark.parametrize(
    ("spelling", "head"),
    [
        (
            "macosx_11_0_arm64",
            ["macosx_11_0_arm64", "macosx_11_0_universal2", "macosx_10_16_universal2"],
        ),
        ("macosx_14_0_arm64", ["macosx_14_0_arm64", "macosx_14_0_universal2", "macosx_13_0_arm64"]),
        ("macosx_14_0_x86_64", ["macosx_14_0_x86_64", "macosx_14_0_intel", "macosx_14_0_fat64"]),
        ("macos-universal2", ["macosx_13_0_universal2", "macosx_12_0_universal2"]),
    ],
    ids=["arm64-11.0", "arm64-14.0", "x86_64-14.0", "universal2-default"],
)
def test_macos_platform_order(spelling: str, head: list[str]) -> None:
    platforms = list(dict.fromkeys(t.platform for t in make_target(spelling, "3.12").tags))
    assert platforms[: len(head)] == head


def test_macos_arm64_11_has_no_older_arm64() -> None:
    platforms = {t.platform for t in make_target("macosx_11_0_arm64", "3.12").tags}
    assert "macosx_10_15_arm64" not in platforms
    assert "macosx_10_9_universal2" in platforms
    assert "macosx_12_0_arm64" not in platforms


def test_musllinux() -> None:
    platforms = list(
        dict.fromkeys(t.platform for t in make_target("musllinux-x86_64", "3.12").tags)
    )
    assert platforms == [
        "linux_x86_64",
        "musllinux_1_2_x86_64",
        "musllinux_1_1_x86_64",
        "musllinux_1_0_x86_64",
        "any",
    ]
    markers = make_target("musllinux-x86_64", "3.12").markers
    assert markers["sys_platform"] == "linux"


def test_ios_device_and_simulator() -> None:
    device = make_target("arm64-apple-ios", "3.13")
    assert str(device.tags[0]) == "cp313-cp313-ios_13_0_arm64_iphoneos"
    assert device.markers["sys_platform"] == "ios"
    assert device.markers["platform_system"] == "iOS"
    sim = make_target("ios-x86_64-simulator", "3.13")
    assert str(sim.tags[0]) == "cp313-cp313-ios_13_0_x86_64_iphonesimulator"
    assert "ios_12_0_x86_64_iphonesimulator" in {t.platform for t in sim.tags}


def test_android_api_level_and_abi() -> None:
    target = make_target("android-arm64", "3.13", Overrides(android_api=30))
    platforms = list(dict.fromkeys(t.platform for t in target.tags))
    assert platforms[0] == "android_30_arm64_v8a"
    assert platforms[-2] == "android_16_arm64_v8a"
    assert target.markers["sys_platform"] == "android"
    assert target.markers["platform_machine"] == "aarch64"


def test_pyodide_and_pyemscripten() -> None:
    pyodide = make_target("wasm32-pyodide2024", "3.12")
    platforms = list(dict.fromkeys(t.platform for t in pyodide.tags))
    assert platforms == ["pyemscripten_2024_0_wasm32", "pyodide_2024_0_wasm32", "any"]
    assert pyodide.markers["sys_platform"] == "emscripten"
    assert pyodide.markers["platform_machine"] == "wasm32"
    pep783 = make_target("pyemscripten_2026_0_wasm32", "3.14")
    assert str(pep783.tags[0]) == "cp314-cp314-pyemscripten_2026_0_wasm32"


def test_pyodide_requires_its_python() -> None:
    with pytest.raises(TargetError, match=r"Python 3\.12 only, not '3\.13'"):
        make_target("pyodide-2024", "3.13")


MARKERS = {
    "win-arm64": ("nt", "win32", "Windows", "ARM64"),
    "win-amd64": ("nt", "win32", "Windows", "AMD64"),
    "win32": ("nt", "win32", "Windows", "x86"),
    "linux-aarch64": ("posix", "linux", "Linux", "aarch64"),
    "linux-ppc64le": ("posix", "linux", "Linux", "ppc64le"),
    "macos-arm64": ("posix", "darwin", "Darwin", "arm64"),
    "macos-x86_64": ("posix", "darwin", "Darwin", "x86_64"),
    "android-x86_64": ("posix", "android", "Android", "x86_64"),
}


@pytest.mark.parametrize("spelling", list(MARKERS))
def test_marker_environment(spelling: str) -> None:
    python = "3.13.4" if spelling.startswith("android") else "3.12.4"  # PEP 738: 3.13+
    markers = make_target(spelling, python).markers
    os_name, sys_platform, system, machine = MARKERS[spelling]
    assert markers == {
        "implementation_name": "cpython",
        "implementation_version": python,
        "os_name": os_name,
        "platform_machine": machine,
        "platform_release": "22.0.0" if system == "Darwin" else "",  # macOS 13 is Darwin 22
        "platform_system": system,
        "platform_version": "",
        "python_full_version": python,
        "platform_python_implementation": "CPython",
        "python_version": python[:4],
        "sys_platform": sys_platform,
    }
    assert set(markers) == set(pmarkers.default_environment())


UV_TRIPLE_PLATFORMS = {
    "windows": "win_amd64",
    "linux": "manylinux_2_28_x86_64",
    "macos": "macosx_13_0_arm64",
    "x86_64-pc-windows-msvc": "win_amd64",
    "aarch64-pc-windows-msvc": "win_arm64",
    "i686-pc-windows-msvc": "win32",
    "x86_64-unknown-linux-gnu": "manylinux_2_28_x86_64",
    "aarch64-apple-darwin": "macosx_13_0_arm64",
    "x86_64-apple-darwin": "macosx_13_0_x86_64",
    "aarch64-unknown-linux-gnu": "manylinux_2_28_aarch64",
    "aarch64-unknown-linux-musl": "musllinux_1_2_aarch64",
    "x86_64-unknown-linux-musl": "musllinux_1_2_x86_64",
    "riscv64-unknown-linux": "manylinux_2_39_riscv64",
    "x86_64-manylinux2014": "manylinux_2_17_x86_64",
    "aarch64-manylinux2014": "manylinux_2_17_aarch64",
    **{
        f"{arch}-manylinux_2_{minor}": f"manylinux_2_{minor}_{arch}"
        for arch in ("x86_64", "aarch64")
        for minor in (17, 28, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40)
    },
    "aarch64-linux-android": "android_24_arm64_v8a",
    "x86_64-linux-android": "android_24_x86_64",
    "wasm32-pyodide2024": "pyemscripten_2024_0_wasm32",
    "wasm32-pyodide2025": "pyemscripten_2025_0_wasm32",
    "arm64-apple-ios": "ios_13_0_arm64_iphoneos",
    "arm64-apple-ios-simulator": "ios_13_0_arm64_iphonesimulator",
    "x86_64-apple-ios-simulator": "ios_13_0_x86_64_iphonesimulator",
}


def test_uv_table_is_complete() -> None:
    assert set(UV_TRIPLE_PLATFORMS) == set(UV_TRIPLES)


@pytest.mark.parametrize("triple", sorted(UV_TRIPLE_PLATFORMS))
def test_uv_triple(triple: str) -> None:
    assert parse_platform(triple).name == UV_TRIPLE_PLATFORMS[triple]


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.name)
def test_every_family_builds_a_target(family: object) -> None:
    name = family.name  # type: ignore[attr-defined]
    python = {"pyodide-2024": "3.12", "pyodide-2025": "3.13", "pyemscripten-2026": "3.14"}.get(
        name, "3.13"
    )
    target = make_target(name, python)
    assert target.tags
    assert target.platform.os is not OperatingSystem.HOST
    assert str(target.tags[-1]) == "py30-none-any"


@pytest.mark.parametrize(
    ("spelling", "python", "expected"),
    [
        ("3.12", "3.12", (3, 12, 0, False)),
        ("3.12.4", "3.12", (3, 12, 4, False)),
        ("3.13t", "3.13t", (3, 13, 0, True)),
        ("cp313t", "3.13t", (3, 13, 0, True)),
        ("3.9", "3.9", (3, 9, 0, False)),
    ],
)
def test_parse_python(spelling: str, python: str, expected: tuple[int, int, int, bool]) -> None:
    parsed = parse_python(spelling)
    assert parsed.short == python
    assert (parsed.major, parsed.minor, parsed.micro, parsed.free_threaded) == expected


@pytest.mark.parametrize(
    ("spelling", "message"),
    [
        ("3.8", r"unsupported Python '3\.8': wheelscout knows CPython 3\.9 to 3\.15"),
        ("3.16", r"unsupported Python '3\.16'"),
        ("3.12t", r"free-threaded builds start at 3\.13t"),
        ("three", r"unknown Python 'three'"),
        ("", r"unknown Python ''"),
    ],
)
def test_bad_python(spelling: str, message: str) -> None:
    with pytest.raises(TargetError, match=message):
        parse_python(spelling)


@pytest.mark.parametrize(
    ("spelling", "message"),
    [
        ("win-arn64", r"unknown target 'win-arn64'; did you mean 'win-arm64'"),
        ("solaris", r"unknown target 'solaris' \(see 'wheelscout targets'"),
        ("manylinux_2_28_sparc", r"unknown target 'manylinux_2_28_sparc'"),
        ("manylinux_1_28_x86_64", r"invalid glibc version in 'manylinux_1_28_x86_64'"),
        # No manylinux wheel for aarch64 targets a glibc below 2.17 (was an IndexError).
        ("manylinux_2_5_aarch64", r"manylinux wheels for aarch64 start at glibc 2\.17"),
        ("macosx_9_0_x86_64", r"invalid macOS version"),
        ("android_12_arm64_v8a", r"invalid Android API level"),
        ("pyodide_2019_0_wasm32", r"unknown WebAssembly ABI 'pyodide_2019_0_wasm32'"),
    ],
)
def test_bad_platform(spelling: str, message: str) -> None:
    with pytest.raises(TargetError, match=message):
        parse_platform(spelling)


@pytest.mark.parametrize(
    ("spelling", "overrides", "message"),
    [
        ("linux-x86_64", Overrides(glibc=(2, 10**21)), r"glibc version '2\.1000.*at most 99"),
        ("macos-arm64", Overrides(macos=(99999999, 0)), r"macOS version '99999999\.0'"),
        ("macos-x86_64", Overrides(macos=(10, 99999999)), r"macOS version '10\.99999999'"),
        ("ios-arm64", Overrides(ios=(99999999, 0)), r"iOS version '99999999\.0'"),
        ("android-arm64", Overrides(android_api=999999999999), r"Android API level '9+'"),
        ("musllinux_1_1000_x86_64", None, r"invalid version in 'musllinux_1_1000_x86_64'"),
        ("macosx_99999999999999999999_0_arm64", None, r"invalid version in 'macosx_9+_0_arm64'"),
        ("android_" + "9" * 5000 + "_arm64_v8a", None, r"every part must be at most 99"),
    ],
    ids=["glibc", "macos-major", "macos-minor", "ios", "android", "musl-tag", "macos-tag",
         "android-5000-digits"],
)
def test_absurd_platform_versions_are_refused(
    spelling: str, overrides: Overrides | None, message: str
) -> None:
    with pytest.raises(TargetError, match=message):
        make_target(spelling, "3.12", overrides)


def test_largest_accepted_versions_stay_small() -> None:
    target = make_target("ios-arm64", "3.13", Overrides(ios=(99, 99)))  # PEP 730: 3.13+
    assert len(target.tags) < 100_000


def test_python_micro_of_thousands_of_digits_is_refused() -> None:
    with pytest.raises(TargetError, match=r"unknown Python"):
        parse_python("3.12." + "9" * 5000)


@pytest.mark.parametrize(
    ("spelling", "python", "overrides", "platform"),
    [
        ("aarch64-apple-darwin", "3.12", Overrides(macos=(11, 0)), "macosx_11_0_arm64"),
        ("macos", "3.12", Overrides(macos=(14, 0)), "macosx_14_0_arm64"),
        ("x86_64-unknown-linux-gnu", "3.12", Overrides(glibc=(2, 17)), "manylinux_2_17_x86_64"),
        ("aarch64-unknown-linux-musl", "3.12", Overrides(musl=(1, 1)), "musllinux_1_1_aarch64"),
        ("arm64-apple-ios", "3.13", Overrides(ios=(15, 0)), "ios_15_0_arm64_iphoneos"),
        ("aarch64-linux-android", "3.13", Overrides(android_api=30), "android_30_arm64_v8a"),
        # A spelling that names its version keeps it.
        ("x86_64-manylinux_2_31", "3.12", Overrides(glibc=(2, 17)), "manylinux_2_31_x86_64"),
        ("macosx_12_0_arm64", "3.12", Overrides(macos=(11, 0)), "macosx_12_0_arm64"),
    ],
    ids=["darwin-triple", "uv-macos", "gnu-triple", "musl-triple", "ios-triple",
         "android-triple", "manylinux-triple-named", "raw-tag-named"],
)
def test_version_flags_apply_to_every_spelling(
    spelling: str, python: str, overrides: Overrides, platform: str
) -> None:
    assert make_target(spelling, python, overrides).platform.name == platform


@pytest.mark.parametrize(
    ("macos", "release"),
    [((10, 9), "13.0.0"), ((10, 15), "19.0.0"), ((11, 0), "20.0.0"), ((13, 0), "22.0.0"),
     ((14, 2), "23.0.0"), ((26, 0), "35.0.0")],
)
def test_darwin_release(macos: tuple[int, int], release: str) -> None:
    assert darwin_release(macos) == release
    target = make_target(f"macosx_{macos[0]}_{macos[1]}_x86_64", "3.12")
    assert target.markers["platform_release"] == release


def test_platform_release_gates_markers_as_on_a_mac() -> None:
    # pyobjc's requirements read `platform_release >= "20.0"` (macOS 11+).
    marker = Marker('platform_release >= "20.0"')
    assert marker.evaluate(make_target("macos-arm64", "3.12").markers)
    old = make_target("x86_64-apple-darwin", "3.12", Overrides(macos=(10, 15))).markers
    assert not marker.evaluate(old)


@pytest.mark.parametrize("spelling", ["ios-arm64", "arm64-apple-ios-simulator", "android-arm64"])
def test_mobile_targets_need_3_13(spelling: str) -> None:
    with pytest.raises(TargetError, match=r"needs Python 3\.13 or newer.*not 3\.12"):
        make_target(spelling, "3.12")
