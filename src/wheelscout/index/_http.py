"""One GET with bounded concurrency, retries with backoff, counters and one-line errors.

Every body is read as a stream under its :class:`~wheelscout.limits.ResponseLimit`: the bytes on
the wire and the bytes after ``Content-Encoding`` is undone are counted as they arrive (the
decoder is never asked for more than the limit, so a gzip bomb costs the limit, not its size),
and the whole exchange, from the request to the last byte, runs under one deadline.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
import zlib
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from wheelscout.errors import (
    AuthRequired,
    ConnectionFailed,
    IndexTimeout,
    MalformedResponse,
    ResponseTooLarge,
)
from wheelscout.index.auth import Credentials
from wheelscout.limits import LIMIT_VARIABLES, NetworkLimits, ResponseLimit
from wheelscout.redact import redact_text
from wheelscout.simple.urls import redact

__all__ = [
    "Body", "ClientStats", "Fetcher", "LazyTransport", "Reply", "check_request", "needs_http2",
]

log = logging.getLogger("wheelscout.index")
_MAX_RETRY_AFTER = 10.0


# The only encodings asked for, so that every one a server may send can be decoded in bounded steps.
ACCEPT_ENCODING = "gzip, deflate"


@dataclass(frozen=True, slots=True, kw_only=True)
class Reply:
    """A response read whole, within its limits."""

    status_code: int
    headers: httpx.Headers
    content: bytes
    url: str  # after redirects
    num_bytes_downloaded: int  # on the wire


class LazyTransport(httpx.AsyncBaseTransport):
    """The default transport, one per scheme, made on its first request.

    Building a TLS transport loads the system's certificates and checks for HTTP/2 (a tenth of a
    second); a plain ``http://`` index, such as a loopback mirror, never needs it. ``http2`` is
    whether HTTP/2 may be offered at all: a run whose indexes are all ``http://`` or local says
    no, and then httpcore is loaded without the h2 stack (h2, hpack: a twentieth of the start-up),
    as if it were not installed; a redirect to ``https://`` is then read over HTTP/1.1.
    """

    def __init__(self, limits: httpx.Limits, *, http2: bool = True) -> None:
        self._limits = limits
        self._http2 = http2
        self._made: dict[bool, httpx.AsyncHTTPTransport] = {}

    def _for(self, tls: bool) -> httpx.AsyncHTTPTransport:
        made = self._made.get(tls)
        if made is None:
            if not self._http2:
                _import_httpcore_without_h2()
            # verify=False on plain HTTP only spares the certificate store: nothing is verified
            # there; every https request goes through the verifying transport.
            made = httpx.AsyncHTTPTransport(
                http2=tls and self._http2, verify=tls, limits=self._limits)
            self._made[tls] = made
        return made

    @property
    def made(self) -> tuple[bool, ...]:
        """Which transports exist so far: ``True`` for the TLS one."""
        return tuple(self._made)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._for(request.url.scheme == "https").handle_async_request(request)

    async def aclose(self) -> None:
        for made in self._made.values():
            await made.aclose()


def _import_httpcore_without_h2() -> None:
    # httpcore imports h2 at import time when it is installed, and treats it as absent when the
    # import fails (h2 is its optional extra): hide it for that one import, never afterwards.
    if "httpcore" in sys.modules or "h2" in sys.modules:
        return
    sys.modules["h2"] = None  # type: ignore[assignment]  # None: "import h2" fails
    try:
        import httpcore  # noqa: F401
    finally:
        del sys.modules["h2"]


def needs_http2(urls: Iterable[str]) -> bool:
    """Whether any of ``urls`` (indexes, find-links) is reached over TLS, where HTTP/2 helps."""
    return any(url.lower().startswith("https:") for url in urls)


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
        limits: NetworkLimits | None = None,
    ) -> None:
        self._make_http = make_http
        self._http: httpx.AsyncClient | None = None
        self._credentials = credentials
        self._retries = retries
        self._backoff = backoff
        self._semaphore = asyncio.Semaphore(max_concurrency)
        self._limits = limits or NetworkLimits()
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

    async def get(self, url: str, headers: Mapping[str, str], kind: str) -> Reply:
        """GET ``url``; retries connection faults, 5xx and 429 (honouring a short
        Retry-After); returns any other status as is."""
        _check_url(url)
        problem, wait = "", 0.0
        for attempt in range(self._retries + 1):
            if attempt:
                self.count("retries")
                await asyncio.sleep(max(wait, self._backoff * 2 ** (attempt - 1)))
            try:
                response = await self._once(url, headers, kind)
            except (httpx.InvalidURL, httpx.UnsupportedProtocol, OverflowError):
                # The exception's text may quote part of the URL (a password read as a port).
                raise ConnectionFailed(f"{redact(url)!r} is not a usable URL") from None
            except httpx.TimeoutException:
                problem = "timed out"
                continue
            except httpx.TransportError as exc:
                problem = f"connection failed ({type(exc).__name__}: {_scrub(exc)})"
                continue
            except httpx.DecodingError:
                raise MalformedResponse(f"{redact(url)!r}: undecodable body") from None
            except httpx.TooManyRedirects:
                raise ConnectionFailed(f"{redact(url)!r} redirects too many times") from None
            if response.status_code < 500 and response.status_code != 429:
                _check_auth(response, url)
                return response
            problem = f"answered HTTP {response.status_code}"
            wait = _retry_after(response)
        attempts = f"after {self._retries + 1} attempts"
        if problem == "timed out":
            raise IndexTimeout(f"{redact(url)!r} timed out {attempts}")
        raise ConnectionFailed(f"{redact(url)!r} {problem} {attempts}")

    def limit_for(self, kind: str) -> tuple[str, ResponseLimit]:
        """The limits of one kind of request, and the name of that kind for messages."""
        if kind == "pages":
            return "pages", self._limits.pages
        if kind == "metadata_files":
            return "metadata", self._limits.metadata
        # A range request the server answers with 200 sends the whole file.
        return "downloads", self._limits.downloads

    async def _once(self, url: str, headers: Mapping[str, str], kind: str) -> Reply:
        auth = self._credentials.for_url(url)
        name, limit = self.limit_for(kind)
        async with self._semaphore:
            log.debug("GET %s %s", redact(url), dict(headers).get("Range", ""))
            try:
                reply = await asyncio.wait_for(
                    self._exchange(url, headers, auth, limit, name), limit.deadline
                )
            except asyncio.TimeoutError:
                raise IndexTimeout(
                    f"{redact(url)!r} took longer than {limit.deadline:g} s, the limit for "
                    f"{name} ({_variable(name, 'deadline')} raises it)"
                ) from None
        self.count("requests")
        self.count(kind)
        self.count("bytes", reply.num_bytes_downloaded)
        return reply

    async def _exchange(
        self,
        url: str,
        headers: Mapping[str, str],
        auth: tuple[str, str] | None,
        limit: ResponseLimit,
        name: str,
    ) -> Reply:
        request = self.http.build_request("GET", url, headers={**headers})
        response = await self.http.send(request, auth=auth or None, stream=True)
        try:
            # Files are taken as the server stores them, like pip: a .tar.gz served with
            # "Content-Encoding: gzip" is the .tar.gz, and its hash is checked as such.
            content = await _read_body(
                response, limit, name, decode=name != "downloads", floor=self._limits
            )
        finally:
            await response.aclose()
        return Reply(
            status_code=response.status_code,
            headers=response.headers,
            content=content,
            url=str(response.url),
            num_bytes_downloaded=response.num_bytes_downloaded,
        )


    @asynccontextmanager
    async def stream(self, url: str, kind: str) -> AsyncIterator[Body]:
        """GET ``url`` with its body unread, for a file written to disk as it arrives: taken as
        the server stores it (no decoding), its chunks under the limits of ``kind``. One
        attempt, no retry (the caller starts the file over); 401/403 raise as in :meth:`get`."""
        _check_url(url)
        auth = self._credentials.for_url(url)
        name, limit = self.limit_for(kind)
        async with self._semaphore:
            log.debug("GET %s (streamed)", redact(url))
            request = self.http.build_request("GET", url, headers={"Accept-Encoding": "identity"})
            response = await self.http.send(request, auth=auth or None, stream=True)
            self.count("requests")
            self.count(kind)
            try:
                _check_auth(response, url)
                yield Body(response, limit, name, self._limits)
            finally:
                self.count("bytes", response.num_bytes_downloaded)
                await response.aclose()


class Body:
    """A streamed response (:meth:`Fetcher.stream`): its status, headers and raw chunks, which
    stop with a one-line error past the size limit, the deadline or below the minimum rate."""

    def __init__(
        self, response: httpx.Response, limit: ResponseLimit, name: str, floor: NetworkLimits
    ) -> None:
        self._response, self._limit, self._name, self._floor = response, limit, name, floor
        self.status_code = response.status_code
        self.headers = response.headers

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body as it arrives (not gathered into fixed sizes: a server dripping a byte at a
        time must meet the rate check at every byte, not after a buffer fills)."""
        response, limit = self._response, self._limit
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit.max_bytes:
            raise _too_large(response, limit, self._name, "declares")
        start = time.monotonic()
        async for raw in response.aiter_raw():
            if response.num_bytes_downloaded > limit.max_bytes:
                raise _too_large(response, limit, self._name, "sent")
            elapsed = time.monotonic() - start
            _check_rate(response, elapsed, self._floor)
            if elapsed > limit.deadline:
                raise IndexTimeout(
                    f"{redact(str(response.request.url))!r} took longer than {limit.deadline:g} s,"
                    f" the limit for {self._name} ({_variable(self._name, 'deadline')} raises it)"
                )
            yield raw


