"""manylinux and musllinux policies, read from auditwheel's own policy files (package data)."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from typing import Any, Literal

from wheelscout.errors import WheelscoutError
from wheelscout.model.platform import PlatformFamily, PlatformTag

__all__ = ["Policy", "load_policies", "parse_linux_tag", "policy_for"]

Family = Literal["manylinux", "musllinux"]
_FAMILIES: dict[PlatformFamily, Family] = {
    PlatformFamily.MANYLINUX: "manylinux",
    PlatformFamily.MUSLLINUX: "musllinux",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Policy:
    """One policy entry: allowed symbol versions per architecture and library allow list."""

    name: str
    aliases: tuple[str, ...]
    priority: int
    symbol_versions: Mapping[str, Mapping[str, frozenset[str]]]
    lib_whitelist: frozenset[str]


def parse_linux_tag(platform: str) -> PlatformTag | None:
    """A manylinux/musllinux platform tag (legacy aliases read as their glibc version), else
    ``None``: the tags a policy applies to."""
    tag = PlatformTag.parse(platform)
    return tag if tag is not None and tag.family in _FAMILIES else None


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


def policy_for(tag: PlatformTag) -> Policy | None:
    """The policy for a manylinux/musllinux tag's libc version, or the newest older one when
    the file has no entry for it (a tag newer than the shipped policy file)."""
    policies = load_policies(_FAMILIES[tag.family])
    candidates = [p for p in policies if _version(p.name) <= tag.version]
    return max(candidates, key=lambda p: _version(p.name), default=None)


def _version(name: str) -> tuple[int, int]:
    _, major, minor = name.split("_")
    return int(major), int(minor)
