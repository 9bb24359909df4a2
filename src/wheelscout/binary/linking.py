"""Which ``DT_NEEDED`` libraries the ELF files of a wheel can find inside the wheel.

Mirrors what ld.so does, restricted to the wheel: start from every binary no other binary
needs (extension modules, tools); map dependencies breadth first, reusing a name already
loaded; search a new one in the requester's RUNPATH, or else in its RPATH and the RPATHs of the
objects that loaded it, with ``$ORIGIN`` as the requester's directory. What is not found there
must come from the system. (auditwheel's lddtree is more lenient: it searches every dependency
in the root's RPATH and RUNPATH too.)
"""

from __future__ import annotations

import posixpath
from collections import deque
from collections.abc import Callable, Iterable, Sequence

from wheelscout.binary.wheel import BinaryFile

__all__ = ["unresolved_needed"]

_MAX_VISITS = 100_000  # a hostile wheel cannot make the walk explode


def unresolved_needed(
    binaries: Sequence[BinaryFile], members: frozenset[str], system: Callable[[str], bool]
) -> dict[str, list[str]]:
    """Member -> the libraries it needs that neither ``system(lib)`` accepts nor the wheel
    provides on the search path in any way it is reached."""
    elves = {b.member: b for b in binaries if b.elf is not None}
    wanted = {lib for b in elves.values() if b.elf for lib in b.elf.needed}
    unresolved: dict[str, list[str]] = {}
    budget = [_MAX_VISITS]
    for root in elves.values():
        if not _provides(root, wanted):
            _load(root, elves, members, system, unresolved, budget)
    return unresolved


def _load(
    root: BinaryFile,
    elves: dict[str, BinaryFile],
    members: frozenset[str],
    system: Callable[[str], bool],
    unresolved: dict[str, list[str]],
    budget: list[int],
) -> None:
    # Breadth first, as ld.so maps dependencies: a name already loaded (by any object earlier
    # in the walk) is reused without searching.
    loaded = {posixpath.basename(root.member)}
    queue: deque[tuple[BinaryFile, tuple[str, ...]]] = deque([(root, ())])
    while queue and budget[0] > 0:
        budget[0] -= 1
        binary, inherited = queue.popleft()
        assert binary.elf is not None
        own_rpath = _directories(binary, binary.elf.rpath)
        if binary.elf.runpath:
            search = _directories(binary, binary.elf.runpath)
        else:
            search = (*own_rpath, *inherited)
        chain = tuple(dict.fromkeys((*own_rpath, *inherited)))
        for library in binary.elf.needed:
            if system(library) or library in loaded:
                continue
            found = _find(library, search, members)
            if found is None:
                if library not in unresolved.setdefault(binary.member, []):
                    unresolved[binary.member].append(library)
                continue
            loaded.add(library)
            if found in elves:
                child = elves[found]
                if child.elf is not None and child.elf.soname:
                    loaded.add(child.elf.soname)
                queue.append((child, chain))


def _provides(binary: BinaryFile, wanted: set[str]) -> bool:
    assert binary.elf is not None
    return posixpath.basename(binary.member) in wanted or binary.elf.soname in wanted


def _directories(binary: BinaryFile, entries: Iterable[str]) -> tuple[str, ...]:
    """The wheel-relative directories of the ``$ORIGIN`` entries (others are outside)."""
    origin = posixpath.dirname(binary.member)
    out = []
    for entry in entries:
        for spelling in ("$ORIGIN", "${ORIGIN}"):
            if entry.startswith(spelling):
                out.append(posixpath.normpath(posixpath.join(origin, "." + entry[len(spelling) :])))
    return tuple(out)


def _find(library: str, directories: Iterable[str], members: frozenset[str]) -> str | None:
    for directory in directories:
        path = posixpath.normpath(posixpath.join(directory, library))
        if path in members:
            return path
    return None
