"""What ``check`` predicted, made installable: a PEP 751 lock and a wheelhouse per target.

Both start from a :class:`~wheelscout.check.CheckReport` (no second resolver):

- :func:`lock_documents` gives one ``pylock.<name>.toml`` document per target, :func:`render`
  its TOML and :func:`write_lock` puts it on disk atomically;
- :func:`plan_wheelhouse` says which files a target's wheelhouse holds, :func:`download` fetches
  them (:mod:`wheelscout.index.download`) and writes each ``requirements.txt``.

A report is lockable when every target is ``ok`` and no package is ``none`` (:func:`blockers`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wheelscout.atomic import remove_stale, write_atomically
from wheelscout.lock.pylock import lock_filename, pylock_document, target_key
from wheelscout.lock.wheelhouse import (
    HEADER,
    REQUIREMENTS,
    Wheelhouse,
    plan_wheelhouse,
    requirements_txt,
)
from wheelscout.model.project import DistFile
from wheelscout.model.verdict import TargetResult

if TYPE_CHECKING:
    from wheelscout.index.download import DownloadReporter, Job, Outcome
    from wheelscout.index.settings import IndexSettings

__all__ = [
    "HouseResult",
    "Wheelhouse",
    "blockers",
    "download",
    "lock_documents",
    "lock_filename",
    "plan_wheelhouse",
    "render",
    "target_key",
    "write_lock",
]


def blockers(results: Sequence[TargetResult]) -> list[str]:
    """One line per reason nothing can be written: an unresolvable target, a package with
    nothing installable (a ``fails`` target). Empty when every target can be locked."""
    lines = []
    for result in results:
        where = result.target.label
        nothing = [f"{where}: {v.name}: {v.reason}" for v in result.packages if v.install == "none"]
        if result.status == "ok" and not nothing:
            continue
        if result.status not in ("ok", "fails") or not nothing:
            nothing = [f"{where}: {result.status}: {result.conflict or 'no resolution'}"]
        lines += nothing
    return lines


def lock_documents(
    results: Sequence[TargetResult], settings: IndexSettings
) -> list[dict[str, Any]]:
    """One PEP 751 document per result. Files the index gave no hash or size are completed
    first (hashed as they stream by, or asked for their length)."""
    chosen = {v.file.url: v.file for r in results for v in r.packages if v.file is not None}
    files = asyncio.run(_complete(settings, list(chosen.values())))
    index = _single_index(settings)
    return [pylock_document(r, files, index=index) for r in results]


async def _complete(settings: IndexSettings, files: list[DistFile]) -> dict[str, DistFile]:
    from wheelscout.index import IndexClient
    from wheelscout.index.download import complete

    async with IndexClient(settings) as client:
        done = await asyncio.gather(*(complete(client, f) for f in files))
    return {f.url: f for f in done}


def _single_index(settings: IndexSettings) -> str | None:
    # With extra indexes or find-links, a page does not say which location a file came from.
    if settings.extra_index_urls or settings.find_links:
        return None
    from wheelscout.simple.urls import split_userinfo

    return split_userinfo(settings.index_url)[0]


def render(document: dict[str, Any]) -> str:
    """The TOML text of a lock document."""
    import tomli_w

    return tomli_w.dumps(document, multiline_strings=False)


def write_lock(path: Path, document: dict[str, Any]) -> None:
    """Write ``document`` to ``path`` whole or not at all (a one-line error if it cannot)."""
    write_atomically(path, render(document))


@dataclass(frozen=True, slots=True, kw_only=True)
class HouseResult:
    """A wheelhouse after :func:`download`: an outcome per file, and whether its
    ``requirements.txt`` was written (only when every package's file is there)."""

    house: Wheelhouse
    outcomes: tuple[Outcome, ...]
    requirements: Path | None

    @property
    def failed(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.status == "failed")


def download(
    houses: Sequence[Wheelhouse], settings: IndexSettings, reporter: DownloadReporter | None = None
) -> list[HouseResult]:
    """Fill every wheelhouse (each file fetched once per run, even when several targets take
    it), then write the ``requirements.txt`` of each one that is complete."""
    from wheelscout.index.download import Job

    jobs: list[Job] = []
    for house in houses:
        house.directory.mkdir(parents=True, exist_ok=True)
        remove_stale(house.directory)
        jobs += [Job(file=f, path=house.directory / f.filename) for _, f in house.files]
    outcomes = asyncio.run(_fetch(settings, jobs, reporter))
    results, start = [], 0
    for house in houses:
        mine = tuple(outcomes[start : start + len(house.files)])
        start += len(house.files)
        results.append(HouseResult(house=house, outcomes=mine, requirements=_finish(house, mine)))
    return results


async def _fetch(
    settings: IndexSettings, jobs: list[Job], reporter: DownloadReporter | None
) -> list[Outcome]:
    from wheelscout.index import IndexClient
    from wheelscout.index.download import fetch_all

    async with IndexClient(settings) as client:
        return await fetch_all(client, jobs, reporter)


def _finish(house: Wheelhouse, outcomes: Sequence[Outcome]) -> Path | None:
    path = house.directory / REQUIREMENTS
    if house.blocked or any(o.status == "failed" for o in outcomes):
        _remove_ours(path)  # an older run's list would install a set this run did not predict
        return None
    digests = {o.job.file.filename: o.sha256 or "" for o in outcomes}
    write_atomically(path, requirements_txt(house, digests))
    return path


def _remove_ours(path: Path) -> None:
    try:
        if path.is_symlink() or not path.is_file():
            return
        with path.open("rb") as stream:
            ours = stream.read(len(HEADER)) == HEADER
    except OSError:
        return
    if ours:
        path.unlink()
