"""One GET with bounded concurrency, retries with backoff, counters and one-line errors."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx

from wheelscout.errors import AuthRequired, ConnectionFailed, IndexTimeout, MalformedResponse
from wheelscout.index.auth import Credentials
from wheelscout.simple.urls import redact

__all__ = ["ClientStats", "Fetcher"]

log = logging.getLogger("wheelscout.index")
_MAX_RETRY_AFTER = 10.0
_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"]+")


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientStats:
    """What a client sent and received so far; ``bytes`` counts bytes on the wire."""

    requests: int = 0
    bytes: int = 0
    pages: int = 0
    metadata_files: int = 0
    range_requests: int = 0
    downloads: int = 0
    revalidated: int = 0
    cache_hits: int = 0
    retries: int = 0


class Fetcher:
    """Wraps an ``httpx.AsyncClient``; every request of the index layer goes through here."""

    def __init__(
        self,
        make_http: Callable[[], httpx.AsyncClient],
        credentials: Credentials,
        *,
        retries: int,
        backoff: float,
        max_concurrency: int,
    ) -> None:
        self._make_http = make_http
        self._http: httpx.AsyncClient | None = None
        self._credentials = credentials
        self._retries = retries
        self._backoff = backoff
        self._semaphore = asyncio.Semaphore(max_concurrency)
        self.counts: dict[str, int] = dict.fromkeys(ClientStats.__slots__, 0)

    @property
    def http(self) -> httpx.AsyncClient:
        # Made on the first request: building the transport (httpcore, an SSL context) costs
        # a tenth of a second, which a run answered wholly from the cache never pays.
        if self._http is None:
            self._http = self._make_http()
        return self._http

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()

    def count(self, name: str, amount: int = 1) -> None:
        self.counts[name] += amount

    async def get(self, url: str, headers: Mapping[str, str], kind: str) -> httpx.Response:
        """GET ``url``; retries connection faults, 5xx and 429 (honouring a short
        Retry-After); returns any other status as is."""
        problem, wait = "", 0.0
        for attempt in range(self._retries + 1):
            if attempt:
                self.count("retries")
                await asyncio.sleep(max(wait, self._backoff * 2 ** (attempt - 1)))
            try:
                response = await self._once(url, headers, kind)
            except httpx.TimeoutException:
                problem = "timed out"
                continue
            except httpx.TransportError as exc:
                problem = f"connection failed ({type(exc).__name__}: {_scrub(str(exc))})"
                continue
            except httpx.DecodingError as exc:
                raise MalformedResponse(f"{redact(url)!r}: undecodable body ({exc})") from None
            except httpx.TooManyRedirects:
                raise ConnectionFailed(f"{redact(url)!r} redirects too many times") from None
            except httpx.InvalidURL as exc:
                raise ConnectionFailed(f"{redact(url)!r} is not a usable URL ({exc})") from None
            if response.status_code < 500 and response.status_code != 429:
                _check_auth(response, url)
                return response
            problem = f"answered HTTP {response.status_code}"
            wait = _retry_after(response)
        attempts = f"after {self._retries + 1} attempts"
        if problem == "timed out":
            raise IndexTimeout(f"{redact(url)!r} timed out {attempts}")
        raise ConnectionFailed(f"{redact(url)!r} {problem} {attempts}")

    async def _once(self, url: str, headers: Mapping[str, str], kind: str) -> httpx.Response:
        auth = self._credentials.for_url(url)
        async with self._semaphore:
            log.debug("GET %s %s", redact(url), dict(headers).get("Range", ""))
            response = await self.http.get(url, headers=dict(headers), auth=auth or None)
        self.count("requests")
        self.count(kind)
        self.count("bytes", response.num_bytes_downloaded)
        return response

    @asynccontextmanager
    async def stream(self, url: str, kind: str) -> AsyncIterator[httpx.Response]:
        """GET ``url`` with its body unread (for files written to disk as they arrive); one
        attempt, no retry: the caller restarts the whole file. 401/403 raise as in :meth:`get`."""
        auth = self._credentials.for_url(url)
        async with self._semaphore:
            log.debug("GET %s (streamed)", redact(url))
            async with self.http.stream(
                "GET", url, headers={"Accept-Encoding": "identity"}, auth=auth or None
            ) as response:
                self.count("requests")
                self.count(kind)
                _check_auth(response, url)
                try:
                    yield response
                finally:
                    self.count("bytes", response.num_bytes_downloaded)


def _retry_after(response: httpx.Response) -> float:
    # Seconds only (the HTTP-date form is rare from indexes); capped so a run cannot stall.
    value = response.headers.get("retry-after", "")
    return min(float(value), _MAX_RETRY_AFTER) if value.isdigit() else 0.0


def _scrub(text: str) -> str:
    # Transport errors may quote a URL; never let its userinfo through.
    return _URL.sub(lambda match: redact(match[0]), text)


def _check_auth(response: httpx.Response, url: str) -> None:
    if response.status_code in (401, 403):
        raise AuthRequired(
            f"{redact(url)!r} answered HTTP {response.status_code}: credentials missing or "
            "refused (use https://user:password@host/... or ~/.netrc)"
        )
