"""The words of the text and Markdown reports (issue 11): plurals, a summary first, problems
grouped across targets, build blocks told once, the wheels-only plan in words, and a matrix
that fits any width without cutting a name."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from wheelscout.model.build import (
    BuildNeeds,
    BuildRequirements,
    Evidence,
    Language,
    LanguageNeed,
    SetupStep,
)
from wheelscout.model.project import NormalizedName
from wheelscout.model.remedy import BinaryPlan, Blocked, PackageRemedy, PinMove
from wheelscout.model.verdict import CheckReport, Install, PackageVerdict, TargetResult
from wheelscout.report.markdown import render_markdown
from wheelscout.report.terminal import matrix_blocks, render_terminal
from wheelscout.report.words import plan_sentences, plural, problems, summary_lines, target_list
from wheelscout.targets import make_target


def _package(name: str, install: Install = "wheel", version: str | None = "1.0",
             remedy: str | None = None, build: BuildNeeds | None = None) -> PackageVerdict:
    advice = None if remedy is None else PackageRemedy(
        name=name, install=install, nearest=None, first_with_wheel=None,
        newest_with_wheel=None, binary=None, advice=remedy)
    return PackageVerdict(name=NormalizedName(name), version=version, install=install,
                          reason=f"{name} {version} ships no wheel for it", path=(name,),
                          requested=True, remedy=advice, build=build)


def _result(target: str, python: str, *packages: PackageVerdict,
            plan: BinaryPlan | None = None) -> TargetResult:
    return TargetResult(target=make_target(target, python), status="ok", packages=packages,
                        binary_plan=plan)


_BUILD = BuildNeeds(
    requirements=BuildRequirements(
        filename="lib-1.0.tar.gz", backend="setuptools.build_meta", backend_name="setuptools",
        backend_declared=True, build_requires=(), tools=(), native_libraries=(),
        source_kinds=(), findings=(), complete=True,
        languages=(LanguageNeed(language=Language.C,
                                evidence=(Evidence(file="setup.py", line=1, text="x"),)),),
    ),
    steps=(SetupStep(kind="install", summary="Visual Studio Build Tools", needed_for=("C",),
                     commands=("winget install x",)),),
)


def _report() -> CheckReport:
    newer = "lib 2.0 is the nearest newer version with a wheel for win_arm64/cp3"
    return CheckReport(results=(
        _result("win-arm64", "3.12", _package("charset-normalizer"),
                _package("lib", "build", remedy=newer + "12", build=_BUILD)),
        _result("win-arm64", "3.11", _package("charset-normalizer"),
                _package("lib", "build", remedy=newer + "11", build=_BUILD)),
    ))


@pytest.mark.parametrize(
    ("count", "word", "expected"),
    [(1, "package", "1 package"), (2, "package", "2 packages"), (1, "build", "1 build"),
     (0, "build", "0 builds")],
)
def test_plural(count: int, word: str, expected: str) -> None:
    assert plural(count, word) == expected


def test_summary_names_the_problems() -> None:
    assert summary_lines(_report().results) == [
        "2 packages on 2 targets: 1 package would build from source (lib)"]


def test_problems_group_across_pythons_and_say_the_remedy_once() -> None:
    (problem,) = problems(_report().results)
    assert problem.headline(2) == ("lib 1.0 builds from source on both targets: "
                                   "ships no wheel for it")
    assert problem.remedies == ((
        "lib 2.0 is the nearest newer version with a wheel for win_arm64",
        _report().results),)
    assert len(problem.builds) == 1


def test_target_list_folds_pythons() -> None:
    results = [_result("win-arm64", "3.12"), _result("win-arm64", "3.11"),
               _result("linux-armv7l", "3.12")]
    assert target_list(results, 4) == "win-arm64 3.12, 3.11 and linux-armv7l 3.12"


def test_plan_in_words() -> None:
    plan = BinaryPlan(
        target=make_target("win-arm64", "3.12"), status="blocked",
        blocked=(Blocked(name="numpy", chain="..."),),
        moves=(PinMove(name="numpy", before="1.26.2", after=None, before_install="build",
                       after_install="none"),
               PinMove(name="a", before="1", after=None, before_install="wheel",
                       after_install=None),
               PinMove(name="b", before="1", after=None, before_install="wheel",
                       after_install=None),
               PinMove(name="c", before="2", after="1", before_install="build",
                       after_install="wheel")))
    sentences = plan_sentences(_result("win-arm64", "3.12", plan=plan))
    assert sentences == [
        "with wheels only (--only-binary :all:): c takes the 1 wheel instead of 2 from source",
        "with wheels only, 2 packages would no longer be needed (the packages that pulled them "
        "in changed): a, b",
        "wheels only is impossible: no wheel fits for numpy",
    ]
    assert not any("-> absent" in s or "(none)" in s for s in sentences)


def test_a_blocked_package_is_not_said_to_install() -> None:
    # The default resolution was unresolvable (no packages); wheels only, numpy has nothing.
    plan = BinaryPlan(
        target=make_target("win-arm64", "3.12"), status="blocked",
        blocked=(Blocked(name="numpy", chain="..."),),
        moves=(PinMove(name="numpy", before=None, after=None, before_install=None,
                       after_install="none"),
               PinMove(name="pandas", before=None, after="3.1.1", before_install=None,
                       after_install="wheel")))
    assert plan_sentences(_result("win-arm64", "3.12", plan=plan)) == [
        "with wheels only, 1 package more would install: pandas 3.1.1",
        "wheels only is impossible: no wheel fits for numpy",
    ]


@pytest.mark.parametrize("width", [40, 80, 120])
def test_terminal_fits_and_keeps_names_whole(width: int) -> None:
    out = io.StringIO()
    render_terminal(_report(), Console(file=out, width=width, color_system=None))
    lines = out.getvalue().splitlines()
    assert all(len(line) <= width for line in lines), out.getvalue()
    assert any("charset-normalizer" in line for line in lines)
    assert "…" not in out.getvalue()
    assert lines[0].startswith("2 packages on 2 targets")
    assert "needs:" not in out.getvalue()  # build details are behind --verbose


def test_verbose_tells_the_build_block_once() -> None:
    out = io.StringIO()
    render_terminal(_report(), Console(file=out, width=100, color_system=None), verbose=True)
    text = out.getvalue()
    assert text.count("needs: setuptools: C") == 1
    assert "win-arm64 3.12 (win_arm64): 2 packages: 1 wheel, 1 build, 0 cannot install" in text


def test_matrix_blocks() -> None:
    assert matrix_blocks([10, 10, 10], 18, 80) == [[0, 1, 2]]
    assert matrix_blocks([30, 30, 30], 18, 80) == [[0], [1], [2]]
    assert matrix_blocks([30, 20, 30], 18, 80) == [[0, 1], [2]]
    assert matrix_blocks([70], 18, 80) == []


def test_markdown_in_the_same_words() -> None:
    text = render_markdown(_report())
    assert "**2 packages on 2 targets: 1 package would build from source (lib)**" in text
    assert "| package | win-arm64 3.12 | win-arm64 3.11 |" in text
    assert text.count("<summary>build: setuptools: C</summary>") == 1
    assert "- **build**: lib 1.0 builds from source on both targets" in text


def test_a_matrix_exactly_as_wide_as_the_terminal_is_not_wrapped() -> None:
    report = _report()
    out = io.StringIO()
    # " " + "charset-normalizer" + "  " + "wheel 1.0" + ... : find the matrix's natural width
    render_terminal(report, Console(file=out, width=200, color_system=None))
    rule = next(line for line in out.getvalue().splitlines() if line.startswith(" ─"))
    width = len(rule)
    out = io.StringIO()
    render_terminal(report, Console(file=out, width=width, color_system=None))
    lines = out.getvalue().splitlines()
    assert rule in lines
    assert any(line.startswith(" charset-normalizer  ") and len(line.split()) == 3
               for line in lines)
