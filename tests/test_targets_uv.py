"""Every uv ``--python-platform`` triple means, to wheelscout, what it means to uv.

For each triple, a find-links directory holds two versions of a probe project: 1.1 with a wheel
for wheelscout's canonical platform tag of the triple (just inside its floor) and 1.2 with a wheel
just outside it (one glibc, macOS, iOS or API level too new, or another architecture). uv must
pick 1.1: it accepts what we accept, and refuses the next step up.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.support.wheels import build_wheel, core_metadata, dist_info
from wheelscout.targets import parse_platform
from wheelscout.targets.uv_triples import UV_TRIPLES

UV = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
_BUMPS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"^manylinux_2_(\d+)_(\w+)$"), lambda m: f"manylinux_2_{int(m[1]) + 1}_{m[2]}"),
    (re.compile(r"^musllinux_1_(\d+)_(\w+)$"), lambda m: f"musllinux_1_{int(m[1]) + 1}_{m[2]}"),
    (re.compile(r"^macosx_(\d+)_0_(\w+)$"), lambda m: f"macosx_{int(m[1]) + 1}_0_{m[2]}"),
    (re.compile(r"^ios_(\d+)_0_(\w+)$"), lambda m: f"ios_{m[1]}_1_{m[2]}"),
    (re.compile(r"^android_(\d+)_(\w+)$"), lambda m: f"android_{int(m[1]) + 1}_{m[2]}"),
    (
        re.compile(r"^pyemscripten_(\d+)_0_wasm32$"),
        lambda m: f"pyemscripten_{int(m[1]) + 1}_0_wasm32",
    ),
    (re.compile(r"^win_arm64$"), lambda m: "win_amd64"),
    (re.compile(r"^win_amd64$"), lambda m: "win_arm64"),
    (re.compile(r"^win32$"), lambda m: "win_amd64"),
)


def _outside(platform: str) -> str:
    for pattern, bump in _BUMPS:
        if match := pattern.match(platform):
            return bump(match)
    raise AssertionError(f"no bump rule for {platform}")


def _wheel(directory: Path, version: str, platform: str) -> None:
    filename = f"probe-{version}-py3-none-{platform}.whl"
    metadata = core_metadata("probe", version)
    members = {f"{dist_info(filename)}/METADATA": metadata}
    (directory / filename).write_bytes(build_wheel(filename, members))


def _uv_pick(triple: str, inside: str, outside: str, root: Path) -> str:
    links = root / triple
    links.mkdir()
    _wheel(links, "1.1", inside)
    _wheel(links, "1.2", outside)
    python = "3.13" if triple == "wasm32-pyodide2025" else "3.12"
    done = subprocess.run(
        [
            UV,
            "pip",
            "compile",
            "-",
            "--no-config",
            "--no-python-downloads",
            "--quiet",
            "--python",
            sys.executable,
            "--python-platform",
            triple,
            "--python-version",
            python,
            "--no-index",
            "--find-links",
            str(links),
            "--no-cache",
            "--no-header",
            "--no-annotate",
        ],
        input="probe\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(root), "UV_PYTHON_DOWNLOADS": "never"},
    )
    return done.stdout.strip() or done.stderr.strip()


@pytest.fixture(scope="module")
def uv_picks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str, str]]:
    if not Path(UV).exists():
        pytest.skip("uv is not installed")
    root = tmp_path_factory.mktemp("uv-triples")
    jobs = {t: parse_platform(t).name for t in UV_TRIPLES}

    def run(triple: str) -> tuple[str, str, str]:
        inside = jobs[triple]
        outside = _outside(inside)
        return inside, outside, _uv_pick(triple, inside, outside, root)

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(jobs, pool.map(run, jobs), strict=True))


@pytest.mark.peer
@pytest.mark.parametrize("triple", sorted(UV_TRIPLES))
def test_uv_accepts_our_platform_and_refuses_the_next(
    uv_picks: dict[str, tuple[str, str, str]], triple: str
) -> None:
    inside, outside, answer = uv_picks[triple]
    assert answer == "probe==1.1", f"{triple}: inside {inside}, outside {outside}: {answer}"
