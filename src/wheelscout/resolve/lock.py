"""Check a PEP 751 lock per target without resolving: which locked file would install."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection

from packaging.tags import Tag

from wheelscout.classify import TagRanker, parse_file, wheel_kind
from wheelscout.inputs import LockedFile, LockedPackage, Pylock, lock_excludes, select_locked
from wheelscout.model.project import DistFile
from wheelscout.model.reasons import ReasonCode
from wheelscout.model.target import Target
from wheelscout.model.verdict import PackageVerdict, TargetResult
from wheelscout.resolve.verdicts import status_of

__all__ = ["check_lock"]


def _dist(file: LockedFile) -> DistFile | None:
    location = file.url or file.path or ""
    name = file.name or location.rsplit("/", 1)[-1]
    return DistFile(filename=name, url=location, hashes=file.hashes) if name else None


def _best_wheel(package: LockedPackage, ranker: TagRanker) -> tuple[Tag, DistFile] | None:
    best: tuple[int, Tag, DistFile] | None = None
    for locked in package.wheels:
        dist = _dist(locked)
        parsed = parse_file(dist) if dist else None
        found = ranker.best_tag(parsed.tags) if parsed and parsed.is_wheel else None
        if parsed is not None and found is not None and (best is None or found[0] < best[0]):
            best = (found[0], found[1], parsed.file)
    return None if best is None else (best[1], best[2])


def _verdict(package: LockedPackage, ranker: TagRanker) -> PackageVerdict:
    where = ranker.target.platform.name
    base = PackageVerdict(
        name=package.name,
        version=str(package.version) if package.version else None,
        install="none",
        requested=True,
        path=(package.name,),
        dependencies_from="none",
        reason=f"none of the {len(package.wheels)} locked wheels of {package.name} installs on "
        f"{where}, and the lock has no sdist",
        reason_code=ReasonCode.LOCKED_NO_WHEEL,
    )
    if (best := _best_wheel(package, ranker)) is not None:
        tag, file = best
        return dataclasses.replace(
            base,
            install="wheel",
            wheel_kind=wheel_kind(tag).value,
            file=file,
            tag=str(tag),
            reason=f"the lock lists {file.filename}, which installs on {where}",
            reason_code=ReasonCode.LOCKED_WHEEL,
        )
    source = package.sdist or package.archive
    if source is not None or package.vcs_url or package.directory:
        dist = _dist(source) if source else None
        what = dist.filename if dist else (package.vcs_url or package.directory or "source")
        lacking = "no locked wheel fits" if package.wheels else "the lock has no wheels for"
        return dataclasses.replace(
            base,
            install="build",
            file=dist,
            reason=f"{lacking} {where}, so the installer builds {what} from source",
            reason_code=ReasonCode.LOCKED_SDIST,
        )
    return base


def check_lock(
    lock: Pylock,
    target: Target,
    extras: Collection[str] = (),
    groups: Collection[str] | None = None,
) -> TargetResult:
    """Verdicts for the locked packages whose markers hold on ``target``."""
    excluded = lock_excludes(lock, target.markers)
    if excluded:
        return TargetResult(target=target, status="unresolvable", conflict=excluded.text,
                            conflict_code=excluded.code)
    ranker = TagRanker(target)
    packages = select_locked(lock, target.markers, extras=extras, groups=groups)
    verdicts = tuple(_verdict(p, ranker) for p in packages)
    return TargetResult(target=target, status=status_of(verdicts), packages=verdicts)
