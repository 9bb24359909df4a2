"""cibuildwheel configuration for one target: the pyproject table and the CIBW_ variables."""

from __future__ import annotations

from wheelscout.model.build import GeneratedFile
from wheelscout.model.target import OperatingSystem, Target
from wheelscout.toolchain._names import cibw_arch, cibw_identifier, cibw_platform
from wheelscout.toolchain.steps import linux_image

__all__ = ["cibuildwheel_config"]

_HOSTS = {
    "windows": "a Windows host (x64 cross-builds ARM64 but cannot test it)",
    "linux": "Docker (QEMU through binfmt for other architectures)",
    "macos": "a macOS host",
    "ios": "a macOS host with Xcode",
    "android": "a Linux or macOS host; cibuildwheel installs the Android NDK",
    "pyodide": "a Linux or macOS host; cibuildwheel installs the Pyodide toolchain",
}


def cibuildwheel_config(
    target: Target,
    variables: dict[str, str],
    files: list[GeneratedFile],
    commands: list[str],
    notes: list[str],
) -> None:
    """Fill in the cibuildwheel settings that build exactly ``target``."""
    platform = cibw_platform(target)
    arch = cibw_arch(target)
    identifier = cibw_identifier(target)
    table = [f'[tool.cibuildwheel]\nbuild = "{identifier}"\n']
    variables["CIBW_BUILD"] = identifier
    variables[f"CIBW_ARCHS_{platform.upper()}"] = arch
    if platform in ("ios", "android", "pyodide"):
        variables["CIBW_PLATFORM"] = platform
    if target.python.free_threaded and (target.python.major, target.python.minor) < (3, 14):
        table.append('enable = ["cpython-freethreading"]\n')
        variables["CIBW_ENABLE"] = "cpython-freethreading"
    image = linux_image(target.platform)
    if image is not None and target.platform.os is OperatingSystem.MANYLINUX:
        key = f"manylinux-{arch}-image"
        table.append(f'{key} = "{image.rsplit("_", 1)[0]}"\n')
        variables[f"CIBW_{key.upper().replace('-', '_')}"] = image.rsplit("_", 1)[0]
    table.append(f'\n[tool.cibuildwheel.{platform}]\narchs = ["{arch}"]\n')
    if target.platform.os is OperatingSystem.MACOS and target.platform.version:
        major, minor, *_ = (*target.platform.version, 0)
        table.append(f'environment = {{ MACOSX_DEPLOYMENT_TARGET = "{major}.{minor}" }}\n')
        variables["MACOSX_DEPLOYMENT_TARGET"] = f"{major}.{minor}"
    files.append(
        GeneratedFile(
            name="cibuildwheel.toml",
            content="".join(table),
            purpose="cibuildwheel settings (or copy the table into pyproject.toml, or use the "
            "CIBW_ variables alone)",
        )
    )
    commands.append("python -m pip install cibuildwheel")
    commands.append(
        f"cibuildwheel --platform {platform} --archs {arch} --config-file cibuildwheel.toml "
        "--output-dir wheelhouse"
    )
    notes.append(f"cibuildwheel needs {_HOSTS[platform]}")
