"""The packse fixture index builder, checked by reading its files and by uv resolving them."""

from __future__ import annotations

import base64
import email.parser
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import urllib.request
import zipfile
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.metadata import Metadata
from packaging.version import Version

from tests.support.packse_index import (
    DATA,
    IndexFeatures,
    ScenarioIndex,
    build_scenario_index,
    scenario_id,
    scenario_paths,
    serve_scenarios,
)
from tests.support.server import JSON_TYPE

FOLDERS = (
    "wheels", "tag_and_markers", "requires_python", "yanked", "prereleases", "extras", "local"
)  # fmt: skip
SCENARIOS = scenario_paths(*FOLDERS)

# Where uv's own answer differs from the scenario's expectation as we run it (one platform,
# one Python, `uv pip compile`), with the reason; these stay listed rather than silently pass.
UV_DISAGREES: Mapping[str, str] = {
    "prereleases/package-prerelease-specified-mixed-available": (
        "uv 0.13 resolves `a>=0.1.0a1` to the final 0.3.0, not 1.0.0a1: it no longer takes a "
        "pre-release in a lower bound as opting in to newer pre-releases (pip still does)"
    ),
}


# The same checks through PEP 503 HTML pages, for the attributes JSON does not exercise.
HTML_SCENARIOS = (
    "wheels/no-binary",
    "wheels/no-sdist-no-wheels-with-matching-platform",
    "requires_python/python-greater-than-current-backtrack",
    "yanked/package-yanked-specified-mixed-available",
    "yanked/transitive-yanked-and-unyanked-dependency-opt-in",
    "extras/all-extras-required",
)


@dataclass(frozen=True, slots=True)
class Served:
    url: str
    indexes: Mapping[str, ScenarioIndex]
    cache: Path


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """Every scenario built once, served from one loopback server at ``/<scenario>/simple``."""
    root = tmp_path_factory.mktemp("packse")
    with serve_scenarios(SCENARIOS, root / "indexes") as scenarios:
        # One uv cache for the session: each scenario has its own index URL, so entries never
        # collide, and uv's interpreter probe is paid once.
        yield Served(url=scenarios.url, indexes=scenarios.indexes, cache=root / "uv-cache")


def test_every_copied_scenario_is_used() -> None:
    assert {p.parent.name for p in SCENARIOS} == set(FOLDERS)
    assert (DATA / "LICENSE-MIT").exists()
    assert (DATA / "README.md").exists()


def test_scenario_fields(served: Served) -> None:
    index = served.indexes["wheels/no-sdist-no-wheels-with-matching-platform"]
    assert index.root_requirements == ("a",)
    assert (index.python_version, index.python_platform) == ("3.12", "x86_64-manylinux2014")
    assert not index.expected.satisfiable
    assert list(index.files) == ["a-1.0.0-py3-none-macosx_10_0_ppc64.whl"]
    override = served.indexes["requires_python/incompatible-python-compatible-override"]
    assert override.python_version == "3.11"
    assert override.expected.packages == {"a": "1.0.0"}
    assert served.indexes["wheels/no-binary"].options.no_binary == ("a",)
    assert served.indexes[
        "prereleases/requires-package-only-prereleases-in-range-global-opt-in"
    ].options.prereleases


def test_wheel_is_complete(served: Served) -> None:
    index = served.indexes["wheels/specific-tag-and-default"]
    name = "a-1.0.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
    with zipfile.ZipFile(index.root / "files" / name) as wheel:
        assert wheel.testzip() is None
        wheel_file = wheel.read("a-1.0.0.dist-info/WHEEL").decode()
        metadata = Metadata.from_email(wheel.read("a-1.0.0.dist-info/METADATA"))
        record = wheel.read("a-1.0.0.dist-info/RECORD").decode().splitlines()
        for line in record[:-1]:
            path, digest, size = line.split(",")
            data = wheel.read(path)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            assert (digest, int(size)) == (f"sha256={expected.decode()}", len(data))
    assert "Root-Is-Purelib: false" in wheel_file
    assert [line for line in wheel_file.splitlines() if line.startswith("Tag:")] == [
        "Tag: cp312-cp312-manylinux2014_x86_64",
        "Tag: cp312-cp312-manylinux_2_17_x86_64",
    ]
    assert (metadata.name, str(metadata.version), str(metadata.requires_python)) == (
        "a",
        "1.0.0",
        ">=3.12",
    )
    assert [line.split(",")[0] for line in record] == [
        "a/__init__.py",
        "a-1.0.0.dist-info/METADATA",
        "a-1.0.0.dist-info/WHEEL",
        "a-1.0.0.dist-info/RECORD",
    ]
    assert (
        (index.root / "files" / f"{name}.metadata")
        .read_bytes()
        .startswith(b"Metadata-Version: 2.2")
    )


