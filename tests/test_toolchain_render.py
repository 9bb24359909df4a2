"""Build requirements to JSON and back (for caching), and as text lines."""

from __future__ import annotations

import io
import json

import pytest

from tests.support.sdists import NUMPY_LIKE, make_tar
from wheelscout.errors import InputError
from wheelscout.model.build import BuildNeeds
from wheelscout.report.serialize import build_json
from wheelscout.sdist import inspect_sdist
from wheelscout.targets import make_target
from wheelscout.toolchain import setup_steps
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


def test_build_json_for_a_check_verdict() -> None:
    result = inspect_sdist(io.BytesIO(SAMPLES["numpy-like"]), filename="numpy-1.26.2.tar.gz")
    steps = setup_steps(result, make_target("win-arm64", "3.12"))
    extra = json.loads(json.dumps(build_json(BuildNeeds(requirements=result, steps=steps))))

    assert extra["backend"] == "meson-python"
    assert extra["languages"] == ["C", "C++", "Cython"]
    assert "Meson" not in extra["tools"]  # pip brings it from PyPI
    assert extra["native_libraries"] == [{"name": "openblas", "optional": True, "platforms": []}]
    assert extra["evidence"]["C"].startswith("meson.build:1: project(")
    assert (
        "Microsoft.VisualStudio.Component.VC.Tools.ARM64" in extra["setup_steps"][0]["components"]
    )
    assert extra["blocked"] == []


def test_build_json_for_a_pure_sdist() -> None:
    pyproject = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    result = inspect_sdist(io.BytesIO(make_tar({"pyproject.toml": pyproject})))

    extra = build_json(BuildNeeds(requirements=result))
    assert extra["summary"] == "pure: builds anywhere, no compiler"
    assert extra["pure"] is True
