"""Cut header-only fixtures from real wheels: ``python cut_fixtures.py WHEEL...``.

For every ELF, PE or Mach-O member, the wheelscout readers run once over it while every byte
range they read is recorded; the fixture keeps exactly those bytes, at their real offsets, and
zeroes the rest, then gzips it (zeros compress to almost nothing). So the committed files are
real headers of real binaries, a few hundred bytes each on disk. ``SOURCES.txt`` records where
each came from. Wheels used (downloaded from PyPI with
``pip download --no-deps --only-binary=:all: --platform P --python-version 3.12 markupsafe``):
see SOURCES.txt.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import sys
import zipfile
from pathlib import Path

from wheelscout.binary._stream import MemberReader, seekable_opener
from wheelscout.binary.wheel import sniff

HERE = Path(__file__).parent


class RecordingReader(MemberReader):
    def __init__(self, data: bytes) -> None:
        super().__init__(seekable_opener(io.BytesIO(data)), len(data))
        self.ranges: list[tuple[int, int]] = []

    def read_at(self, offset: int, size: int) -> bytes:
        self.ranges.append((offset, size))
        return super().read_at(offset, size)


def cut(data: bytes) -> bytes:
    from wheelscout.binary import elf, macho, pe

    reader = RecordingReader(data)
    kind = sniff(data[:64])
    read = {"elf": elf.read_elf, "pe": pe.read_pe, "macho": macho.read_macho}[kind or ""]
    read(reader)
    kept = bytearray(len(data))
    for offset, size in reader.ranges:
        kept[offset : offset + size] = data[offset : offset + size]
    return bytes(kept)


def main(wheels: list[str]) -> None:
    lines = []
    for path in map(Path, wheels):
        platform = path.stem.rsplit("-", 1)[1].split(".")[0]
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                data = archive.read(info)
                if sniff(data[:64]) is None:
                    continue
                name = f"{platform}-{info.filename.rsplit('/', 1)[1]}.gz"
                (HERE / name).write_bytes(gzip.compress(cut(data), mtime=0))
                lines.append(
                    f"{name}: {path.name} {info.filename} "
                    f"sha256={hashlib.sha256(data).hexdigest()} size={len(data)}"
                )
    (HERE / "SOURCES.txt").write_text("\n".join(lines) + "\n")


__all__ = ["cut", "main"]

if __name__ == "__main__":
    main(sys.argv[1:])
