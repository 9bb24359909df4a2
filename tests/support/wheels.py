"""Test helpers: build wheels in memory, load the committed binary fixtures, compile with gcc."""

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
from collections.abc import Mapping
from pathlib import Path

from packaging.utils import parse_wheel_filename

DATA = Path(__file__).parent.parent / "data" / "binary"


def fixture(name: str) -> bytes:
    """A committed header-only binary (see data/binary/cut_fixtures.py)."""
    return gzip.decompress((DATA / f"{name}.gz").read_bytes())


def record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def build_wheel(
    filename: str,
    files: Mapping[str, bytes],
    *,
    wheel_tags: list[str] | None = None,
    root_is_purelib: bool | None = None,
    record_overrides: Mapping[str, str] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A wheel named ``filename`` holding ``files`` plus WHEEL and RECORD written to match,
    except where ``wheel_tags``, ``root_is_purelib`` or ``record_overrides`` (path -> row)
    say otherwise."""
    name, version, _, tags = parse_wheel_filename(filename)
    dist_info = f"{name.replace('-', '_')}-{version}.dist-info"
    pure = all(t.platform == "any" for t in tags)
    root = pure if root_is_purelib is None else root_is_purelib
    lines = ["Wheel-Version: 1.0", "Generator: tests", f"Root-Is-Purelib: {str(root).lower()}"]
    lines += [f"Tag: {t}" for t in (wheel_tags or sorted(str(t) for t in tags))]
    members = dict(files)
    members[f"{dist_info}/WHEEL"] = ("\n".join(lines) + "\n").encode()
    rows = [f"{path},{record_hash(data)},{len(data)}" for path, data in members.items()]
    overrides = dict(record_overrides or {})
    rows = [overrides.pop(row.split(",")[0], row) for row in rows]
    rows += overrides.values()
    members[f"{dist_info}/RECORD"] = ("\n".join([*rows, f"{dist_info}/RECORD,,"]) + "\n").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for path, data in members.items():
            archive.writestr(path, data)
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
