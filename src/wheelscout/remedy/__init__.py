"""How to get wheels: nearest versions with a wheel for a target, coverage across versions, why
a release's wheels miss a target tag by tag, and (over two resolutions) a binary-only plan.

Pure rules over :class:`~wheelscout.model.project.ProjectPage` and
:class:`~wheelscout.model.target.Target`; nothing here does IO. The records they return for
``check`` (:class:`~wheelscout.model.remedy.PackageRemedy`, ``BinaryPlan``, ...) are in
:mod:`wheelscout.model.remedy`.
"""

from __future__ import annotations

from wheelscout.remedy.groups import (
    FileGroups,
    PlatformGroup,
    describe_groups,
    group_files,
    python_label,
    python_span,
)
from wheelscout.remedy.nearest import (
    CoverageRow,
    coverage,
    first_version_with_wheel,
    is_placeholder,
    nearest_to_specifier,
    nearest_wheel_versions,
    versions_with_wheel,
)
from wheelscout.remedy.nearmiss import (
    FileCheck,
    Mismatch,
    Problem,
    TagCheck,
    check_file,
    check_files,
    check_tag,
)
from wheelscout.remedy.plan import (
    binary_plan,
    constraints_filename,
    constraints_text,
    package_remedy,
)
from wheelscout.remedy.release import ReleaseExplanation, explain_release

__all__ = [
    "CoverageRow",
    "FileCheck",
    "FileGroups",
    "Mismatch",
    "PlatformGroup",
    "Problem",
    "ReleaseExplanation",
    "TagCheck",
    "binary_plan",
    "check_file",
    "check_files",
    "check_tag",
    "constraints_filename",
    "constraints_text",
    "coverage",
    "describe_groups",
    "explain_release",
    "first_version_with_wheel",
    "group_files",
    "is_placeholder",
    "nearest_to_specifier",
    "nearest_wheel_versions",
    "package_remedy",
    "python_label",
    "python_span",
    "versions_with_wheel",
]
