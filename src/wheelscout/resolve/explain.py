"""A resolver failure as a short chain a person can read, not a resolver dump."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from packaging.requirements import Requirement

from wheelscout.model.target import Target

__all__ = ["explain_conflict"]


def _who(parent: object) -> str:
    if parent is None:
        return "you asked for"
    name = getattr(parent, "name", "?")
    version = getattr(parent, "version", None)
    return f"{name} {version} requires" if version is not None else f"{name} requires"


def explain_conflict(causes: Collection[Any], target: Target) -> str:
    """``cannot install numpy: you asked for numpy<1.20, and pandas 3.1.1 requires numpy>=1.26``."""
    by_project: dict[str, list[str]] = defaultdict(list)
    for cause in causes:
        req = getattr(cause, "requirement", None)
        parent = getattr(cause, "parent", None)
        if isinstance(req, Requirement):
            text = str(Requirement(f"{req.name}{req.specifier}"))
            by_project[req.name.lower()].append(f"{_who(parent)} {text}")
        elif req is not None:  # a Requires-Python
            spec = getattr(req, "specifier", "")
            by_project["python"].append(
                f"{_who(parent)} Python {spec} (target has {target.python.full})"
            )
    parts = []
    for project, reasons in by_project.items():
        unique = list(dict.fromkeys(reasons))
        subject = "a Python" if project == "python" else project
        parts.append(f"cannot install {subject}: " + ", and ".join(unique))
    return "; ".join(parts) or "the requirements cannot be satisfied together"
