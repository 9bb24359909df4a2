"""Files to disk on a loopback server: hash checks, atomic writes, resuming, failures mid-run."""

from __future__ import annotations

import asyncio
import dataclasses
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from tests.support.indexgen import Built
from tests.support.lockset import write_lockset
from tests.support.server import Hostile, TestServer, serve
from wheelscout.atomic import atomic_writer, remove_stale, write_atomically
from wheelscout.index import IndexClient, IndexSettings
from wheelscout.index.download import DownloadReporter, Job, Outcome, complete, fetch_all
from wheelscout.limits import NetworkLimits, ResponseLimit
from wheelscout.model.project import DistFile

pytestmark = pytest.mark.integration


@pytest.fixture
def index(tmp_path: Path) -> tuple[Path, dict[str, Built]]:
    root = tmp_path / "index"
    return root, write_lockset(root, wrong_hash=("winonly-1.0-py3-none-any.whl",))


@pytest.fixture
def server(index: tuple[Path, dict[str, Built]]) -> Iterator[TestServer]:
    with serve(index[0]) as running:
        yield running


def _settings(server: TestServer) -> IndexSettings:
    return IndexSettings(index_url=server.index_url, no_cache=True, retries=1, backoff=0.01)


def _file(server: TestServer, built: Built, *, wrong: bool = False) -> DistFile:
    return DistFile(
        filename=built.filename,
        url=f"{server.url}/files/{built.filename}",
        hashes={"sha256": "0" * 64 if wrong else built.sha256},
        size=len(built.data),
    )


class _Bytes(DownloadReporter):
    def __init__(self) -> None:
        self.total = 0
        self.finished_jobs: list[str] = []

    def advanced(self, job: Job, amount: int) -> None:
        self.total += amount

    def finished(self, outcome: Outcome) -> None:
        self.finished_jobs.append(outcome.job.file.filename)


def _fetch(
    server: TestServer, jobs: Sequence[Job], reporter: DownloadReporter | None = None
) -> list[Outcome]:
    async def go() -> list[Outcome]:
        async with IndexClient(_settings(server)) as client:
            return await fetch_all(client, jobs, reporter, concurrency=2)

    return asyncio.run(go())


