"""The catalogue: which platforms and Pythons wheelscout knows, their names and defaults.

Everything here is data. The defaults are the *oldest* OS floor still in mainstream support,
because a floor that is too high hides exactly the source builds wheelscout exists to show:

- glibc 2.28: RHEL/Alma/Rocky 8 (supported to 2029) and the ``manylinux_2_28`` images that
  cibuildwheel builds on by default; every current mainstream distribution has 2.28 or newer.
  armv7l and riscv64 default to 2.31, the oldest floor with official build images for them.
- musl 1.2: Alpine 3.13 and later (every supported Alpine), and uv's default.
- macOS 13.0: uv's default deployment target for its macOS triples.
- iOS 13.0 and Android API level 24: the minimums of PEP 730 and PEP 738.
"""

from __future__ import annotations

from dataclasses import dataclass

from wheelscout.model.target import OperatingSystem

__all__ = [
    "DEFAULT_VERSIONS",
    "EMSCRIPTEN_ABIS",
    "FAMILIES",
    "LINUX_ARCHES",
    "PYTHON_LINES",
    "EmscriptenAbi",
    "Family",
]

# CPython release lines wheelscout knows. A version given without a patch level means its first
# release (3.12 -> 3.12.0), as pip's and uv's --python-version do: the pessimistic reading,
# so a Requires-Python such as >=3.12.4 shows up. ``--python 3.12.4`` names a patch.
PYTHON_LINES: tuple[tuple[int, int], ...] = (
    (3, 9), (3, 10), (3, 11), (3, 12), (3, 13), (3, 14), (3, 15),
)  # fmt: skip

# Tag arch -> (platform_machine on that OS, human name). Linux reports `uname -m`.
LINUX_ARCHES: dict[str, str] = {
    "x86_64": "x86-64",
    "aarch64": "ARM64",
    "ppc64le": "POWER little-endian",
    "s390x": "IBM Z",
    "armv7l": "ARMv7 hard-float",
    "i686": "x86 32-bit",
    "riscv64": "RISC-V 64",
}

DEFAULT_VERSIONS: dict[OperatingSystem, tuple[int, ...]] = {
    OperatingSystem.MANYLINUX: (2, 28),
    OperatingSystem.MUSLLINUX: (1, 2),
    OperatingSystem.MACOS: (13, 0),
    OperatingSystem.IOS: (13, 0),
    OperatingSystem.ANDROID: (24,),
}

# Arches whose oldest official manylinux image is newer than the general default.
GLIBC_DEFAULT_BY_ARCH: dict[str, tuple[int, int]] = {"armv7l": (2, 31), "riscv64": (2, 31)}


@dataclass(frozen=True, slots=True, kw_only=True)
class EmscriptenAbi:
    """One Pyodide / PEP 783 ABI: its year and patch, the one Python it is built for, and the
    Emscripten version (which ``platform.release()`` reports there)."""

    year: int
    patch: int
    python: tuple[int, int]
    emscripten: str

    @property
    def tags(self) -> tuple[str, ...]:
        # PEP 783 names the ABI pyemscripten_*; the Pyodide ABIs before it were published as
        # pyodide_*, and uv accepts both for them.
        standard = f"pyemscripten_{self.year}_{self.patch}_wasm32"
        if self.year <= 2025:
            return (standard, f"pyodide_{self.year}_{self.patch}_wasm32")
        return (standard,)


