"""Sans-IO reader for PEP 751 lock files (``pylock.toml``, ``pylock.<name>.toml``)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from collections.abc import Set as AbstractSet
from typing import Any

from packaging.markers import InvalidMarker, Marker
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from wheelscout.errors import InputError
from wheelscout.inputs._toml import describe, load_toml
from wheelscout.inputs.model import LockedFile, LockedPackage, Pylock
from wheelscout.limits import version_problem, versions_problem
from wheelscout.model.filename import read_wheel_filename
from wheelscout.model.project import NormalizedName
from wheelscout.model.reasons import Reason, ReasonCode

__all__ = ["lock_excludes", "parse_pylock", "select_locked"]

_SOURCES = ("vcs", "directory", "archive", "sdist")


def parse_pylock(data: bytes, *, source: str = "pylock.toml") -> Pylock:
    """Parse and validate a PEP 751 lock; errors name ``source`` and the key, e.g.
    ``'packages[3].wheels[0].hashes'``. Only lock-version 1.x is understood."""
    document = load_toml(data, source=source)
    at = _At(source)
    lock_version = at.string(document, "lock-version", required=True)
    assert lock_version is not None
    if lock_version.split(".", 1)[0] != "1":
        raise InputError(f"{source}: unsupported lock-version {lock_version!r} (only 1.x)")
    packages = at.list_of_tables(document, "packages")
    # A lock `wheelscout lock` wrote names its target: the platform tag, which keeps --glibc.
    written_for = at.inside("tool").table(at.table(document, "tool"), "wheelscout")
    ours = at.inside("tool.wheelscout")
    return Pylock(
        lock_version=lock_version,
        created_by=at.string(document, "created-by", required=True) or "",
        environments=tuple(at.required_marker(m, f"environments[{i}]")
                           for i, m in enumerate(at.strings(document, "environments"))),
        requires_python=at.specifier(document, "requires-python"),
        extras=tuple(at.strings(document, "extras")),
        dependency_groups=tuple(at.strings(document, "dependency-groups")),
        default_groups=tuple(at.strings(document, "default-groups")),
        packages=tuple(_package(at.inside(f"packages[{i}]"), p) for i, p in enumerate(packages)),
        target=ours.string(written_for, "platform"),
        python=ours.string(written_for, "python"),
    )  # fmt: skip


def lock_excludes(lock: Pylock, environment: Mapping[str, str]) -> Reason | None:
    """Why the lock does not cover a target's marker ``environment``, or ``None`` if it does.

    A lock applies where one of its ``environments`` markers holds (or it lists none) and its
    ``requires-python`` admits the target's ``python_full_version``.
    """
    python = environment.get("python_full_version", "")
    if lock.requires_python is not None and not lock.requires_python.contains(python, True):
        return Reason(code=ReasonCode.REQUIRES_PYTHON,
                      text=f"the lock requires Python {lock.requires_python}, not {python}")
    if lock.environments and not any(m.evaluate(dict(environment)) for m in lock.environments):
        shown = " or ".join(repr(str(m)) for m in lock.environments)
        return Reason(code=ReasonCode.LOCK_ENVIRONMENT, text=f"the lock covers only {shown}")
    return None


def select_locked(
    lock: Pylock,
    environment: Mapping[str, str],
    *,
    extras: Collection[str] = (),
    groups: Collection[str] | None = None,
) -> tuple[LockedPackage, ...]:
    """The locked packages that install in ``environment``, as PEP 751 installers pick them.

    Markers are evaluated with the ``extras`` and ``dependency_groups`` sets (the lock's
    ``default-groups`` when ``groups`` is ``None``). Check :func:`lock_excludes` first.
    """
    chosen_groups = lock.default_groups if groups is None else tuple(groups)
    context: dict[str, str | AbstractSet[str]] = dict(environment)
    context["extras"] = frozenset(canonicalize_name(e) for e in extras)
    context["dependency_groups"] = frozenset(canonicalize_name(g) for g in chosen_groups)
    return tuple(
        package
        for package in lock.packages
        if package.marker is None or package.marker.evaluate(context, "lock_file")
    )


def _package(at: _At, table: Mapping[str, Any]) -> LockedPackage:
    name = at.string(table, "name", required=True) or ""
    version = at.string(table, "version")
    kinds = [kind for kind in _SOURCES if kind in table]
    if len(kinds) > 1 and kinds != ["sdist"]:
        raise InputError(f"{at.where('')}: at most one of {list(_SOURCES)} may be set, got {kinds}")
    wheels = at.list_of_tables(table, "wheels")
    if wheels and kinds and kinds != ["sdist"]:
        raise InputError(f"{at.where('wheels')}: wheels cannot be combined with {kinds[0]!r}")
    vcs = at.table(table, "vcs")
    directory = at.table(table, "directory")
    return LockedPackage(
        name=NormalizedName(canonicalize_name(name)),
        version=at.version(version, "version") if version is not None else None,
        marker=at.marker(at.string(table, "marker"), "marker"),
        requires_python=at.specifier(table, "requires-python"),
        index=at.string(table, "index"),
        wheels=tuple(_file(at.inside(f"wheels[{i}]"), w, wheel=True) for i, w in enumerate(wheels)),
        sdist=_optional_file(at, table, "sdist"),
        archive=_optional_file(at, table, "archive"),
        vcs_url=(at.string(vcs, "url") or at.string(vcs, "path")) if vcs else None,
        directory=at.string(directory, "path", required=True) if directory else None,
    )  # fmt: skip


def _optional_file(at: _At, table: Mapping[str, Any], key: str) -> LockedFile | None:
    return _file(at.inside(key), at.table(table, key), wheel=False) if key in table else None


def _file(at: _At, table: Mapping[str, Any], *, wheel: bool) -> LockedFile:
    url, path = at.string(table, "url"), at.string(table, "path")
    if url is None and path is None:
        raise InputError(f"{at.where('')}: needs 'url' or 'path'")
    name = at.string(table, "name") or _last_segment(url or path or "")
    if wheel and isinstance(problem := read_wheel_filename(name), str):
        raise InputError(f"{at.where('name')}: invalid wheel filename {name!r}: {problem}")
    hashes = at.table(table, "hashes")
    if not hashes or not all(isinstance(v, str) for v in hashes.values()):
        raise InputError(f"{at.where('hashes')}: needs at least one 'algorithm = \"hex\"' entry")
    size = table.get("size")
    if size is not None and (not isinstance(size, int) or isinstance(size, bool)):
        raise InputError(f"{at.where('size')}: must be an integer, got {describe(size)}")
    upload_time = table.get("upload-time")
    return LockedFile(
        name=name,
        url=url,
        path=path,
        size=size,
        upload_time=None if upload_time is None else str(upload_time),
        hashes=dict(hashes),
    )


def _last_segment(location: str) -> str:
    return location.split("#", 1)[0].split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


class _At:
    """Typed getters that know which key they read, for error messages."""

    __slots__ = ("prefix", "source")

    def __init__(self, source: str, prefix: str = "") -> None:
        self.source = source
        self.prefix = prefix

    def inside(self, key: str) -> _At:
        return _At(self.source, self.where_key(key))

    def where_key(self, key: str) -> str:
        if not key:
            return self.prefix
        return (
            f"{self.prefix}.{key}" if self.prefix and not key.startswith("[") else self.prefix + key
        )

    def where(self, key: str) -> str:
        return f"{self.source}: in {self.where_key(key)!r}"

    def string(self, table: Mapping[str, Any], key: str, *, required: bool = False) -> str | None:
        value = table.get(key)
        if value is None and required:
            raise InputError(f"{self.where(key)}: missing required key")
        if value is not None and not isinstance(value, str):
            raise InputError(f"{self.where(key)}: must be a string, got {describe(value)}")
        return value

    def strings(self, table: Mapping[str, Any], key: str) -> list[str]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise InputError(f"{self.where(key)}: must be a list of strings, got {describe(value)}")
        return value

    def table(self, table: Mapping[str, Any], key: str) -> dict[str, Any]:
        value = table.get(key, {})
        if not isinstance(value, dict):
            raise InputError(f"{self.where(key)}: must be a table, got {describe(value)}")
        return value

    def list_of_tables(self, table: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise InputError(
                f"{self.where(key)}: must be an array of tables, got {describe(value)}"
            )
        return value

    def marker(self, text: str | None, key: str) -> Marker | None:
        return None if text is None else self.required_marker(text, key)

    def required_marker(self, text: str, key: str) -> Marker:
        try:
            return Marker(text)
        except InvalidMarker as exc:
            reason = str(exc).splitlines()[0]
            raise InputError(f"{self.where(key)}: invalid marker {text!r}: {reason}") from None

    def specifier(self, table: Mapping[str, Any], key: str) -> SpecifierSet | None:
        text = self.string(table, key)
        if text is None:
            return None
        try:
            specifier = SpecifierSet(text)
        except InvalidSpecifier:
            raise InputError(f"{self.where(key)}: invalid specifier {text!r}") from None
        if (problem := versions_problem(s.version for s in specifier)) is not None:
            raise InputError(f"{self.where(key)}: invalid specifier: {problem}")
        return specifier

    def version(self, text: str, key: str) -> Version:
        if (problem := version_problem(text)) is not None:
            raise InputError(f"{self.where(key)}: invalid version: {problem}")
        try:
            return Version(text)
        except InvalidVersion:
            raise InputError(f"{self.where(key)}: invalid version {text!r}") from None
