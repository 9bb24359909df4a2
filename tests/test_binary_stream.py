"""MemberReader: bounded reads, rewinds as new passes, hashing on the first pass only."""

from __future__ import annotations

import hashlib
import io
import os
from typing import IO

import pytest

from wheelscout.binary._stream import CHUNK, MAX_PASSES, MAX_READ, MalformedBinary, MemberReader

DATA = os.urandom(3 * CHUNK + 123)


class _Opener:
    def __init__(self) -> None:
        self.opened = 0

    def __call__(self) -> IO[bytes]:
        self.opened += 1
        return io.BytesIO(DATA)


def test_forward_reads_use_one_pass() -> None:
    opener = _Opener()
    reader = MemberReader(opener, len(DATA))
    assert reader.read_at(10, 5) == DATA[10:15]
    assert reader.read_at(CHUNK - 2, 10) == DATA[CHUNK - 2 : CHUNK + 8]
    assert reader.read_at(CHUNK, 3) == DATA[CHUNK : CHUNK + 3]  # still in the window
    assert opener.opened == 1


def test_backward_read_reopens_and_hash_still_covers_everything() -> None:
    opener = _Opener()
    hasher = hashlib.sha256()
    reader = MemberReader(opener, len(DATA), hasher=hasher)
    assert reader.read_at(2 * CHUNK, 4) == DATA[2 * CHUNK : 2 * CHUNK + 4]
    assert reader.read_at(0, 4) == DATA[:4]
    assert reader.passes == 2
    assert reader.finish() == len(DATA)
    assert hasher.digest() == hashlib.sha256(DATA).digest()


def test_finish_hashes_unread_rest() -> None:
    hasher = hashlib.sha256()
    reader = MemberReader(_Opener(), len(DATA), hasher=hasher)
    reader.read_at(0, 4)
    assert reader.finish() == len(DATA)
    assert hasher.digest() == hashlib.sha256(DATA).digest()


def test_passes_are_capped() -> None:
    reader = MemberReader(_Opener(), len(DATA))
    for _ in range(MAX_PASSES - 1):
        reader.read_at(2 * CHUNK, 1)
        reader.read_at(0, 1)
    assert reader.passes == MAX_PASSES
    reader.read_at(2 * CHUNK, 1)
    with pytest.raises(MalformedBinary, match="passes"):
        reader.read_at(0, 1)


@pytest.mark.parametrize(
    ("offset", "size", "match"),
    [(len(DATA) - 1, 2, "truncated"), (-1, 1, "out of bounds"), (0, MAX_READ + 1, "out of bounds")],
    ids=["past-end", "negative", "too-large"],
)
def test_bad_reads_raise(offset: int, size: int, match: str) -> None:
    with pytest.raises(MalformedBinary, match=match):
        MemberReader(_Opener(), len(DATA)).read_at(offset, size)


def test_stream_shorter_than_declared_raises() -> None:
    reader = MemberReader(_Opener(), len(DATA) + 100)
    with pytest.raises(MalformedBinary, match="stream ended"):
        reader.read_at(len(DATA) + 50, 10)


def test_cstring() -> None:
    data = b"abc\0" + b"x" * 5000
    reader = MemberReader(lambda: io.BytesIO(data), len(data))
    assert reader.read_cstring(0) == b"abc"
    with pytest.raises(MalformedBinary, match="unterminated"):
        reader.read_cstring(4, limit=100)
