"""Direct references (``name @ url``, local paths): what they depend on, read without running
anything, so their dependencies resolve like everyone else's.

- a wheel: its METADATA (range reads, else a download; hash-checked against ``#sha256=``);
- an sdist: its PKG-INFO when static (Metadata 2.2+, Requires-Dist not Dynamic), else its
  pyproject.toml ``[project] dependencies`` when not listed in ``dynamic``;
- a local project directory: its static pyproject.toml, read by the inputs;
- anything else (VCS, dynamic metadata): ``dependencies_from: unknown``, with the reason.
"""

from __future__ import annotations

import dataclasses
import io
import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from wheelscout.errors import InputError, MalformedResponse
from wheelscout.inputs import LocalProject
from wheelscout.inputs.pyproject import parse_pyproject
from wheelscout.model.metadata import CoreMetadata
from wheelscout.model.project import DistFile, NormalizedName
from wheelscout.model.verdict import DependencySource, PackageVerdict
from wheelscout.resolve.source import ProjectSource
from wheelscout.simple.lazyzip import WheelMetadataReader
from wheelscout.simple.metadata import parse_core_metadata
from wheelscout.simple.urls import redact

__all__ = ["DirectDependencies", "attach_direct", "read_direct"]

_SDIST = (".tar.gz", ".zip")


@dataclass(frozen=True, slots=True, kw_only=True)
class DirectDependencies:
    """What one direct reference needs; ``unknown_because`` when it cannot be read."""

    name: NormalizedName
    requires: tuple[Requirement, ...] = ()
    source: DependencySource = "unknown"
    version: str | None = None
    unknown_because: str | None = None
    local: LocalProject | None = None
    requires_python: str | None = None

    def excludes(self, python: str) -> bool:
        """Whether its Requires-Python rules out Python ``python`` (pip refuses it there)."""
        if not self.requires_python:
            return False
        try:
            return not SpecifierSet(self.requires_python).contains(python, prereleases=True)
        except InvalidSpecifier:
            return False


def _file(url: str) -> DistFile:
    """The archive a URL names, with the ``#sha256=...`` fragment as its expected hash."""
    base, _, fragment = url.partition("#")
    hashes = {}
    for part in fragment.split("&"):
        algorithm, _, digest = part.partition("=")
        if algorithm in ("sha256", "sha384", "sha512") and digest:
            hashes[algorithm] = digest.lower()
    filename = unquote(posixpath.basename(urlsplit(base).path))
    return DistFile(filename=filename, url=base, hashes=hashes)


def read_direct(
    requirement: Requirement,
    client: ProjectSource,
    local: Mapping[str, LocalProject],
) -> DirectDependencies:
    """The dependencies of ``name @ url``."""
    assert requirement.url is not None
    name = NormalizedName(canonicalize_name(requirement.name))
    project = local.get(requirement.url)
    if project is not None:
        if project.dependencies is None:
            return DirectDependencies(name=name, version=project.version, local=project,
                                      unknown_because=project.unknown_because,
                                      requires_python=project.requires_python)
        return DirectDependencies(name=name, requires=_parse(project.dependencies),
                                  source="sdist", version=project.version, local=project,
                                  requires_python=project.requires_python)
    file = _file(requirement.url)
    if urlsplit(file.url).scheme not in ("http", "https", "file"):
        return DirectDependencies(name=name, unknown_because="a VCS reference needs a checkout")
    if file.is_wheel:
        meta = _hashed_wheel(client, file) if file.hashes else client.metadata(file)
        return DirectDependencies(name=name, requires=tuple(meta.requires_dist), source="wheel",
                                  version=str(meta.metadata.version),
                                  requires_python=_python(meta))
    if not file.filename.endswith(_SDIST):
        return DirectDependencies(name=name, unknown_because=f"{file.filename!r} is not a wheel "
                                  "or an sdist")
    meta = client.metadata(file)
    version = str(meta.metadata.version)
    if meta.is_trusted("requires-dist"):
        return DirectDependencies(name=name, requires=tuple(meta.requires_dist), source="sdist",
                                  version=version, requires_python=_python(meta))
    found = _from_pyproject(name, version, client.download(file), file.filename)
    return dataclasses.replace(found, requires_python=_python(meta))


