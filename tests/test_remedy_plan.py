"""The binary-only plan: pin moves, blocked chains, constraints files, per-package remedies."""

from __future__ import annotations

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from tests.test_remedy_nearest import captured
from wheelscout.model.project import NormalizedName
from wheelscout.model.verdict import Install, PackageVerdict, TargetResult
from wheelscout.remedy.plan import (
    binary_plan,
    constraints_filename,
    constraints_text,
    dependents_specifier,
    package_remedy,
    plan_remedies,
)
from wheelscout.targets import make_target

TARGET = make_target("win-arm64", "3.12")


def _v(name: str, version: str | None, install: Install, *, reason: str = "",
       path: tuple[str, ...] = (), requested: bool = False) -> PackageVerdict:
    return PackageVerdict(name=NormalizedName(name), version=version, install=install,
                          reason=reason or f"{name} {version} {install}",
                          path=path or (name,), requested=requested)


def _result(*packages: PackageVerdict, status: str = "ok",
            conflict: str | None = None) -> TargetResult:
    return TargetResult(target=TARGET, status="ok" if status == "ok" else "unresolvable",
                        packages=packages, conflict=conflict)


def test_moves_and_pins() -> None:
    default = _result(_v("cryptography", "50.0.2", "build", requested=True),
                      _v("cffi", "2.1.1", "wheel", path=("cryptography", "cffi")))
    binary = _result(_v("cryptography", "46.0.3", "wheel", requested=True),
                     _v("cffi", "2.1.1", "wheel", path=("cryptography", "cffi")))
    plan = binary_plan(default, binary)
    assert plan.status == "moves"
    assert [(m.name, m.before, m.after, m.before_install, m.after_install)
            for m in plan.moves] == [("cryptography", "50.0.2", "46.0.3", "build", "wheel")]
    assert plan.pins == (("cryptography", "46.0.3"), ("cffi", "2.1.1"))
    text = constraints_text(plan)
    assert text.splitlines()[2:] == ["--only-binary :all:", "cryptography==46.0.3",
                                     "cffi==2.1.1"]


def test_same_resolution_is_no_change() -> None:
    result = _result(_v("numpy", "2.5.5", "wheel", requested=True))
    assert binary_plan(result, result).status == "no-change"


def test_blocked_chains_name_the_requirement_or_the_path() -> None:
    default = _result(_v("pandas", "3.1.1", "wheel", requested=True),
                      _v("numpy", "2.2.6", "build", path=("pandas", "numpy")))
    binary = _result(_v("pandas", "3.1.1", "wheel", requested=True),
                     _v("numpy", None, "none", path=("pandas", "numpy"),
                        reason="numpy 2.2.6 ships no win_arm64 wheel"))
    plan = binary_plan(default, binary, {"numpy": SpecifierSet("<2.3")})
    assert plan.status == "blocked"
    assert [b.chain for b in plan.blocked] == [
        "pandas -> numpy: numpy 2.2.6 ships no win_arm64 wheel"]
    requested = _result(_v("numpy", None, "none", requested=True, reason="no wheel"))
    chain = binary_plan(requested, requested, {"numpy": SpecifierSet("==1.26.2")}).blocked[0]
    assert chain.chain == "you asked for numpy==1.26.2: no wheel"
    assert "# no wheel: you asked for numpy==1.26.2: no wheel" in constraints_text(
        binary_plan(requested, requested, {"numpy": SpecifierSet("==1.26.2")}))


def test_unresolvable_binary_set() -> None:
    default = _result(_v("a", "1", "build", requested=True))
    binary = _result(status="unresolvable",
                     conflict="cannot install b: a 1 requires b>=2, and you asked for b<2")
    plan = binary_plan(default, binary)
    assert plan.status == "unresolvable"
    assert plan.pins == ()
    assert plan.conflict is not None
    assert constraints_text(plan).endswith(
        "# unresolvable with wheels only: cannot install b: a 1 requires b>=2, and you asked "
        "for b<2\n")


@pytest.mark.parametrize(
    ("spelling", "python", "name"),
    [("win-arm64", "3.12", "constraints-win_arm64-cp312.txt"),
     ("win-arm64", "3.13t", "constraints-win_arm64-cp313t.txt"),
     ("linux-aarch64", "3.12", "constraints-manylinux_2_28_aarch64-cp312.txt")],
    ids=["win", "free-threaded", "manylinux"],
)
def test_constraints_filename(spelling: str, python: str, name: str) -> None:
    assert constraints_filename(make_target(spelling, python)) == name


def test_numpy_remedy_says_the_pin_forbids_2_3_0() -> None:
    verdict = _v("numpy", "1.26.2", "build", requested=True)
    remedy = package_remedy(verdict, captured("numpy"), TARGET, SpecifierSet("==1.26.2"))
    assert remedy.advice == ("numpy 2.3.0 is the nearest newer version with a wheel for "
                             "win_arm64/cp312, but numpy==1.26.2 forbids it")
    assert remedy.first_with_wheel is not None
    assert remedy.first_with_wheel.allowed is False
    assert remedy.newest_with_wheel is not None
    assert str(remedy.newest_with_wheel.version) == "2.5.5"


def test_cryptography_remedy_follows_the_binary_resolution() -> None:
    verdict = _v("cryptography", "50.0.2", "build", requested=True)
    binary = _v("cryptography", "46.0.3", "wheel", requested=True)
    remedy = package_remedy(verdict, captured("cryptography"), TARGET, None, binary)
    assert remedy.advice == ("with wheels only, cryptography 46.0.3 installs on "
                             "win_arm64/cp312 (pin cryptography==46.0.3)")
    free_threaded = package_remedy(verdict, captured("cryptography"),
                                   make_target("win-arm64", "3.13t"))
    assert free_threaded.advice == "no version of cryptography ships a wheel for win_arm64/cp313t"


def test_none_verdict_without_version_and_missing_page() -> None:
    verdict = _v("pyyaml", None, "none", requested=True)
    remedy = package_remedy(verdict, captured("pyyaml"), TARGET, SpecifierSet("<6.0.3"))
    assert remedy.nearest is not None
    assert str(remedy.nearest.current) == "6.0.2"
    assert remedy.advice == ("pyyaml 6.0.3 is the nearest newer version with a wheel for "
                             "win_arm64/cp312, but pyyaml<6.0.3 forbids it")
    missing = package_remedy(_v("nope", None, "none"), None, TARGET)
    assert missing.advice == "nope is not on any configured index"


def test_plan_remedies_only_for_non_wheels() -> None:
    default = _result(_v("pyyaml", "6.0.2", "build", requested=True),
                      _v("idna", "3.20", "wheel"))
    remedies = plan_remedies(default, None, {"pyyaml": captured("pyyaml")},
                             {"pyyaml": SpecifierSet("==6.0.2")})
    assert list(remedies) == ["pyyaml"]
    assert remedies["pyyaml"].binary is None


def test_dependents_specifier_follows_markers() -> None:
    requires = [Requirement('numpy>=2.0.2; python_version < "3.14"'),
                Requirement('numpy>=2.3.3; python_version >= "3.14"'),
                Requirement("numpy<3; extra == 'fast'"), Requirement("tzdata")]
    on_312 = dependents_specifier("numpy", requires, TARGET.markers)
    on_314 = dependents_specifier("numpy", requires, make_target("win-arm64", "3.14").markers)
    assert (str(on_312), str(on_314)) == (">=2.0.2", ">=2.3.3")
