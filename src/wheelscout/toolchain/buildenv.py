"""Cross-build environments: what a maintainer sets to build wheels for a target from a host.

One builder per backend; each returns the variables, files and commands the backend's own
documentation (or cibuildwheel, which automates the same) uses for that target.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from wheelscout.errors import InputError
from wheelscout.model.build import Backend, BuildEnvironment, GeneratedFile
from wheelscout.model.target import OperatingSystem, Target
from wheelscout.toolchain import _names
from wheelscout.toolchain._arch import arch_info, canonical_arch, rust_targets
from wheelscout.toolchain._cibuildwheel import cibuildwheel_config
from wheelscout.toolchain._crossfiles import meson_cross_file
from wheelscout.toolchain._names import canonical_host_arch, wheel_tag, windows_names
from wheelscout.toolchain.steps import deployment_target, linux_image, linux_image_tag

__all__ = ["HOST_OSES", "SETUPTOOLS_EXT_SUFFIX_MINIMUM", "build_environment"]

HOST_OSES = ("windows", "linux", "macos")
# SETUPTOOLS_EXT_SUFFIX arrived in setuptools 57.4.0 (pypa/setuptools#2722); 57.2.0 taught
# setuptools to read VSCMD_ARG_TGT_ARCH for ARM64 (#2724).
SETUPTOOLS_EXT_SUFFIX_MINIMUM = "57.4.0"
_SETUPTOOLS_HISTORY = "https://setuptools.pypa.io/en/latest/history.html#v57-4-0"
_CIBW_WINDOWS = "https://github.com/pypa/cibuildwheel/blob/main/cibuildwheel/platforms/windows.py"
_SKBUILD_CROSS = "https://scikit-build-core.readthedocs.io/en/latest/guide/crosscompile.html"
_MESON_PY_ENV = "https://mesonbuild.com/meson-python/reference/environment-variables.html"
_MESON_CROSS = "https://mesonbuild.com/Cross-compilation.html"
_MATURIN = "https://www.maturin.rs/distribution.html"
_PYODIDE = "https://pyodide.org/en/stable/development/building-packages.html"
_MANYLINUX = "https://github.com/pypa/manylinux"
_LINUX = (OperatingSystem.MANYLINUX, OperatingSystem.MUSLLINUX)
_ELSEWHERE = (OperatingSystem.IOS, OperatingSystem.ANDROID)


@dataclass(slots=True)
class _Parts:
    target: Target
    host_os: str
    host_arch: str
    variables: dict[str, str] = field(default_factory=dict)
    files: list[GeneratedFile] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @property
    def arch(self) -> str:
        return canonical_arch(self.target.platform)

    @property
    def os(self) -> OperatingSystem:
        return self.target.platform.os


def build_environment(
    target: Target, backend: Backend, *, host_os: str, host_arch: str
) -> BuildEnvironment:
    """The environment to build ``target`` wheels with ``backend`` on a ``host_os``/``host_arch``.

    ``host_os`` is ``windows``, ``linux`` or ``macos``; ``host_arch`` any ``platform.machine()``
    spelling. When the host cannot build for the target at all (MSVC from Linux), the result
    is for the usual build host and a note says so.
    """
    if host_os not in HOST_OSES:
        raise InputError(f"unknown host OS {host_os!r}: expected one of {', '.join(HOST_OSES)}")
    if target.platform.os is OperatingSystem.HOST:
        raise InputError(
            f"build-env needs a named target, not {target.spelling!r}: a build for the host "
            "needs no cross-build environment"
        )
    builder = _BUILDERS.get(backend)
    if builder is None:
        raise InputError(f"unknown backend {backend!r}: expected one of {', '.join(_BUILDERS)}")
    parts = _Parts(target=target, host_os=host_os, host_arch=canonical_host_arch(host_arch))
    builder(parts)
    return BuildEnvironment(
        target=target.label,
        backend=backend,
        host=f"{parts.host_os}/{parts.host_arch}",
        cross=_is_cross(parts),
        variables=tuple(parts.variables.items()),
        files=tuple(parts.files),
        commands=tuple(parts.commands),
        requirements=tuple(parts.requirements),
        notes=tuple(parts.notes),
        sources=tuple(dict.fromkeys(parts.sources)),
    )


def _is_cross(parts: _Parts) -> bool:
    same_os = {
        OperatingSystem.WINDOWS: "windows",
        OperatingSystem.MANYLINUX: "linux",
        OperatingSystem.MUSLLINUX: "linux",
        OperatingSystem.MACOS: "macos",
    }.get(parts.os)
    return same_os != parts.host_os or parts.arch != parts.host_arch


def _windows_host(parts: _Parts) -> str:
    """The Windows host arch the variables are for; notes when the real host is not Windows."""
    if parts.host_os == "windows":
        return parts.host_arch
    parts.notes.append(
        "MSVC runs only on Windows: use these on a Windows x64 machine, or build natively on "
        "Windows on Arm (for example GitHub's windows-11-arm runners)"
    )
    return "x86_64"


def _vcvarsall(parts: _Parts, host: str) -> None:
    target_name = windows_names(parts.arch).vs
    host_info = arch_info(host)
    host_windows = host_info.windows if host_info is not None else None
    host_name = (host_windows or windows_names("x86_64")).vs
    spec = target_name if host_name == target_name else f"{host_name}_{target_name}"
    parts.notes.append(
        f'run in a Visual Studio developer prompt for {spec}: "%VCINSTALLDIR%\\Auxiliary\\Build'
        f'\\vcvarsall.bat" {spec} (it also sets VSCMD_ARG_TGT_ARCH={target_name})'
    )


def _windows_cross_variables(parts: _Parts) -> None:
    """The setuptools-style variables cibuildwheel sets for a Windows cross build."""
    plat_name = windows_names(parts.arch).plat_name
    parts.variables["SETUPTOOLS_USE_DISTUTILS"] = "local"
    parts.variables["VSCMD_ARG_TGT_ARCH"] = windows_names(parts.arch).vs
    parts.variables["SETUPTOOLS_EXT_SUFFIX"] = f".{wheel_tag(parts.target)}.pyd"
    parts.variables["DIST_EXTRA_CONFIG"] = "extra-setup.cfg"
    libs = f"C:\\path\\to\\python-{parts.target.python.short}-{windows_names(parts.arch).vs}\\libs"
    parts.files.append(
        GeneratedFile(
            name="extra-setup.cfg",
            content=f"[build]\nplat_name={plat_name}\n[build_ext]\nlibrary_dirs={libs}\n"
            f"plat_name={plat_name}\n[bdist_wheel]\nplat_name={plat_name}\n",
            purpose=f"tells setuptools (and scikit-build-core) to build for {plat_name} and "
            "to link against the target Python's import libraries",
        )
    )
    parts.notes.append(
        f"library_dirs must point at the {plat_name} Python's libs folder (python*.lib); "
        "cibuildwheel gets it from the pythonarm64/python/pythonx86 NuGet packages"
    )
    parts.sources.extend((_SETUPTOOLS_HISTORY, _CIBW_WINDOWS))


def _setuptools(parts: _Parts) -> None:
    if parts.os is OperatingSystem.WINDOWS:
        host = _windows_host(parts)
        if host != parts.arch:
            _windows_cross_variables(parts)
            parts.variables["CARGO_BUILD_TARGET"] = rust_targets(parts.target.platform)[0]
            parts.requirements.append(f"setuptools>={SETUPTOOLS_EXT_SUFFIX_MINIMUM}")
            parts.notes.append(
                f"SETUPTOOLS_EXT_SUFFIX needs setuptools>={SETUPTOOLS_EXT_SUFFIX_MINIMUM}; "
                "CARGO_BUILD_TARGET only matters for setuptools-rust extensions"
            )
        _vcvarsall(parts, host)
        parts.commands.append("python -m build --wheel")
    elif parts.os is OperatingSystem.MACOS:
        _macos(parts, host_platform=True)
        parts.commands.extend(
            ("python -m build --wheel", "delocate-wheel -w wheelhouse dist/*.whl")
        )
    else:
        _elsewhere(parts)


def _macos(parts: _Parts, *, host_platform: bool) -> None:
    deployment = deployment_target(parts.target.platform)
    arch = {"aarch64": "arm64"}.get(parts.arch, parts.arch)
    flags = "-arch arm64 -arch x86_64" if arch == "universal2" else f"-arch {arch}"
    parts.variables["MACOSX_DEPLOYMENT_TARGET"] = deployment
    parts.variables["ARCHFLAGS"] = flags
    if host_platform:
        parts.variables["_PYTHON_HOST_PLATFORM"] = f"macosx-{deployment}-{arch}"
    if parts.host_os != "macos":
        parts.notes.append("macOS wheels need a macOS host with the Xcode command line tools")
    parts.sources.append("https://cibuildwheel.pypa.io/en/stable/platforms/#macos")


def _elsewhere(parts: _Parts) -> None:
    """Linux (in the manylinux images), iOS/Android (cibuildwheel), WebAssembly (pyodide)."""
    if parts.os in _LINUX:
        _linux_image(parts)
    elif parts.os is OperatingSystem.EMSCRIPTEN:
        parts.commands.extend(("python -m pip install pyodide-build", "pyodide build"))
        parts.notes.append("pyodide-build sets up the Emscripten toolchain and cross sysconfig")
        parts.sources.append(_PYODIDE)
    else:
        parts.notes.append(
            f"{parts.target.platform.name}: cross toolchains are set up by cibuildwheel: "
            "use --backend cibuildwheel"
        )
        _cibuildwheel(parts)


def _linux_image(parts: _Parts) -> None:
    image = linux_image(parts.target.platform)
    docker = _names.docker_platform(parts.arch)
    python = f"/opt/python/{_abi_dir(parts.target)}/bin/python"
    if parts.arch != parts.host_arch:
        parts.commands.append("docker run --privileged --rm tonistiigi/binfmt --install all")
        parts.notes.append(f"emulating {docker} with QEMU: slow, but the image's compilers work")
    parts.commands.append(
        f'docker run --rm --platform {docker} -v "$PWD":/io -w /io quay.io/pypa/{image} '
        f"sh -c '{python} -m build --wheel && auditwheel repair --plat "
        f"{parts.target.platform.name} -w wheelhouse dist/*.whl'"
    )
    parts.sources.append(_MANYLINUX)


def _abi_dir(target: Target) -> str:
    tag = f"cp{target.python.nodot}"
    return f"{tag}-{tag}{'t' if target.python.free_threaded else ''}"


def _meson_python(parts: _Parts) -> None:
    if parts.os is OperatingSystem.MACOS:
        _macos(parts, host_platform=False)
        parts.notes.append("meson-python turns ARCHFLAGS into a Meson cross file by itself")
        parts.commands.append("python -m build --wheel")
        parts.sources.append(_MESON_PY_ENV)
        return
    if parts.os is OperatingSystem.WINDOWS:
        host = _windows_host(parts)
        _vcvarsall(parts, host)
        if host == parts.arch:
            parts.commands.append("python -m build --wheel")
            return
    elif parts.os not in _LINUX or (parts.arch == parts.host_arch and parts.host_os == "linux"):
        _elsewhere(parts)
        return
    cross = meson_cross_file(parts.target)
    parts.files.append(cross)
    parts.commands.append(f'python -m build --wheel -Csetup-args="--cross-file={cross.name}"')
    parts.notes.append(
        "meson-python names the wheel and extension suffix after the interpreter running the "
        "build: cross builds need the target's sysconfig (crossenv), or build natively/emulated"
    )
    parts.sources.extend(
        (_MESON_CROSS, "https://numpy.org/devdocs/building/cross_compilation.html")
    )


def _scikit_build_core(parts: _Parts) -> None:
    if parts.os is OperatingSystem.WINDOWS:
        host = _windows_host(parts)
        if host != parts.arch:
            _windows_cross_variables(parts)
            del parts.variables["SETUPTOOLS_USE_DISTUTILS"]
            parts.variables["CMAKE_GENERATOR"] = "Visual Studio 17 2022"
            parts.variables["CMAKE_GENERATOR_PLATFORM"] = windows_names(parts.arch).cmake
            parts.notes.append(
                "scikit-build-core reads build_ext.library_dirs from DIST_EXTRA_CONFIG and the "
                "suffix from SETUPTOOLS_EXT_SUFFIX"
            )
        _vcvarsall(parts, host)
        parts.commands.append("python -m build --wheel")
        parts.sources.append(_SKBUILD_CROSS)
    elif parts.os is OperatingSystem.MACOS:
        _macos(parts, host_platform=False)
        parts.notes.append(
            "scikit-build-core honours ARCHFLAGS unless CMAKE_SYSTEM_PROCESSOR is set"
        )
        parts.commands.append("python -m build --wheel")
        parts.sources.append(_SKBUILD_CROSS)
    else:
        _elsewhere(parts)


def _maturin(parts: _Parts) -> None:
    platform = parts.target.platform
    interpreter = f"python{parts.target.python.short}"
    if parts.os is OperatingSystem.EMSCRIPTEN or parts.os in _ELSEWHERE:
        _elsewhere(parts)
        return
    triples = rust_targets(platform)
    triple = "universal2-apple-darwin" if len(triples) > 1 else triples[0]
    parts.commands.append(f"rustup target add {' '.join(triples)}")
    command = f"maturin build --release --target {triple} -i {interpreter}"
    if parts.os in _LINUX:
        image = linux_image_tag(platform)
        command += f" --compatibility {image.without_arch if image else ''}"
        if parts.arch != parts.host_arch or parts.host_os != "linux":
            command += " --zig"
            parts.notes.append("--zig links for the target with zig (pip install ziglang)")
    if parts.os is OperatingSystem.MACOS:
        parts.variables["MACOSX_DEPLOYMENT_TARGET"] = deployment_target(parts.target.platform)
    if parts.os is OperatingSystem.WINDOWS and parts.host_os != "windows":
        parts.notes.append("from Linux or macOS, maturin links MSVC targets through cargo-xwin")
    parts.commands.append(command)
    parts.sources.append(_MATURIN)


def _cibuildwheel(parts: _Parts) -> None:
    cibuildwheel_config(parts.target, parts.variables, parts.files, parts.commands, parts.notes)
    parts.sources.append("https://cibuildwheel.pypa.io/en/stable/options/")


_BUILDERS: dict[str, Callable[[_Parts], None]] = {
    "setuptools": _setuptools,
    "meson-python": _meson_python,
    "maturin": _maturin,
    "scikit-build-core": _scikit_build_core,
    "cibuildwheel": _cibuildwheel,
}
