"""Distribution files to disk: concurrent, hash-checked, atomic and resumable.

``await fetch_all(client, jobs)`` gives one :class:`Outcome` per :class:`Job`. A file already at
its path with the index's hash is not fetched again; anything else at that path is removed
first, so a failed run never leaves a stale or bad file under a distribution's name. Bytes go
to a temp file (:mod:`wheelscout.atomic`) that is renamed into place only after the hash
matched. A 404, a hash mismatch or a connection that kept failing is an ``Outcome`` with
``status="failed"``, not an exception: the other files still arrive.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

import httpx

from wheelscout.atomic import atomic_writer
from wheelscout.errors import ConnectionFailed, HashMismatch, IndexError_
from wheelscout.index._local import is_local, local_path
from wheelscout.index.client import IndexClient
from wheelscout.limits import DOWNLOAD_CHUNK, DOWNLOAD_CONCURRENCY
from wheelscout.model.project import DistFile
from wheelscout.simple.metadata import STRONG_HASHES
from wheelscout.simple.urls import redact

__all__ = [
    "DownloadReporter", "Job", "Outcome", "Status", "complete", "fetch_all", "file_digest",
]

Status = Literal["downloaded", "present", "copied", "failed"]
_TRANSIENT = (httpx.TransportError, httpx.DecodingError)


@dataclass(frozen=True, slots=True, kw_only=True)
class Job:
    """``file`` is to be at ``path``."""

    file: DistFile
    path: Path


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """What became of a job: ``sha256`` and ``size`` of the file now at its path, and whether
    a hash from the index vouched for it (``verified``); ``error`` when it failed."""

    job: Job
    status: Status
    sha256: str | None = None
    size: int = 0
    verified: bool = False
    error: str | None = None


class DownloadReporter:
    """Progress hooks of :func:`fetch_all`; each does nothing unless a subclass says otherwise.
    Hooks run on the event loop's thread."""

    def advanced(self, job: Job, amount: int) -> None:
        """``amount`` more bytes of ``job`` arrived (negative: a retry starts the file over)."""

    def finished(self, outcome: Outcome) -> None:
        """``outcome.job`` is settled, one way or another."""


class _Failed(Exception):
    """This file cannot be had on this run (the message is the outcome's error)."""


async def fetch_all(
    client: IndexClient,
    jobs: Sequence[Job],
    reporter: DownloadReporter | None = None,
    *,
    concurrency: int = DOWNLOAD_CONCURRENCY,
) -> list[Outcome]:
    """Bring every job's file to its path, ``concurrency`` files at a time; outcomes in the
    order of ``jobs``. A URL wanted at several paths is fetched once and copied."""
    reporter = reporter or DownloadReporter()
    gate = asyncio.Semaphore(concurrency)
    first: dict[str, asyncio.Task[Outcome]] = {}
    tasks: list[asyncio.Task[Outcome]] = []
    for job in jobs:
        source = first.get(job.file.url)
        if source is None:
            task = asyncio.ensure_future(_bounded(gate, _fetch(client, job, reporter)))
            first[job.file.url] = task
        else:
            task = asyncio.ensure_future(_copy_after(source, gate, job, reporter))
        tasks.append(task)
    return list(await asyncio.gather(*tasks))


async def _bounded(gate: asyncio.Semaphore, work: Coroutine[Any, Any, Outcome]) -> Outcome:
    async with gate:
        return await work


async def _fetch(client: IndexClient, job: Job, reporter: DownloadReporter) -> Outcome:
    async def work() -> Outcome:
        present = await asyncio.to_thread(_present, job)
        return present or await _transfer(client, job, reporter)

    return _settle(await _attempt(job, work()), reporter)


async def _attempt(job: Job, work: Coroutine[Any, Any, Outcome]) -> Outcome:
    """``work``'s outcome, or a failed one when it failed for this file (disk errors too)."""
    try:
        return await work
    except _Failed as exc:
        return Outcome(job=job, status="failed", error=str(exc))
    except OSError as exc:  # the wheelhouse cannot be written: a full disk, permissions
        problem = exc.strerror or type(exc).__name__
        return Outcome(job=job, status="failed", error=f"{str(job.path)!r}: {problem}")


