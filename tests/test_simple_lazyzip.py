from __future__ import annotations

import io
import struct
import zipfile

import pytest

from tests.support.indexgen import Release, release_wheel
from wheelscout.errors import MalformedResponse
from wheelscout.simple.lazyzip import ByteRange, WheelMetadataReader, parse_content_range


def _drive(data: bytes, filename: str, tail: int) -> tuple[bytes, list[ByteRange]]:
    """Answer the reader's wants from ``data`` as a Range-capable server would."""
    reader = WheelMetadataReader(filename, tail=tail)
    asked = []
    while (want := reader.want()) is not None:
        asked.append(want)
        start = max(0, len(data) - want.length) if want.start is None else want.start
        end = len(data) if want.start is None else min(len(data), want.start + want.length)
        reader.feed(start, data[start:end], len(data))
    assert reader.metadata is not None
    return reader.metadata, asked


@pytest.mark.parametrize(
    ("padding", "tail", "requests"),
    [(0, 64 * 1024, 1), (3_000_000, 64 * 1024, 1), (3_000_000, 100, 3)],
    ids=["tiny-wheel-one-read", "big-wheel-tail-holds-metadata", "small-tail-needs-more"],
)
def test_reads_metadata_by_ranges(padding: int, tail: int, requests: int) -> None:
    built = release_wheel(Release("big", "1.0", ("dep>=2",), padding=padding))
    metadata, asked = _drive(built.data, built.filename, tail)
    assert metadata == built.metadata
    assert len(asked) == requests
    assert sum(a.length for a in asked) < max(0.05 * len(built.data), 70_000)


