"""What `wheelscout audit` can find in a wheel, each with what it means and how to fix it."""

from __future__ import annotations

import enum

from wheelscout.model.finding import Finding, Severity

__all__ = ["Code", "Finding", "Severity"]


class Code(enum.Enum):
    """The codes of audit's findings; ``explanation`` says what each means and how to fix it.

    ``Finding`` and ``Severity`` (from :mod:`wheelscout.model.finding`) are exported here too,
    so an audit's findings are ``Finding[Code]``."""

    NOT_A_WHEEL = "not-a-wheel"
    UNSAFE_PATH = "unsafe-path"
    ZIP_BOMB = "zip-bomb"
    CORRUPT_MEMBER = "corrupt-member"
    MALFORMED_BINARY = "malformed-binary"
    WHEEL_METADATA = "wheel-metadata"
    WHEEL_TAG_MISMATCH = "wheel-tag-mismatch"
    ROOT_IS_PURELIB = "root-is-purelib"
    BINARY_IN_PURE_WHEEL = "binary-in-pure-wheel"
    FORMAT_MISMATCH = "format-mismatch"
    ARCH_MISMATCH = "arch-mismatch"
    EXT_SUFFIX = "ext-suffix"
    SYMBOL_VERSION = "symbol-version"
    NEEDED_OUTSIDE_POLICY = "needed-outside-policy"
    MACOS_MINOS = "macos-minos"
    MACOS_SLICES = "macos-slices"
    RECORD_MISSING = "record-missing"
    RECORD_UNLISTED = "record-unlisted"
    RECORD_ABSENT_FILE = "record-absent-file"
    RECORD_HASH = "record-hash"
    RECORD_SIZE = "record-size"

    @property
    def explanation(self) -> str:
        return _EXPLANATIONS[self]