def _settle(outcome: Outcome, reporter: DownloadReporter) -> Outcome:
    reporter.finished(outcome)
    return outcome


async def _copy_after(
    source: asyncio.Task[Outcome], gate: asyncio.Semaphore, job: Job, reporter: DownloadReporter
) -> Outcome:
    done = await source  # outside the gate: a copy never holds a slot its source waits for
    async with gate:
        return await _copy(done, job, reporter)


async def _copy(done: Outcome, job: Job, reporter: DownloadReporter) -> Outcome:
    async def work() -> Outcome:
        present = await asyncio.to_thread(_present, job)
        if present is not None:
            return present
        if done.status == "failed":
            return Outcome(job=job, status="failed", error=done.error)
        return await asyncio.to_thread(_copy_local, done.job.path, job, "copied")

    return _settle(await _attempt(job, work()), reporter)


def _present(job: Job) -> Outcome | None:
    """The outcome when the right file is already there; else clear the path, return None."""
    path = job.path
    try:
        regular = path.is_file() and not path.is_symlink()
    except OSError:
        regular = False
    if regular and _strongest(job.file.hashes) is not None:
        with path.open("rb") as stream:
            hashers = _hashers(job.file.hashes)
            size = _pump_file(stream, hashers, None)
        if _matches(hashers, job.file.hashes):
            sha = hashers["sha256"].hexdigest()
            return Outcome(job=job, status="present", sha256=sha, size=size, verified=True)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()  # a stale, corrupt or unverifiable file, or a planted symlink
    return None


async def _transfer(client: IndexClient, job: Job, reporter: DownloadReporter) -> Outcome:
    if is_local(job.file.url):
        return await asyncio.to_thread(_copy_local, local_path(job.file.url), job, "downloaded")
    settings = client.settings
    problem = ""
    for attempt in range(settings.retries + 1):
        if attempt:
            await asyncio.sleep(settings.backoff * 2 ** (attempt - 1))
        counter = _Counter(job, reporter)
        try:
            return await _stream_to(client, job, counter.add)
        except BaseException as exc:
            counter.undo()
            problem = _retryable(exc)
    raise _Failed(f"{redact(job.file.url)!r} {problem} after {settings.retries + 1} attempts")


def _retryable(exc: BaseException) -> str:
    """What went wrong when another attempt may help; otherwise raise the final failure."""
    if isinstance(exc, _TRANSIENT):
        return f"connection failed ({type(exc).__name__})"
    if isinstance(exc, _Retry):
        return str(exc)
    if isinstance(exc, IndexError_):  # a hash mismatch, refused credentials
        raise _Failed(str(exc)) from None
    raise exc


class _Counter:
    """Bytes of one attempt, handed to the reporter, and taken back if the attempt fails."""

    def __init__(self, job: Job, reporter: DownloadReporter) -> None:
        self.job, self.reporter, self.total = job, reporter, 0

    def add(self, amount: int) -> None:
        self.total += amount
        self.reporter.advanced(self.job, amount)

    def undo(self) -> None:
        if self.total:
            self.reporter.advanced(self.job, -self.total)
            self.total = 0


class _Retry(Exception):
    """A server error worth another attempt."""


async def _stream_to(client: IndexClient, job: Job, count: Callable[[int], None]) -> Outcome:
    where = redact(job.file.url)
    limit = job.file.size  # past what the index said, a file is not the one it listed
    async with client.stream(job.file) as response:
        if response.status_code >= 500 or response.status_code == 429:
            raise _Retry(f"answered HTTP {response.status_code}")
        if response.status_code != 200:
            raise _Failed(f"{where!r} answered HTTP {response.status_code}")
        hashers = _hashers(job.file.hashes)
        size = 0
        with atomic_writer(job.path) as out:
            async for chunk in response.chunks():
                size += len(chunk)
                if limit is not None and size > limit:
                    raise _Failed(f"{where!r} sent more than the {limit} bytes the index listed")
                for hasher in hashers.values():
                    hasher.update(chunk)
                out.write(chunk)
                count(len(chunk))
            verified = _verify(hashers, job.file.hashes, where)
    sha = hashers["sha256"].hexdigest()
    return Outcome(job=job, status="downloaded", sha256=sha, size=size, verified=verified)


