"""Setup steps per target for the needs sdist inspection finds."""

from __future__ import annotations

import io

import pytest

from tests.support.sdists import NUMPY_LIKE, make_tar
from tests.support.targets import (
    ANDROID_ARM64,
    IOS_DEVICE,
    MACOS_ARM64,
    MACOS_UNIVERSAL2,
    MANYLINUX_AARCH64,
    MANYLINUX_X86_64,
    MUSLLINUX_X86_64,
    PYODIDE,
    WIN32,
    WIN_AMD64,
    WIN_ARM64,
    target,
)
from wheelscout.model.build import BuildRequirements, SetupStep
from wheelscout.model.target import OperatingSystem, Target
from wheelscout.sdist import inspect_sdist
from wheelscout.targets import make_target
from wheelscout.toolchain import linux_image, setup_steps

ALL_TARGETS = {
    "win_arm64": WIN_ARM64,
    "win_amd64": WIN_AMD64,
    "win32": WIN32,
    "manylinux_aarch64": MANYLINUX_AARCH64,
    "manylinux2014_x86_64": MANYLINUX_X86_64,
    "musllinux_x86_64": MUSLLINUX_X86_64,
    "macos_arm64": MACOS_ARM64,
    "macos_universal2": MACOS_UNIVERSAL2,
    "ios": IOS_DEVICE,
    "android": ANDROID_ARM64,
    "pyodide": PYODIDE,
}

RUST_SDIST: dict[str, str | bytes] = {
    "pyproject.toml": '[build-system]\nrequires = ["maturin"]\nbuild-backend = "maturin"\n',
    "Cargo.toml": '[package]\nname = "demo"\n[dependencies]\nopenssl-sys = "0.9"\n',
}
FORTRAN_SDIST: dict[str, str | bytes] = {
    "pyproject.toml": '[build-system]\nrequires = ["meson-python"]\nbuild-backend = "mesonpy"\n',
    "meson.build": "project('sci', 'c', 'fortran')\ndependency('openblas')\n",
}
PURE_SDIST: dict[str, str | bytes] = {
    "pyproject.toml": '[build-system]\nrequires = ["hatchling"]\n'
    'build-backend = "hatchling.build"\n'
}


def _requirements(files: dict[str, str | bytes]) -> BuildRequirements:
    return inspect_sdist(io.BytesIO(make_tar(files)))


def _everything(steps: tuple[SetupStep, ...]) -> str:
    return "\n".join(
        " ".join((step.kind, step.summary, *step.commands, *step.components, step.source))
        for step in steps
    )


def test_numpy_on_win_arm64_lists_visual_studio_arm64_components() -> None:
    steps = setup_steps(_requirements(NUMPY_LIKE), WIN_ARM64)

    compiler = steps[0]
    assert compiler.kind == "install"
    assert compiler.components[:2] == (
        "Microsoft.VisualStudio.Workload.VCTools",
        "Microsoft.VisualStudio.Component.VC.Tools.ARM64",
    )
    assert "--add Microsoft.VisualStudio.Component.VC.Tools.ARM64" in compiler.commands[0]
    assert set(compiler.needed_for) == {"C", "C++", "Cython"}
    assert compiler.source.startswith("https://learn.microsoft.com/")


def test_win_amd64_uses_the_x64_tools() -> None:
    steps = setup_steps(_requirements(NUMPY_LIKE), WIN_AMD64)

    assert "Microsoft.VisualStudio.Component.VC.Tools.x86.x64" in steps[0].components


@pytest.mark.parametrize(
    ("target", "triple"),
    [
        (WIN_ARM64, "aarch64-pc-windows-msvc"),
        (WIN32, "i686-pc-windows-msvc"),
        (MANYLINUX_AARCH64, "aarch64-unknown-linux-gnu"),
        (MUSLLINUX_X86_64, "x86_64-unknown-linux-musl"),
        (MACOS_ARM64, "aarch64-apple-darwin"),
        (MACOS_UNIVERSAL2, "aarch64-apple-darwin x86_64-apple-darwin"),
        (IOS_DEVICE, "aarch64-apple-ios"),
        (ANDROID_ARM64, "aarch64-linux-android"),
        (PYODIDE, "wasm32-unknown-emscripten"),
        # The simulator's arch is x86_64_iphonesimulator: its CPU is x86_64, not x86.
        (make_target("ios-x86_64-simulator", "3.13"), "x86_64-apple-ios"),
    ],
    ids=lambda value: getattr(value, "spelling", value),
)
def test_rust_step_adds_the_target_triple(target: Target, triple: str) -> None:
    steps = setup_steps(_requirements(RUST_SDIST), target)

    (rust,) = [step for step in steps if step.needed_for == ("Rust",) and step.kind == "install"]
    assert any(f"rustup target add {triple}" in command for command in rust.commands)


