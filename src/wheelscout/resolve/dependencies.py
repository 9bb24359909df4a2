"""Where a candidate's dependencies are read, and what happens when a file is broken.

A wheel's own metadata is the only truth for that wheel: when it cannot be read, is invalid, or
names another project or version, pip discards that version with a warning and so do we
(:class:`~wheelscout.resolve.provider.Broken`). A version that must be built has several
witnesses of its dependencies; they are tried cheapest first and a broken one only costs a
warning. No single file can abort a run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from packaging.utils import canonicalize_name

from wheelscout.classify import ParsedFile
from wheelscout.errors import ConnectionFailed, HashMismatch, IndexTimeout, MalformedResponse
from wheelscout.model.metadata import CoreMetadata
from wheelscout.model.project import DistFile
from wheelscout.model.verdict import DependencySource
from wheelscout.resolve.candidates import Candidate
from wheelscout.resolve.provider import Broken, Dependencies

__all__ = ["SKIPPABLE", "read_dependencies"]

# Faults of one file (after the client's retries); an auth failure or offline miss is a fault
# of the configuration instead, and still stops the run.
SKIPPABLE = (ConnectionFailed, HashMismatch, IndexTimeout, MalformedResponse)

MetadataReader = Callable[[DistFile], CoreMetadata]


def read_dependencies(read: MetadataReader, candidate: Candidate) -> Dependencies | Broken:
    """The dependencies of ``candidate`` from the first source that works.

    A wheel: its own metadata, else :class:`Broken`. An sdist: its PEP 658 metadata; a wheel
    of the same version whose page entry advertises metadata; the other wheels, least
    incompatible first; the sdist's static PKG-INFO; else ``unknown``, with a warning.
    """
    chosen = candidate.choice.file
    assert chosen is not None
    problems: list[str] = []
    if chosen.is_wheel:
        meta = _read(read, chosen.file, candidate, problems)
        if meta is None:
            return Broken(warning=f"ignoring {candidate.name} {candidate.version}: {problems[0]}")
        return _deps(meta, "wheel", ())
    requires_python = None
    for file, source in _witnesses(candidate, chosen):
        meta = _read(read, file, candidate, problems)
        if meta is None:
            continue
        if source == "sdist":
            requires_python = meta.requires_python
            if not meta.is_trusted("requires-dist"):
                continue
        return _deps(meta, source, _skipped(candidate, problems))
    why = "; ".join(problems) if problems else "no wheel of it and no static sdist metadata"
    return Dependencies(
        requires=(),
        requires_python=requires_python,
        source="unknown",
        warnings=(
            f"the dependencies of {candidate.name} {candidate.version} are unknown without "
            f"building it ({why})",
        ),
    )


def _witnesses(candidate: Candidate, sdist: ParsedFile) -> Iterator[tuple[DistFile, str]]:
    if sdist.file.core_metadata is not None:
        yield sdist.file, "sdist"
    wheels = _least_incompatible(candidate)
    yield from ((w.file, "inferred") for w in wheels if w.file.core_metadata is not None)
    yield from ((w.file, "inferred") for w in wheels if w.file.core_metadata is None)
    if sdist.file.core_metadata is None:
        yield sdist.file, "sdist"


def _least_incompatible(candidate: Candidate) -> list[ParsedFile]:
    """The version's wheels, the most widely installable first: pure-Python, then CPython
    (their Requires-Dist is what a build on the target would produce), then the rest (PyPy,
    GraalPy), each group in page order. The same for every target, so one read serves all."""

    def key(item: tuple[int, ParsedFile]) -> tuple[int, int]:
        index, parsed = item
        text = parsed.tag_text
        group = 0 if text.endswith("none-any") else 1 if text.startswith(("cp", "py")) else 2
        return (group, index)

    wheels = [f for f in candidate.release.files if f.is_wheel]
    return [parsed for _, parsed in sorted(enumerate(wheels), key=key)]


def _read(
    read: MetadataReader, file: DistFile, candidate: Candidate, problems: list[str]
) -> CoreMetadata | None:
    try:
        meta = read(file)
    except SKIPPABLE as exc:
        text = str(exc)  # these name the (redacted) URL already
        problems.append(text if file.filename in text else f"{file.filename}: {text}")
        return None
    name, version = meta.metadata.name, meta.metadata.version
    if str(canonicalize_name(name)) != str(candidate.name) or version != candidate.version:
        # pip refuses such a file (MetadataInconsistent): the metadata is not this release's.
        problems.append(
            f"{file.filename}: its metadata is for {name} {version}, "
            f"not {candidate.name} {candidate.version}"
        )
        return None
    return meta


def _skipped(candidate: Candidate, problems: list[str]) -> tuple[str, ...]:
    return tuple(
        f"skipped a file of {candidate.name} {candidate.version}: {p}" for p in problems
    )


def _deps(
    meta: CoreMetadata, source: DependencySource | str, warnings: tuple[str, ...]
) -> Dependencies:
    return Dependencies(
        requires=tuple(meta.requires_dist),
        requires_python=meta.requires_python,
        source=source,  # type: ignore[arg-type]
        warnings=warnings,
    )
