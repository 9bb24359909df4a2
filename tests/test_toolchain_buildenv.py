"""Cross-build environments per backend and target, and their shell renderings."""

from __future__ import annotations

import io
import json

import jsonschema
import pytest

from tests.support.schemas import load_schema
from tests.support.sdists import NUMPY_LIKE, make_tar
from tests.support.targets import (
    ANDROID_ARM64,
    IOS_DEVICE,
    MACOS_ARM64,
    MACOS_UNIVERSAL2,
    MANYLINUX_AARCH64,
    MUSLLINUX_X86_64,
    PYODIDE,
    WIN32,
    WIN_AMD64,
    WIN_ARM64,
    target,
)
from wheelscout.errors import InputError, TargetError
from wheelscout.model.build import BACKENDS, Backend, BuildEnvironment
from wheelscout.model.target import OperatingSystem, Target
from wheelscout.sdist import inspect_sdist
from wheelscout.targets import FAMILIES, make_target
from wheelscout.targets.catalogue import Family
from wheelscout.toolchain import setup_steps
from wheelscout.toolchain.buildenv import SETUPTOOLS_EXT_SUFFIX_MINIMUM, build_environment
from wheelscout.toolchain.shell import SHELLS, Shell, as_dict, render

TARGETS = {
    t.spelling: t
    for t in (
        WIN_ARM64,
        WIN_AMD64,
        WIN32,
        MANYLINUX_AARCH64,
        MUSLLINUX_X86_64,
        MACOS_ARM64,
        MACOS_UNIVERSAL2,
        IOS_DEVICE,
        ANDROID_ARM64,
        PYODIDE,
    )
}


def _env(t: Target, backend: Backend, host: str = "windows/x86_64") -> BuildEnvironment:
    host_os, host_arch = host.split("/")
    return build_environment(t, backend, host_os=host_os, host_arch=host_arch)


def test_win_arm64_cp312_setuptools_cmd_has_the_three_variables() -> None:
    text = render(_env(WIN_ARM64, "setuptools"), "cmd")

    assert 'set "SETUPTOOLS_USE_DISTUTILS=local"' in text
    assert 'set "VSCMD_ARG_TGT_ARCH=arm64"' in text
    assert 'set "SETUPTOOLS_EXT_SUFFIX=.cp312-win_arm64.pyd"' in text
    assert f"setuptools>={SETUPTOOLS_EXT_SUFFIX_MINIMUM}" in text
    assert SETUPTOOLS_EXT_SUFFIX_MINIMUM == "57.4.0"


FREE_THREADED_ARM64 = target("win_arm64", OperatingSystem.WINDOWS, "ARM64", python="3.13t")


@pytest.mark.parametrize(
    ("t", "host", "suffix", "arch"),
    [
        (WIN_AMD64, "windows/ARM64", ".cp312-win_amd64.pyd", "x64"),
        (WIN32, "windows/AMD64", ".cp312-win32.pyd", "x86"),
        (FREE_THREADED_ARM64, "windows/AMD64", ".cp313t-win_arm64.pyd", "arm64"),
    ],
    ids=["win_amd64", "win32", "win_arm64-3.13t"],
)
def test_setuptools_suffix_follows_target_and_python(
    t: Target, host: str, suffix: str, arch: str
) -> None:
    variables = dict(_env(t, "setuptools", host=host).variables)

    assert variables["SETUPTOOLS_EXT_SUFFIX"] == suffix
    assert variables["VSCMD_ARG_TGT_ARCH"] == arch


def test_native_windows_build_needs_no_cross_variables() -> None:
    environment = _env(WIN_ARM64, "setuptools", host="windows/ARM64")

    assert environment.variables == ()
    assert not environment.cross


def test_linux_host_gets_the_windows_variables_and_a_note() -> None:
    environment = _env(WIN_ARM64, "setuptools", host="linux/x86_64")

    assert dict(environment.variables)["SETUPTOOLS_EXT_SUFFIX"] == ".cp312-win_arm64.pyd"
    assert any("MSVC runs only on Windows" in note for note in environment.notes)


def test_extra_setup_cfg_sets_plat_name() -> None:
    (cfg,) = _env(WIN_ARM64, "setuptools").files

    assert cfg.name == "extra-setup.cfg"
    assert "[build_ext]" in cfg.content
    assert "plat_name=win-arm64" in cfg.content


def test_meson_cross_file_for_windows_arm64() -> None:
    environment = _env(WIN_ARM64, "meson-python")

    (cross,) = environment.files
    assert "cpu_family = 'aarch64'" in cross.content
    assert "c = 'cl'" in cross.content
    assert f"--cross-file={cross.name}" in environment.commands[-1]


def test_meson_cross_file_for_musllinux_uses_musl_compilers() -> None:
    (cross,) = _env(MUSLLINUX_X86_64, "meson-python", host="linux/aarch64").files

    assert "c = 'x86_64-linux-musl-gcc'" in cross.content


def test_meson_python_on_macos_uses_archflags() -> None:
    variables = dict(_env(MACOS_UNIVERSAL2, "meson-python", host="macos/arm64").variables)

    assert variables["ARCHFLAGS"] == "-arch arm64 -arch x86_64"
    assert variables["MACOSX_DEPLOYMENT_TARGET"] == "10.13"


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        (WIN_ARM64, "maturin build --release --target aarch64-pc-windows-msvc -i python3.12"),
        (MACOS_UNIVERSAL2, "--target universal2-apple-darwin"),
        (MANYLINUX_AARCH64, "--compatibility manylinux_2_28 --zig"),
    ],
    ids=["win_arm64", "universal2", "manylinux-cross"],
)
def test_maturin_target_triple(t: Target, expected: str) -> None:
    environment = _env(t, "maturin", host="linux/x86_64")

    assert any(expected in command for command in environment.commands)