EMSCRIPTEN_ABIS: dict[str, EmscriptenAbi] = {
    "pyodide-2024": EmscriptenAbi(year=2024, patch=0, python=(3, 12), emscripten="3.1.58"),
    "pyodide-2025": EmscriptenAbi(year=2025, patch=0, python=(3, 13), emscripten="4.0.9"),
    "pyemscripten-2026": EmscriptenAbi(year=2026, patch=0, python=(3, 14), emscripten="4.0.19"),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Family:
    """A friendly platform name and what it means.

    ``arch`` is the architecture as it appears in platform tags (``arm64`` for Windows and
    macOS, ``aarch64`` for Linux, the Android ABI, the iOS multiarch).
    """

    name: str
    os: OperatingSystem
    arch: str
    machine: str
    description: str
    aliases: tuple[str, ...] = ()


def _linux_families() -> list[Family]:
    families = []
    for arch, human in LINUX_ARCHES.items():
        extra: tuple[str, ...] = ("linux-arm64", "manylinux-arm64") if arch == "aarch64" else ()
        if arch == "x86_64":
            extra = ("linux-x64", "linux-amd64", "manylinux-x64")
        families.append(
            Family(
                name=f"linux-{arch}",
                os=OperatingSystem.MANYLINUX,
                arch=arch,
                machine=arch,
                description=f"Linux {human}, glibc (manylinux)",
                aliases=(f"manylinux-{arch}", *extra),
            )
        )
        musl_extra = ("musllinux-arm64", "alpine-arm64") if arch == "aarch64" else ()
        families.append(
            Family(
                name=f"musllinux-{arch}",
                os=OperatingSystem.MUSLLINUX,
                arch=arch,
                machine=arch,
                description=f"Linux {human}, musl (musllinux, e.g. Alpine)",
                aliases=(f"linux-musl-{arch}", f"alpine-{arch}", *musl_extra),
            )
        )
    return families


FAMILIES: tuple[Family, ...] = (
    Family(
        name="win-arm64",
        os=OperatingSystem.WINDOWS,
        arch="arm64",
        machine="ARM64",
        description="Windows on Arm (ARM64)",
        aliases=("windows-arm64", "win-aarch64", "woa"),
    ),
    Family(
        name="win-amd64",
        os=OperatingSystem.WINDOWS,
        arch="amd64",
        machine="AMD64",
        description="Windows x64",
        aliases=("windows-amd64", "win-x64", "windows-x64", "win64", "windows"),
    ),
    Family(
        name="win32",
        os=OperatingSystem.WINDOWS,
        arch="win32",
        machine="x86",
        description="Windows x86 (32-bit)",
        aliases=("win-x86", "windows-x86", "win-i686"),
    ),
    *_linux_families(),
    Family(
        name="macos-arm64",
        os=OperatingSystem.MACOS,
        arch="arm64",
        machine="arm64",
        description="macOS on Apple silicon",
        aliases=("macos-aarch64", "mac-arm64", "macos", "darwin-arm64"),
    ),
    Family(
        name="macos-x86_64",
        os=OperatingSystem.MACOS,
        arch="x86_64",
        machine="x86_64",
        description="macOS on Intel",
        aliases=("macos-x64", "macos-intel", "mac-x86_64", "darwin-x86_64"),
    ),
    Family(
        name="macos-universal2",
        os=OperatingSystem.MACOS,
        arch="universal2",
        machine="arm64",
        description="macOS universal2 only (app bundles shipping both architectures)",
        aliases=("mac-universal2",),
    ),
    Family(
        name="ios-arm64",
        os=OperatingSystem.IOS,
        arch="arm64_iphoneos",
        machine="arm64",
        description="iOS device (PEP 730)",
        aliases=("ios",),
    ),
    Family(
        name="ios-arm64-simulator",
        os=OperatingSystem.IOS,
        arch="arm64_iphonesimulator",
        machine="arm64",
        description="iOS simulator on Apple silicon",
    ),
    Family(
        name="ios-x86_64-simulator",
        os=OperatingSystem.IOS,
        arch="x86_64_iphonesimulator",
        machine="x86_64",
        description="iOS simulator on Intel",
    ),
    Family(
        name="android-arm64",
        os=OperatingSystem.ANDROID,
        arch="arm64_v8a",
        machine="aarch64",
        description="Android ARM64 (PEP 738)",
        aliases=("android", "android-arm64-v8a", "android-aarch64"),
    ),
    Family(
        name="android-x86_64",
        os=OperatingSystem.ANDROID,
        arch="x86_64",
        machine="x86_64",
        description="Android x86-64 (emulators, Chromebooks)",
    ),
    Family(
        name="android-armv7",
        os=OperatingSystem.ANDROID,
        arch="armeabi_v7a",
        machine="armv7l",
        description="Android ARMv7 (32-bit)",
        aliases=("android-armeabi-v7a",),
    ),
    Family(
        name="android-x86",
        os=OperatingSystem.ANDROID,
        arch="x86",
        machine="i686",
        description="Android x86 (32-bit)",
    ),
    *(
        Family(
            name=name,
            os=OperatingSystem.EMSCRIPTEN,
            arch="wasm32",
            machine="wasm32",
            description=(
                f"WebAssembly, {'Pyodide' if name.startswith('pyodide') else 'PEP 783'} ABI "
                f"{abi.tags[-1]} (Python {abi.python[0]}.{abi.python[1]} only)"
            ),
            aliases=(name.replace("-", ""),),
        )
        for name, abi in EMSCRIPTEN_ABIS.items()
    ),
)
