"""The failure path, packse style: tiny indexes served from 127.0.0.1, one rule per scenario.

Nothing installable in any release (behind an extra), a broken release (invalid, unreadable,
hash-mismatched or foreign metadata), a 404 on the only metadata-bearing wheel of a version to
build, a conflict whose explanation names both sides, and names the index does not have.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import jsonschema
import pytest
from packaging.requirements import Requirement

from tests.support.indexgen import Release, write_index
from tests.support.mirror import build_mirror
from tests.support.schemas import load_schema
from tests.support.server import MirrorServer, TestServer, serve
from wheelscout.cli.main import _main
from wheelscout.index import BlockingIndexClient, IndexSettings
from wheelscout.model.verdict import PackageVerdict, TargetResult
from wheelscout.resolve import ResolveOptions, Resolver
from wheelscout.targets import make_target

WIN_AMD64 = ("cp312-cp312-win_amd64",)
DEFAULT = ResolveOptions()


@pytest.fixture
def index(tmp_path: Path) -> Path:
    return tmp_path / "index"


@pytest.fixture
def server(index: Path) -> Iterator[TestServer]:
    index.mkdir(parents=True, exist_ok=True)
    with serve(index) as running:
        yield running


def _resolve(
    server: TestServer,
    requirements: Sequence[str],
    target: str = "win-arm64",
    options: ResolveOptions = DEFAULT,
) -> TargetResult:
    settings = IndexSettings(index_url=server.index_url, no_cache=True, backoff=0.0)
    with BlockingIndexClient(settings) as client:
        return Resolver(client).resolve(
            [Requirement(r) for r in requirements], make_target(target, "3.12"), options
        )


def _by_name(result: TargetResult) -> dict[str, PackageVerdict]:
    return {p.name: p for p in result.packages}


def _gone(index: Path, *filenames: str) -> None:
    """The page still lists these files; the server answers 404 for them (a partial mirror)."""
    for name in filenames:
        (index / "files" / name).unlink()
        (index / "files" / f"{name}.metadata").unlink(missing_ok=True)


# -- nothing installable -------------------------------------------------------------------


def test_nothing_installable_in_any_release_behind_an_extra(
    index: Path, server: TestServer
) -> None:
    # psycopg[binary] on win_arm64: the extra's project ships wheels for other platforms only.
    write_index(
        index,
        [
            Release("app", "2.0", ("drv==2.0; extra == 'db'",)),
            Release("app", "1.0", ("drv==1.0; extra == 'db'",)),
            Release("drv", "2.0", tags=WIN_AMD64),
            Release("drv", "1.0", tags=WIN_AMD64),
        ],
    )
    result = _resolve(server, ["app[db]"])
    found = _by_name(result)
    assert result.status == "fails"
    assert (found["app"].version, found["app"].install) == ("2.0", "wheel")
    assert found["drv"].install == "none"
    assert found["drv"].reason == (
        "drv 2.0 ships wheels for win_amd64 but not win_arm64, and it has no sdist to build from;"
        " no release of drv installs on win_arm64"
    )
    assert found["drv"].path == ("app", "drv")
    # decided once: drv's page is read once, however many versions of app were tried
    assert len(server.requests("/simple/drv/")) == 1


def test_a_dependent_version_without_the_missing_project_is_chosen_as_pip_would(
    index: Path, server: TestServer
) -> None:
    # jupyterlab on win32 --only-binary: pip backtracks to a version whose chain does not
    # need pywinpty; so must we, rather than reporting pywinpty as 'none'.
    write_index(
        index,
        [
            Release("lab", "2.0", ("term",)),
            Release("lab", "1.0"),
            Release("term", "1.0", tags=WIN_AMD64),
        ],
    )
    result = _resolve(server, ["lab"])
    assert result.status == "ok"
    assert [(p.name, p.version) for p in result.packages] == [("lab", "1.0")]


def test_version_specific_gap_still_backtracks(index: Path, server: TestServer) -> None:
    # cryptography 41.0.7 pinned, wheels only in 46.x: the pin's release has no wheel, but
    # other releases do, so it is not 'nothing installable anywhere'.
    write_index(
        index,
        [Release("crypto", "46.0", tags=(*WIN_AMD64, "cp312-cp312-win_arm64")),
         Release("crypto", "41.0", tags=WIN_AMD64)],
    )
    result = _resolve(server, ["crypto==41.0"], options=ResolveOptions(mode="only-binary"))
    (crypto,) = result.packages
    assert result.status == "fails"
    assert crypto.install == "none"
    assert "crypto 41.0 ships wheels for win_amd64 but not win_arm64" in crypto.reason


def test_eight_missing_names_are_reported_not_asserted(index: Path, server: TestServer) -> None:
    # Regression: 'AssertionError: placeholder passes exhausted' with eight missing projects.
    names = [f"nope{i}" for i in range(9)]
    write_index(index, [Release("hub", "1.0", tuple(names))])
    for requirements in (names, ["hub"]):
        result = _resolve(server, requirements)
        found = _by_name(result)
        assert result.status == "fails"
        assert {n for n, v in found.items() if v.install == "none"} == set(names)
        assert found["nope7"].reason == "nope7 was not found on any configured index"


# -- broken releases -----------------------------------------------------------------------


def test_invalid_metadata_in_one_release_is_skipped_with_a_warning(
    index: Path, server: TestServer
) -> None:
    # uvicorn 0.14.0: 'click (>=7.*)' is not a valid requirement; pip 26 ignores that version.
    write_index(
        index,
        [Release("web", "2.0", ("click (>=7.*)",)), Release("web", "1.0", ("click>=7",)),
         Release("click", "8.0")],
    )
    result = _resolve(server, ["web"])
    found = _by_name(result)
    assert result.status == "ok"
    assert found["web"].version == "1.0"
    (warning,) = result.warnings
    assert warning.startswith("ignoring web 2.0: ")
    assert "web-2.0-py3-none-any.whl" in warning
    assert "invalid" in warning


def test_pinned_broken_release_fails_that_target_only(index: Path, server: TestServer) -> None:
    write_index(index, [Release("web", "2.0", ("click (>=7.*)",)), Release("web", "1.0")])
    result = _resolve(server, ["web==2.0"])
    (web,) = result.packages
    assert result.status == "fails"
    assert web.install == "none"
    assert "unusable metadata" in web.reason
    assert result.warnings


@pytest.mark.parametrize(
    "break_it",
    [
        pytest.param(lambda index: _gone(index, "lib-2.0-py3-none-any.whl"), id="404"),
        pytest.param(
            lambda index: (index / "files" / "lib-2.0-py3-none-any.whl.metadata").write_bytes(
                b"Metadata-Version: 2.1\nName: lib\nVersion: 2.0\nRequires-Dist: evil\n"
            ),
            id="hash-mismatch",
        ),
    ],
)
def test_unreadable_wheel_metadata_skips_the_version(
    index: Path, server: TestServer, break_it: object
) -> None:
    write_index(index, [Release("lib", "2.0"), Release("lib", "1.0")])
    break_it(index)  # type: ignore[operator]
    result = _resolve(server, ["lib"])
    assert [(p.name, p.version) for p in result.packages] == [("lib", "1.0")]
    (warning,) = result.warnings
    assert warning.startswith("ignoring lib 2.0: ")


@pytest.mark.parametrize("fault", ["500", "truncate"])
def test_a_failing_metadata_file_skips_the_version(
    index: Path, server: TestServer, fault: str
) -> None:
    # 5xx after the client's retries, or a body cut short (its hash no longer matches).
    write_index(index, [Release("lib", "2.0"), Release("lib", "1.0")])
    server.config.faults["/files/lib-2.0-"] = fault  # type: ignore[assignment]
    result = _resolve(server, ["lib"])
    assert [(p.name, p.version) for p in result.packages] == [("lib", "1.0")]
    (warning,) = result.warnings
    assert warning.startswith("ignoring lib 2.0: ")


def test_metadata_for_another_project_is_refused(index: Path, server: TestServer) -> None:
    write_index(index, [Release("lib", "2.0", metadata_name="other"), Release("lib", "1.0")])
    result = _resolve(server, ["lib"])
    assert [(p.name, p.version) for p in result.packages] == [("lib", "1.0")]
    assert "its metadata is for other 2.0, not lib 2.0" in result.warnings[0]


# -- dependencies of a version to build ----------------------------------------------------

NUM = Release(
    "num",
    "1.0",
    ("six",),
    sdist=True,
    metadata_version="2.2",
    tags=("cp312-cp312-win_amd64", "pp39-pypy39_pp73-manylinux_2_17_x86_64"),
)
AMD64_WHEEL = "num-1.0-cp312-cp312-win_amd64.whl"
PYPY_WHEEL = "num-1.0-pp39-pypy39_pp73-manylinux_2_17_x86_64.whl"


def test_the_sdists_own_static_metadata_comes_first(index: Path, server: TestServer) -> None:
    write_index(index, [NUM, Release("six", "1.0")], sdist_metadata=True)
    result = _resolve(server, ["num"])
    found = _by_name(result)
    assert (found["num"].install, found["num"].dependencies_from) == ("build", "sdist")
    assert "six" in found
    assert not server.requests("/files/num-1.0-"), "no wheel of num was read"


def test_404_on_the_only_metadata_bearing_wheel(index: Path, server: TestServer) -> None:
    # numpy 1.26.2 on win_arm64 against a partial mirror: the dependencies of the version to
    # build come from the next witness, and the run goes on.
    write_index(index, [NUM, Release("six", "1.0")], no_metadata=[PYPY_WHEEL])
    _gone(index, AMD64_WHEEL)
    result = _resolve(server, ["num"])
    found = _by_name(result)
    assert (found["num"].install, found["num"].dependencies_from) == ("build", "inferred")
    assert "six" in found
    assert any(AMD64_WHEEL in w and "404" in w for w in result.warnings)


def test_every_wheel_gone_falls_back_to_static_pkg_info(index: Path, server: TestServer) -> None:
    write_index(index, [NUM, Release("six", "1.0")], no_metadata=[PYPY_WHEEL])
    _gone(index, AMD64_WHEEL, PYPY_WHEEL)
    result = _resolve(server, ["num"])
    found = _by_name(result)
    assert (found["num"].install, found["num"].dependencies_from) == ("build", "sdist")
    assert "six" in found


def test_no_witness_left_means_unknown_dependencies(index: Path, server: TestServer) -> None:
    write_index(index, [NUM, Release("six", "1.0")], no_metadata=[PYPY_WHEEL])
    _gone(index, AMD64_WHEEL, PYPY_WHEEL, "num-1.0.tar.gz")
    result = _resolve(server, ["num"])
    (num,) = result.packages
    assert (num.install, num.dependencies_from) == ("build", "unknown")
    assert any(w.startswith("the dependencies of num 1.0 are unknown") for w in result.warnings)


# -- conflicts -----------------------------------------------------------------------------


def test_conflict_explanation_names_both_sides_and_the_chain(
    index: Path, server: TestServer
) -> None:
    write_index(
        index,
        [
            Release("app", "1.0", ("mid",)),
            Release("mid", "1.0", ("core>=2",)),
            Release("other", "1.0", ("core<2",)),
            Release("core", "2.0"),
            Release("core", "1.0"),
        ],
    )
    result = _resolve(server, ["app", "other"])
    assert result.status == "unresolvable"
    detail = result.conflict_detail
    assert detail is not None
    assert detail.packages == ("core",)
    sides = {(c.required_by, c.requirement, c.chain) for c in detail.causes}
    assert sides == {("mid 1.0", "core>=2", ("app", "mid")), ("other 1.0", "core<2", ("other",))}
    assert result.conflict is not None
    assert "mid 1.0 (via app -> mid) requires core>=2" in result.conflict
    assert "other 1.0 requires core<2" in result.conflict


# -- the command line ----------------------------------------------------------------------


def test_cli_fails_status_schema_and_exit_code(
    index: Path, server: TestServer, capsys: pytest.CaptureFixture[str]
) -> None:
    write_index(
        index,
        [Release("app", "1.0", ("drv; extra == 'db'",)), Release("drv", "1.0", tags=WIN_AMD64),
         Release("web", "2.0", ("click (>=7.*)",)), Release("web", "1.0")],
    )
    argv = ["check", "app[db]", "web", "-t", "win-arm64", "-t", "win-amd64", "-p", "3.12",
            "--index-url", server.index_url, "--no-cache", "--no-inspect"]
    code = _main([*argv, "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    schema = load_schema("check-v1.schema.json")
    jsonschema.validate(document, schema)
    arm64, amd64 = document["results"]
    assert (arm64["status"], arm64["blockers"]) == ("fails", ["drv"])
    assert (amd64["status"], amd64["blockers"]) == ("ok", [])
    assert all(any("ignoring web 2.0" in w for w in r["warnings"]) for r in (arm64, amd64))
    assert code == 3
    assert _main([*argv, "--no-remedy"]) == 3
    text = capsys.readouterr()
    assert "pip would fail: nothing installable for drv" in text.out
    # on stderr, once, however many targets met it
    assert text.err.count("wheelscout: warning: ignoring web 2.0") == 1
    assert _main([*argv, "--no-remedy", "--format", "markdown"]) == 3
    assert "**pip would fail**: nothing installable for drv" in capsys.readouterr().out


def test_warnings_of_every_pass_are_kept(index: Path, server: TestServer) -> None:
    # uvicorn[standard] on riscv64 wheels-only: the first pass walks back to 0.14.0 (invalid
    # metadata) before failing on uvloop; the pass that reports 'none' never gets that far.
    write_index(
        index,
        [
            Release("app", "2.0", ("drv; extra == 'db'",)),
            Release("app", "1.0", ("drv (>=1.*); extra == 'db'",)),
            Release("drv", "1.0", tags=WIN_AMD64),
        ],
    )
    result = _resolve(server, ["app[db]"])
    assert [(p.name, p.version) for p in result.packages] == [("app", "2.0"), ("drv", None)]
    assert [w.split(":")[0] for w in result.warnings] == ["ignoring app 1.0"]


def test_numpy_on_a_partial_mirror_still_builds(tmp_path: Path) -> None:
    # Regression: 'check numpy==1.26.2 --target win-arm64' exited 2 with "'...numpy-1.26.2-pp39-
    # pypy39_pp73-manylinux...whl' answered unexpected HTTP 404" on a mirror missing that file.
    mirror = build_mirror(tmp_path / "mirror", projects=["numpy"], metadata_files=True)
    pypy = [f.filename for f in mirror.files if "1.26.2-pp39" in f.filename]
    assert pypy
    _gone(mirror.root, *pypy)
    first = next(f.filename for f in mirror.files if f.filename.startswith("numpy-1.26.2-cp"))
    _gone(mirror.root, first)
    with MirrorServer(mirror.root) as running:
        result = _resolve(running, ["numpy==1.26.2"])
    (numpy,) = result.packages
    assert (numpy.version, numpy.install) == ("1.26.2", "build")
    assert numpy.dependencies_from == "inferred"
    assert any(first in w for w in result.warnings)


def test_too_many_rounds_is_reported_as_pips_limit(
    index: Path, server: TestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wheelscout.resolve

    monkeypatch.setattr(wheelscout.resolve, "_MAX_ROUNDS", 1)
    write_index(
        index,
        [Release("lab", "2.0", ("term",)), Release("lab", "1.0", ("term",)),
         Release("lab", "0.5"), Release("term", "1.0", tags=WIN_AMD64)],
    )
    result = _resolve(server, ["lab"])
    assert result.status == "unresolvable"
    assert result.conflict == (
        "gave up after 1 resolution rounds, pip's own limit; nothing installable for term"
    )
