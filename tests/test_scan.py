"""``wheelscout scan``: known cells on the loopback mirror, the n/a rules, inputs, data files."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from tests.support.mirror import Mirror
from tests.support.schemas import load_schema
from tests.support.server import MirrorServer
from wheelscout.cli.main import _main
from wheelscout.errors import InputError
from wheelscout.index.settings import IndexSettings
from wheelscout.model.project import DistFile, NormalizedName, ProjectPage
from wheelscout.scan import Cell, CellCode, ScanOptions
from wheelscout.scan.applicability import load_curated, not_applicable
from wheelscout.scan.document import results_document
from wheelscout.scan.matrix import DEFAULT_PLATFORMS, matrix
from wheelscout.scan.projects import parse_projects, parse_top
from wheelscout.scan.runner import ScanRequest, ScanRun, run_scan
from wheelscout.scan.shards import shard_of, shards
from wheelscout.targets import make_target

PROJECTS = """\
# known cases
pyopenssl            # pure, but its dependency cryptography has no win_arm64 wheel
charset-normalizer   # platform wheels, and a pure fallback where none fits
cryptography         # 46.0.3 is the newest version with win_arm64 wheels
pywin32              # curated: Windows only
six; sys_platform == "win32"
not-on-this-index
"""


@pytest.fixture(scope="module")
def server(mirror: Mirror) -> Iterator[MirrorServer]:
    # Its own server: the request log must be this module's alone.
    with MirrorServer(mirror.root) as running:
        yield running


@pytest.fixture(scope="module")
def run(server: MirrorServer) -> ScanRun:
    specs = parse_projects(PROJECTS, "<test>")
    targets = matrix(["win-arm64", "linux-x86_64", "ios-arm64"], ["3.12", "3.15"])
    request = ScanRequest(
        projects=tuple(specs), targets=tuple(targets),
        settings=IndexSettings(index_url=server.index_url, no_cache=True),
        options=ScanOptions(curated=load_curated()),
    )
    server.clear()
    return run_scan(request)


def _cell(run: ScanRun, project: str, target: str, python: str) -> Cell:
    result = next(r for r in run.results if r.name == project)
    return next(c for c in result.cells if (c.target, c.python) == (target, python))


def test_a_dependency_without_a_wheel_blocks_and_is_named(run: ScanRun) -> None:
    cell = _cell(run, "pyopenssl", "win-arm64", "3.12")
    assert (cell.tree, cell.own, cell.code) == ("build", "pure", CellCode.DEPENDENCY_BUILDS)
    assert cell.blockers == ("cryptography",)
    assert "its dependency cryptography builds from source" in cell.reason
    # pyopenssl 26.4.0 needs cryptography>=49, and no such release has a win_arm64 wheel
    assert cell.nearest is None
    assert _cell(run, "pyopenssl", "linux-x86_64", "3.12").tree == "wheels"


def test_a_pure_fallback_of_an_accelerated_project_is_ready(run: ScanRun) -> None:
    ios = _cell(run, "charset-normalizer", "ios-arm64", "3.15")  # no cp315 iOS wheel
    assert (ios.tree, ios.own, ios.code) == ("wheels", "pure", CellCode.READY)
    assert _cell(run, "charset-normalizer", "win-arm64", "3.12").own == "platform"


def test_an_older_fully_wheeled_release_is_the_nearest_fix(run: ScanRun) -> None:
    cell = _cell(run, "cryptography", "win-arm64", "3.12")
    assert (cell.tree, cell.own, cell.code) == ("build", "build", CellCode.OWN_BUILDS)
    assert cell.version == "50.0.2"
    assert cell.nearest == "46.0.3"
    assert "cryptography==46.0.3" in cell.fix
    assert _cell(run, "cryptography", "linux-x86_64", "3.12").own == "abi3"


@pytest.mark.parametrize(
    ("project", "target", "code"),
    [
        ("pywin32", "linux-x86_64", CellCode.CURATED),
        ("pywin32", "ios-arm64", CellCode.CURATED),
        ("six", "linux-x86_64", CellCode.MARKER),
    ],
    ids=["curated-linux", "curated-ios", "marker"],
)
def test_not_applicable(run: ScanRun, project: str, target: str, code: CellCode) -> None:
    cell = _cell(run, project, target, "3.15")
    assert (cell.tree, cell.own, cell.code, cell.blockers) == ("n/a", "n/a", code, ())


def test_applicable_where_meant_for(run: ScanRun) -> None:
    assert _cell(run, "pywin32", "win-arm64", "3.12").tree == "wheels"
    assert _cell(run, "six", "win-arm64", "3.12").tree == "wheels"


def test_a_project_the_index_does_not_have(run: ScanRun) -> None:
    cell = _cell(run, "not-on-this-index", "win-arm64", "3.12")
    assert (cell.tree, cell.code) == ("none", CellCode.NOT_FOUND)


def test_requires_python_excluding_every_release_is_not_applicable() -> None:
    page = ProjectPage(name=NormalizedName("newonly"), files=(
        DistFile(filename="newonly-1.0-py3-none-any.whl", url="x", requires_python=">=3.13"),
        DistFile(filename="newonly-1.0.tar.gz", url="y", requires_python=">=3.13"),
    ))
    from packaging.requirements import Requirement

    old = not_applicable(Requirement("newonly"), make_target("win-arm64", "3.12"), {}, page)
    assert old is not None
    assert old.code is CellCode.REQUIRES_PYTHON
    assert not_applicable(Requirement("newonly"), make_target("win-arm64", "3.13"), {},
                          page) is None


def test_each_page_is_read_once_for_all_targets_and_projects(
        run: ScanRun, server: MirrorServer) -> None:
    pages = Counter(r.path for r in server.log if r.path.startswith("/simple/"))
    assert pages, "the scan read no page"
    assert max(pages.values()) == 1
    # cryptography's page serves pyopenssl's tree and its own row alike
    assert "/simple/cryptography/" in pages
    files_read = Counter((r.path, r.range) for r in server.log if r.path.startswith("/files/"))
    assert max(files_read.values()) == 1


def test_results_document_matches_the_schema(run: ScanRun) -> None:
    schema = load_schema("scan-v1.schema.json")
    document = results_document(run)
    jsonschema.validate(document, schema)
    assert document["schema_version"] == 1
    assert document["targets"][0] == {"target": "win-arm64", "platform": "win_arm64",
                                      "python": "3.12"}
    names = [p["name"] for p in document["projects"]]
    assert names == ["pyopenssl", "charset-normalizer", "cryptography", "pywin32", "six",
                     "not-on-this-index"]


def test_default_matrix_leaves_out_pairs_a_platform_does_not_host() -> None:
    targets = matrix()
    labels = {(t.spelling, t.python.short) for t in targets}
    assert {t.spelling for t in targets} == set(DEFAULT_PLATFORMS)
    assert ("ios-arm64", "3.12") not in labels
    assert ("ios-arm64", "3.13") in labels
    assert [t.python.short for t in targets if t.spelling == "pyemscripten-2026"] == ["3.14"]
    assert ("win-arm64", "3.15t") in labels


def test_projects_file_names_or_requirements() -> None:
    specs = parse_projects("NumPy\n# comment\n\nrequests>=2 ; python_version>'3'\nnumpy\n",
                           "f.txt")
    assert [(s.name, s.requirement) for s in specs] == [
        ("numpy", "NumPy"), ("requests", "requests>=2 ; python_version>'3'")]
    with pytest.raises(InputError, match=r"f\.txt:2: not a project name or requirement"):
        parse_projects("ok\nnot a name!\n", "f.txt")


def test_top_dataset_file() -> None:
    data = json.dumps({"last_update": "2026-11-01", "rows": [
        {"download_count": 5, "project": "six"},
        {"download_count": 9, "project": "Requests"},
        {"download_count": 7, "project": "numpy"},
    ]}).encode()
    assert [s.name for s in parse_top(data, 2, "top.json")] == ["requests", "numpy"]
    with pytest.raises(InputError, match="not a top-pypi-packages document"):
        parse_top(b'{"rows": 3}', 2, "top.json")


def test_shards_are_stable_and_cover_every_project() -> None:
    specs = parse_projects("\n".join(f"p{i}" for i in range(50)), "<test>")
    grouped = shards(specs, 8)
    assert sorted(s.name for group in grouped.values() for s in group) == sorted(
        s.name for s in specs)
    assert shard_of("numpy", 64) == shard_of("numpy", 64)
    # a shard's members do not depend on what else is scanned
    alone = shards(specs[:5], 8)
    for index, members in alone.items():
        assert {s.name for s in members} <= {s.name for s in grouped[index]}


def test_cli_writes_dashboard_data_and_badges(
        mirror_server: MirrorServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listing = tmp_path / "projects.txt"
    listing.write_text("cryptography\nrequests\n")
    top = tmp_path / "top.json"
    top.write_text(json.dumps({"rows": [{"project": "pyyaml", "download_count": 1}]}))
    out = tmp_path / "site"
    code = _main(["scan", "--projects", str(listing), "-t", "win-arm64", "-t", "linux-aarch64",
                  "-p", "3.12", "-p", "3.13", "--index-url", mirror_server.index_url,
                  "--db", str(tmp_path / "history.sqlite3"), "--out", str(out)])
    assert code == 0
    text = capsys.readouterr().out
    assert "win-arm64" in text
    assert "1/2" in text  # requests ready on win-arm64, cryptography builds
    document = json.loads((out / "data" / "results.json").read_text())
    assert [p["name"] for p in document["projects"]] == ["cryptography", "requests"]
    rows = list(csv.DictReader(io.StringIO((out / "data" / "results.csv").read_text())))
    assert len(rows) == 2 * 4
    badge = json.loads((out / "badges" / "cryptography" / "win-arm64.json").read_text())
    assert badge == {"schemaVersion": 1, "label": "win-arm64",
                     "message": "builds from source", "color": "E69F00"}
    for page in ("index.html", "methodology.html", "projects/cryptography.html",
                 "trends/win-arm64.svg"):
        assert (out / page).is_file(), page
    methodology = (out / "methodology.html").read_text()
    assert "Python bindings to the Win32 API: Windows only" in methodology  # the curated list
    project = (out / "projects" / "cryptography.html").read_text()
    assert "46.0.3" in project
    assert "cibuildwheel" in project
    # --top with a local file, JSON on stdout
    code = _main(["scan", "--top", "1", "--top-source", str(top), "-t", "win-arm64",
                  "-p", "3.12", "--index-url", mirror_server.index_url, "--no-history",
                  "--format", "json"])
    assert code == 0
    scanned = json.loads(capsys.readouterr().out)
    assert [p["name"] for p in scanned["projects"]] == ["pyyaml"]
    assert scanned["projects"][0]["cells"][0]["tree"] == "wheels"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--projects", "missing.txt"], "cannot read --projects 'missing.txt'"),
        (["--top", "0", "--top-source", "x.json"], "--top expects a positive number"),
        (["--projects", "EMPTY", "--concurrency", "0"], "--concurrency expects a positive"),
        (["--projects", "EMPTY"], "names no project"),
    ],
    ids=["missing-file", "top-zero", "concurrency", "empty"],
)
def test_bad_input_is_one_line(argv: list[str], message: str, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n")
    argv = [str(empty) if a == "EMPTY" else a for a in argv]
    code = _main(["scan", *argv, "-t", "win-arm64", "-p", "3.12", "--no-history",
                  "--index-url", "http://127.0.0.1:9/simple/"])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert err.count("\n") == 1


def test_inspect_builds_says_what_a_build_needs(mirror_server: MirrorServer) -> None:
    request = ScanRequest(
        projects=tuple(parse_projects("cryptography\n", "<test>")),
        targets=tuple(matrix(["win-arm64"], ["3.12"])),
        settings=IndexSettings(index_url=mirror_server.index_url, no_cache=True),
        options=ScanOptions(inspect_builds=True),
    )
    (cell,) = run_scan(request).results[0].cells
    assert cell.tree == "build"
    (need,) = cell.build_needs
    assert need.startswith("cryptography: ")


def test_top_dataset_url_is_fetched_once_a_day_and_kept(tmp_path: Path) -> None:
    from tests.support.server import serve
    from wheelscout.scan.projects import load_top

    site = tmp_path / "site"
    site.mkdir()
    (site / "top.json").write_text(json.dumps({"rows": [
        {"download_count": 3, "project": "six"}, {"download_count": 2, "project": "idna"}]}))
    cache = tmp_path / "cache"
    with serve(site) as server:
        url = f"{server.url}/top.json"
        assert [s.name for s in load_top(2, url, cache)] == ["six", "idna"]
        assert [s.name for s in load_top(1, url, cache)] == ["six"]
        assert len(server.requests("/top.json")) == 1  # the second answer came from the cache
    # the server is gone: the kept copy still answers, offline too
    assert [s.name for s in load_top(2, url, cache, offline=True)] == ["six", "idna"]
    with pytest.raises(InputError, match="no cached copy"):
        load_top(2, "http://127.0.0.1:9/other.json", cache, offline=True)


def test_a_failing_index_is_reported_and_recorded(
        mirror: Mirror, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.support.server import ServerConfig, TestServer

    listing = tmp_path / "projects.txt"
    listing.write_text("six\n")
    with TestServer(mirror.root, ServerConfig(faults={"/simple/six": "500"})) as server:
        code = _main(["scan", "--projects", str(listing), "-t", "win-arm64", "-p", "3.12",
                      "--index-url", server.index_url, "--no-history", "--format", "json"])
    captured = capsys.readouterr()
    assert code == 1
    (cell,) = json.loads(captured.out)["projects"][0]["cells"]
    assert (cell["tree"], cell["code"]) == ("none", "error")
    assert "1 of 1 projects could not be checked" in captured.err


def test_a_fallback_to_an_older_release_is_said(mirror_server: MirrorServer) -> None:
    request = ScanRequest(
        projects=tuple(parse_projects("numpy\n", "<test>")),
        targets=tuple(matrix(["win-arm64"], ["3.11", "3.12"])),
        settings=IndexSettings(index_url=mirror_server.index_url, no_cache=True),
    )
    (result,) = run_scan(request).results
    old, new = result.cells
    assert result.version == "2.5.5"
    # numpy 2.5.5 requires a newer Python: on 3.11 pip quietly takes 2.3.0
    assert (old.tree, old.version) == ("wheels", "2.3.0")
    assert old.reason.endswith("(pip falls back to 2.3.0 here, not the newest 2.5.5)")
    assert (new.version, "falls back" in new.reason) == ("2.5.5", False)


def test_out_never_replaces_a_directory_it_did_not_write(
        mirror_server: MirrorServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listing = tmp_path / "projects.txt"
    listing.write_text("six\n")
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("mine")
    argv = ["scan", "--projects", str(listing), "-t", "win-arm64", "-p", "3.12", "--no-history",
            "--index-url", mirror_server.index_url, "--out"]
    assert _main([*argv, str(precious)]) == 2
    assert "is not a wheelscout scan site" in capsys.readouterr().err
    assert (precious / "notes.txt").read_text() == "mine"
    site = tmp_path / "site"
    assert _main([*argv, str(site)]) == 0
    assert _main([*argv, str(site)]) == 0  # its own site is replaced as a whole
    assert (site / "index.html").is_file()
    assert not list(tmp_path.glob(".site*"))  # no staging or old copy left behind


def test_nothing_installable_is_none_not_unresolvable(mirror_server: MirrorServer) -> None:
    # pywin32 312 has no cp315t wheel and no sdist: the set resolves ("fails"), pywin32 has
    # nothing to install; the cell names it, it is not a conflict
    request = ScanRequest(
        projects=tuple(parse_projects("pywin32\n", "<test>")),
        targets=tuple(matrix(["win-arm64"], ["3.15t"])),
        settings=IndexSettings(index_url=mirror_server.index_url, no_cache=True),
    )
    (cell,) = run_scan(request).results[0].cells
    assert (cell.tree, cell.own, cell.code) == ("none", "none", CellCode.OWN_NONE)
    assert cell.blockers == ("pywin32",)


def test_top_dataset_url_is_cached_atomically_and_served_offline(tmp_path: Path) -> None:
    from tests.support.server import serve_directory
    from wheelscout.scan.projects import load_top

    site = tmp_path / "site"
    site.mkdir()
    rows = [{"download_count": 9, "project": "numpy"}, {"download_count": 5, "project": "six"}]
    (site / "top.json").write_text(json.dumps({"last_update": "2026-11-01", "rows": rows}))
    cache = tmp_path / "cache"
    with serve_directory(site) as url:
        fetched = load_top(1, f"{url}/top.json", cache)
    assert [s.name for s in fetched] == ["numpy"]
    assert not [p for p in cache.iterdir() if p.name.endswith(".partial")]
    # The server is gone: the cached copy answers, offline included.
    again = load_top(2, f"{url}/top.json", cache, offline=True)
    assert [s.name for s in again] == ["numpy", "six"]