def test_extras_in_metadata(served: Served) -> None:
    index = served.indexes["extras/all-extras-required"]
    with zipfile.ZipFile(index.root / "files" / "a-1.0.0-py3-none-any.whl") as wheel:
        metadata = Metadata.from_email(wheel.read("a-1.0.0.dist-info/METADATA"))
    assert metadata.provides_extra == ["all", "extra-b", "extra-c"]
    assert [str(r) for r in metadata.requires_dist or []] == [
        'a[extra_b]; extra == "all"', 'a[extra_c]; extra == "all"',
        'b; extra == "extra-b"', 'c; extra == "extra-c"',
    ]  # fmt: skip


def test_sdist_has_static_metadata(served: Served) -> None:
    index = served.indexes["wheels/no-wheels"]
    raw = gzip.decompress((index.root / "files" / "a-1.0.0.tar.gz").read_bytes())
    with tarfile.open(fileobj=io.BytesIO(raw)) as archive:
        assert archive.getnames() == ["a-1.0.0/PKG-INFO"]
        member = archive.extractfile("a-1.0.0/PKG-INFO")
        assert member is not None
        pkg_info = email.parser.BytesParser().parse(member)
    assert pkg_info["Metadata-Version"] == "2.2"
    assert pkg_info.get_all("Dynamic") is None


def test_build_is_deterministic(tmp_path: Path) -> None:
    path = DATA / "yanked" / "package-yanked-specified-mixed-available.toml"
    first = build_scenario_index(path, tmp_path / "one").files
    assert first == build_scenario_index(path, tmp_path / "two").files
    assert len(first) == 8


def test_features_switch_parts_off(tmp_path: Path) -> None:
    features = IndexFeatures(metadata_files=False, json_pages=False, static_sdist_metadata=False)
    index = build_scenario_index(DATA / "wheels" / "no-build.toml", tmp_path, features=features)
    assert not list((tmp_path / "files").glob("*.metadata"))
    assert not list((tmp_path / "simple").rglob("index.json"))
    assert "data-core-metadata" not in (index.simple_dir / "a" / "index.html").read_text()


def fetch(url: str, accept: str) -> tuple[str, str]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.headers["Content-Type"], response.read().decode()


@pytest.mark.integration
def test_pages_by_content_negotiation(served: Served) -> None:
    base = f"{served.url}/yanked/package-yanked-specified-mixed-available/simple/a/"
    content_type, body = fetch(base, f"{JSON_TYPE}, text/html;q=0.01")
    assert content_type == JSON_TYPE
    page = json.loads(body)
    assert page["meta"] == {"api-version": "1.1"}
    assert page["versions"] == ["0.1.0", "0.2.0", "0.3.0", "1.0.0"]
    yanked = {f["filename"]: f["yanked"] for f in page["files"]}
    assert yanked["a-0.2.0-py3-none-any.whl"] is True
    assert yanked["a-0.3.0.tar.gz"] is False
    wheel = next(f for f in page["files"] if f["filename"] == "a-1.0.0-py3-none-any.whl")
    assert set(wheel) == {
        "filename",
        "url",
        "hashes",
        "requires-python",
        "yanked",
        "core-metadata",
        "size",
    }
    content_type, body = fetch(base, "text/html")
    assert content_type.startswith("text/html")
    assert 'data-requires-python="&gt;=3.12" data-yanked=""' in body
    assert 'data-core-metadata="sha256=' in body
    html_only = base.replace(served.url, served.url + "/html-only")
    assert fetch(html_only, JSON_TYPE)[0].startswith("text/html")


