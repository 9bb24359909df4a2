"""``file://`` indexes and ``--find-links`` locations: directories and HTML pages."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from wheelscout.model.filename import parse_dist_filename
from wheelscout.model.project import DistFile, NormalizedName

__all__ = ["dist_name", "is_local", "list_directory", "local_path"]


def is_local(location: str) -> bool:
    """A ``file:`` URL or a plain path (find-links accept both)."""
    return location.startswith("file:") or "://" not in location


def local_path(location: str) -> Path:
    if location.startswith("file:"):
        return Path(url2pathname(urlsplit(location).path))
    return Path(location).expanduser()


def dist_name(filename: str) -> NormalizedName | None:
    """The project a distribution filename belongs to, or None if it is not one."""
    parsed = parse_dist_filename(filename)
    return None if parsed is None else parsed.name


def list_directory(directory: Path) -> list[DistFile]:
    """Every distribution file directly inside ``directory`` (pip's find-links semantics)."""
    return [
        DistFile(filename=path.name, url=path.resolve().as_uri(), size=path.stat().st_size)
        for path in sorted(directory.iterdir())
        if path.is_file() and dist_name(path.name) is not None
    ]