def test_maturin_compatibility_is_the_policy_without_arch() -> None:
    # The image's tag without its architecture: x86_64 is one arch, not "x86" plus "64".
    environment = _env(make_target("linux-x86_64", "3.12"), "maturin", host="linux/x86_64")

    (command,) = [c for c in environment.commands if c.startswith("maturin build")]
    assert command.endswith("--compatibility manylinux_2_28")


def test_scikit_build_core_windows_arm64_cmake_settings() -> None:
    variables = dict(_env(WIN_ARM64, "scikit-build-core").variables)

    assert variables["CMAKE_GENERATOR_PLATFORM"] == "ARM64"
    assert variables["SETUPTOOLS_EXT_SUFFIX"] == ".cp312-win_arm64.pyd"
    assert variables["DIST_EXTRA_CONFIG"] == "extra-setup.cfg"


@pytest.mark.parametrize(
    ("t", "identifier", "archs"),
    [
        (WIN_ARM64, "cp312-win_arm64", 'archs = ["ARM64"]'),
        (MANYLINUX_AARCH64, "cp312-manylinux_aarch64", 'archs = ["aarch64"]'),
        (MUSLLINUX_X86_64, "cp312-musllinux_x86_64", 'archs = ["x86_64"]'),
        (MACOS_ARM64, "cp312-macosx_arm64", 'archs = ["arm64"]'),
        (IOS_DEVICE, "cp313-ios_arm64_iphoneos", 'archs = ["arm64_iphoneos"]'),
        (ANDROID_ARM64, "cp313-android_arm64_v8a", 'archs = ["arm64_v8a"]'),
        (PYODIDE, "cp312-pyodide_wasm32", 'archs = ["wasm32"]'),
    ],
    ids=["windows", "manylinux", "musllinux", "macos", "ios", "android", "pyodide"],
)
def test_cibuildwheel_config(t: Target, identifier: str, archs: str) -> None:
    environment = _env(t, "cibuildwheel")

    assert dict(environment.variables)["CIBW_BUILD"] == identifier
    (config,) = environment.files
    assert config.name == "cibuildwheel.toml"
    assert archs in config.content


def test_cibuildwheel_free_threaded_313_is_enabled() -> None:
    t = target("win_amd64", OperatingSystem.WINDOWS, "amd64", python="3.13t")
    environment = _env(t, "cibuildwheel")

    assert dict(environment.variables)["CIBW_BUILD"] == "cp313t-win_amd64"
    assert 'enable = ["cpython-freethreading"]' in environment.files[0].content


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("t", TARGETS.values(), ids=TARGETS.keys())
@pytest.mark.parametrize("shell", SHELLS)
def test_every_combination_renders(backend: Backend, t: Target, shell: Shell) -> None:
    environment = _env(t, backend, host="linux/x86_64")
    text = render(environment, shell)

    assert environment.commands
    assert text.endswith("\n")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("t", TARGETS.values(), ids=TARGETS.keys())
def test_json_matches_the_shipped_schema(backend: Backend, t: Target) -> None:
    schema = load_schema("build-env-v1.schema.json")
    document = json.loads(render(_env(t, backend), "json"))

    jsonschema.validate(document, schema)
    assert document == as_dict(_env(t, backend))


def test_shell_quoting() -> None:
    environment = _env(MACOS_ARM64, "setuptools", host="macos/x86_64")

    assert "export ARCHFLAGS='-arch arm64'" in render(environment, "bash")
    assert "$env:ARCHFLAGS = '-arch arm64'" in render(environment, "powershell")
    assert 'set "ARCHFLAGS=-arch arm64"' in render(environment, "cmd")


def test_cmd_file_lines_escape_special_characters() -> None:
    text = render(_env(WIN_ARM64, "meson-python"), "cmd")

    assert ">> cross-win_arm64.ini echo [host_machine]" in text
    assert ">> cross-win_arm64.ini echo." in text


@pytest.mark.parametrize(
    ("host_os", "backend"), [("beos", "setuptools"), ("linux", "poetry")], ids=["os", "backend"]
)
def test_bad_host_or_backend_is_an_input_error(host_os: str, backend: str) -> None:
    with pytest.raises(InputError, match=repr(host_os if host_os == "beos" else backend)):
        build_environment(WIN_ARM64, backend, host_os=host_os, host_arch="x86_64")  # type: ignore[arg-type]


def _catalogue_target(family: Family) -> Target:
    for python in ("3.13", "3.12", "3.14"):
        try:
            return make_target(family.name, python)
        except TargetError:
            continue
    raise AssertionError(f"no Python for {family.name}")


@pytest.mark.parametrize("family", FAMILIES, ids=[family.name for family in FAMILIES])
def test_every_catalogue_target_has_steps_and_environments(family: Family) -> None:
    t = _catalogue_target(family)
    requirements = inspect_sdist(io.BytesIO(make_tar(NUMPY_LIKE)))

    assert setup_steps(requirements, t)
    for backend in BACKENDS:
        assert json.loads(render(_env(t, backend, host="linux/x86_64"), "json"))["commands"]