def _hashed_wheel(client: ProjectSource, file: DistFile) -> CoreMetadata:
    """A range read cannot be hash-checked: with ``#sha256=`` the whole wheel is downloaded
    (and checked, as pip checks it) and its METADATA read from there."""
    body = client.download(file)
    reader = WheelMetadataReader(file.filename)
    reader.feed(0, body, len(body))
    if reader.metadata is None:
        raise MalformedResponse(f"{redact(file.url)!r}: no METADATA in the wheel")
    return CoreMetadata(metadata=parse_core_metadata(reader.metadata, redact(file.url)),
                        raw=reader.metadata, source="download", bytes_transferred=len(body))


def _python(meta: CoreMetadata) -> str | None:
    spec = meta.requires_python
    return str(spec) if spec is not None else None


def _from_pyproject(
    name: NormalizedName, version: str, body: bytes, filename: str
) -> DirectDependencies:
    from wheelscout.sdist.archive import walk_archive

    walk = walk_archive(io.BytesIO(body), wanted=lambda member: member.count("/") == 1
                        and member.endswith("/pyproject.toml"))
    unknown = DirectDependencies(
        name=name, version=version,
        unknown_because=f"{filename} has neither static PKG-INFO Requires-Dist (Metadata 2.2+) "
        "nor static [project] dependencies; only running its build would tell")
    data = next(iter(walk.files.values()), None)
    if data is None:
        return unknown
    try:
        project = parse_pyproject(data, source=f"{filename}/pyproject.toml")
    except InputError:  # a broken pyproject.toml tells nothing
        return unknown
    if project.dependencies is None or "dependencies" in project.dynamic:
        return unknown
    return DirectDependencies(name=name, requires=_parse(project.dependencies), source="sdist",
                              version=version)


def _parse(texts: Sequence[str]) -> tuple[Requirement, ...]:
    found = []
    for text in texts:
        try:
            found.append(Requirement(text))
        except InvalidRequirement:
            continue
    return tuple(found)


def roots_for(
    direct: Sequence[Requirement], found: Sequence[DirectDependencies], env: Mapping[str, str]
) -> list[Requirement]:
    """The dependencies of the direct references that hold on the target (with the extras
    asked of each reference), markers already decided, minus the references themselves and
    those whose Requires-Python excludes the target."""
    names: set[str] = {d.name for d in found}
    roots: list[Requirement] = []
    for requirement, deps in zip(direct, found, strict=True):
        if deps.excludes(env["python_full_version"]):
            continue
        extras = ("", *sorted(requirement.extras))
        for dep in deps.requires:
            if canonicalize_name(dep.name) in names:
                continue
            marker = dep.marker
            if marker is None or any(marker.evaluate({**env, "extra": e}) for e in extras):
                decided = Requirement(str(dep))
                decided.marker = None
                roots.append(decided)
    return roots


def attach_direct(
    packages: Sequence[PackageVerdict],
    direct: Sequence[PackageVerdict],
    found: Sequence[DirectDependencies],
    requested: set[str],
    python: str = "",
) -> tuple[PackageVerdict, ...]:
    """The resolved packages with the direct references' verdicts added: what only a direct
    reference pulled in hangs below it (``path``, ``required_by``), and an index copy of a
    project a direct reference provides is dropped (pip takes the reference)."""
    owners: dict[str, str] = {
        canonicalize_name(dep.name): d.name for d in found for dep in d.requires
    }
    provided = {d.name for d in found}
    kept = []
    for verdict in packages:
        if verdict.name in provided:
            continue
        head = verdict.path[0] if verdict.path else verdict.name
        owner = owners.get(head)
        if verdict.name not in requested and owner is not None and head not in requested:
            verdict = dataclasses.replace(
                verdict,
                requested=False,
                path=(owner, *verdict.path),
                required_by=verdict.required_by or (owner,),
            )
        kept.append(verdict)
    extra = []
    for verdict, deps in zip(direct, found, strict=True):
        reason = verdict.reason
        if deps.local is not None:
            how = "pip install -e" if deps.local.editable else "pip"
            reason = f"{deps.name} is the local project {deps.local.path!r}, which {how} builds"
        if deps.unknown_because:
            reason += f"; its dependencies are unknown: {deps.unknown_because}"
        install = verdict.install
        if python and deps.excludes(python):
            install = "none"
            reason = (f"{deps.name} requires Python {deps.requires_python}, and the target's "
                      f"Python {python} is outside it, so pip refuses it")
        extra.append(dataclasses.replace(
            verdict,
            version=verdict.version or deps.version,
            install=install,
            dependencies_from=deps.source,
            reason=reason,
        ))
    return (*kept, *extra)
