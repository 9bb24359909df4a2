"""manylinux and musllinux policies, read from auditwheel's own policy files (package data)."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from typing import Any, Literal

from wheelscout.errors import WheelscoutError

__all__ = ["LinuxTag", "Policy", "load_policies", "parse_linux_tag", "policy_for"]

Family = Literal["manylinux", "musllinux"]

_LEGACY = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}
_TAG = re.compile(r"(?P<family>manylinux|musllinux)_(?P<major>\d+)_(?P<minor>\d+)_(?P<arch>.+)")
_LEGACY_TAG = re.compile(r"(?P<name>manylinux1|manylinux2010|manylinux2014)_(?P<arch>.+)")


@dataclass(frozen=True, slots=True, kw_only=True)
class LinuxTag:
    """``manylinux_2_17_aarch64`` as family, libc version (major, minor) and architecture."""

    family: Family
    version: tuple[int, int]
    arch: str

    @property
    def policy_name(self) -> str:
        return f"{self.family}_{self.version[0]}_{self.version[1]}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Policy:
    """One policy entry: allowed symbol versions per architecture and library allow list."""

    name: str
    aliases: tuple[str, ...]
    priority: int
    symbol_versions: Mapping[str, Mapping[str, frozenset[str]]]
    lib_whitelist: frozenset[str]


def parse_linux_tag(platform: str) -> LinuxTag | None:
    """The policy-relevant parts of a manylinux/musllinux platform tag, else ``None``."""
    if match := _TAG.fullmatch(platform):
        family: Family = "manylinux" if match["family"] == "manylinux" else "musllinux"
        version = (int(match["major"]), int(match["minor"]))
        return LinuxTag(family=family, version=version, arch=match["arch"])
    if match := _LEGACY_TAG.fullmatch(platform):
        return LinuxTag(family="manylinux", version=_LEGACY[match["name"]], arch=match["arch"])
    return None


@functools.cache
def load_policies(family: Family) -> tuple[Policy, ...]:
    """Every policy of ``family`` from the shipped JSON, the ``linux`` catch-all excluded."""
    resource = files("wheelscout.binary").joinpath(f"policy/{family}-policy.json")
    try:
        raw = json.loads(resource.read_text(encoding="utf-8"))
        return tuple(_policy(entry) for entry in raw if entry["name"] != "linux")
    except (ValueError, KeyError, TypeError) as exc:
        raise WheelscoutError(f"policy file {str(resource)!r} is malformed: {exc}") from exc


def _policy(entry: Mapping[str, Any]) -> Policy:
    return Policy(
        name=entry["name"],
        aliases=tuple(entry["aliases"]),
        priority=int(entry["priority"]),
        symbol_versions={
            arch: {prefix: frozenset(versions) for prefix, versions in table.items()}
            for arch, table in entry["symbol_versions"].items()
        },
        lib_whitelist=frozenset(entry["lib_whitelist"]),
    )


def policy_for(tag: LinuxTag) -> Policy | None:
    """The policy for the tag's libc version, or the newest older one when the file has no
    entry for it (a tag newer than the shipped policy file)."""
    candidates = [p for p in load_policies(tag.family) if _version(p.name) <= tag.version]
    return max(candidates, key=lambda p: _version(p.name), default=None)


def _version(name: str) -> tuple[int, int]:
    _, major, minor = name.split("_")
    return int(major), int(minor)
