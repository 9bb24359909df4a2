"""The PEP 508 marker environment a CPython interpreter on a target reports.

Values are what ``platform`` and ``sys`` return there (e.g. ``platform.machine()`` is ``ARM64`` on
Windows on Arm but ``aarch64`` on Linux and ``arm64`` on macOS). ``platform_release`` is
given by the caller where the OS version fixes it (the Darwin version of a macOS version, the
Emscripten version of a Pyodide ABI); ``platform_version`` names an exact OS build and stays
empty, as uv leaves it for a ``--python-platform`` target.
"""

from __future__ import annotations

from wheelscout.model.target import OperatingSystem, Platform, Python

__all__ = ["marker_environment"]

# os -> (os_name, sys_platform, platform_system)
_OS_FIELDS: dict[OperatingSystem, tuple[str, str, str]] = {
    OperatingSystem.WINDOWS: ("nt", "win32", "Windows"),
    OperatingSystem.MANYLINUX: ("posix", "linux", "Linux"),
    OperatingSystem.MUSLLINUX: ("posix", "linux", "Linux"),
    OperatingSystem.MACOS: ("posix", "darwin", "Darwin"),
    OperatingSystem.IOS: ("posix", "ios", "iOS"),
    OperatingSystem.ANDROID: ("posix", "android", "Android"),
    OperatingSystem.EMSCRIPTEN: ("posix", "emscripten", "Emscripten"),
}


def marker_environment(
    platform: Platform, python: Python, *, machine: str, release: str = ""
) -> dict[str, str]:
    """Every PEP 508 marker variable, as the target interpreter would report it."""
    os_name, sys_platform, system = _OS_FIELDS[platform.os]
    return {
        "implementation_name": "cpython",
        "implementation_version": python.full,
        "os_name": os_name,
        "platform_machine": machine,
        "platform_release": release,
        "platform_system": system,
        "platform_version": "",
        "python_full_version": python.full,
        "platform_python_implementation": "CPython",
        "python_version": f"{python.major}.{python.minor}",
        "sys_platform": sys_platform,
    }
