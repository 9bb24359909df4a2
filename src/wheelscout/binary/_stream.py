"""A forward reader over a member of a wheel: bounded reads, few passes, optional hashing.

A deflated zip member can only be read front to back; seeking backwards restarts the
decompression. So readers ask for byte ranges, the reader serves them from a small window or
by reading forward, and a backward request reopens the stream (a new *pass*), up to a cap.
The first pass can feed every byte to a hash, so RECORD verification costs no extra pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Protocol

from wheelscout.errors import WheelscoutError

__all__ = [
    "CHUNK",
    "MAX_READ",
    "MalformedBinary",
    "MemberReader",
    "Opener",
    "seekable_opener",
    "stream_size",
]

CHUNK = 1 << 18
# No single structure we read (header tables, one string, the dynamic table) is bigger.
MAX_READ = 1 << 22
MAX_PASSES = 8

Opener = Callable[[], IO[bytes]]


class _Hasher(Protocol):
    def update(self, data: bytes, /) -> None: ...


class MalformedBinary(WheelscoutError):
    """A binary whose headers are truncated, inconsistent or beyond our bounds."""


def stream_size(stream: IO[bytes], size: int | None) -> int:
    """``size``, or the stream's length found by seeking to its end."""
    if size is not None:
        return size
    end = stream.seek(0, 2)
    stream.seek(0)
    return end


def seekable_opener(stream: IO[bytes]) -> Opener:
    """An opener that rewinds one seekable stream instead of reopening it."""

    def reopen() -> IO[bytes]:
        stream.seek(0)
        return stream

    return reopen


class MemberReader:
    """Serve ``read_at(offset, size)`` over a stream of known ``size`` read mostly forward."""

    def __init__(self, opener: Opener, size: int, *, hasher: _Hasher | None = None) -> None:
        self.size = size
        self.passes = 1
        self._opener = opener
        self._stream = opener()
        self._hasher = hasher
        self._pos = 0  # bytes consumed from the current stream
        self._buf = b""
        self._buf_start = 0
        self._hashed = 0

    def read_at(self, offset: int, size: int) -> bytes:
        """Exactly ``size`` bytes at ``offset``; `MalformedBinary` if they are not there."""
        if offset < 0 or size < 0 or size > MAX_READ:
            raise MalformedBinary(f"read of {size} bytes at {offset} is out of bounds")
        if offset + size > self.size:
            raise MalformedBinary(f"truncated: {size} bytes at {offset} past end ({self.size})")
        parts: list[bytes] = []
        while size:
            if not self._buf_start <= offset < self._buf_start + len(self._buf):
                self._advance_to(offset)
            start = offset - self._buf_start
            piece = self._buf[start : start + size]
            parts.append(piece)
            offset += len(piece)
            size -= len(piece)
        return b"".join(parts)

    def read_cstring(self, offset: int, limit: int = 4096) -> bytes:
        """A NUL-terminated string at ``offset``, at most ``limit`` bytes long."""
        parts: list[bytes] = []
        end = min(offset + limit, self.size)
        while offset < end:
            piece = self.read_at(offset, min(256, end - offset))
            nul = piece.find(b"\0")
            if nul >= 0:
                parts.append(piece[:nul])
                return b"".join(parts)
            parts.append(piece)
            offset += len(piece)
        raise MalformedBinary(f"unterminated string at {offset}")

    def finish(self) -> int:
        """Read the rest of the first pass into the hash; return the bytes it saw."""
        if self._hasher is not None:
            self._drain()
            self._hasher = None
        return self._hashed

    def _advance_to(self, offset: int) -> None:
        if offset < self._buf_start:
            self._rewind()
        while not self._buf_start <= offset < self._buf_start + len(self._buf):
            chunk = self._stream.read(CHUNK)
            if not chunk:
                raise MalformedBinary(f"stream ended at {self._pos}, before offset {offset}")
            if self._hasher is not None:
                self._hasher.update(chunk)
            self._buf_start = self._pos
            self._buf = chunk
            self._pos += len(chunk)

    def _rewind(self) -> None:
        if self.passes >= MAX_PASSES:
            raise MalformedBinary(f"headers need more than {MAX_PASSES} passes over the member")
        if self._hasher is not None:
            self._drain()
            self._hasher = None
        self.passes += 1
        self._stream = self._opener()
        self._pos = 0
        self._buf = b""
        self._buf_start = 0

    def _drain(self) -> None:
        assert self._hasher is not None
        while chunk := self._stream.read(CHUNK):
            self._hasher.update(chunk)
            self._pos += len(chunk)
        self._hashed = self._pos
