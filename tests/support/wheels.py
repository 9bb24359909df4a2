"""Test helpers: the one wheel builder and core-metadata writer, the committed binary fixtures,
and gcc.

Every test wheel is made by :func:`build_wheel`: the index writers (``indexgen``,
``packse_index``, ``mirror``) and the in-memory resolver source go through it, so a wheel's WHEEL
and RECORD are always written the same way. Wheels are byte-for-byte reproducible (fixed zip
timestamps), so the sha256 on an index page is stable from one build to the next.
"""

from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import io
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from packaging.utils import parse_wheel_filename

__all__ = [
    "EXT_SOURCE",
    "ZIP_EPOCH",
    "build_wheel",
    "core_metadata",
    "dist_info",
    "fixture",
    "gcc_shared",
    "record_hash",
]

DATA = Path(__file__).parent.parent / "data" / "binary"
#: Every member's timestamp: zip cannot store earlier, and a fixed one makes wheels reproducible.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def fixture(name: str) -> bytes:
    """A committed header-only binary (see data/binary/cut_fixtures.py)."""
    return gzip.decompress((DATA / f"{name}.gz").read_bytes())


def record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def core_metadata(
    name: str,
    version: str,
    *,
    requires_dist: Sequence[str] = (),
    requires_python: str | None = None,
    extras: Mapping[str, Sequence[str]] | None = None,
    dynamic: Sequence[str] = (),
    metadata_version: str = "2.1",
    description: str | None = None,
) -> bytes:
    """METADATA / PKG-INFO text. ``extras`` become ``Provides-Extra`` lines plus their
    requirements marked ``extra == "<name>"``; ``description`` is the body after the headers."""
    lines = [f"Metadata-Version: {metadata_version}", f"Name: {name}", f"Version: {version}"]
    lines += [f"Dynamic: {field}" for field in dynamic]
    if requires_python:
        lines.append(f"Requires-Python: {requires_python}")
    lines += [f"Requires-Dist: {requirement}" for requirement in requires_dist]
    for extra, requirements in (extras or {}).items():
        lines.append(f"Provides-Extra: {extra}")
        lines += [f"Requires-Dist: {_with_extra(r, extra)}" for r in requirements]
    body = "" if description is None else description
    return ("\n".join(lines) + "\n\n" + body).encode()


def _with_extra(requirement: str, extra: str) -> str:
    text, _, marker = requirement.partition(";")
    condition = f'extra == "{extra}"'
    if marker.strip():
        return f"{text.strip()} ; ({marker.strip()}) and {condition}"
    return f"{text.strip()} ; {condition}"


def dist_info(filename: str) -> str:
    """The ``.dist-info`` directory of the wheel named ``filename``, spelt as the filename
    spells name and version (``PyYAML-6.0.2.dist-info``), as wheel builders write it."""
    parse_wheel_filename(filename)  # a malformed name fails here, not in a reader under test
    name, version = filename.split("-")[:2]
    return f"{name}-{version}.dist-info"


def build_wheel(
    filename: str,
    files: Mapping[str, bytes],
    *,
    wheel_tags: list[str] | None = None,
    root_is_purelib: bool | None = None,
    record_overrides: Mapping[str, str] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
    stored: Sequence[str] = (),
    generator: str = "tests",
) -> bytes:
    """A wheel named ``filename`` holding ``files`` (in order; put METADATA among them, as
    ``f"{dist_info(filename)}/METADATA"``) plus WHEEL and RECORD written to match, except where
    ``wheel_tags``, ``root_is_purelib`` or ``record_overrides`` (path -> row) say otherwise.
    ``stored``: members written uncompressed whatever ``compression`` says."""
    _, _, _, tags = parse_wheel_filename(filename)
    folder = dist_info(filename)
    pure = all(t.platform == "any" for t in tags)
    root = pure if root_is_purelib is None else root_is_purelib
    lines = ["Wheel-Version: 1.0", f"Generator: {generator}",
             f"Root-Is-Purelib: {str(root).lower()}"]
    lines += [f"Tag: {t}" for t in (wheel_tags or sorted(str(t) for t in tags))]
    members = dict(files)
    members[f"{folder}/WHEEL"] = ("\n".join(lines) + "\n").encode()
    rows = [f"{path},{record_hash(data)},{len(data)}" for path, data in members.items()]
    overrides = dict(record_overrides or {})
    rows = [overrides.pop(row.split(",")[0], row) for row in rows]
    rows += overrides.values()
    members[f"{folder}/RECORD"] = ("\n".join([*rows, f"{folder}/RECORD,,"]) + "\n").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for path, data in members.items():
            info = zipfile.ZipInfo(path, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_STORED if path in stored else compression
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return out.getvalue()


@functools.cache
def gcc_shared(source: str, *flags: str) -> bytes | None:
    """A shared object compiled by gcc from C ``source``, or None when gcc is missing."""
    gcc = shutil.which("gcc")
    if gcc is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp, "m.c"), Path(tmp, "m.so")
        src.write_text(source)
        subprocess.run(
            [gcc, "-shared", "-fPIC", "-O1", "-o", str(out), str(src), *flags],
            check=True,
            capture_output=True,
        )
        return out.read_bytes()


# memcpy with a run-time size is a real call to memcpy@GLIBC_2.14 on x86_64.
EXT_SOURCE = """
#include <string.h>
int copy(char *dst, const char *src, unsigned long n) { memcpy(dst, src, n); return 0; }
"""
