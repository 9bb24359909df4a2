"""The ``check`` pipeline as a library call: typed report in, no CLI involved."""

from __future__ import annotations

from collections.abc import Sequence

from packaging.requirements import Requirement

from tests.support.server import MirrorServer
from wheelscout.check import CheckOptions, CheckReport, Reporter, document, run
from wheelscout.index import BlockingIndexClient
from wheelscout.index.settings import IndexSettings
from wheelscout.inputs import Origin, RequirementEntry, RequirementSet
from wheelscout.model.target import Target
from wheelscout.resolve import ResolveOptions
from wheelscout.targets import make_target


class _Recorder(Reporter):
    def __init__(self) -> None:
        self.events: list[str] = []

    def starting(self, client: BlockingIndexClient, targets: Sequence[Target]) -> None:
        self.events.append(f"starting {len(targets)}")

    def phase(self, name: str) -> None:
        self.events.append(name)

    def finished(self) -> None:
        self.events.append("finished")


def _inputs(*lines: str) -> RequirementSet:
    origin = Origin(source="<test>", line=None)
    return RequirementSet(
        entries=tuple(RequirementEntry(requirement=Requirement(x), origin=origin) for x in lines)
    )


def _run(
    server: MirrorServer, options: CheckOptions, reporter: Reporter | None = None
) -> CheckReport:
    targets = [make_target(t, "3.12") for t in ("win-amd64", "win-arm64")]
    settings = IndexSettings(index_url=server.index_url, no_cache=True)
    return run(_inputs("numpy==1.26.2"), targets, options, settings, reporter)


def test_report_per_target_with_remedy_plans(mirror_server: MirrorServer) -> None:
    recorder = _Recorder()
    report = _run(mirror_server, CheckOptions(inspect_builds=False), recorder)
    amd64, arm64 = report.results
    assert [(v.name, v.install) for v in amd64.packages] == [("numpy", "wheel")]
    assert [(v.name, v.install) for v in arm64.packages] == [("numpy", "build")]
    # a wheels-only plan only where something builds
    assert report.plans[0] is None
    assert report.plans[1] is not None
    assert recorder.events == ["starting 2", "resolving", "remedies", "finished"]
    doc = document(report)
    assert [r["binary_plan"] is None for r in doc["results"]] == [True, False]


def test_only_binary_without_remedies(mirror_server: MirrorServer) -> None:
    options = CheckOptions(resolve=ResolveOptions(mode="only-binary"), remedies=False)
    report = _run(mirror_server, options)
    assert report.plans == (None, None)
    assert [v.install for v in report.results[1].packages] == ["none"]
