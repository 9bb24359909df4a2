"""The PEP 751 writer and the wheelhouse plan, without a server: names, markers, round trip."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import pytest
from packaging.markers import Marker

from wheelscout.errors import MalformedResponse
from wheelscout.inputs.pylock import parse_pylock
from wheelscout.lock import plan_wheelhouse, render
from wheelscout.lock.pylock import environment_marker, lock_filename, pylock_document
from wheelscout.lock.wheelhouse import requirements_txt
from wheelscout.model.project import DistFile, NormalizedName
from wheelscout.model.reasons import ReasonCode
from wheelscout.model.verdict import PackageVerdict, TargetResult
from wheelscout.resolve.lock import check_lock
from wheelscout.targets import Overrides, make_target

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

WIN = make_target("win-arm64", "3.12", Overrides())
LINUX = make_target("linux-aarch64", "3.12", Overrides())
SHA = "ab" * 32


def _verdict(name: str, filename: str, install: str = "wheel", **file: object) -> PackageVerdict:
    dist = DistFile(
        filename=filename,
        url=f"https://user:secret@files.example/{filename}",
        hashes={"sha256": SHA},
        **file,  # type: ignore[arg-type]
    )
    return PackageVerdict(
        name=NormalizedName(name),
        version=filename.split("-")[1].removesuffix(".tar.gz"),
        install=install,  # type: ignore[arg-type]
        reason="test",
        file=dist,
    )


def _result(*verdicts: PackageVerdict, target: object = WIN) -> TargetResult:
    return TargetResult(target=target, status="ok", packages=verdicts)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("spelling", "python", "name"),
    [
        ("win-arm64", "3.12", "pylock.win_arm64-cp312.toml"),
        ("linux-aarch64", "3.13t", "pylock.manylinux_2_28_aarch64-cp313t.toml"),
        ("macos-arm64", "3.12", "pylock.macosx_13_0_arm64-cp312.toml"),
    ],
    ids=["windows", "free-threaded", "macos"],
)
def test_lock_file_names_follow_pep_751(spelling: str, python: str, name: str) -> None:
    assert lock_filename(make_target(spelling, python, Overrides())) == name


def test_environment_marker_holds_on_its_target_only() -> None:
    marker = Marker(environment_marker(WIN))
    assert marker.evaluate(dict(WIN.markers))
    assert not marker.evaluate(dict(LINUX.markers))
    assert not marker.evaluate({**WIN.markers, "platform_machine": "AMD64"})


def test_document_round_trips_through_the_pylock_reader() -> None:
    result = _result(
        _verdict("numpy", "numpy-2.0-cp312-cp312-win_arm64.whl", size=10,
                 upload_time="2024-06-16T12:00:00.123456Z", requires_python=">=3.9"),
        _verdict("pkg", "pkg-1.0.tar.gz", install="build"),
    )  # fmt: skip
    text = render(pylock_document(result, {}, index="https://pypi.org/simple/"))
    data = tomllib.loads(text)
    assert data["lock-version"] == "1.0"
    assert data["created-by"] == "wheelscout"
    assert data["requires-python"] == "==3.12.*"
    wheel = data["packages"][0]["wheels"][0]
    assert wheel["upload-time"] == datetime.datetime(
        2024, 6, 16, 12, 0, 0, 123456, tzinfo=datetime.timezone.utc
    )
    assert data["packages"][0]["requires-python"] == ">=3.9"
    assert data["packages"][1]["sdist"]["name"] == "pkg-1.0.tar.gz"
    assert "secret" not in text
    assert "user@" not in text
    lock = parse_pylock(text.encode())
    checked = check_lock(lock, WIN)
    assert checked.status == "ok"
    assert [(v.name, v.install) for v in checked.packages] == [
        ("numpy", "wheel"),
        ("pkg", "build"),
    ]
    assert check_lock(lock, LINUX).status == "unresolvable"


def test_completed_files_replace_what_the_index_left_out() -> None:
    verdict = _verdict("a", "a-1.0-py3-none-any.whl")
    assert verdict.file is not None
    filled = DistFile(filename=verdict.file.filename, url=verdict.file.url,
                      hashes={"sha256": "cd" * 32}, size=99)  # fmt: skip
    document = pylock_document(_result(verdict), {verdict.file.url: filled}, index=None)
    wheel = document["packages"][0]["wheels"][0]
    assert (wheel["size"], wheel["hashes"]) == (99, {"sha256": "cd" * 32})
    assert "index" not in document["packages"][0]


def test_a_package_with_nothing_installable_is_not_locked() -> None:
    none = PackageVerdict(name=NormalizedName("x"), version=None, install="none", reason="no")
    with pytest.raises(ValueError, match="x has no installable file"):
        pylock_document(_result(none), {}, index=None)


def test_wheelhouse_plan_and_requirements(tmp_path: Path) -> None:
    result = _result(
        _verdict("b", "b-2.0-py3-none-any.whl"),
        _verdict("a", "a-1.0.tar.gz", install="build"),
    )
    blocked = plan_wheelhouse(result, tmp_path, allow_build=False)
    assert [v.name for v in blocked.blocked] == ["a"]
    assert [f.filename for _, f in blocked.files] == ["b-2.0-py3-none-any.whl"]
    house = plan_wheelhouse(result, tmp_path, allow_build=True)
    text = requirements_txt(house, {"a-1.0.tar.gz": "1" * 64, "b-2.0-py3-none-any.whl": "2" * 64})
    assert text.splitlines()[2:] == [
        "a==1.0 \\",
        f"    --hash=sha256:{'1' * 64}",
        "b==2.0 \\",
        f"    --hash=sha256:{'2' * 64}",
    ]


@pytest.mark.parametrize(
    "filename",
    ["../evil-1.0-py3-none-any.whl", ".hide-1.0-py3-none-any.whl", "a\\evil-1.0-py3-none-any.whl"],
    ids=["parent", "hidden", "backslash"],
)
def test_wheelhouse_refuses_file_names_that_leave_it(tmp_path: Path, filename: str) -> None:
    with pytest.raises(MalformedResponse, match="not a plain file name"):
        plan_wheelhouse(_result(_verdict("evil", filename)), tmp_path, allow_build=False)


def test_a_locked_sdist_is_checked_as_a_build_with_a_readable_reason() -> None:
    text = render(pylock_document(_result(_verdict("pkg", "pkg-1.0.tar.gz", install="build")),
                                  {}, index=None))  # fmt: skip
    verdict, = check_lock(parse_pylock(text.encode()), WIN).packages
    assert (verdict.install, verdict.reason_code) == ("build", ReasonCode.LOCKED_SDIST)
    assert "pkg-1.0.tar.gz" in verdict.reason


def test_an_unreadable_requires_python_from_the_index_is_left_out() -> None:
    verdict = _verdict("a", "a-1.0-py3-none-any.whl", requires_python=">=3.8;rm -rf")
    document = pylock_document(_result(verdict), {}, index=None)
    assert "requires-python" not in document["packages"][0]
    parse_pylock(render(document).encode())
