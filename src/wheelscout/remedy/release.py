"""Everything about one release on one target: groups, the winning tag, the near misses."""

from __future__ import annotations

from dataclasses import dataclass

from packaging.version import Version

from wheelscout.classify import Choice
from wheelscout.classify.reasons import explain_choice
from wheelscout.model.project import ProjectPage
from wheelscout.model.reasons import ReasonCode
from wheelscout.model.target import Target
from wheelscout.remedy._releases import releases
from wheelscout.remedy.groups import FileGroups, describe_groups, group_files
from wheelscout.remedy.nearmiss import FileCheck, check_files, choose_on

__all__ = ["ReleaseExplanation", "explain_release"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReleaseExplanation:
    """``choice`` is what pip would take, ``reason`` why (``reason_code``, the same as a code);
    ``wheels`` every wheel checked, usable first."""

    name: str
    version: Version
    choice: Choice
    reason: str
    reason_code: ReasonCode
    groups: FileGroups
    summary: str
    wheels: tuple[FileCheck, ...]

    @property
    def near_misses(self) -> tuple[FileCheck, ...]:
        return tuple(w for w in self.wheels if w.near_miss)


def explain_release(
    page: ProjectPage, target: Target, version: Version
) -> ReleaseExplanation | None:
    """Explain ``version`` of ``page`` on ``target``; ``None`` when the page has no such version."""
    release = next((r for r in releases(page) if r.version == version), None)
    if release is None:
        return None
    files = list(release.files)
    choice = choose_on(files, target)
    groups = group_files(files, target)
    why = explain_choice(str(page.name), str(version), files, choice, target)
    return ReleaseExplanation(
        name=str(page.name),
        version=version,
        choice=choice,
        reason=why.text,
        reason_code=why.code,
        groups=groups,
        summary=describe_groups(groups),
        wheels=tuple(check_files(files, target)),
    )
