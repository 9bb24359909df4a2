"""A resolver failure as a short chain a person can read, not a resolver dump.

Modelled on uv's derivation: name the packages at the root of the conflict, the requirements on
them that cannot hold together, and for each the chain from a requested package down to the
one stating it (``you asked for a; a 2.0 requires b; b 1.1 requires c<2``).
"""

from __future__ import annotations

import collections
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from wheelscout.model.target import Target
from wheelscout.model.verdict import Conflict, ConflictCause

__all__ = ["explain_conflict"]


def _who(parent: object) -> str | None:
    if parent is None:
        return None
    name = getattr(parent, "name", "?")
    version = getattr(parent, "version", None)
    return f"{name} {version}" if version is not None else str(name)


def _chain(
    parent: object, edges: Mapping[str, Mapping[str, str]], roots: Collection[str]
) -> tuple[str, ...]:
    """One shortest chain of names from a requested package to ``parent`` (breadth first over
    who required whom during the resolution)."""
    if parent is None:
        return ()
    goal = str(getattr(parent, "name", ""))
    seen = set(roots)
    queue: collections.deque[tuple[str, ...]] = collections.deque((r,) for r in roots)
    while queue:
        trail = queue.popleft()
        if trail[-1] == goal:
            return trail
        for child in edges.get(trail[-1], {}):
            if child not in seen:
                seen.add(child)
                queue.append((*trail, child))
    return (goal,)


def _cause(info: Any, target: Target, edges: Mapping[str, Mapping[str, str]],
           roots: Collection[str]) -> ConflictCause | None:
    req, parent = getattr(info, "requirement", None), getattr(info, "parent", None)
    chain = _chain(parent, edges, roots)
    if isinstance(req, Requirement):
        return ConflictCause(
            package=canonicalize_name(req.name),
            requirement=str(Requirement(f"{req.name}{req.specifier}")),
            required_by=_who(parent),
            chain=chain,
        )
    if req is not None:  # a Requires-Python
        return ConflictCause(
            package="python",
            requirement=f"python{getattr(req, 'specifier', '')} (target has "
            f"{target.python.full})",
            required_by=_who(parent),
            chain=chain,
        )
    return None


def _sentence(cause: ConflictCause) -> str:
    if cause.required_by is None:
        return f"you asked for {cause.requirement}"
    via = ""
    if len(cause.chain) > 1:
        via = f" (via {' -> '.join(cause.chain)})"
    return f"{cause.required_by}{via} requires {cause.requirement}"


def explain_conflict(
    causes: Collection[Any],
    target: Target,
    edges: Mapping[str, Mapping[str, str]] | None = None,
    roots: Sequence[Requirement] = (),
) -> Conflict:
    """``cannot install numpy: you asked for numpy<1.20, and pandas 3.1.1 requires
    numpy>=1.26``, with the same facts structured."""
    root_names = list(dict.fromkeys(canonicalize_name(r.name) for r in roots))
    found = [_cause(info, target, edges or {}, root_names) for info in causes]
    unique = list(dict.fromkeys(c for c in found if c is not None))
    by_project: dict[str, list[str]] = collections.defaultdict(list)
    for cause in unique:
        by_project[cause.package].append(_sentence(cause))
    parts = []
    for project, reasons in by_project.items():
        subject = "a Python" if project == "python" else project
        parts.append(f"cannot install {subject}: " + ", and ".join(dict.fromkeys(reasons)))
    message = "; ".join(parts) or "the requirements cannot be satisfied together"
    return Conflict(message=message, packages=tuple(by_project), causes=tuple(unique))