def _wheel_with_metadata_first(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("x-1.dist-info/METADATA", "Metadata-Version: 2.1\nName: x\nVersion: 1\n")
        archive.writestr("x/blob.bin", bytes(range(256)) * (size // 256))
        for i in range(2000):  # a central directory larger than the tail
            archive.writestr(f"x/m{i}.py", "")
    return buffer.getvalue()


def test_metadata_far_from_tail_and_large_central_directory() -> None:
    data = _wheel_with_metadata_first(1_000_000)
    metadata, asked = _drive(data, "x-1-py3-none-any.whl", 16 * 1024)
    assert metadata.startswith(b"Metadata-Version: 2.1")
    assert [a.start is None for a in asked] == [True, False, False]
    assert sum(a.length for a in asked) < 200_000


def _as_zip64(data: bytes) -> bytes:
    """Rewrite a zip's end records in zip64 form, as writers do past 65535 entries or 4 GiB."""
    body, eocd = data[:-22], data[-22:]
    _, _, _, entries, size, offset, _ = struct.unpack("<4HIIH", eocd[4:22])
    record = b"PK\x06\x06" + struct.pack("<QHHIIQQQQ", 44, 45, 45, 0, 0, entries, entries,
                                           size, offset)
    locator = b"PK\x06\x07" + struct.pack("<IQI", 0, len(body), 1)
    end = b"PK\x05\x06" + struct.pack("<4HIIH", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return body + record + locator + end


@pytest.mark.parametrize("tail", [64 * 1024, 30], ids=["tail-holds-all", "record-fetched-apart"])
def test_zip64_end_records(tail: int) -> None:
    built = release_wheel(Release("z", "1", padding=100_000))
    data = _as_zip64(built.data)
    assert zipfile.ZipFile(io.BytesIO(data)).read("z-1.dist-info/METADATA") == built.metadata
    metadata, _ = _drive(data, built.filename, tail)
    assert metadata == built.metadata


def test_whole_file_needs_no_request() -> None:
    built = release_wheel(Release("small", "2.0"))
    reader = WheelMetadataReader(built.filename)
    reader.feed(0, built.data, len(built.data))
    assert reader.want() is None
    assert reader.metadata == built.metadata


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"not a zip at all" * 10, "no end of central directory record"),
        (zipfile.ZipFile.__name__.encode(), "no end of central directory record"),
    ],
    ids=["garbage", "tiny-garbage"],
)
def test_not_a_zip(data: bytes, match: str) -> None:
    reader = WheelMetadataReader("x-1-py3-none-any.whl")
    reader.feed(0, data, len(data))
    with pytest.raises(MalformedResponse, match=match):
        reader.want()


def test_no_metadata_member() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("x/__init__.py", "")
    reader = WheelMetadataReader("x-1-py3-none-any.whl")
    with pytest.raises(MalformedResponse, match=r"expected one \*.dist-info/METADATA, found \[\]"):
        reader.feed(0, buffer.getvalue(), len(buffer.getvalue()))


def test_corrupted_member_fails_crc() -> None:
    built = release_wheel(Release("c", "1.0"))
    data = bytearray(built.data)
    at = data.index(b"c-1.0.dist-info/METADATA") + len("c-1.0.dist-info/METADATA")
    data[at + 5] ^= 0xFF  # inside the deflated METADATA bytes
    reader = WheelMetadataReader(built.filename)
    with pytest.raises(MalformedResponse, match=r"c-1\.0\.dist-info/METADATA"):
        reader.feed(0, bytes(data), len(data))


@pytest.mark.parametrize(
    ("value", "expected"),
    [("bytes 10-19/100", (10, 20, 100)), ("bytes 0-0/*", (0, 1, None))],
    ids=["sized", "unknown-size"],
)
def test_parse_content_range(value: str, expected: tuple[int, int, int | None]) -> None:
    assert parse_content_range(value) == expected


def test_parse_content_range_rejects_garbage() -> None:
    with pytest.raises(MalformedResponse, match="unexpected Content-Range 'items 1-2'"):
        parse_content_range("items 1-2")


@pytest.mark.parametrize(
    ("byte_range", "header"),
    [(ByteRange(start=None, length=10), "bytes=-10"), (ByteRange(start=5, length=10),
                                                        "bytes=5-14")],
    ids=["suffix", "span"],
)
def test_range_header(byte_range: ByteRange, header: str) -> None:
    assert byte_range.header == header


def test_archive_comment_holding_a_fake_end_record() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("c-1.dist-info/METADATA", "Metadata-Version: 2.1\nName: c\nVersion: 1\n")
        archive.comment = b"PK\x05\x06" + b"\xff" * 30
    metadata, _ = _drive(buffer.getvalue(), "c-1-py3-none-any.whl", 64 * 1024)
    assert b"Name: c" in metadata


# -- hostile archives: every one ends in MalformedResponse, within the limits ---------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _set_central_field(data: bytes, offset: int, value: int) -> bytes:
    """Overwrite one 4-byte field of the first central directory record."""
    at = data.index(b"PK\x01\x02") + offset
    return data[:at] + struct.pack("<I", value) + data[at + 4 :]


def test_deflate_bomb_whose_size_lies_stops_at_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("wheelscout.simple.lazyzip.MAX_MEMBER_BYTES", 1024 * 1024)
    data = _zip({"x-1.dist-info/METADATA": bytes(8 * 1024 * 1024)})
    lying = _set_central_field(data, 24, 100)  # uncompressed size: 100 bytes, it says
    with pytest.raises(MalformedResponse, match=r"METADATA' is over the limit of 1 MiB"):
        _drive(lying, "x-1-py3-none-any.whl", 64 * 1024)


def test_declared_oversized_metadata_is_refused_before_it_is_fetched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("wheelscout.simple.lazyzip.MAX_MEMBER_BYTES", 1024 * 1024)
    data = _zip({"x-1.dist-info/METADATA": bytes(8 * 1024 * 1024)})
    reader = WheelMetadataReader("x-1-py3-none-any.whl", tail=64 * 1024)
    with pytest.raises(MalformedResponse, match="over the limit"):
        reader.feed(0, data[-64 * 1024 :], len(data))


def test_entries_are_counted_as_read_not_as_the_end_record_claims(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("wheelscout.simple.lazyzip.MAX_ARCHIVE_ENTRIES", 1000)
    data = _zip({f"x/m{i}.py": b"" for i in range(2000)})
    eocd = data.rindex(b"PK\x05\x06")
    one = struct.pack("<HH", 1, 1)  # the end record claims a single entry
    lying = data[: eocd + 8] + one + data[eocd + 12 :]
    with pytest.raises(MalformedResponse, match="more than 1000 entries"):
        _drive(lying, "x-1-py3-none-any.whl", 64 * 1024)


def test_central_directory_over_the_limit_is_not_fetched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("wheelscout.simple.lazyzip.MAX_CENTRAL_DIRECTORY_BYTES", 1024)
    data = _zip({f"x/m{i}.py": b"" for i in range(100)})
    reader = WheelMetadataReader("x-1-py3-none-any.whl", tail=64 * 1024)
    with pytest.raises(MalformedResponse, match=r"central directory of .* over the limit"):
        reader.feed(0, data, len(data))


def test_zip64_extra_field_shorter_than_it_claims() -> None:
    data = _zip({"x-1.dist-info/METADATA": b"Metadata-Version: 2.1\nName: x\nVersion: 1\n"})
    at = data.index(b"PK\x01\x02")
    name_len, extra_len = struct.unpack("<HH", data[at + 28 : at + 32])
    # A zip64 extra (tag 1) claiming 24 bytes but holding 4, and sizes that defer to it.
    extra = struct.pack("<HH", 1, 24) + b"\x00" * 4
    record = bytearray(data[at : at + 46])
    record[20:28] = struct.pack("<II", 0xFFFFFFFF, 0xFFFFFFFF)
    record[30:32] = struct.pack("<H", len(extra))
    name = data[at + 46 : at + 46 + name_len]
    rest = data[at + 46 + name_len + extra_len :]
    eocd = rest.rindex(b"PK\x05\x06")
    grown = rest[:eocd + 12] + struct.pack("<I", 46 + name_len + len(extra)) + rest[eocd + 16 :]
    hostile = data[:at] + bytes(record) + name + extra + grown
    with pytest.raises(MalformedResponse):
        _drive(hostile, "x-1-py3-none-any.whl", 64 * 1024)
