"""The scale benchmark's bookkeeping: distinct files read, growth ratios, version differences.

The benchmark itself is not a test (it times tools on a shared machine); these check the
arithmetic its verdict rests on, on hand-made request logs and reports.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.support.server import LoggedRequest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _load(name: str) -> ModuleType:
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


bench_matrix = _load("bench_matrix")
bench_scale = _load("bench_scale")


def _get(path: str, status: int = 200, method: str = "GET") -> LoggedRequest:
    return LoggedRequest(method=method, path=path, status=status, bytes_sent=1,
                         content_type=None, range=None, conditional=False)


def test_distinct_reads_counts_each_page_and_wheel_once() -> None:
    log = [
        _get("/simple/"),  # the root listing is not a project page
        _get("/simple/numpy/"), _get("/simple/numpy"),  # one page, two spellings
        _get("/simple/pandas/", status=304),  # nothing read
        _get("/simple/scipy/"),
        _get("/files/numpy-2.5.5-cp312-cp312-win_arm64.whl", status=206),
        _get("/files/numpy-2.5.5-cp312-cp312-win_arm64.whl", status=206),  # second range
        _get("/files/six-1.17.0-py2.py3-none-any.whl.metadata"),
        _get("/files/six-1.17.0-py2.py3-none-any.whl", status=206),  # same wheel
        _get("/files/scipy-1.18.1-cp312-cp312-win_arm64.whl", method="HEAD"),
        _get("/files/missing.whl", status=404),
    ]
    assert bench_matrix.distinct_reads(log) == (2, 2)


def test_growth_compares_time_with_files_read() -> None:
    small = bench_matrix.Run(seconds=0.5, startup=0.1, peak_mb=50, requests=40, pages=18,
                             files=18, ok=True)
    big = bench_matrix.Run(seconds=2.0, startup=0.1, peak_mb=80, requests=400, pages=160,
                           files=200, ok=True)
    growth = bench_scale.growth(small, big)
    assert (growth.time, growth.files, growth.ratio) == pytest.approx((4.0, 10.0, 0.4))


def test_versions_by_target_and_differences() -> None:
    report = {"results": [
        {"target": "win-arm64", "status": "ok",
         "packages": [{"name": "dask", "version": "2023.3.0"}, {"name": "toolz", "version": "1"}]},
        {"target": "musllinux_1_2_x86_64", "status": "conflict", "packages": []},
    ]}
    ours = bench_scale.versions_by_target(report)
    assert ours == {"win-arm64": {"dask": "2023.3.0", "toolz": "1"}, "musllinux_1_2_x86_64": None}
    theirs = {"dask": "2026.8.0", "toolz": "1", "pyarrow": "26.0.1"}
    assert bench_scale.differences(ours["win-arm64"], theirs) == {
        "dask": ("2023.3.0", "2026.8.0"), "pyarrow": (None, "26.0.1")}
    assert bench_scale.differences(ours["win-arm64"], dict(ours["win-arm64"] or {})) == {}
    assert bench_scale.differences(None, theirs) == {"*": (None, "resolved")}
    assert bench_scale.differences(None, None) == {}
