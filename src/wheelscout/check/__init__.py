"""The ``check`` pipeline as a library call: inputs -> resolve -> build needs -> remedies.

``check(inputs, targets, options, client)`` returns a :class:`CheckReport`; ``run`` opens the
index client first. Every command that predicts installs (``check``, ``scan``, ``lock``,
``download``) goes through here; the CLI only maps flags to frozen options and renders.
Progress goes to a :class:`Reporter`, whose hooks do nothing by default (resolvelib's pattern).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wheelscout.check.options import CheckOptions, FormatFlags
from wheelscout.errors import InputError
from wheelscout.inputs import RequirementSet
from wheelscout.model.target import Target
from wheelscout.model.verdict import TargetResult

if TYPE_CHECKING:
    from wheelscout.index import BlockingIndexClient
    from wheelscout.index.settings import IndexSettings
    from wheelscout.remedy.plan import BinaryPlan
    from wheelscout.resolve import Resolver

__all__ = ["CheckOptions", "CheckReport", "FormatFlags", "Reporter", "check", "document", "run"]


class Reporter:
    """Progress hooks of a ``check`` run; each does nothing unless a subclass says otherwise."""

    def starting(self, client: BlockingIndexClient, targets: Sequence[Target]) -> None:
        """The index client is open and ``targets`` are about to resolve."""

    def phase(self, name: str) -> None:
        """A new phase began: ``resolving``, ``inspecting builds``, ``remedies``."""

    def warning(self, message: str) -> None:
        """Something the user should see that does not stop the run (already redacted)."""

    def finished(self) -> None:
        """The index is no longer read."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckReport:
    """One ``check`` run: a result per target, the wheels-only plan per target (``None`` where
    none was computed) and the inputs' notes."""

    results: tuple[TargetResult, ...]
    plans: tuple[BinaryPlan | None, ...]
    notes: tuple[str, ...] = ()


def check(
    inputs: RequirementSet,
    targets: Sequence[Target],
    options: CheckOptions,
    client: BlockingIndexClient,
    reporter: Reporter | None = None,
) -> CheckReport:
    """Predict, for every target, how pip installs ``inputs`` there."""
    from wheelscout.resolve import Resolver
    from wheelscout.resolve.lock import check_lock

    reporter = reporter or Reporter()
    notes = tuple(str(n) for n in inputs.notes)
    if inputs.locked is not None:
        locked = tuple(
            check_lock(inputs.locked, t, list(options.extras), list(options.groups or []) or None)
            for t in targets
        )
        return CheckReport(results=locked, plans=(None,) * len(locked), notes=notes)
    if options.no_deps:
        from wheelscout.check._nodeps import WithoutDependencies

        resolver: Resolver = WithoutDependencies(client)
    else:
        resolver = Resolver(client)
    reporter.starting(client, targets)
    reporter.phase("resolving")
    results = _resolve(resolver, inputs, targets, options)
    if options.inspect_builds and any(v.install == "build" for r in results for v in r.packages):
        from wheelscout.resolve.builds import attach_build_needs

        reporter.phase("inspecting builds")
        results = attach_build_needs(results, client)
    plans: tuple[BinaryPlan | None, ...] = (None,) * len(results)
    if options.remedies:
        from wheelscout.check.remedies import compute

        reporter.phase("remedies")
        remedies = compute(
            client, resolver, inputs.requirements, inputs.constraints, options.resolve, results,
            every_target=options.plan_every_target,
        )
        results, plans = list(remedies.results), remedies.plans
    reporter.finished()
    # Files skipped as broken, dependencies left unknown: once each, whichever target met them.
    for warning in dict.fromkeys(w for r in results for w in r.warnings):
        reporter.warning(warning)
    return CheckReport(results=tuple(results), plans=plans, notes=notes)


def _resolve(
    resolver: Resolver, inputs: RequirementSet, targets: Sequence[Target], options: CheckOptions
) -> list[TargetResult]:
    # Targets resolve side by side: their network waits overlap, and every page and
    # metadata file is still fetched once (the client shares them).
    with ThreadPoolExecutor(max_workers=max(1, min(8, len(targets)))) as pool:
        return list(
            pool.map(
                lambda t: resolver.resolve(
                    inputs.requirements, t, options.resolve, inputs.constraints
                ),
                targets,
            )
        )


def run(
    inputs: RequirementSet,
    targets: Sequence[Target],
    options: CheckOptions,
    settings: IndexSettings,
    reporter: Reporter | None = None,
) -> CheckReport:
    """:func:`check` over a client opened from ``settings``; its warnings join the notes."""
    from wheelscout.index import BlockingIndexClient

    reporter = reporter or Reporter()
    if inputs.locked is not None and options.plan_every_target:
        raise InputError("writing constraints resolves requirements; it does not apply to a lock")
    with BlockingIndexClient(settings) as client:
        report = check(inputs, targets, options, client, reporter)
        report = _hinted(report, inputs, client, settings)
    # The settings' warnings (dependency confusion, an unreadable config file) are part of the
    # record: the report's notes, which every format shows, rather than a stderr line.
    return replace(report, notes=(*settings.warnings, *report.notes))


def _hinted(
    report: CheckReport, inputs: RequirementSet, client: BlockingIndexClient,
    settings: IndexSettings,
) -> CheckReport:
    from wheelscout.check.hints import explain_missing

    requested = [r.name for r in (*inputs.requirements, *inputs.constraints)]
    results = explain_missing(report.results, client, settings, requested)
    return replace(report, results=tuple(results))


def document(report: CheckReport, written: Sequence[Path | None] = ()) -> dict[str, Any]:
    """The JSON contract of ``check`` (``schemas/check-v1.schema.json``) for ``report``."""
    from wheelscout.report import check_document

    doc = check_document(list(report.results), list(report.notes))
    if all(plan is None for plan in report.plans):
        for entry in doc["results"]:
            entry["binary_plan"] = None
        return doc  # and the remedy package is never imported
    from wheelscout.remedy.serialize import plan_json

    files = list(written) or [None] * len(report.plans)
    for entry, plan, path in zip(doc["results"], report.plans, files, strict=True):
        entry["binary_plan"] = None if plan is None else plan_json(
            plan, str(path) if path else None)
    return doc
