from __future__ import annotations

import pytest

from wheelscout.model.metadata import CoreMetadata
from wheelscout.simple.metadata import parse_core_metadata


def _core(version: str, *, from_sdist: bool, dynamic: tuple[str, ...] = ()) -> CoreMetadata:
    lines = [f"Metadata-Version: {version}", "Name: x", "Version: 1"]
    lines += [f"Dynamic: {d}" for d in dynamic]
    raw = ("\n".join(lines) + "\nRequires-Dist: y\n\n").encode()
    return CoreMetadata(metadata=parse_core_metadata(raw, "t"), raw=raw, source="download",
                        from_sdist=from_sdist)


@pytest.mark.parametrize(
    ("core", "field", "trusted"),
    [
        (_core("2.1", from_sdist=False), "Requires-Dist", True),
        (_core("2.1", from_sdist=True), "Requires-Dist", False),
        (_core("2.1", from_sdist=True), "Version", True),
        (_core("2.2", from_sdist=True), "Requires-Dist", True),
        (_core("2.2", from_sdist=True, dynamic=("Requires-Dist",)), "requires_dist", False),
        (_core("2.2", from_sdist=True, dynamic=("Requires-Dist",)), "Requires-Python", True),
    ],
    ids=["wheel", "old-sdist", "old-sdist-version", "sdist-2.2-static", "sdist-dynamic",
         "sdist-other-field-static"],
)
def test_is_trusted(core: CoreMetadata, field: str, trusted: bool) -> None:
    assert core.is_trusted(field) is trusted
    assert [str(r) for r in core.requires_dist] == ["y"]
