"""Read ``PKG-INFO`` out of a source distribution without unpacking it or running anything."""

from __future__ import annotations

import tarfile
import zipfile
from typing import IO

from wheelscout.errors import MalformedResponse

__all__ = ["read_pkg_info"]


def read_pkg_info(stream: IO[bytes], filename: str) -> bytes:
    """The ``<name>-<version>/PKG-INFO`` member of an sdist (``.tar.gz``, ``.tar.*`` or ``.zip``).

    Only the top-level PKG-INFO counts: nested ones belong to vendored projects or egg-info.
    """
    try:
        if filename.endswith(".zip"):
            return _from_zip(stream, filename)
        return _from_tar(stream, filename)
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError) as exc:
        raise MalformedResponse(f"sdist {filename!r} cannot be read: {exc}") from None


def _is_top_pkg_info(name: str) -> bool:
    parts = name.strip("/").split("/")
    return len(parts) == 2 and parts[1] == "PKG-INFO"


def _from_tar(stream: IO[bytes], filename: str) -> bytes:
    with tarfile.open(fileobj=stream, mode="r:*") as archive:
        for member in archive:
            if member.isfile() and _is_top_pkg_info(member.name):
                extracted = archive.extractfile(member)
                if extracted is not None:
                    return extracted.read()
    raise MalformedResponse(f"sdist {filename!r} has no top-level PKG-INFO")


def _from_zip(stream: IO[bytes], filename: str) -> bytes:
    with zipfile.ZipFile(stream) as archive:
        for name in archive.namelist():
            if _is_top_pkg_info(name):
                return archive.read(name)
    raise MalformedResponse(f"sdist {filename!r} has no top-level PKG-INFO")