_EXPLANATIONS: dict[Code, str] = {
    Code.NOT_A_WHEEL: "The file is not a readable zip archive or its name is not a valid wheel "
    "filename (PEP 427: name-version[-build]-python-abi-platform.whl). Rebuild it with a "
    "standard build backend instead of renaming or repacking by hand.",
    Code.UNSAFE_PATH: "A member name is absolute, has a drive letter or backslash, or contains "
    "'..'; installers must refuse such names because they write outside the target directory. "
    "Rebuild the wheel from a clean tree; never add members by hand.",
    Code.ZIP_BOMB: "A member declares an uncompressed size wildly out of proportion to its "
    "compressed size (or the total exceeds the limit); it was not decompressed. Real wheels "
    "never need this; rebuild it, or raise the limit if the data really is that sparse.",
    Code.CORRUPT_MEMBER: "A member cannot be decompressed (bad CRC, unsupported compression, "
    "encryption or truncation). Installers will fail on it; rebuild and re-upload the wheel.",
    Code.MALFORMED_BINARY: "A file starts like an ELF, PE or Mach-O binary but its headers are "
    "truncated, inconsistent or absurdly large, so the loader would reject it too. Check the "
    "build did not strip or truncate it (for example a failed download inside the build).",
    Code.WHEEL_METADATA: "The .dist-info/WHEEL file is missing or unreadable. Build backends "
    "write it; a wheel without it is rejected by installers.",
    Code.WHEEL_TAG_MISMATCH: "The Tag lines in .dist-info/WHEEL differ from the tags in the "
    "filename. Usually the file was renamed after the build (for example to change the platform "
    "tag); use `wheel tags --platform-tag ...` (or `python -m wheel tags`), which updates both.",
    Code.ROOT_IS_PURELIB: "Root-Is-Purelib in .dist-info/WHEEL disagrees with the tags: a "
    "platform wheel should say false (its files go to platlib), a pure wheel true. The build "
    "backend decides this from whether extension modules were built; check how the binaries "
    "got into the wheel.",
    Code.BINARY_IN_PURE_WHEEL: "The wheel is tagged for any platform (…-none-any) but carries "
    "a native binary, which only loads on the platform it was built for; everywhere else the "
    "import fails. Build per-platform wheels (declare the extension so the backend tags it, "
    "e.g. a non-empty ext_modules or `has_ext_modules` returning True in setuptools).",
    Code.FORMAT_MISMATCH: "A binary's format does not match the platform tag: ELF belongs to "
    "Linux, PE to Windows, Mach-O to macOS. The wheel was assembled from the wrong build "
    "directory or tagged for the wrong platform; rebuild on (or cross-compile for) the tagged "
    "platform.",
    Code.ARCH_MISMATCH: "A binary was built for a different CPU than the platform tag says "
    "(for example an x86_64 .so in an aarch64 wheel, or an AMD64 .pyd in a win_arm64 wheel); "
    "it fails to load with 'wrong ELF class' / 'not a valid Win32 application'. When "
    "cross-compiling, make sure the compiler targets the tagged CPU (on Windows: run the build "
    "from the ARM64 cross tools prompt / pass `--plat-name win-arm64`; on Linux: use the "
    "target's compiler, e.g. CC=aarch64-linux-gnu-gcc, or build in a manylinux aarch64 "
    "container). ARM64EC images load only into emulated x64 processes on Windows on Arm.",
    Code.EXT_SUFFIX: "An extension module's filename suffix is not one the tagged interpreter "
    "imports (importlib.machinery.EXTENSION_SUFFIXES there), so `import` fails with "
    "ModuleNotFoundError. When cross-compiling with setuptools, set the suffix explicitly: "
    "SETUPTOOLS_EXT_SUFFIX=<the suffix shown in the evidence>.",
    Code.SYMBOL_VERSION: "A binary needs a glibc / libstdc++ symbol version newer than the "
    "manylinux tag promises, so it fails with 'version `GLIBC_2.xx' not found' on the oldest "
    "systems the tag admits. Build in the matching manylinux container (or raise the tag), "
    "then run `auditwheel repair`.",
    Code.NEEDED_OUTSIDE_POLICY: "A binary links a shared library (DT_NEEDED) that is neither "
    "in the manylinux/musllinux allow list nor shipped inside the wheel, so it fails on systems "
    "without that library. Run `auditwheel repair` to vendor it, or link it statically.",
    Code.MACOS_MINOS: "A Mach-O slice's minimum macOS (LC_BUILD_VERSION / LC_VERSION_MIN_MACOSX) "
    "is newer than the wheel's macosx tag, so it fails to load on the older macOS versions the "
    "tag admits. Set MACOSX_DEPLOYMENT_TARGET to the tag's version when building, or rename "
    "the wheel to the real minimum (`delocate-wheel` checks this too).",
    Code.MACOS_SLICES: "A Mach-O binary lacks the architectures the macosx tag promises "
    "(universal2 needs x86_64 and arm64 slices, arm64 an arm64 slice, x86_64 an x86_64 slice). "
    "Build with ARCHFLAGS='-arch arm64 -arch x86_64' for universal2, or retag the wheel.",
    Code.RECORD_MISSING: "The .dist-info/RECORD file is missing or unreadable; installers "
    "need it to verify and uninstall. Rebuild the wheel with a standard backend.",
    Code.RECORD_UNLISTED: "A member is not listed in RECORD (or listed without a hash); it "
    "was added after the build. Rebuild, or regenerate RECORD with `wheel pack`.",
    Code.RECORD_ABSENT_FILE: "RECORD lists a file that the wheel does not contain; a member "
    "was removed after the build. Regenerate RECORD with `wheel pack`.",
    Code.RECORD_HASH: "A member's content does not match its RECORD hash: it was modified "
    "after the build (for example patched or re-signed). pip refuses such wheels when hashes "
    "are checked. Regenerate RECORD with `wheel pack` after the last modification.",
    Code.RECORD_SIZE: "A member's size does not match its RECORD entry; it was modified after "
    "the build. Regenerate RECORD with `wheel pack`.",
}
