"""Direct references' dependencies as roots, and their verdicts (resolve/direct.py)."""

from __future__ import annotations

from packaging.requirements import Requirement

from wheelscout.model.project import NormalizedName
from wheelscout.model.verdict import PackageVerdict
from wheelscout.resolve.direct import DirectDependencies, _file, attach_direct, roots_for
from wheelscout.targets import make_target


def _deps(name: str, *requires: str) -> DirectDependencies:
    return DirectDependencies(name=NormalizedName(name),
                              requires=tuple(Requirement(r) for r in requires), source="wheel")


def test_roots_follow_markers_and_the_extras_asked() -> None:
    env = dict(make_target("win-arm64", "3.12").markers)
    found = [_deps("requests", "idna", "PySocks; extra == 'socks'",
                   "colorama; sys_platform == 'linux'", "requests-oauth; extra == 'oauth'")]
    roots = roots_for([Requirement("requests[socks] @ https://x.invalid/requests.whl")], found,
                      env)
    assert [str(r) for r in roots] == ["idna", "PySocks"]  # markers decided, then dropped


def test_roots_skip_what_another_direct_reference_provides() -> None:
    env = dict(make_target("linux-x86_64", "3.12").markers)
    found = [_deps("app", "lib>=1", "six"), _deps("lib")]
    direct = [Requirement("app @ file:///src/app"), Requirement("lib @ file:///src/lib")]
    assert [str(r) for r in roots_for(direct, found, env)] == ["six"]


def test_url_fragment_gives_the_expected_hash() -> None:
    file = _file("https://x.invalid/p/requests-2.32.3-py3-none-any.whl#sha256=ABCD&egg=x")
    assert file.filename == "requests-2.32.3-py3-none-any.whl"
    assert file.url == "https://x.invalid/p/requests-2.32.3-py3-none-any.whl"
    assert dict(file.hashes) == {"sha256": "abcd"}


def _verdict(name: str, path: tuple[str, ...], requested: bool = False) -> PackageVerdict:
    return PackageVerdict(name=NormalizedName(name), version="1", install="wheel",
                          reason="r", path=path, requested=requested)


def test_attach_hangs_dependencies_below_the_reference() -> None:
    resolved = [_verdict("idna", ("idna",)), _verdict("numpy", ("numpy",), requested=True),
                _verdict("requests", ("requests",))]
    direct = [_verdict("requests", ("requests",), requested=True)]
    packages = attach_direct(resolved, direct, [_deps("requests", "idna")], {"numpy"})
    by_name: dict[str, PackageVerdict] = {v.name: v for v in packages}
    assert len(packages) == 3  # the index copy of requests gives way to the reference
    assert by_name["idna"].path == ("requests", "idna")
    assert by_name["idna"].required_by == ("requests",)
    assert by_name["numpy"].path == ("numpy",)
    assert by_name["requests"].dependencies_from == "wheel"