async def _read_body(
    response: httpx.Response,
    limit: ResponseLimit,
    name: str,
    *,
    decode: bool,
    floor: NetworkLimits,
) -> bytes:
    """The decoded body, stopped at ``limit.max_bytes`` on the wire or after decoding, or
    when it arrives slower than ``floor``'s minimum rate."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit.max_bytes:
        raise _too_large(response, limit, name, "declares")
    if response.is_stream_consumed:  # built in memory (a mock transport): nothing to stream
        if len(response.content) > limit.max_bytes:
            raise _too_large(response, limit, name, "sent")
        return response.content
    decoder = _Decoder(response, decode=decode)
    chunks: list[bytes] = []
    size = 0
    start = time.monotonic()
    async for raw in response.aiter_raw():
        if response.num_bytes_downloaded > limit.max_bytes:
            raise _too_large(response, limit, name, "sent")
        _check_rate(response, time.monotonic() - start, floor)
        piece = decoder.feed(raw, limit.max_bytes - size)
        size += len(piece)
        if size > limit.max_bytes:
            raise _too_large(response, limit, name, "decodes to")
        chunks.append(piece)
    return b"".join(chunks)


def _check_rate(response: httpx.Response, elapsed: float, floor: NetworkLimits) -> None:
    received = response.num_bytes_downloaded
    if elapsed > floor.slow_grace_seconds and received < floor.min_bytes_per_second * elapsed:
        url = redact(str(response.request.url))
        raise IndexTimeout(
            f"{url!r} sent {received} bytes in {elapsed:.0f} s, slower than the minimum of "
            f"{floor.min_bytes_per_second} bytes/s"
        )


class _Decoder:
    """Undo ``Content-Encoding`` (gzip or deflate, the only ones asked for) never producing
    more than the caller has room for."""

    def __init__(self, response: httpx.Response, *, decode: bool) -> None:
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        encoding = encoding if decode else "identity"
        self._url = str(response.request.url)
        self._zlib: zlib._Decompress | None = None
        if encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif encoding == "deflate":
            self._zlib = zlib.decompressobj()
        elif encoding not in ("identity", ""):
            raise MalformedResponse(
                f"{redact(self._url)!r}: unsupported Content-Encoding {encoding[:40]!r}"
            )

    def feed(self, data: bytes, room: int) -> bytes:
        if self._zlib is None:
            return data
        try:
            out = self._zlib.decompress(data, room + 1)
        except zlib.error:
            raise MalformedResponse(f"{redact(self._url)!r}: undecodable body") from None
        return out  # room + 1 bytes when there is more: the caller stops there


def _too_large(response: httpx.Response, limit: ResponseLimit, name: str, how: str) -> Exception:
    url = redact(str(response.request.url))
    return ResponseTooLarge(
        f"{url!r} {how} more than {_size(limit.max_bytes)}, the limit for {name} "
        f"({_variable(name, 'max_bytes')} raises it)"
    )


def _size(count: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale and count % scale == 0:
            return f"{count // scale} {unit}"
    return f"{count} bytes"


def _variable(kind: str, field: str) -> str:
    return next(v for v, where in LIMIT_VARIABLES.items() if where == (kind, field))


async def check_request(request: httpx.Request) -> None:
    """An httpx request hook: every request, redirects included, goes to an http(s) URL with a
    port in range (a redirect to port 99999 would otherwise end in an OverflowError deep in the
    socket layer)."""
    port = request.url.port
    if request.url.scheme not in ("http", "https") or (port is not None and not 0 < port < 65536):
        raise ConnectionFailed(f"{redact(str(request.url))!r} is not a usable URL")


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise ConnectionFailed(f"{redact(url)!r} is not a usable URL (bad port)") from None
    if parts.scheme not in ("http", "https"):
        raise ConnectionFailed(f"{redact(url)!r} is not an http(s) URL")


def _retry_after(response: Reply) -> float:
    # Seconds only (the HTTP-date form is rare from indexes); capped so a run cannot stall.
    value = response.headers.get("retry-after", "")
    return min(float(value), _MAX_RETRY_AFTER) if value.isdigit() else 0.0


def _scrub(exc: Exception) -> str:
    # Transport errors may quote a URL; never let its userinfo through. A Location header
    # httpx cannot parse is quoted in pieces (a password read as a port): say only that.
    text = str(exc)
    return "invalid URL in a redirect" if "Invalid URL" in text else redact_text(text)


def _check_auth(response: Reply | httpx.Response, url: str) -> None:
    if response.status_code in (401, 403):
        raise AuthRequired(
            f"{redact(url)!r} answered HTTP {response.status_code}: credentials missing or "
            "refused (use https://user:password@host/... or ~/.netrc)"
        )
