"""Pure checks: what the wheel's tags promise against what its binaries and metadata say."""

from __future__ import annotations

import email.parser
import posixpath
from collections.abc import Iterable, Iterator

from packaging.tags import Tag, parse_tag

from wheelscout.binary.findings import Code
from wheelscout.binary.linking import unresolved_needed
from wheelscout.binary.policy import Policy, parse_linux_tag, policy_for
from wheelscout.binary.suffixes import extension_suffixes, module_suffix, platform_family
from wheelscout.binary.wheel import BinaryFile, WheelContents
from wheelscout.limits import MAX_TAGS_PER_FILENAME, tag_count
from wheelscout.model.finding import Finding, Severity
from wheelscout.model.platform import PlatformFamily, PlatformTag

__all__ = ["check_wheel"]

_WINDOWS_MACHINES = {
    "win_amd64": {"AMD64"},
    "win32": {"I386"},
    "win_arm64": {"ARM64", "ARM64X"},
    "win_arm32": {"ARMNT"},
    "win_ia64": {"IA64"},
}
# Legacy macOS groups whose wheels held any of several slice sets: no one set is required.
_ANY_OF_SLICES = frozenset({"fat", "fat3", "fat32", "fat64", "universal"})
_FAMILY_OF_FORMAT = {"elf": "linux", "pe": "windows", "macho": "macos"}
_ARM64_MACOS = (11, 0)
# The dynamic loader and musl's libc are the system itself, as auditwheel's lddtree treats them.
_LOADERS = ("ld-linux", "ld64.so.")
_ALWAYS_PRESENT = (*_LOADERS, "ld-musl-", "libc.musl-")


def check_wheel(tags: frozenset[Tag], contents: WheelContents) -> list[Finding[Code]]:
    """Every tag-related finding for a wheel whose filename carries ``tags``."""
    findings = list(_check_metadata(tags, contents.wheel_metadata))
    pure = all(t.platform == "any" for t in tags)
    for binary in contents.binaries:
        if pure:
            findings.append(_pure_finding(binary))
            continue
        findings.extend(_check_binary(tags, binary))
    if not pure:
        findings.extend(_check_needed(tags, contents))
    return findings


def _pure_finding(binary: BinaryFile) -> Finding[Code]:
    what = "library" if binary.loadable else "program"
    # Programs in pure wheels are often deliberate payloads (pip's and setuptools' Windows
    # launchers); only a library means an extension module was packed into the wrong wheel.
    return _error(
        Code.BINARY_IN_PURE_WHEEL,
        binary,
        f"{binary.format} {what} for {', '.join(binary.arches)} in a pure wheel",
        severity=Severity.ERROR if binary.loadable else Severity.WARNING,
    )


def _error(
    code: Code,
    binary: BinaryFile | None,
    message: str,
    evidence: str = "",
    fix: str = "",
    severity: Severity = Severity.ERROR,
) -> Finding[Code]:
    return Finding(
        code=code,
        severity=severity,
        message=message,
        member=binary.member if binary else None,
        evidence=evidence,
        fix=fix,
    )


def _check_metadata(tags: frozenset[Tag], text: str | None) -> Iterator[Finding[Code]]:
    if text is None:
        return
    message = email.parser.Parser().parsestr(text)
    lines = message.get_all("Tag") or []
    try:
        if sum(tag_count(line) for line in lines) > MAX_TAGS_PER_FILENAME:
            raise ValueError("too many tags to expand")
        declared = {str(t) for line in lines for t in parse_tag(line)}
    except ValueError:
        declared = set(message.get_all("Tag") or [])
    expected = {str(t) for t in tags}
    if declared != expected:
        evidence = (
            f"WHEEL only: {sorted(declared - expected)}; "
            f"filename only: {sorted(expected - declared)}"
        )
        yield _error(
            Code.WHEEL_TAG_MISMATCH,
            None,
            "WHEEL Tag lines differ from the filename",
            evidence,
            severity=Severity.WARNING,
        )
    root = (message.get("Root-Is-Purelib") or "").strip().lower()
    pure = all(t.platform == "any" for t in tags)
    if root not in ("true", "false"):
        yield _error(
            Code.WHEEL_METADATA, None, "Root-Is-Purelib is missing or not true/false", repr(root)
        )
    elif (root == "true") != pure:
        kind = "pure" if pure else "platform"
        yield _error(
            Code.ROOT_IS_PURELIB,
            None,
            f"Root-Is-Purelib: {root} in a {kind} wheel",
            f"tags {sorted(expected)}",
            severity=Severity.WARNING,
        )


