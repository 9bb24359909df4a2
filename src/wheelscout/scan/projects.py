"""Which projects a scan covers: a ``--projects`` file, or the top-N of the public dataset of
PyPI downloads (hugovk/top-pypi-packages), fetched once a day and cached."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from wheelscout.errors import InputError
from wheelscout.limits import MAX_PROJECTS_FILE, MAX_TOP_DOCUMENT, PAGE_DEADLINE_SECONDS
from wheelscout.model.project import NormalizedName
from wheelscout.scan.model import ProjectSpec

__all__ = [
    "MAX_PROJECTS_FILE",
    "MAX_TOP_DOCUMENT",
    "TOP_URL",
    "load_top",
    "parse_projects",
    "parse_top",
    "read_projects",
]

#: The dataset's published JSON (30 days of downloads, refreshed monthly; the older
#: hugovk.github.io address redirects here).
TOP_URL = "https://hugovk.dev/top-pypi-packages/top-pypi-packages.min.json"
_TOP_FRESH_SECONDS = 24 * 3600


def parse_projects(text: str, source: str) -> list[ProjectSpec]:
    """Project names or requirement lines, one a line; ``#`` comments; first mention wins."""
    specs: dict[str, ProjectSpec] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        try:
            requirement = Requirement(line)
        except InvalidRequirement as exc:
            raise InputError(f"{source}:{number}: not a project name or requirement: "
                             f"{line!r} ({exc})") from None
        if requirement.url:
            raise InputError(f"{source}:{number}: a direct URL is not a project on the index: "
                             f"{line!r}")
        name = NormalizedName(canonicalize_name(requirement.name))
        specs.setdefault(name, ProjectSpec(name=name, requirement=line))
    return list(specs.values())


def read_projects(path: Path) -> list[ProjectSpec]:
    """:func:`parse_projects` over a file (bounded in size)."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_PROJECTS_FILE + 1)
    except OSError as exc:
        raise InputError(f"cannot read --projects {str(path)!r}: {exc.strerror}") from None
    if len(data) > MAX_PROJECTS_FILE:
        raise InputError(f"--projects {str(path)!r} is larger than {MAX_PROJECTS_FILE} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"--projects {str(path)!r} is not UTF-8") from None
    specs = parse_projects(text, str(path))
    if not specs:
        raise InputError(f"--projects {str(path)!r} names no project")
    return specs


def parse_top(data: bytes, count: int, source: str) -> list[ProjectSpec]:
    """The first ``count`` projects of a top-pypi-packages document (``rows`` sorted by
    ``download_count``, highest first)."""
    try:
        document: Any = json.loads(data)
        rows = document["rows"]
        if not isinstance(rows, list):
            raise TypeError("rows is not a list")
        ranked = sorted(rows, key=lambda r: -int(r.get("download_count", 0)))
        names = [_row_name(row) for row in ranked]
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise InputError(f"--top-source {source!r} is not a top-pypi-packages document "
                         f"({exc})") from None
    return parse_projects("\n".join(names[: count * 2]), source)[:count]


def _row_name(row: Any) -> str:
    name = row["project"]
    if not isinstance(name, str):
        raise TypeError(f"project {name!r} is not a string")
    return name


def load_top(count: int, source: str | None, cache_dir: Path, *, offline: bool = False) -> list[
        ProjectSpec]:
    """The top ``count`` projects from ``source`` (a URL or a file; default :data:`TOP_URL`).

    A URL is fetched at most once a day: the copy is kept in ``cache_dir`` with its ETag, and
    used as is when the server cannot be reached.
    """
    if count < 1:
        raise InputError(f"--top expects a positive number, got {count}")
    source = source or TOP_URL
    if "://" not in source or source.startswith("file://"):
        path = Path(source.removeprefix("file://"))
        try:
            with path.open("rb") as stream:
                data = stream.read(MAX_TOP_DOCUMENT + 1)
        except OSError as exc:
            raise InputError(f"cannot read --top-source {source!r}: {exc.strerror}") from None
        if len(data) > MAX_TOP_DOCUMENT:
            raise InputError(f"--top-source {source!r} is larger than {MAX_TOP_DOCUMENT} bytes")
        return parse_top(data, count, source)
    return parse_top(_fetch_cached(source, cache_dir, offline), count, source)


def _fetch_cached(url: str, cache_dir: Path, offline: bool) -> bytes:
    import hashlib

    from wheelscout.redact import redact

    key = hashlib.sha256(url.encode()).hexdigest()[:16]
    body_path, meta_path = cache_dir / f"top-{key}.json", cache_dir / f"top-{key}.meta.json"
    meta = _read_meta(meta_path)
    cached = body_path.read_bytes() if body_path.is_file() else None
    fresh = cached is not None and time.time() - float(meta.get("fetched", 0)) < _TOP_FRESH_SECONDS
    if cached is not None and (fresh or offline):
        return cached
    if offline:
        raise InputError(f"--offline and no cached copy of --top-source {redact(url)!r}")
    try:
        body, etag = _get(url, meta.get("etag") if cached is not None else None)
    except InputError:
        if cached is not None:
            return cached
        raise
    if body is None:  # 304: ours is current
        assert cached is not None
        body = cached
    _store(cache_dir, body_path, meta_path, body, etag)
    return body


def _get(url: str, etag: str | None) -> tuple[bytes | None, str | None]:
    import httpx

    from wheelscout.redact import redact

    headers = {"If-None-Match": etag} if etag else {}
    try:
        with httpx.Client(timeout=30.0, follow_redirects=True) as client, client.stream(
                "GET", url, headers=headers) as response:
            if response.status_code == 304:
                return None, etag
            if response.status_code != 200:
                raise InputError(f"--top-source {redact(url)!r} answered "
                                 f"HTTP {response.status_code}")
            deadline = time.monotonic() + PAGE_DEADLINE_SECONDS
            body = _bounded(response.iter_bytes(), url, deadline)
            return body, response.headers.get("ETag")
    except httpx.HTTPError as exc:
        raise InputError(f"cannot fetch --top-source {redact(url)!r}: {exc}") from None


def _bounded(chunks: Iterable[bytes], url: str, deadline: float) -> bytes:
    from wheelscout.redact import redact

    parts, size = [], 0
    for chunk in chunks:
        if time.monotonic() > deadline:  # a per-read timeout never ends a drip
            raise InputError(f"--top-source {redact(url)!r} took longer than "
                             f"{PAGE_DEADLINE_SECONDS:.0f} s, the limit for pages")
        size += len(chunk)
        if size > MAX_TOP_DOCUMENT:
            raise InputError(f"--top-source {redact(url)!r} is larger than "
                             f"{MAX_TOP_DOCUMENT} bytes")
        parts.append(chunk)
    return b"".join(parts)


def _read_meta(path: Path) -> dict[str, Any]:
    try:
        meta: dict[str, Any] = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def _store(cache_dir: Path, body_path: Path, meta_path: Path, body: bytes,
           etag: str | None) -> None:
    from wheelscout.atomic import atomic_writer

    # A crash leaves the old copy or none; a planted symlink is never followed.
    meta = json.dumps({"etag": etag, "fetched": time.time()}).encode()
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        for path, data in ((body_path, body), (meta_path, meta)):
            with atomic_writer(path) as stream:
                stream.write(data)
    except OSError:
        pass  # a cache that cannot be written only costs a refetch
