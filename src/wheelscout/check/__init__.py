"""The ``check`` pipeline as a library call: inputs -> resolve -> build needs -> remedies.

``check(inputs, targets, options, client)`` returns a :class:`CheckReport`; ``run`` opens the
index client first. Every command that predicts installs (``check``, ``scan``, ``lock``,
``download``) goes through here; the CLI only maps flags to frozen options and renders.
Progress goes to a :class:`Reporter`, whose hooks do nothing by default (resolvelib's pattern).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from wheelscout.check.options import CheckOptions, FormatFlags
from wheelscout.errors import InputError
from wheelscout.inputs import RequirementSet
from wheelscout.model.reasons import ReasonCode
from wheelscout.model.target import Target
from wheelscout.model.verdict import CheckReport, TargetResult

if TYPE_CHECKING:
    from wheelscout.index import BlockingIndexClient
    from wheelscout.index.settings import IndexSettings
    from wheelscout.resolve import Resolver

__all__ = ["CheckOptions", "CheckReport", "FormatFlags", "Reporter", "check", "document", "run"]


class Reporter:
    """Progress hooks of a ``check`` run; each does nothing unless a subclass says otherwise."""

    def starting(self, client: BlockingIndexClient, targets: Sequence[Target]) -> None:
        """The index client is open and ``targets`` are about to resolve."""

    def phase(self, name: str) -> None:
        """A new phase began: ``resolving``, ``inspecting builds``, ``remedies``."""

    def resolving(self, target: Target, name: str) -> None:
        """The resolution for ``target`` reached project ``name`` (called from worker threads,
        often: keep it cheap)."""

    def inspecting(self, filename: str) -> None:
        """The sdist ``filename`` is being read to say what its build needs."""

    def warning(self, message: str) -> None:
        """Something the user should see that does not stop the run (already redacted)."""

    def finished(self) -> None:
        """The index is no longer read."""


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
    outside = _outside_requires_python(inputs, targets)
    for message in dict.fromkeys(outside.values()):
        reporter.warning(message)
    notes += tuple(dict.fromkeys(outside.values()))
    if outside:
        inside = [t for i, t in enumerate(targets) if i not in outside]
        report = check(inputs, inside, options, client, reporter) if inside else CheckReport(
            results=(), notes=())
        return _merge_outside(report, targets, outside, notes)
    if inputs.locked is not None:
        locked = tuple(
            check_lock(inputs.locked, t, list(options.extras), list(options.groups or []) or None)
            for t in targets
        )
        return CheckReport(results=locked, notes=notes)
    if options.no_deps:
        from wheelscout.check._nodeps import WithoutDependencies

        resolver: Resolver = WithoutDependencies(client, inputs.local_projects)
    else:
        resolver = Resolver(client, inputs.local_projects)
    reporter.starting(client, targets)
    reporter.phase("resolving")
    results = _resolve(resolver, inputs, targets, options, reporter)
    if options.inspect_builds and any(v.install == "build" for r in results for v in r.packages):
        from wheelscout.resolve.builds import attach_build_needs

        reporter.phase("inspecting builds")
        results = attach_build_needs(results, client, reporter.inspecting)
    if options.remedies:
        from wheelscout.check.remedies import compute

        reporter.phase("remedies")
        remedies = compute(
            client, resolver, inputs.requirements, inputs.constraints, options.resolve, results,
            every_target=options.plan_every_target,
        )
        results = list(remedies.results)
    reporter.finished()
    # Files skipped as broken, dependencies left unknown: once each, whichever target met them.
    for warning in dict.fromkeys(w for r in results for w in r.warnings):
        reporter.warning(warning)
    return CheckReport(results=tuple(results), notes=notes)


def _outside_requires_python(
    inputs: RequirementSet, targets: Sequence[Target]
) -> dict[int, str]:
    """The targets (by index) whose Python the project's ``requires-python`` excludes, each
    with the message."""
    spec = inputs.requires_python
    if spec is None:
        return {}
    return {
        i: f"{inputs.project_source} requires Python {spec}; Python {t.python.full} "
           f"({t.spelling} {t.python.short}) is outside it: pip would refuse to install the "
           "project there"
        for i, t in enumerate(targets)
        if not spec.contains(t.python.full, prereleases=True)
    }


def _merge_outside(
    report: CheckReport, targets: Sequence[Target], outside: dict[int, str],
    notes: tuple[str, ...],
) -> CheckReport:
    results = iter(report.results)
    merged = [
        TargetResult(target=target, status="unresolvable", conflict=outside[index],
                     conflict_code=ReasonCode.REQUIRES_PYTHON)
        if index in outside else next(results)
        for index, target in enumerate(targets)
    ]
    return CheckReport(results=tuple(merged), notes=notes)


def _resolve(
    resolver: Resolver,
    inputs: RequirementSet,
    targets: Sequence[Target],
    options: CheckOptions,
    reporter: Reporter,
) -> list[TargetResult]:
    # Targets resolve side by side: their network waits overlap, and every page and
    # metadata file is still fetched once (the client shares them).
    with ThreadPoolExecutor(max_workers=max(1, min(8, len(targets)))) as pool:
        return list(
            pool.map(
                lambda t: resolver.resolve(
                    inputs.requirements, t, options.resolve, inputs.constraints,
                    on_pin=reporter.resolving,
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


def document(report: CheckReport) -> dict[str, Any]:
    """The JSON contract of ``check`` (``schemas/check-v1.schema.json``) for ``report``."""
    from wheelscout.report.serialize import check_document

    return check_document(report)