def _check_binary(tags: frozenset[Tag], binary: BinaryFile) -> Iterator[Finding[Code]]:
    platforms = sorted({t.platform for t in tags})
    family = _FAMILY_OF_FORMAT[binary.format]
    mine = [p for p in platforms if platform_family(p) == family]
    known = [p for p in platforms if platform_family(p) is not None]
    if not mine:
        if known:
            # A foreign program (say a Windows launcher) may be a deliberate payload; a foreign
            # library can only be a packaging mistake.
            yield _error(
                Code.FORMAT_MISMATCH,
                binary,
                f"{binary.format} {'library' if binary.loadable else 'program'} in a wheel for "
                f"{', '.join(known)}",
                f"{binary.format} {', '.join(binary.arches)}",
                severity=Severity.ERROR if binary.loadable else Severity.WARNING,
            )
        return
    if binary.format == "pe":
        yield from _check_pe(mine, binary)
    elif binary.format == "elf":
        yield from _check_elf(mine, binary)
    else:
        yield from _check_macho(mine, binary)
    yield from _check_suffix(tags, binary)


def _check_pe(platforms: list[str], binary: BinaryFile) -> Iterator[Finding[Code]]:
    machine = binary.arches[0]
    for platform in platforms:
        allowed = _WINDOWS_MACHINES.get(platform)
        if allowed is not None and machine not in allowed:
            yield _error(
                Code.ARCH_MISMATCH,
                binary,
                f"PE machine {machine} in a {platform} wheel",
                f"machine {machine}; {platform} needs {' or '.join(sorted(allowed))}",
            )


def _check_elf(platforms: list[str], binary: BinaryFile) -> Iterator[Finding[Code]]:
    assert binary.elf is not None
    arch = binary.elf.arch
    linux_tags = []
    for platform in platforms:
        tag = parse_linux_tag(platform)
        parsed = PlatformTag.parse(platform)
        tag_arch = parsed.arch if parsed is not None else platform
        if arch != tag_arch:
            yield _error(
                Code.ARCH_MISMATCH,
                binary,
                f"ELF {arch} in a {platform} wheel",
                f"e_machine {binary.elf.machine}, {binary.elf.bits}-bit "
                f"{binary.elf.byteorder}-endian = {arch}; {platform} needs {tag_arch}",
            )
        elif tag is not None:
            linux_tags.append(tag)
    for tag in _strictest(linux_tags):
        yield from _check_policy(tag, binary)


def _check_policy(tag: PlatformTag, binary: BinaryFile) -> Iterator[Finding[Code]]:
    policy = policy_for(tag)
    if policy is not None:
        yield from _check_symbol_versions(tag, policy, binary)


def _strictest(tags: Iterable[PlatformTag]) -> list[PlatformTag]:
    """Per family, the tag with the oldest libc: the promise the wheel must keep."""
    out = []
    for family in (PlatformFamily.MANYLINUX, PlatformFamily.MUSLLINUX):
        mine = [t for t in tags if t.family is family]
        if mine:
            out.append(min(mine, key=lambda t: t.version))
    return out


def _check_needed(tags: frozenset[Tag], contents: WheelContents) -> Iterator[Finding[Code]]:
    parsed = [t for tag in tags if (t := parse_linux_tag(tag.platform)) is not None]
    members = frozenset(contents.members)
    for tag in _strictest(parsed):
        policy = policy_for(tag)
        if policy is None:
            continue
        allowed = policy.lib_whitelist

        def system(library: str, allowed: frozenset[str] = allowed) -> bool:
            return library.startswith(_ALWAYS_PRESENT) or library in allowed

        linux = [b for b in contents.binaries if b.elf is not None and b.elf.arch == tag.arch]
        unresolved = unresolved_needed(linux, members, system)
        by_member = {b.member: b for b in linux}
        for member, libraries in sorted(unresolved.items()):
            for library in libraries:
                yield _needed_finding(policy, by_member[member], library, members)


def _needed_finding(
    policy: Policy, binary: BinaryFile, library: str, members: frozenset[str]
) -> Finding[Code]:
    assert binary.elf is not None
    where = "ships in the wheel but is not on any search path that reaches it"
    if not any(posixpath.basename(m) == library for m in members):
        where = "is not in the wheel"
    return _error(
        Code.NEEDED_OUTSIDE_POLICY,
        binary,
        f"links {library}: not in the {policy.name} allow list and {where}",
        f"DT_NEEDED {library}; RPATH {':'.join(binary.elf.rpath) or '-'}; "
        f"RUNPATH {':'.join(binary.elf.runpath) or '-'}",
    )


