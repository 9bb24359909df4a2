"""Hints for a project no index knows: what each index answered, and "did you mean".

Suggestions come only from names this run already saw (the requirements, the packages that
resolved, local find-links directories and local indexes), never from a registry's project
list: PyPI's is 700,000 names and fetching it to correct a typo is not ours to do.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from wheelscout.limits import PROBE_MAX_NAMES
from wheelscout.model.reasons import Reason, ReasonCode
from wheelscout.model.verdict import PackageVerdict, TargetResult

if TYPE_CHECKING:
    from wheelscout.index import BlockingIndexClient
    from wheelscout.index.settings import IndexSettings

__all__ = ["did_you_mean", "explain_missing"]


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """`` (did you mean 'numpy'?)`` when a known name is close to ``name``, else ``""``."""
    close = difflib.get_close_matches(name, sorted(set(known) - {name}), n=3, cutoff=0.75)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def _missing(
    results: Sequence[TargetResult], client: BlockingIndexClient
) -> tuple[list[str], list[str]]:
    """Projects no index knows, and projects whose pages list no file at all (a web page
    that is not a simple index answers 200 for every path)."""
    candidates = {v.name for r in results for v in r.packages
                  if v.install == "none" and v.version is None}
    # The client remembers every page it fetched: asking again costs nothing.
    pages = {name: client.project(name) for name in sorted(candidates)}
    missing = [str(name) for name, page in pages.items() if page is None]
    empty = [str(name) for name, page in pages.items() if page is not None and not page.files]
    return missing, empty


def _answers(name: str, settings: IndexSettings, nothing_found: bool) -> str:
    from wheelscout.index.probe import index_answer

    answers = [index_answer(url, name, root=nothing_found) for url in settings.index_urls]
    if settings.find_links:
        answers.append("no --find-links location has it")
    return "; ".join(answers) or "no index is configured (--no-index) and no --find-links"


def explain_missing(
    results: Sequence[TargetResult],
    client: BlockingIndexClient,
    settings: IndexSettings,
    requested: Iterable[str],
) -> list[TargetResult]:
    """``results`` with each not-found project's reason saying what the indexes answered."""
    from wheelscout.index.probe import local_project_names

    missing, empty = _missing(results, client)
    if not missing and not empty:
        return list(results)
    found = {v.name for r in results for v in r.packages if v.version is not None}
    local = local_project_names((*settings.find_links, *settings.index_urls))
    known = ({*requested} - set(missing)) | found | local
    reasons: dict[str, Reason] = {}
    for index, name in enumerate([*missing, *empty]):
        where = (_answers(name, settings, nothing_found=not found)
                 if index < PROBE_MAX_NAMES else "see the first missing project")
        if name in empty:
            reasons[name] = Reason(code=ReasonCode.NO_FILES,
                                   text=f"{name}'s index page lists no files ({where})")
            continue
        reasons[name] = Reason(
            code=ReasonCode.NOT_FOUND,
            text=f"{name} was not found on any configured index ({where})"
            + did_you_mean(name, known),
        )
    return [_with_reasons(r, reasons) for r in results]


def _with_reasons(result: TargetResult, reasons: dict[str, Reason]) -> TargetResult:
    def fix(verdict: PackageVerdict) -> PackageVerdict:
        reason = reasons.get(verdict.name)
        if reason is None or verdict.version is not None:
            return verdict
        return replace(verdict, reason=reason.text, reason_code=reason.code)

    return replace(result, packages=tuple(fix(v) for v in result.packages))
