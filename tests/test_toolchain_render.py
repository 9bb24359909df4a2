"""Build requirements to JSON and back (for caching), and as text lines."""

from __future__ import annotations

import io
import json

import pytest

from tests.support.sdists import NUMPY_LIKE, make_tar
from wheelscout.errors import InputError
from wheelscout.sdist import inspect_sdist
from wheelscout.toolchain.render import (
    requirements_as_dict,
    requirements_as_lines,
    requirements_from_dict,
)

SAMPLES = {
    "numpy-like": make_tar(NUMPY_LIKE),
    "hostile": make_tar({"../evil": "x", "setup.py": "Extension('a', ['a.c'])"}, root=""),
    "truncated": make_tar(NUMPY_LIKE)[:300],
}


@pytest.mark.parametrize("data", SAMPLES.values(), ids=SAMPLES.keys())
def test_round_trip_through_json(data: bytes) -> None:
    original = inspect_sdist(io.BytesIO(data), filename="x-1.0.tar.gz")
    document = json.loads(json.dumps(requirements_as_dict(original)))

    assert requirements_from_dict(document) == original


@pytest.mark.parametrize(
    ("document", "match"),
    [
        ({"schema_version": 2}, "schema_version 2"),
        ({"schema_version": 1, "filename": "x"}, "malformed inspect-sdist document"),
    ],
    ids=["version", "malformed"],
)
def test_bad_documents_are_input_errors(document: dict[str, object], match: str) -> None:
    with pytest.raises(InputError, match=match):
        requirements_from_dict(document)


def test_text_lines_lead_with_the_summary() -> None:
    result = inspect_sdist(io.BytesIO(SAMPLES["numpy-like"]), filename="numpy-1.26.2.tar.gz")
    lines = requirements_as_lines(result)

    assert lines[0] == "numpy-1.26.2.tar.gz: meson-python: C, C++, Cython"
    assert any(line.startswith("  language C: meson.build:1:") for line in lines)
