"""The provider's search order, field by field against pip 26's PipProvider.

pip's ``get_preference`` key is (not promoted, not direct, not pinned, not upper-bounded, the
user's order, not unfree, name), and ``narrow_requirement_selection`` puts Requires-Python
alone first, then the current backtrack causes, then projects promoted after five conflicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version
from resolvelib.structs import RequirementInformation

from wheelscout.classify import BinaryPolicy, TagRanker, choose
from wheelscout.model.project import NormalizedName
from wheelscout.resolve.candidates import Candidate, Release
from wheelscout.resolve.provider import (
    PYTHON,
    Broken,
    Dependencies,
    PythonRequirement,
    TargetProvider,
    split_extras,
)
from wheelscout.targets import make_target

RANKER = TagRanker(make_target("win-arm64", "3.12"))


class _NoIndex:
    def releases(self, name: NormalizedName) -> Sequence[Release] | None:
        return None

    def dependencies(self, candidate: Candidate) -> Dependencies | Broken:
        raise AssertionError("not used")

    def prefetch(self, candidates: Sequence[Candidate]) -> None:
        pass

    def prefetch_projects(self, names: Iterable[str]) -> None:
        pass

    def when_project(self, name: str, job: Any) -> None:
        pass

    def when_dependencies(self, candidate: Candidate, job: Any) -> None:
        pass


def _provider(user_requested: dict[str, int] | None = None) -> TargetProvider:
    return TargetProvider(
        _NoIndex(),
        RANKER,
        lambda name: BinaryPolicy(),
        constraints={},
        pre=False,
        user_requested=user_requested,
    )


def _info(*texts: str, parent: Any = None) -> list[RequirementInformation[Any, Any]]:
    return [RequirementInformation(Requirement(t), parent) for t in texts]


def _order(provider: TargetProvider, information: dict[str, list[Any]]) -> list[str]:
    def key(identifier: str) -> Any:
        return provider.get_preference(
            identifier,
            resolutions={},
            candidates={},
            information={k: iter(v) for k, v in information.items()},
            backtrack_causes=[],
        )

    return sorted(information, key=key)


def test_pinned_then_upper_bounded_then_user_order_then_unfree_then_name() -> None:
    provider = _provider({"free-first": 0, "bounded-later": 5})
    information = {
        "zz-free": _info("zz-free"),
        "free-first": _info("free-first"),
        "aa-lower": _info("aa-lower>=1"),
        "bounded-later": _info("bounded-later<2"),
        "wild": _info("wild==1.*"),
        "pinned": _info("pinned==1.0", "pinned>=0.5"),
    }
    assert _order(provider, information) == [
        "pinned",
        "bounded-later",  # upper-bounded beats the user's order, as in pip
        "wild",  # ==1.* counts as an upper bound, not a pin
        "free-first",
        "aa-lower",  # has a specifier ("unfree")
        "zz-free",
    ]


def test_a_base_required_by_its_extras_candidate_is_direct() -> None:
    # pip requires the base through an ExplicitRequirement: "direct" beats "pinned".
    release = Release(name=NormalizedName("web"), version=Version("1.0"), files=())
    extras = Candidate(
        name=NormalizedName("web"),
        version=Version("1.0"),
        extras=frozenset({"std"}),
        choice=choose([], RANKER, BinaryPolicy()),
        release=release,
    )
    information = {
        "pinned": _info("pinned==2"),
        "web": _info("web==1.0", parent=extras),
        "other": _info("other", parent=extras),
    }
    assert _order(_provider(), information) == ["web", "pinned", "other"]


def test_narrowing_python_first_then_backtrack_causes_then_promoted() -> None:
    provider = _provider()
    python = RequirementInformation(PythonRequirement(specifier=SpecifierSet(">=3.9"),
                                                      owner="x"), None)

    def narrow(ids: list[str], causes: list[Any]) -> list[str]:
        empty: dict[str, Iterator[Any]] = {}
        return list(provider.narrow_requirement_selection(ids, {}, empty, empty, causes))

    assert narrow(["a", PYTHON, "b"], []) == [PYTHON]
    cause = _info("b>=2")
    assert narrow(["a", "b", "c"], cause) == ["b"]
    for _ in range(4):  # b, unpinned, has now been a cause five times: promoted for good
        narrow(["a", "b", "c"], cause)
    assert narrow(["a", "b", "c"], []) == ["b"]
    assert python.requirement.owner == "x"


def test_extras_with_a_specifier_are_split_as_pip_does() -> None:
    assert [str(r) for r in split_extras(Requirement("web[std]>=1"))] == ["web>=1", "web[std]>=1"]
    assert [str(r) for r in split_extras(Requirement("web[std]"))] == ["web[std]"]
    assert [str(r) for r in split_extras(Requirement("web>=1"))] == ["web>=1"]
