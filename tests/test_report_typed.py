"""The typed records a verdict carries (``build``, ``remedy``) serialize into ``check``'s JSON
under the contract's keys, and the schema describes them with ``$ref``s."""

from __future__ import annotations

import io
import json

import jsonschema
from packaging.tags import Tag
from packaging.version import Version

from tests.support.schemas import load_schema
from tests.support.sdists import NUMPY_LIKE, make_tar
from wheelscout.model.build import BuildNeeds
from wheelscout.model.project import DistFile, NormalizedName
from wheelscout.model.reasons import ReasonCode
from wheelscout.model.remedy import PackageRemedy, VersionWithWheel
from wheelscout.model.verdict import CheckReport, PackageVerdict, TargetResult
from wheelscout.report import check_document
from wheelscout.sdist import inspect_sdist
from wheelscout.targets import make_target
from wheelscout.toolchain import setup_steps

TARGET = make_target("win-arm64", "3.12")


def _document(verdict: PackageVerdict) -> dict[str, object]:
    result = TargetResult(target=TARGET, status="ok", packages=(verdict,))
    document = json.loads(json.dumps(check_document(CheckReport(results=(result,)))))
    jsonschema.validate(document, load_schema("check-v1.schema.json"))
    package: dict[str, object] = document["results"][0]["packages"][0]
    return package


def _numpy(**typed: object) -> PackageVerdict:
    return PackageVerdict(
        name=NormalizedName("numpy"), version="1.26.2", install="build", reason="no wheel",
        file=DistFile(filename="numpy-1.26.2.tar.gz", url="https://files.invalid/n.tar.gz"),
        **typed,  # type: ignore[arg-type]
    )


def test_an_inspected_build_serializes_with_its_setup_steps() -> None:
    found = inspect_sdist(io.BytesIO(make_tar(NUMPY_LIKE)), filename="numpy-1.26.2.tar.gz")
    package = _document(_numpy(build=BuildNeeds(requirements=found,
                                                steps=setup_steps(found, TARGET))))

    build = package["build"]
    assert isinstance(build, dict)
    assert build["backend"] == "meson-python"
    assert build["summary"] == "meson-python: C, C++, Cython"
    assert build["setup_steps"][0]["kind"] == "install"
    assert "remedy" not in package


def test_an_unreadable_sdist_says_why() -> None:
    package = _document(_numpy(build=BuildNeeds(requirements=None, unknown="HTTP 404")))

    assert package["build"] == {"summary": "unknown: HTTP 404", "setup_steps": [], "blocked": []}


def test_a_remedy_serializes_with_its_nearest_wheel() -> None:
    wheel = DistFile(filename="numpy-2.0.0-cp312-cp312-win_arm64.whl",
                     url="https://files.invalid/n.whl")
    newest = VersionWithWheel(version=Version("2.0.0"), file=wheel,
                              tag=Tag("cp312", "cp312", "win_arm64"), allowed=False)
    remedy = PackageRemedy(name="numpy", install="build", nearest=None, first_with_wheel=newest,
                           newest_with_wheel=newest, binary=None, advice="upgrade to 2.0.0")
    package = _document(_numpy(remedy=remedy))

    assert package["remedy"] == {
        "install": "build", "advice": "upgrade to 2.0.0", "nearest": None,
        "first_with_wheel": {"version": "2.0.0", "file": wheel.filename,
                             "tag": "cp312-cp312-win_arm64", "allowed": False},
        "newest_with_wheel": {"version": "2.0.0", "file": wheel.filename,
                              "tag": "cp312-cp312-win_arm64", "allowed": False},
        "binary_only": None,
    }
    assert "build" not in package


def test_check_schema_keeps_remedy_schema_definitions() -> None:
    check, remedy = load_schema("check-v1.schema.json"), load_schema("remedy-v1.schema.json")
    for name in ("install", "version_with_wheel", "remedy", "binary_plan", "reason_code"):
        assert check["$defs"][name] == remedy["$defs"][name], name
    packages = check["properties"]["results"]["items"]["properties"]["packages"]["items"]
    assert packages["properties"]["remedy"]["$ref"] == "#/$defs/remedy"
    assert packages["properties"]["build"]["$ref"] == "#/$defs/build"


def test_the_reason_code_is_written_beside_the_sentence() -> None:
    package = _document(_numpy(reason_code=ReasonCode.ONLY_SDIST))
    assert (package["reason"], package["reason_code"]) == ("no wheel", "only-sdist")


def test_the_schema_lists_every_reason_code() -> None:
    codes = [code.value for code in ReasonCode]
    for schema in ("check-v1.schema.json", "remedy-v1.schema.json", "explain-v1.schema.json"):
        assert load_schema(schema)["$defs"]["reason_code"]["enum"] == codes, schema
