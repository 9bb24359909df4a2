"""Sans-IO reader for pyproject.toml: dependencies, extras, PEP 735 groups, tool settings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Sized
from dataclasses import dataclass, field, replace
from typing import Any, get_args

from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import NormalizedName, canonicalize_name

from wheelscout.errors import InputError
from wheelscout.inputs._toml import describe, load_toml
from wheelscout.inputs.model import Mode, Origin, RequirementEntry, Settings
from wheelscout.limits import MAX_EXPANDED_REQUIREMENTS, MAX_INCLUDE_DEPTH, versions_problem

__all__ = ["Pyproject", "parse_pyproject", "select_requirements"]

_SETTING_LISTS = {
    "targets": "targets",
    "pythons": "pythons",
    "extra-index-urls": "extra_index_urls",
    "find-links": "find_links",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Pyproject:
    """The parts of a pyproject.toml wheelscout reads.

    ``dependencies`` is ``None`` when there is no ``[project]`` table; ``dynamic`` lists the
    ``[project] dynamic`` fields, since dynamic dependencies cannot be read without a build.
    """

    source: str
    name: NormalizedName | None = None
    dependencies: tuple[str, ...] | None = None
    dynamic: frozenset[str] = frozenset()
    optional_dependencies: Mapping[NormalizedName, tuple[str, ...]] = field(
        default_factory=dict, hash=False
    )
    dependency_groups: Mapping[NormalizedName, tuple[str | NormalizedName, ...]] = field(
        default_factory=dict, hash=False
    )
    included_groups: frozenset[tuple[NormalizedName, int]] = frozenset()
    settings: Settings | None = None


def parse_pyproject(data: bytes, *, source: str = "pyproject.toml") -> Pyproject:
    """Parse and validate a pyproject.toml; errors name ``source`` and the offending key."""
    document = load_toml(data, source=source)
    project = _table(document, "project", source)
    tool = _table(document, "tool", source)
    groups, included = _groups(document, source)
    return Pyproject(
        source=source,
        name=_project_name(project, source),
        dependencies=_dependencies(project, source),
        dynamic=frozenset(_strings(project, "dynamic", "project.dynamic", source)),
        optional_dependencies=_optional(project, source),
        dependency_groups=groups,
        included_groups=included,
        settings=_settings(tool.get("wheelscout"), source) if "wheelscout" in tool else None,
    )


def select_requirements(
    pyproject: Pyproject, *, extras: Sequence[str] = (), groups: Sequence[str] = ()
) -> tuple[RequirementEntry, ...]:
    """The project's dependencies, plus the chosen extras and dependency groups.

    With no ``[project]`` table only groups can be selected. Self-references such as
    ``mypkg[test]`` in an extra expand to that extra, as installers do.
    """
    source = pyproject.source
    entries: list[RequirementEntry] = []
    if pyproject.dependencies is not None or extras:
        entries.extend(_project_entries(pyproject, extras))
    for group in groups:
        for index, text in enumerate(_expand_group(pyproject, group)):
            key = f"dependency-groups.{group}[{index}]"
            entries.append(_entry(text, Origin(source=source, key=key)))
    return tuple(entries)


def _project_entries(pyproject: Pyproject, extras: Sequence[str]) -> list[RequirementEntry]:
    source = pyproject.source
    if pyproject.dependencies is None:
        raise InputError(f"{source}: extras {list(extras)!r} need a [project] table")
    if "dependencies" in pyproject.dynamic:
        raise InputError(f"{source}: [project] dependencies are dynamic; they need a build to read")
    entries = [
        _entry(text, Origin(source=source, key=f"project.dependencies[{index}]"))
        for index, text in enumerate(pyproject.dependencies)
    ]
    for extra in extras:
        entries.extend(_extra_entries(pyproject, canonicalize_name(extra), (), extra))
    return entries


def _extra_entries(
    pyproject: Pyproject, extra: NormalizedName, path: tuple[NormalizedName, ...], spelled: str
) -> list[RequirementEntry]:
    # A cycle only on this path: the same extra reached under another marker still counts.
    if extra in path:
        return []
    if len(path) >= MAX_INCLUDE_DEPTH:
        raise InputError(
            f"{pyproject.source}: extra {spelled!r} is reached through more than "
            f"{MAX_INCLUDE_DEPTH} nested self-references (the limit)"
        )
    if extra not in pyproject.optional_dependencies:
        if "optional-dependencies" in pyproject.dynamic:
            raise InputError(f"{pyproject.source}: optional dependencies are dynamic")
        known = sorted(pyproject.optional_dependencies)
        raise InputError(f"{pyproject.source}: unknown extra {spelled!r} (known: {known})")
    entries: list[RequirementEntry] = []
    for index, text in enumerate(pyproject.optional_dependencies[extra]):
        origin = Origin(
            source=pyproject.source, key=f"project.optional-dependencies.{extra}[{index}]"
        )
        entry = _entry(text, origin)
        requirement = entry.requirement
        if pyproject.name is not None and canonicalize_name(requirement.name) == pyproject.name:
            for inner in sorted(requirement.extras):
                expanded = _extra_entries(
                    pyproject, canonicalize_name(inner), (*path, extra), inner
                )
                entries.extend(_and_marker(e, requirement.marker) for e in expanded)
                _check_expanded(pyproject.source, entries, f"extra {spelled!r}")
            continue
        entries.append(entry)
    return entries


def _check_expanded(source: str, items: Sized, what: str) -> None:
    # Each level may include the next one many times: expansion can grow exponentially.
    if len(items) > MAX_EXPANDED_REQUIREMENTS:
        raise InputError(
            f"{source}: {what} expands to more than {MAX_EXPANDED_REQUIREMENTS} requirements "
            "(the limit)"
        )


def _and_marker(entry: RequirementEntry, marker: Marker | None) -> RequirementEntry:
    """Carry a self-reference's marker (``app[win]; sys_platform == 'win32'``) inward."""
    if marker is None:
        return entry
    requirement = Requirement(str(entry.requirement))
    inner = requirement.marker
    requirement.marker = marker if inner is None else Marker(f"({marker}) and ({inner})")
    return replace(entry, requirement=requirement)