def _copy_local(source: Path, job: Job, status: Status) -> Outcome:
    hashers = _hashers(job.file.hashes)
    try:
        with source.open("rb") as stream, atomic_writer(job.path) as out:
            size = _pump_file(stream, hashers, out)
            verified = _verify(hashers, job.file.hashes, str(source))
    except OSError as exc:
        problem = exc.strerror or type(exc).__name__
        raise _Failed(f"copying {str(source)!r} to {str(job.path)!r}: {problem}") from None
    except HashMismatch as exc:
        raise _Failed(str(exc)) from None
    sha = hashers["sha256"].hexdigest()
    return Outcome(job=job, status=status, sha256=sha, size=size, verified=verified)


def file_digest(stream: BinaryIO) -> tuple[str, int]:
    """The sha256 and size of what ``stream`` holds (read in chunks)."""
    hashers = _hashers({})
    size = _pump_file(stream, hashers, None)
    return hashers["sha256"].hexdigest(), size


def _pump_file(
    stream: BinaryIO, hashers: Mapping[str, hashlib._Hash], out: BinaryIO | None
) -> int:
    size = 0
    while chunk := stream.read(DOWNLOAD_CHUNK):
        size += len(chunk)
        for hasher in hashers.values():
            hasher.update(chunk)
        if out is not None:
            out.write(chunk)
    return size


def _strongest(expected: Mapping[str, str]) -> str | None:
    return next((a for a in STRONG_HASHES if a in expected), None)


def _hashers(expected: Mapping[str, str]) -> dict[str, hashlib._Hash]:
    # sha256 always (requirements.txt --hash lines), plus the index's strongest if another.
    hashers = {"sha256": hashlib.sha256()}
    strongest = _strongest(expected)
    if strongest is not None and strongest not in hashers:
        hashers[strongest] = hashlib.new(strongest)
    return hashers


def _matches(hashers: Mapping[str, hashlib._Hash], expected: Mapping[str, str]) -> bool:
    algorithm = _strongest(expected)
    return algorithm is not None and hashers[algorithm].hexdigest() == expected[algorithm].lower()


def _verify(hashers: Mapping[str, hashlib._Hash], expected: Mapping[str, str], where: str) -> bool:
    """True when an index hash vouched for the bytes; raises :class:`HashMismatch` if it
    contradicts them; False when the index gave no hash we know."""
    algorithm = _strongest(expected)
    if algorithm is None:
        return False
    digest = hashers[algorithm].hexdigest()
    if digest != expected[algorithm].lower():
        raise HashMismatch(
            f"{where!r}: {algorithm} is {digest[:16]}..., index said {expected[algorithm][:16]}..."
        )
    return True



async def complete(client: IndexClient, file: DistFile) -> DistFile:
    """``file`` with a sha256 and a size, for a lock: an index that gave no hash has the file
    hashed as it streams by (nothing is kept); one that gave no size is asked for its
    ``Content-Length`` without the body."""
    if _strongest(file.hashes) is not None and file.size is not None:
        return file
    where = redact(file.url)
    if is_local(file.url):
        with local_path(file.url).open("rb") as stream:
            sha, size = await asyncio.to_thread(file_digest, stream)
        return dataclasses.replace(file, hashes={**file.hashes, "sha256": sha}, size=size)
    async with client.stream(file) as response:
        if response.status_code != 200:
            raise ConnectionFailed(f"{where!r} answered unexpected HTTP {response.status_code}")
        length = response.headers.get("content-length", "")
        if _strongest(file.hashes) is not None and length.isdigit():
            return dataclasses.replace(file, size=int(length))
        hashers, size = _hashers(file.hashes), 0
        async for chunk in response.chunks():
            size += len(chunk)
            for hasher in hashers.values():
                hasher.update(chunk)
        _verify(hashers, file.hashes, where)
    hashes = {**file.hashes, "sha256": hashers["sha256"].hexdigest()}
    return dataclasses.replace(file, hashes=hashes, size=size)