def _check_symbol_versions(
    tag: PlatformTag, policy: Policy, binary: BinaryFile
) -> Iterator[Finding[Code]]:
    assert binary.elf is not None
    exact = policy.name == tag.without_arch
    allowed = policy.symbol_versions.get(tag.arch, {})
    too_new: dict[str, list[str]] = {}
    for need in binary.elf.version_needs:
        if need.library.startswith(_LOADERS):
            continue  # auditwheel ignores what the dynamic loader itself provides
        prefix, _, version = need.version.partition("_")
        if exact:
            above = prefix in allowed and version not in allowed[prefix]
        else:  # a tag newer than the policy file: only glibc can be judged, by number
            above = prefix == "GLIBC" and _glibc_above(version, tag.version)
        if above:
            too_new.setdefault(prefix, []).append(version)
    for prefix, versions in sorted(too_new.items()):
        worst = max(versions, key=_version_key)
        yield _error(
            Code.SYMBOL_VERSION,
            binary,
            f"needs {prefix}_{worst}, above what {tag.without_arch} allows",
            f"{prefix} versions beyond {policy.name}: "
            f"{', '.join(sorted(set(versions), key=_version_key))}",
            fix=_retag_hint(tag, prefix, worst),
        )


def _retag_hint(tag: PlatformTag, prefix: str, version: str) -> str:
    key = _version_key(version)
    if tag.family is not PlatformFamily.MANYLINUX or prefix != "GLIBC" or len(key) < 2 or -1 in key:
        return ""
    # pypa/manylinux names the images of the aliased floors by the alias (manylinux2014_x86_64).
    image = tag.legacy_alias or str(tag)
    return (
        f"build in the quay.io/pypa/{image} image "
        f"(or tag the wheel manylinux_{key[0]}_{key[1]}_{tag.arch})"
    )


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else -1 for p in version.split("."))


def _glibc_above(version: str, floor: tuple[int, ...]) -> bool:
    key = _version_key(version)
    return -1 in key or key[:2] > floor


def _check_macho(platforms: list[str], binary: BinaryFile) -> Iterator[Finding[Code]]:
    assert binary.macho is not None
    present = set(binary.macho.arches)
    for platform in platforms:
        tag = PlatformTag.parse(platform)
        needed = set(tag.cpu_arches) if tag is not None else set()
        if not needed or tag is None or tag.arch in _ANY_OF_SLICES:
            continue
        missing = needed - present
        have = ", ".join(binary.macho.arches)
        evidence = f"slices {have}; {platform} needs {', '.join(sorted(needed))}"
        if missing == needed:
            yield _error(
                Code.ARCH_MISMATCH,
                binary,
                f"Mach-O {'/'.join(sorted(present))} in a {platform} wheel",
                evidence,
            )
        elif missing:
            yield _error(
                Code.MACOS_SLICES,
                binary,
                f"no {', '.join(sorted(missing))} slice for {platform}",
                evidence,
            )
        yield from _check_minos(binary, needed, (tag.version[0], tag.version[1]), platform)


def _check_minos(
    binary: BinaryFile, arches: set[str], floor: tuple[int, int], platform: str
) -> Iterator[Finding[Code]]:
    assert binary.macho is not None
    for piece in binary.macho.slices:
        if piece.arch not in arches or piece.minos is None:
            continue
        if piece.platform != "macos":
            yield _error(
                Code.FORMAT_MISMATCH,
                binary,
                f"{piece.arch} slice is built for {piece.platform}, not macOS",
                f"LC_BUILD_VERSION platform {piece.platform}",
            )
            continue
        # No arm64 Mac runs anything older than 11.0, so a universal2 10.9 tag is fine there.
        effective = max(floor, _ARM64_MACOS) if piece.arch == "arm64" else floor
        if piece.minos[:2] > effective:
            minos = ".".join(map(str, piece.minos))
            yield _error(
                Code.MACOS_MINOS,
                binary,
                f"{piece.arch} slice needs macOS {minos}, tag says {effective[0]}.{effective[1]}",
                f"minos {minos} > {platform}",
                fix=f"MACOSX_DEPLOYMENT_TARGET={effective[0]}.{effective[1]}",
            )


def _check_suffix(tags: frozenset[Tag], binary: BinaryFile) -> Iterator[Finding[Code]]:
    suffix = module_suffix(binary.member)
    if suffix is None:
        return
    family = _FAMILY_OF_FORMAT[binary.format]
    allowed: set[str] = set()
    for tag in tags:
        if platform_family(tag.platform) != family:
            continue
        suffixes = extension_suffixes(tag)
        if suffixes is None:
            return
        allowed |= suffixes
    if allowed and suffix not in allowed:
        best = min(allowed, key=lambda s: (-len(s), s))
        yield _error(
            Code.EXT_SUFFIX,
            binary,
            f"suffix {suffix} is not imported by the tagged interpreter",
            f"{suffix}; tags import {', '.join(sorted(allowed))}",
            fix=f"SETUPTOOLS_EXT_SUFFIX={best}",
        )
