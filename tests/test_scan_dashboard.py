"""The dashboard's pure parts: a target's status over its Pythons, badges, trend charts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from wheelscout.scan.dashboard import _cibuildwheel_hint, trend_svg
from wheelscout.scan.document import badge, summary
from wheelscout.scan.history import SharePoint
from wheelscout.scan.model import Cell, CellCode, Tree
from wheelscout.targets import make_target


def _cell(tree: Tree, python: str = "3.12") -> Cell:
    return Cell(target="win-arm64", python=python, tree=tree, own="n/a", blockers=(), reason="r",
                code=CellCode.READY)


@pytest.mark.parametrize(
    ("trees", "expected"),
    [
        (["wheels", "wheels"], "wheels"),
        (["wheels", "n/a"], "wheels"),
        (["wheels", "build"], "partial"),
        (["build", "none"], "build"),
        (["none", "none"], "none"),
        (["n/a", "n/a"], "n/a"),
    ],
    ids=["all-wheels", "wheels-and-na", "partial", "build-wins-over-none", "none", "na"],
)
def test_summary_over_pythons(trees: list[Tree], expected: str) -> None:
    assert summary(trees) == expected


def test_badge_says_partial_with_counts() -> None:
    cells = [_cell("wheels", "3.12"), _cell("build", "3.13"), _cell("n/a", "3.14")]
    assert badge("win-arm64", cells) == {"schemaVersion": 1, "label": "win-arm64",
                                         "message": "wheels on 1/2 Pythons", "color": "56B4E9"}


def test_trend_svg_is_valid_and_titled() -> None:
    points = [SharePoint(run=i, date=f"2026-11-0{i}T06:00:00+00:00", target="win-arm64",
                         ready=r, applicable=4) for i, r in ((1, 1), (2, 3), (3, 2))]
    root = ET.fromstring(trend_svg("win-arm64", points))
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert root.find("s:title", ns).text == (  # type: ignore[union-attr]
        "win-arm64: 50% ready (2/4) on 2026-11-03; 3 run(s) since 2026-11-01")
    assert len(root.findall("s:circle", ns)) == 3
    assert root.find("s:polyline", ns) is not None
    empty = ET.fromstring(trend_svg("win-arm64", []))
    assert empty.find("s:circle", ns) is None


@pytest.mark.parametrize(
    ("spelling", "archs"),
    [
        ("win-arm64", 'CIBW_ARCHS_WINDOWS="ARM64"'),
        ("win32", 'CIBW_ARCHS_WINDOWS="x86"'),  # cibuildwheel's name, not the tag's win32
        ("linux-i686", 'CIBW_ARCHS_LINUX="i686"'),
        ("macos-universal2", 'CIBW_ARCHS_MACOS="universal2"'),
    ],
    ids=["win-arm64", "win32", "i686", "universal2"],
)
def test_cibuildwheel_hint_names_the_arch_as_cibuildwheel_does(spelling: str, archs: str) -> None:
    assert archs in _cibuildwheel_hint(make_target(spelling, "3.12"))