def _expand_group(pyproject: Pyproject, group: str) -> list[str]:
    """PEP 735's reference expansion, with the include path shown on a cycle."""
    return _expand_group_path(pyproject, canonicalize_name(group), (), group)


def _expand_group_path(
    pyproject: Pyproject, name: NormalizedName, path: tuple[NormalizedName, ...], spelled: str
) -> list[str]:
    source = pyproject.source
    if name in path:
        chain = " -> ".join([*path, name])
        raise InputError(f"{source}: dependency group {spelled!r} includes itself: {chain}")
    if name not in pyproject.dependency_groups:
        known = sorted(pyproject.dependency_groups)
        raise InputError(f"{source}: unknown dependency group {spelled!r} (known: {known})")
    if len(path) >= MAX_INCLUDE_DEPTH:
        raise InputError(
            f"{source}: dependency group {spelled!r} is included through a chain of more than "
            f"{MAX_INCLUDE_DEPTH} groups (the limit)"
        )
    result: list[str] = []
    for index, item in enumerate(pyproject.dependency_groups[name]):
        if (name, index) in pyproject.included_groups:
            result.extend(_expand_group_path(pyproject, NormalizedName(item), (*path, name), item))
            _check_expanded(source, result, f"dependency group {spelled!r}")
        else:
            result.append(item)
    return result


def _entry(text: str, origin: Origin) -> RequirementEntry:
    try:
        requirement = Requirement(text)
    except InvalidRequirement as exc:
        reason = str(exc).splitlines()[0]
        raise InputError(f"{origin}: invalid requirement {text!r}: {reason}") from None
    problem = versions_problem(spec.version for spec in requirement.specifier)
    if problem is not None:
        raise InputError(f"{origin}: requirement {requirement.name!r}: {problem}")
    return RequirementEntry(requirement=requirement, origin=origin, direct=bool(requirement.url))


