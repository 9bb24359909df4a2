""":class:`IndexClient` for synchronous callers, such as a resolvelib provider.

The async client runs on an event loop in one background thread; calls block until their
answer arrives, while :meth:`BlockingIndexClient.prefetch` starts fetches without waiting, so
a provider can warm metadata for the candidates it is about to look at.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import threading
from collections.abc import Callable, Coroutine, Iterable
from types import TracebackType
from typing import Any, TypeVar

import httpx

from wheelscout.index._http import ClientStats
from wheelscout.index.client import IndexClient
from wheelscout.index.settings import IndexSettings
from wheelscout.model.metadata import CoreMetadata
from wheelscout.model.project import DistFile, ProjectPage

__all__ = ["BlockingIndexClient"]

T = TypeVar("T")
_DRAIN_SECONDS = 1.0  # at exit, how long unwaited prefetches may still finish


class BlockingIndexClient:
    """Use as ``with BlockingIndexClient(settings) as client: client.project("numpy")``."""

    def __init__(
        self, settings: IndexSettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._client = IndexClient(settings, transport=transport)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, daemon=True, name="wheelscout-index"
        )
        self._futures: dict[str, concurrent.futures.Future[Any]] = {}
        self._lock = threading.Lock()
        self._closing = False

    @property
    def warnings(self) -> tuple[str, ...]:
        return self._client.warnings

    def __enter__(self) -> BlockingIndexClient:
        self._thread.start()
        self._call(self._client.__aenter__())
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        with self._lock:
            self._closing = True  # late callbacks (when_project) start nothing new
        try:
            self._call(self._shutdown(kind, value, traceback))
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
            self._loop.close()

    async def _shutdown(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # Prefetches nobody waited for (read-ahead) may still be running. Most finish within a
        # round trip: let them, because cancelling one in the middle of its connect leaves
        # anyio's happy-eyeballs coroutine never awaited (a RuntimeWarning at exit). Then cancel
        # the rest before the client closes.
        pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        if pending and kind is None:
            _, pending_set = await asyncio.wait(pending, timeout=_DRAIN_SECONDS)
            pending = list(pending_set)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        await self._client.__aexit__(kind, value, traceback)

    def project(self, name: str) -> ProjectPage | None:
        """See :meth:`IndexClient.project`."""
        return self._future(f"project:{name}", lambda: self._client.project(name)).result()

    def metadata(self, file: DistFile) -> CoreMetadata:
        """See :meth:`IndexClient.metadata`."""
        return self._future(f"metadata:{file.url}", lambda: self._client.metadata(file)).result()

    def download(self, file: DistFile) -> bytes:
        """See :meth:`IndexClient.download`."""
        return self._future(
            f"download:{file.url}", functools.partial(self._client.download, file)
        ).result()

    def recall(self, key: str) -> bytes | None:
        """See :meth:`IndexClient.recall` (the cache lives on the event loop's thread)."""
        return self._call(self._client.recall(key))

    def remember(self, key: str, body: bytes) -> None:
        self._call(self._client.remember(key, body))

    def prefetch(self, files: Iterable[DistFile]) -> None:
        """Start fetching these files' metadata now; errors surface from :meth:`metadata`."""
        for file in files:
            self._future(f"metadata:{file.url}", functools.partial(self._client.metadata, file))

    def prefetch_projects(self, names: Iterable[str]) -> None:
        """Start fetching these projects' pages now; errors surface from :meth:`project`."""
        for name in names:
            self._future(f"project:{name}", functools.partial(self._client.project, name))

    def when_project(self, name: str, callback: Callable[[], object]) -> None:
        """Fetch ``name``'s page (if not already) and then call ``callback``, on the client's
        thread, or at once when the page is already here. A failed fetch skips the callback;
        the fault surfaces again from :meth:`project`. ``callback`` must not block."""
        future = self._future(f"project:{name}", functools.partial(self._client.project, name))
        _then(future, callback)

    def when_metadata(self, file: DistFile, callback: Callable[[], object]) -> None:
        """As :meth:`when_project`, for one file's metadata."""
        read = functools.partial(self._client.metadata, file)
        future = self._future(f"metadata:{file.url}", read)
        _then(future, callback)

    def _future(
        self, key: str, start: Callable[[], Coroutine[Any, Any, T]]
    ) -> concurrent.futures.Future[T]:
        # One future per page or file, kept on this side: an answer already in hand is returned
        # without a round trip through the event loop thread (which costs milliseconds), and
        # without the lock: resolver threads ask for the same pages thousands of times, and a
        # dict read is atomic. Only a first request takes the lock.
        future = self._futures.get(key)
        if future is not None:
            return future
        with self._lock:
            future = self._futures.get(key)
            if future is None and self._closing:
                future = concurrent.futures.Future()
                future.cancel()
                return future
            if future is None:
                future = asyncio.run_coroutine_threadsafe(start(), self._loop)
                future.add_done_callback(_ignore_result)
                self._futures[key] = future
        return future

    def stats(self) -> ClientStats:
        return self._client.stats()

    def _call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()


def _ignore_result(future: concurrent.futures.Future[Any]) -> None:
    # Retrieve the outcome so an unwaited failure is not reported as "never retrieved";
    # the memoized task keeps it for the caller who asks.
    if not future.cancelled():
        future.exception()


def _then(future: concurrent.futures.Future[Any], callback: Callable[[], object]) -> None:
    def done(finished: concurrent.futures.Future[Any]) -> None:
        if not finished.cancelled() and finished.exception() is None:
            callback()

    future.add_done_callback(done)