def _listing(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_downloads_verify_and_a_second_run_fetches_nothing(
    server: TestServer, index: tuple[Path, dict[str, Built]], tmp_path: Path
) -> None:
    built = index[1]
    names = ["app-1.0-py3-none-any.whl", "linuxonly-1.0-py3-none-any.whl", "buildme-2.0.tar.gz"]
    out = tmp_path / "out"
    out.mkdir()
    jobs = [Job(file=_file(server, built[n]), path=out / n) for n in names]
    reporter = _Bytes()
    first = _fetch(server, jobs, reporter)
    assert [o.status for o in first] == ["downloaded"] * 3
    assert all(o.verified for o in first)
    assert [o.sha256 for o in first] == [built[n].sha256 for n in names]
    assert reporter.total == sum(len(built[n].data) for n in names)
    assert sorted(reporter.finished_jobs) == sorted(names)
    assert [(out / n).read_bytes() for n in names] == [built[n].data for n in names]
    server.clear()
    second = _fetch(server, jobs)
    assert [o.status for o in second] == ["present"] * 3
    assert server.requests("/files/") == []


def test_hash_mismatch_and_404_in_the_middle_leave_no_bad_file(
    server: TestServer, index: tuple[Path, dict[str, Built]], tmp_path: Path
) -> None:
    root, built = index
    (root / "files" / "linuxonly-1.0-py3-none-any.whl").unlink()
    names = ["app-1.0-py3-none-any.whl", "winonly-1.0-py3-none-any.whl",
             "linuxonly-1.0-py3-none-any.whl", "buildme-2.0.tar.gz"]  # fmt: skip
    out = tmp_path / "out"
    out.mkdir()
    # A stale, corrupt copy of the file that will fail: it must not survive the run either.
    (out / "winonly-1.0-py3-none-any.whl").write_bytes(b"corrupt")
    jobs = [
        Job(file=_file(server, built[n], wrong=n.startswith("winonly")), path=out / n)
        for n in names
    ]
    outcomes = _fetch(server, jobs)
    assert [o.status for o in outcomes] == ["downloaded", "failed", "failed", "downloaded"]
    assert outcomes[1].error is not None
    assert "sha256" in outcomes[1].error
    assert outcomes[2].error is not None
    assert "HTTP 404" in outcomes[2].error
    assert _listing(out) == ["app-1.0-py3-none-any.whl", "buildme-2.0.tar.gz"]


def test_a_broken_transfer_is_retried_and_never_left_half_written(
    server: TestServer, index: tuple[Path, dict[str, Built]], tmp_path: Path
) -> None:
    built = index[1]["app-1.0-py3-none-any.whl"]
    server.config.faults = {"/files/app-": "truncate"}
    server.config.fault_times = 1
    reporter = _Bytes()
    outcome, = _fetch(server, [Job(file=_file(server, built), path=tmp_path / built.filename)],
                      reporter)  # fmt: skip
    assert outcome.status == "downloaded"
    assert (tmp_path / built.filename).read_bytes() == built.data
    assert reporter.total == len(built.data)  # the broken attempt's bytes were taken back
    server.config.fault_times = None
    (tmp_path / built.filename).unlink()
    outcome, = _fetch(server, [Job(file=_file(server, built), path=tmp_path / built.filename)])
    assert outcome.status == "failed"
    assert _listing(tmp_path) == ["index"]


def test_a_planted_symlink_is_replaced_not_followed(
    server: TestServer, index: tuple[Path, dict[str, Built]], tmp_path: Path
) -> None:
    built = index[1]["app-1.0-py3-none-any.whl"]
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep me")
    out = tmp_path / "out"
    out.mkdir()
    (out / built.filename).symlink_to(victim)
    outcome, = _fetch(server, [Job(file=_file(server, built), path=out / built.filename)])
    assert outcome.status == "downloaded"
    assert not (out / built.filename).is_symlink()
    assert victim.read_bytes() == b"keep me"


def test_one_url_for_two_wheelhouses_is_fetched_once(
    server: TestServer, index: tuple[Path, dict[str, Built]], tmp_path: Path
) -> None:
    built = index[1]["app-1.0-py3-none-any.whl"]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    jobs = [Job(file=_file(server, built), path=tmp_path / d / built.filename) for d in "ab"]
    assert [o.status for o in _fetch(server, jobs)] == ["downloaded", "copied"]
    assert len(server.requests("/files/")) == 1
    assert (tmp_path / "b" / built.filename).read_bytes() == built.data


def test_complete_fills_a_missing_hash_and_size(
    server: TestServer, index: tuple[Path, dict[str, Built]]
) -> None:
    built = index[1]["buildme-2.0.tar.gz"]
    bare = dataclasses.replace(_file(server, built), hashes={}, size=None)
    sized = dataclasses.replace(_file(server, built), size=None)

    async def go() -> tuple[DistFile, DistFile]:
        async with IndexClient(_settings(server)) as client:
            return await complete(client, bare), await complete(client, sized)

    hashed, measured = asyncio.run(go())
    assert (hashed.hashes["sha256"], hashed.size) == (built.sha256, len(built.data))
    assert measured.size == len(built.data)


def test_atomic_writer_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "f.whl"
    target.write_bytes(b"old")

    def fail() -> None:
        with atomic_writer(target) as stream:
            stream.write(b"partial")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        fail()
    assert target.read_bytes() == b"old"
    assert _listing(tmp_path) == ["f.whl"]
    write_atomically(target, "new")
    assert target.read_bytes() == b"new"
    assert oct(target.stat().st_mode & 0o777) != oct(0o600)


def test_stale_temp_files_of_a_killed_run_are_removed(tmp_path: Path) -> None:
    (tmp_path / ".x-1.0-py3-none-any.whl.1234abcd.partial").write_bytes(b"half")
    (tmp_path / ".mine.partial").write_bytes(b"not ours: no random part")
    (tmp_path / "keep.whl").write_bytes(b"whole")
    assert remove_stale(tmp_path) == 1
    assert sorted(os.listdir(tmp_path)) == [".mine.partial", "keep.whl"]


def test_offline_fetches_nothing(
    server: TestServer, index: tuple[Path, dict[str, Built]], tmp_path: Path
) -> None:
    built = index[1]["app-1.0-py3-none-any.whl"]
    settings = dataclasses.replace(_settings(server), offline=True)

    async def go() -> list[Outcome]:
        async with IndexClient(settings) as client:
            job = Job(file=_file(server, built), path=tmp_path / built.filename)
            return await fetch_all(client, [job])

    outcome, = asyncio.run(go())
    assert outcome.status == "failed"
    assert outcome.error is not None
    assert "offline" in outcome.error
    assert server.log == []


def test_a_local_file_is_copied_and_hash_checked(
    server: TestServer, index: tuple[Path, dict[str, Built]], tmp_path: Path
) -> None:
    built = index[1]["app-1.0-py3-none-any.whl"]
    source = index[0] / "files" / built.filename
    good = DistFile(filename=built.filename, url=source.as_uri(), hashes={"sha256": built.sha256})
    bad = dataclasses.replace(good, hashes={"sha256": "0" * 64})
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    outcomes = _fetch(server, [Job(file=good, path=tmp_path / "a" / built.filename),
                               Job(file=bad, path=tmp_path / "b" / built.filename)])
    assert [(o.status, o.verified) for o in outcomes] == [("downloaded", True), ("failed", False)]
    assert (tmp_path / "a" / built.filename).read_bytes() == built.data
    assert _listing(tmp_path / "b") == []
    assert server.log == []


@pytest.mark.parametrize(
    ("mode", "message"),
    [("endless", "more than 1 MiB, the limit for downloads"), ("drip", "slower than the minimum")],
    ids=["endless", "drip"],
)
def test_a_hostile_file_stops_at_the_download_limits_and_leaves_nothing(
    server: TestServer, index: tuple[Path, dict[str, Built]], tmp_path: Path,
    mode: Hostile, message: str,
) -> None:  # fmt: skip
    built = index[1]["app-1.0-py3-none-any.whl"]
    server.config.hostile = {f"/files/{built.filename}": mode}
    server.config.drip_seconds = 0.05
    limits = NetworkLimits(
        downloads=ResponseLimit(max_bytes=1 << 20, deadline=20.0), slow_grace_seconds=0.5
    )
    settings = dataclasses.replace(_settings(server), limits=limits)
    unsized = dataclasses.replace(_file(server, built), size=None)

    async def go() -> list[Outcome]:
        async with IndexClient(settings) as client:
            return await fetch_all(client, [Job(file=unsized, path=tmp_path / built.filename)])

    outcome, = asyncio.run(go())
    assert outcome.status == "failed"
    assert outcome.error is not None
    assert message in outcome.error
    assert _listing(tmp_path) == ["index"]
