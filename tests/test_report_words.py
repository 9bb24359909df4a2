"""The words of the text and Markdown reports (issue 11): plurals, a summary first, problems
grouped across targets, build blocks told once, the wheels-only plan in words, and a matrix
that fits any width without cutting a name."""

from __future__ import annotations

import io
from typing import Any

import pytest
from rich.console import Console

from wheelscout.report.markdown import render_markdown
from wheelscout.report.terminal import matrix_blocks, render_terminal
from wheelscout.report.words import plan_sentences, plural, problems, summary_lines, target_list


def _package(name: str, install: str = "wheel", version: str | None = "1.0",
             **extra: Any) -> dict[str, Any]:
    return {"name": name, "version": version, "install": install, "wheel_kind": None,
            "reason": f"{name} {version} ships no wheel for it", "path": [name],
            "required_by": [], "requested": True, "dependencies_from": "wheel", **extra}


def _result(target: str, python: str, *packages: dict[str, Any],
            plan: dict[str, Any] | None = None) -> dict[str, Any]:
    counts = {"packages": len(packages), "wheel": 0, "build": 0, "none": 0}
    for package in packages:
        counts[package["install"]] += 1
    return {"target": target, "platform": "win_arm64", "python": python, "status": "ok",
            "conflict": None, "summary": counts, "packages": list(packages),
            "binary_plan": plan}


_BUILD = {"summary": "setuptools: C", "setup_steps": [
    {"summary": "Visual Studio Build Tools", "commands": ["winget install x"]}], "blocked": []}


def _document() -> dict[str, Any]:
    remedy = {"advice": "lib 2.0 is the nearest newer version with a wheel for win_arm64/cp312"}
    remedy311 = {"advice": "lib 2.0 is the nearest newer version with a wheel for win_arm64/cp311"}
    return {"notes": [], "results": [
        _result("win-arm64", "3.12", _package("charset-normalizer"),
                _package("lib", "build", remedy=remedy, build=_BUILD)),
        _result("win-arm64", "3.11", _package("charset-normalizer"),
                _package("lib", "build", remedy=remedy311, build=_BUILD)),
    ]}


@pytest.mark.parametrize(
    ("count", "word", "expected"),
    [(1, "package", "1 package"), (2, "package", "2 packages"), (1, "build", "1 build"),
     (0, "build", "0 builds")],
)
def test_plural(count: int, word: str, expected: str) -> None:
    assert plural(count, word) == expected


def test_summary_names_the_problems() -> None:
    assert summary_lines(_document()) == [
        "2 packages on 2 targets: 1 package would build from source (lib)"]


def test_problems_group_across_pythons_and_say_the_remedy_once() -> None:
    (problem,) = problems(_document()["results"])
    assert problem.headline(2) == ("lib 1.0 builds from source on both targets: "
                                   "ships no wheel for it")
    assert problem.remedies == ((
        "lib 2.0 is the nearest newer version with a wheel for win_arm64",
        tuple(_document()["results"])),)
    assert len(problem.builds) == 1


def test_target_list_folds_pythons() -> None:
    results = [{"target": "win-arm64", "python": "3.12"}, {"target": "win-arm64", "python": "3.11"},
               {"target": "linux-armv7l", "python": "3.12"}]
    assert target_list(results, 4) == "win-arm64 3.12, 3.11 and linux-armv7l 3.12"


def test_plan_in_words() -> None:
    plan = {"status": "blocked", "conflict": None, "constraints_file": None,
            "blocked": [{"name": "numpy", "chain": "..."}],
            "moves": [{"name": "numpy", "from": "1.26.2", "to": None, "from_install": "build",
                       "to_install": "none"},
                      {"name": "a", "from": "1", "to": None, "from_install": "wheel",
                       "to_install": None},
                      {"name": "b", "from": "1", "to": None, "from_install": "wheel",
                       "to_install": None},
                      {"name": "c", "from": "2", "to": "1", "from_install": "build",
                       "to_install": "wheel"}]}
    sentences = plan_sentences({"binary_plan": plan})
    assert sentences == [
        "with wheels only (--only-binary :all:): c takes the 1 wheel instead of 2 from source",
        "with wheels only, 2 packages would no longer be needed (the packages that pulled them "
        "in changed): a, b",
        "wheels only is impossible: no wheel fits for numpy",
    ]
    assert not any("-> absent" in s or "(none)" in s for s in sentences)


@pytest.mark.parametrize("width", [40, 80, 120])
def test_terminal_fits_and_keeps_names_whole(width: int) -> None:
    out = io.StringIO()
    render_terminal(_document(), Console(file=out, width=width, color_system=None))
    lines = out.getvalue().splitlines()
    assert all(len(line) <= width for line in lines), out.getvalue()
    assert any("charset-normalizer" in line for line in lines)
    assert "…" not in out.getvalue()
    assert lines[0].startswith("2 packages on 2 targets")
    assert "needs:" not in out.getvalue()  # build details are behind --verbose


def test_verbose_tells_the_build_block_once() -> None:
    out = io.StringIO()
    render_terminal(_document(), Console(file=out, width=100, color_system=None), verbose=True)
    text = out.getvalue()
    assert text.count("needs: setuptools: C") == 1
    assert "win-arm64 3.12 (win_arm64): 2 packages: 1 wheel, 1 build, 0 cannot install" in text


def test_matrix_blocks() -> None:
    assert matrix_blocks([10, 10, 10], 18, 80) == [[0, 1, 2]]
    assert matrix_blocks([30, 30, 30], 18, 80) == [[0], [1], [2]]
    assert matrix_blocks([30, 20, 30], 18, 80) == [[0, 1], [2]]
    assert matrix_blocks([70], 18, 80) == []


def test_markdown_in_the_same_words() -> None:
    text = render_markdown(_document())
    assert "**2 packages on 2 targets: 1 package would build from source (lib)**" in text
    assert "| package | win-arm64 3.12 | win-arm64 3.11 |" in text
    assert text.count("<summary>build: setuptools: C</summary>") == 1
    assert "- **build**: lib 1.0 builds from source on both targets" in text


def test_a_matrix_exactly_as_wide_as_the_terminal_is_not_wrapped() -> None:
    document = _document()
    out = io.StringIO()
    # " " + "charset-normalizer" + "  " + "wheel 1.0" + ... : find the matrix's natural width
    render_terminal(document, Console(file=out, width=200, color_system=None))
    rule = next(line for line in out.getvalue().splitlines() if line.startswith(" ─"))
    width = len(rule)
    out = io.StringIO()
    render_terminal(document, Console(file=out, width=width, color_system=None))
    lines = out.getvalue().splitlines()
    assert rule in lines
    assert any(line.startswith(" charset-normalizer  ") and len(line.split()) == 3
               for line in lines)