@pytest.mark.parametrize("target", ALL_TARGETS.values(), ids=ALL_TARGETS.keys())
def test_pure_build_needs_no_steps(target: Target) -> None:
    assert setup_steps(_requirements(PURE_SDIST), target) == ()


@pytest.mark.parametrize("target", ALL_TARGETS.values(), ids=ALL_TARGETS.keys())
def test_every_step_is_filled_in_and_sourced(target: Target) -> None:
    for files in (NUMPY_LIKE, RUST_SDIST, FORTRAN_SDIST):
        steps = setup_steps(_requirements(files), target)
        assert steps
        assert "<" not in _everything(steps).replace("<none>", "")
        assert all(step.source.startswith("http") for step in steps)


@pytest.mark.parametrize(
    "target", [IOS_DEVICE, ANDROID_ARM64, PYODIDE], ids=["ios", "android", "pyodide"]
)
def test_fortran_is_a_blocker_where_no_compiler_exists(target: Target) -> None:
    steps = setup_steps(_requirements(FORTRAN_SDIST), target)

    assert [step.needed_for for step in steps if step.kind == "blocker"] == [("Fortran",)]


def test_fortran_on_windows_arm64_is_llvm_flang_with_clang_cl() -> None:
    text = _everything(setup_steps(_requirements(FORTRAN_SDIST), WIN_ARM64))

    assert "flang" in text
    assert "Microsoft.VisualStudio.Component.VC.Llvm.Clang" in text


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (MANYLINUX_AARCH64, "sudo dnf install openssl-devel"),
        (MUSLLINUX_X86_64, "apk add openssl-dev"),
        (MACOS_ARM64, "brew install openssl@3"),
        (WIN_ARM64, "vcpkg install openssl:arm64-windows"),
    ],
    ids=["manylinux", "musllinux", "macos", "windows"],
)
def test_native_library_packages_per_target(target: Target, expected: str) -> None:
    assert expected in _everything(setup_steps(_requirements(RUST_SDIST), target))


def test_macos_compiler_step_carries_deployment_target() -> None:
    steps = setup_steps(_requirements(NUMPY_LIKE), MACOS_UNIVERSAL2)

    assert "export MACOSX_DEPLOYMENT_TARGET=10.13" in steps[0].commands


def test_linux_compiler_step_names_the_manylinux_image() -> None:
    text = _everything(setup_steps(_requirements(NUMPY_LIKE), MANYLINUX_AARCH64))

    assert "quay.io/pypa/manylinux_2_28_aarch64" in text


@pytest.mark.parametrize(
    ("target", "image"),
    [
        (MANYLINUX_X86_64, "manylinux2014_x86_64"),
        (MANYLINUX_AARCH64, "manylinux_2_28_aarch64"),
        (MUSLLINUX_X86_64, "musllinux_1_2_x86_64"),
        (WIN_ARM64, None),
    ],
    ids=["2014", "2_28", "musl", "windows"],
)
def test_linux_image(target: Target, image: str | None) -> None:
    assert linux_image(target.platform) == image


@pytest.mark.parametrize(
    ("tag", "arch", "expected"),
    [
        ("manylinux_2_35_x86_64", "x86_64", "quay.io/pypa/manylinux_2_28_x86_64"),
        ("linux_aarch64", "aarch64", "quay.io/pypa/manylinux_2_28_aarch64"),
        ("win_arm64", "ARM64", "Microsoft.VisualStudio.Component.VC.Tools.ARM64"),
        ("macosx_14_0_arm64", "arm64", "xcode-select --install"),
    ],
    ids=["manylinux", "linux", "windows", "macos"],
)
def test_host_target_uses_its_platform_tag(tag: str, arch: str, expected: str) -> None:
    host = target(tag, OperatingSystem.HOST, arch)

    assert expected in _everything(setup_steps(_requirements(NUMPY_LIKE), host))


def test_unknown_host_platform_gets_a_note() -> None:
    host = target("freebsd_14_amd64", OperatingSystem.HOST, "amd64")

    (step,) = setup_steps(_requirements(NUMPY_LIKE), host)
    assert step.kind == "note"
