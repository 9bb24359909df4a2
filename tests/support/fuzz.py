"""Hypothesis strategies shared by the fuzz tests: hostile text built from a format's own
pieces (so examples reach past the first syntax check), and byte mutations of real files."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st

__all__ = ["mutated", "pieces"]


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
