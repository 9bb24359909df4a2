"""One target's resolution as a wheelhouse: which files go in it, and its requirements.txt.

The directory and its ``requirements.txt`` are made for
``pip install --no-index --find-links DIR -r DIR/requirements.txt`` on the target: every
package pinned with ``==`` and a ``--hash`` (pip's hash-checking mode), so pip takes exactly the
files downloaded and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from wheelscout.errors import MalformedResponse
from wheelscout.model.project import DistFile
from wheelscout.model.target import Target
from wheelscout.model.verdict import PackageVerdict, TargetResult

__all__ = ["HEADER", "REQUIREMENTS", "Wheelhouse", "plan_wheelhouse", "requirements_txt"]

REQUIREMENTS = "requirements.txt"
HEADER = b"# wheelscout download"  # how a requirements.txt written here begins


@dataclass(frozen=True, slots=True, kw_only=True)
class Wheelhouse:
    """What goes into ``directory`` for ``target``: a file per package in ``files``;
    ``blocked`` are the packages that would build, left out (no ``--allow-build``)."""

    target: Target
    directory: Path
    files: tuple[tuple[PackageVerdict, DistFile], ...]
    blocked: tuple[PackageVerdict, ...] = ()


def plan_wheelhouse(result: TargetResult, directory: Path, *, allow_build: bool) -> Wheelhouse:
    """The wheelhouse of an ``ok`` result without ``none`` verdicts. Raises
    :class:`MalformedResponse` for a file name that is not a plain name (``../x.whl``)."""
    files, blocked = [], []
    for verdict in sorted(result.packages, key=lambda v: v.name):
        if verdict.file is None or verdict.install == "none":
            raise ValueError(f"{verdict.name} has no installable file")
        if verdict.install == "build" and not allow_build:
            blocked.append(verdict)
            continue
        _check_name(verdict.file)
        files.append((verdict, verdict.file))
    return Wheelhouse(
        target=result.target, directory=directory, files=tuple(files), blocked=tuple(blocked)
    )


def requirements_txt(house: Wheelhouse, sha256: Mapping[str, str]) -> str:
    """Pinned, hashed lines for every file of ``house``; ``sha256`` maps each file name to the
    digest of the file written."""
    label = house.target.label
    lines = [
        f"{HEADER.decode()} for {house.target.spelling} ({label}); install with",
        f"# pip install --no-index --find-links DIR -r DIR/{REQUIREMENTS}",
    ]
    for verdict, file in house.files:
        lines.append(f"{verdict.name}=={verdict.version} \\")
        lines.append(f"    --hash=sha256:{sha256[file.filename]}")
    return "\n".join(lines) + "\n"


def _check_name(file: DistFile) -> None:
    # The file name comes from the index: it must not climb out of the wheelhouse or hide.
    name = file.filename
    if not name or name != Path(name).name or name.startswith(".") or "\\" in name or "\0" in name:
        raise MalformedResponse(f"the index named a file {name!r}, which is not a plain file name")
