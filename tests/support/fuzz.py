"""Hypothesis strategies shared by the fuzz tests: hostile text built from a format's own
pieces (so examples reach past the first syntax check), and byte mutations of real files."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Sequence

from hypothesis import strategies as st

__all__ = ["mutated", "pieces", "zip_with_an_empty_name"]


def pieces(fragments: Sequence[str], *, max_size: int = 60) -> st.SearchStrategy[str]:
    """Text made of a format's fragments mixed with arbitrary characters."""
    chunk = st.one_of(
        st.sampled_from(list(fragments)),
        st.text(max_size=8),
        st.sampled_from(["\n", " ", "\t", "\r\n", "\\", "\x00", "\x1b[31m", "\u2028", "é"]),
    )
    return st.lists(chunk, max_size=max_size).map("".join)


@st.composite
def mutated(draw: st.DrawFn, original: bytes, *, max_edits: int = 8) -> bytes:
    """``original`` with a few bytes overwritten, inserted or deleted, maybe truncated."""
    data = bytearray(original)
    for _ in range(draw(st.integers(0, max_edits))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["set", "insert", "delete"]))
        value = draw(st.one_of(st.sampled_from([0x00, 0xFF, 0x7F, 0x80]), st.integers(0, 255)))
        if kind == "set":
            data[at] = value
        elif kind == "insert":
            data[at:at] = bytes([value]) * draw(st.integers(1, 4))
        else:
            del data[at : at + draw(st.integers(1, 8))]
    if draw(st.booleans()) and data:
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


def zip_with_an_empty_name() -> bytes:
    """A zip whose second central-directory entry has an empty name (found by fuzzing:
    ``ZipInfo.is_dir()`` raises IndexError on it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("demo-1.0/PKG-INFO", b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n")
        archive.writestr("zz", b"x")
    data = buffer.getvalue()
    at = data.rindex(b"PK\x01\x02")
    record = data[at : at + 28] + b"\x00\x00" + data[at + 30 : at + 46]  # name length 0
    end = data[-22:]
    (size,) = struct.unpack("<I", end[12:16])
    end = end[:12] + struct.pack("<I", size - 2) + end[16:]
    return data[:at] + record + data[at + 48 : -22] + end