def uv_binary() -> str | None:
    beside = Path(sys.executable).with_name("uv")
    return str(beside) if beside.exists() else shutil.which("uv")


def uv_compile(
    index: ScenarioIndex, index_url: str, cache: Path
) -> subprocess.CompletedProcess[str]:
    uv = uv_binary()
    assert uv is not None
    args = [
        uv, "pip", "compile", "-", "--no-config", "--no-header", "--no-annotate",
        "--python", sys.executable, "--no-python-downloads", "--index-url", index_url,
        "--cache-dir", str(cache), "--python-version", index.python_version,
    ]  # fmt: skip
    if index.options.universal:
        args.append("--universal")
    else:
        args += ["--python-platform", index.python_platform]
    for name in index.options.no_binary:
        args += ["--no-binary", name]
    for name in index.options.no_build:
        args += ["--only-binary", name]
    if index.options.prereleases:
        args += ["--prerelease", "allow"]
    # Only the loopback index: no user configuration, no inherited index or cache settings.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UV_", "PIP_"))}
    return subprocess.run(
        args, input="\n".join(index.root_requirements), capture_output=True, text=True,
        env=env, timeout=60, check=False,
    )  # fmt: skip


def pinned(output: str) -> dict[str, Version]:
    pins = {}
    for line in output.splitlines():
        requirement = line.split(";", 1)[0].strip()
        if "==" in requirement:
            name, version = requirement.split("==", 1)
            pins[name.strip()] = Version(version)
    return pins


UvRuns = Mapping[tuple[str, str], "subprocess.CompletedProcess[str]"]


@pytest.fixture(scope="session")
def uv_runs(served: Served) -> UvRuns:
    """Every uv resolution of the module, run a few at a time up front to keep the suite fast."""
    if uv_binary() is None:
        pytest.skip("uv is not installed")
    jobs = [(scenario_id(path), "") for path in SCENARIOS]
    jobs += [(key, "/html-only") for key in HTML_SCENARIOS]
    jobs = [(key, prefix) for key, prefix in jobs if key not in UV_DISAGREES]

    def run(job: tuple[str, str]) -> subprocess.CompletedProcess[str]:
        key, prefix = job
        return uv_compile(served.indexes[key], f"{served.url}{prefix}/{key}/simple", served.cache)

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(jobs, pool.map(run, jobs), strict=True))


def check_against_uv(served: Served, uv_runs: UvRuns, key: str, prefix: str) -> None:
    if key in UV_DISAGREES:
        pytest.skip(f"uv disagrees with the scenario: {UV_DISAGREES[key]}")
    index = served.indexes[key]
    result = uv_runs[key, prefix]
    detail = (
        f"{index.expected.explanation or ''}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    )
    assert (result.returncode == 0) == index.expected.satisfiable, detail
    # A failure must be the resolver's verdict, not a broken fixture (404, bad wheel, ...).
    assert result.returncode == 0 or "No solution found" in result.stderr, detail
    if index.expected.satisfiable:
        pins = pinned(result.stdout)
        expected = {name: Version(v) for name, v in index.expected.packages.items()}
        assert {name: pins.get(name) for name in expected} == expected, detail


@pytest.mark.integration
@pytest.mark.peer
@pytest.mark.parametrize("path", SCENARIOS, ids=scenario_id)
def test_uv_agrees_json(served: Served, uv_runs: UvRuns, path: Path) -> None:
    check_against_uv(served, uv_runs, scenario_id(path), "")


@pytest.mark.integration
@pytest.mark.peer
@pytest.mark.parametrize("key", HTML_SCENARIOS)
def test_uv_agrees_html(served: Served, uv_runs: UvRuns, key: str) -> None:
    check_against_uv(served, uv_runs, key, "/html-only")