def _table(document: Mapping[str, Any], key: str, source: str) -> dict[str, Any]:
    value = document.get(key, {})
    if not isinstance(value, dict):
        raise InputError(f"{source}: {key!r} must be a table, got {describe(value)}")
    return value


def _strings(table: Mapping[str, Any], key: str, where: str, source: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InputError(f"{source}: {where!r} must be a list of strings, got {describe(value)}")
    return value


def _project_name(project: Mapping[str, Any], source: str) -> NormalizedName | None:
    name = project.get("name")
    if name is None:
        return None
    if not isinstance(name, str):
        raise InputError(f"{source}: 'project.name' must be a string, got {describe(name)}")
    return canonicalize_name(name)


def _dependencies(project: Mapping[str, Any], source: str) -> tuple[str, ...] | None:
    if not project:
        return None
    return tuple(_strings(project, "dependencies", "project.dependencies", source))


def _optional(project: Mapping[str, Any], source: str) -> dict[NormalizedName, tuple[str, ...]]:
    table = _table(project, "optional-dependencies", source)
    return {
        canonicalize_name(extra): tuple(
            _strings(table, extra, f"project.optional-dependencies.{extra}", source)
        )
        for extra in table
    }


def _groups(
    document: Mapping[str, Any], source: str
) -> tuple[dict[NormalizedName, tuple[str, ...]], frozenset[tuple[NormalizedName, int]]]:
    table = _table(document, "dependency-groups", source)
    groups: dict[NormalizedName, tuple[str, ...]] = {}
    included: set[tuple[NormalizedName, int]] = set()
    for spelled, items in table.items():
        name = canonicalize_name(spelled)
        if name in groups:
            raise InputError(f"{source}: dependency group {spelled!r} is defined twice")
        if not isinstance(items, list):
            raise InputError(
                f"{source}: 'dependency-groups.{spelled}' must be a list, got {describe(items)}"
            )
        values: list[str] = []
        for index, item in enumerate(items):
            where = f"dependency-groups.{spelled}[{index}]"
            if isinstance(item, str):
                values.append(item)
            elif (
                isinstance(item, dict)
                and list(item) == ["include-group"]
                and isinstance(item["include-group"], str)
            ):
                values.append(canonicalize_name(item["include-group"]))
                included.add((name, index))
            else:
                raise InputError(
                    f"{source}: {where!r} must be a string or {{include-group = ...}}, "
                    f"got {describe(item)}"
                )
        groups[name] = tuple(values)
    return groups, frozenset(included)


def _settings(value: object, source: str) -> Settings:
    if not isinstance(value, dict):
        raise InputError(f"{source}: 'tool.wheelscout' must be a table, got {describe(value)}")
    known = {*_SETTING_LISTS, "index-url", "mode"}
    for key in value:
        if key not in known:
            raise InputError(
                f"{source}: unknown key 'tool.wheelscout.{key}' (known: {sorted(known)})"
            )
    lists = {
        attribute: tuple(_strings(value, key, f"tool.wheelscout.{key}", source))
        for key, attribute in _SETTING_LISTS.items()
        if key in value
    }
    return Settings(
        index_url=_optional_string(value, "index-url", source),
        mode=_mode(value, source),
        **lists,
    )


def _optional_string(table: Mapping[str, Any], key: str, source: str) -> str | None:
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        raise InputError(
            f"{source}: 'tool.wheelscout.{key}' must be a string, got {describe(value)}"
        )
    return value


def _mode(table: Mapping[str, Any], source: str) -> Mode | None:
    value = _optional_string(table, "mode", source)
    modes: tuple[Mode, ...] = get_args(Mode)
    if value is None:
        return None
    for mode in modes:
        if value == mode:
            return mode
    raise InputError(
        f"{source}: 'tool.wheelscout.mode' must be one of {list(modes)}, got {value!r}"
    )
