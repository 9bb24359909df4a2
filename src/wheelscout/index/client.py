"""The index client the resolver calls: project pages and core metadata, each fetched once."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from types import TracebackType
from typing import IO, Any, TypeVar, cast
from urllib.parse import urlsplit

import httpx
from packaging.version import Version

from wheelscout import __version__
from wheelscout.errors import ConnectionFailed, InputError, MalformedResponse, NotInCache
from wheelscout.index._http import (
    ACCEPT_ENCODING,
    Body,
    ClientStats,
    Fetcher,
    LazyTransport,
    Reply,
    check_request,
    needs_http2,
)
from wheelscout.index._local import dist_name, is_local, list_directory, local_path
from wheelscout.index.auth import Credentials
from wheelscout.index.cache import CacheEntry, HttpCache, default_cache_dir
from wheelscout.index.settings import IndexSettings
from wheelscout.model.metadata import CoreMetadata, MetadataSource
from wheelscout.model.project import DistFile, NormalizedName, ProjectList, ProjectPage
from wheelscout.simple import ACCEPT, parse_project_list, parse_project_page
from wheelscout.simple.lazyzip import WheelMetadataReader, parse_content_range
from wheelscout.simple.metadata import check_hashes, parse_core_metadata
from wheelscout.simple.urls import normalize_name, project_url, redact, split_userinfo

__all__ = ["IndexClient"]

log = logging.getLogger("wheelscout.index")
T = TypeVar("T")
P = TypeVar("P")
_NOT_FOUND = (404, 410)
# Cached "this index has no such project", so that --offline can say None instead of failing.
_MISSING_TYPE = "application/x-wheelscout-not-found"
_MAX_RANGE_ROUNDS = 8  # tail, zip64 pieces, central directory, member: never more


class IndexClient:
    """Async access to the configured indexes and find-links, with memo and persistent cache.

    Use as ``async with IndexClient(settings) as client:``. Every page and metadata file is
    fetched at most once per client, even when many tasks ask for it at the same time.
    """

    def __init__(
        self, settings: IndexSettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.settings = settings
        for url in (*settings.index_urls, *settings.find_links):
            _check_location(url)
        self._indexes = tuple(split_userinfo(u)[0] for u in settings.index_urls)
        self._credentials = Credentials(
            (*settings.index_urls, *settings.find_links), netrc_path=settings.netrc
        )
        self._transport = transport
        self._memo: dict[str, asyncio.Future[Any]] = {}
        self._cache: HttpCache | None = None
        self._fetcher: Fetcher | None = None

    @property
    def warnings(self) -> tuple[str, ...]:
        """One-line notices for the user (e.g. the dependency-confusion warning)."""
        return self.settings.warnings

    def stats(self) -> ClientStats:
        """A snapshot of the request and byte counters."""
        return ClientStats(**self._f.counts) if self._fetcher else ClientStats()

    async def __aenter__(self) -> IndexClient:
        if not self.settings.no_cache:
            self._cache = HttpCache(self.settings.cache_dir or default_cache_dir())
        self._fetcher = Fetcher(
            self._make_http,
            self._credentials,
            retries=self.settings.retries,
            backoff=self.settings.backoff,
            max_concurrency=self.settings.max_concurrency,
            limits=self.settings.limits,
        )
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._fetcher is not None:
            await self._fetcher.aclose()
        if self._cache is not None:
            self._cache.close()

    def _make_http(self) -> httpx.AsyncClient:
        limits = httpx.Limits(max_connections=self.settings.max_concurrency)
        return httpx.AsyncClient(
            transport=self._transport or LazyTransport(limits, http2=needs_http2(
                (self.settings.index_url, *self.settings.extra_index_urls,
                 *self.settings.find_links))),
            timeout=httpx.Timeout(self.settings.timeout),
            follow_redirects=True,
            limits=limits,
            headers={"User-Agent": f"wheelscout/{__version__}", "Accept-Encoding": ACCEPT_ENCODING},
            event_hooks={"request": [check_request]},
        )

    @property
    def _f(self) -> Fetcher:
        if self._fetcher is None:
            raise RuntimeError("IndexClient used outside 'async with'")
        return self._fetcher

    async def _once(self, key: str, make: Callable[[], Awaitable[T]]) -> T:
        future = self._memo.get(key)
        if future is None:
            future = asyncio.ensure_future(make())
            self._memo[key] = future
        return cast(T, await future)  # the key's prefix fixes the type

    # -- project pages -----------------------------------------------------------------------

    async def project(self, name: str) -> ProjectPage | None:
        """All files of ``name`` on every index and find-links location, merged as pip does
        (one pool, no index preferred); ``None`` when no location knows the project."""
        key = normalize_name(name)
        pages, links = await asyncio.gather(
            asyncio.gather(*(self._project_on(index, key) for index in self._indexes)),
            asyncio.gather(*(self._links_at(loc) for loc in self.settings.find_links)),
        )
        found = [page for page in pages if page is not None]
        linked = [f for files in links for f in files if dist_name(f.filename) == key]
        if not found and not linked:
            return None
        return _merge(key, found, linked)

    async def _project_on(self, index: str, name: NormalizedName) -> ProjectPage | None:
        url = project_url(index, name)
        return await self._once(f"page:{url}", lambda: self._index_page(index, name))

    async def _links_at(self, location: str) -> list[DistFile]:
        return await self._once(f"links:{location}", lambda: self._find_links(location))

    async def project_list(self) -> ProjectList:
        """The main index's root page (every project it serves)."""
        index = self._indexes[0]

        def parse(entry: CacheEntry) -> ProjectList:
            return parse_project_list(entry.body, entry.content_type, entry.url or index)

        listing = await self._once(f"page:{index}", lambda: self._load(index, parse))
        return listing or ProjectList(names=())

    async def _index_page(self, index: str, name: str) -> ProjectPage | None:
        url = project_url(index, name)

        def parse(entry: CacheEntry) -> ProjectPage:
            page = parse_project_page(entry.body, entry.content_type, entry.url or url, name)
            return dataclasses.replace(page, files=tuple(_trusted(page.files, entry.url or url)))

        return await self._load(url, parse)

    async def _find_links(self, location: str) -> list[DistFile]:
        if is_local(location) and local_path(location).is_dir():
            return list_directory(local_path(location))
        from wheelscout.simple.pep503 import parse_links

        url = split_userinfo(location)[0]
        if is_local(location):
            url = local_path(location).resolve().as_uri()
        files = await self._load(
            url, lambda entry: _trusted(parse_links(entry.body, entry.url or url), entry.url or url)
        )
        if files is None:
            log.warning("find-links location %r is missing", redact(url))
        return files or []

    async def _load(self, url: str, parse: Callable[[CacheEntry], P]) -> P | None:
        """A page, parsed; ``None`` when it does not exist. Local pages skip the cache."""
        if not is_local(url):
            return await self._cached_get(f"page:{url}", url, parse)
        path = local_path(url)
        path = path / "index.html" if path.is_dir() else path
        if not path.is_file():
            return None
        return parse(CacheEntry(body=path.read_bytes(), content_type="text/html", url=url))

    async def _cached_get(self, key: str, url: str, parse: Callable[[CacheEntry], P]) -> P | None:
        cached = self._cache.get(key) if self._cache else None
        if self.settings.offline:
            if cached is None:
                raise self._not_in_cache(f"{redact(url)!r} is not in the cache")
            self._f.count("cache_hits")
            return None if cached.content_type == _MISSING_TYPE else parse(cached)
        if cached is not None and cached.content_type == _MISSING_TYPE:
            cached = None
        if cached is not None and not self.settings.refresh and cached.is_fresh(time.time()):
            # Still within the server's max-age: pip and uv skip the request too.
            self._f.count("cache_hits")
            return parse(cached)
        response = await self._f.get(url, _conditional(cached), "pages")
        if response.status_code == 304 and cached is not None:
            self._f.count("revalidated")
            self._store(key, dataclasses.replace(cached, expires=_expires(response)))
            return parse(cached)
        if response.status_code in _NOT_FOUND:
            self._store(key, CacheEntry(body=b"", content_type=_MISSING_TYPE, url=url))
            return None
        _expect(response, url, 200)
        entry = CacheEntry(
            body=response.content,
            content_type=response.headers.get("content-type"),
            url=str(response.url),
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            expires=_expires(response),
        )
        parsed = parse(entry)  # before storing: never cache what cannot be parsed
        self._store(key, entry)
        return parsed

    def _not_in_cache(self, what: str) -> NotInCache:
        problem = self._cache.problem if self._cache else None
        if self.settings.no_cache:
            problem = "--no-cache was given"
        return NotInCache(f"offline, and {what}" + (f" ({problem})" if problem else ""))

    def _store(self, key: str, entry: CacheEntry) -> None:
        if self._cache is not None:
            self._cache.put(key, entry)

    # -- core metadata -----------------------------------------------------------------------

    async def metadata(self, file: DistFile) -> CoreMetadata:
        """Core metadata of ``file``, the cheapest way: the PEP 658 file when advertised, else
        range reads into a wheel, else a whole download (hash-checked). See
        :class:`~wheelscout.model.metadata.CoreMetadata` for provenance and trust."""
        return await self._once(f"meta:{file.url}", lambda: self._metadata(file))

    async def _metadata(self, file: DistFile) -> CoreMetadata:
        where = redact(file.url)
        if is_local(file.url):
            return self._local_metadata(file)
        key = f"meta:{file.url}#{file.hashes.get('sha256', '')}"
        cached = self._cache.get(key) if self._cache else None
        if cached is not None:
            self._f.count("cache_hits")
            return self._build(file, cached.body, cached.content_type, 0, from_cache=True)
        if self.settings.offline:
            raise self._not_in_cache(f"the metadata of {where!r} is not in the cache")
        raw, source, transferred = await self._fetch_metadata(file)
        result = self._build(file, raw, source, transferred)
        self._store(key, CacheEntry(body=raw, content_type=source, url=file.url))
        return result

    def _build(
        self,
        file: DistFile,
        raw: bytes,
        source: str | None,
        transferred: int,
        *,
        from_cache: bool = False,
    ) -> CoreMetadata:
        how: MetadataSource = source if source in _SOURCES else "download"  # type: ignore[assignment]
        return CoreMetadata(
            metadata=parse_core_metadata(raw, redact(file.url)),
            raw=raw,
            source=how,
            from_sdist=not file.is_wheel,
            bytes_transferred=transferred,
            from_cache=from_cache,
        )

    async def _fetch_metadata(self, file: DistFile) -> tuple[bytes, MetadataSource, int]:
        """Metadata bytes, how they were obtained, and bytes on the wire for this file alone."""
        transferred = 0
        if file.core_metadata is not None:
            response = await self._f.get(file.metadata_url, {}, "metadata_files")
            transferred += response.num_bytes_downloaded
            if response.status_code not in _NOT_FOUND:  # advertised but missing: fall back
                _expect(response, file.metadata_url, 200)
                check_hashes(response.content, file.core_metadata, redact(file.metadata_url))
                return response.content, "metadata-file", transferred
        if file.is_wheel:
            raw, source, used = await self._range_read(file)
            return raw, source, transferred + used
        body, used = await self._download(file)
        return _pkg_info(io.BytesIO(body), file.filename), "download", transferred + used

    async def _range_read(self, file: DistFile) -> tuple[bytes, MetadataSource, int]:
        reader = WheelMetadataReader(file.filename, tail=self.settings.range_tail)
        source: MetadataSource = "range"
        transferred = 0
        for _ in range(_MAX_RANGE_ROUNDS):
            want = reader.want()
            if want is None:
                break
            headers = {"Range": want.header, "Accept-Encoding": "identity"}
            response = await self._f.get(file.url, headers, "range_requests")
            transferred += response.num_bytes_downloaded
            if response.status_code == 206:
                start, _, total = parse_content_range(response.headers.get("content-range", ""))
                if total is None:
                    raise MalformedResponse(f"{redact(file.url)!r}: range reply without size")
                reader.feed(start, response.content, total)
                continue
            if response.status_code == 416:
                body, used = await self._download(file)
                transferred += used
            else:
                _expect(response, file.url, 200)  # ranges refused: this is the whole file
                body = response.content
                check_hashes(body, file.hashes, redact(file.url))
            source = "download"
            reader.feed(0, body, len(body))
        if reader.metadata is None:
            raise MalformedResponse(f"{redact(file.url)!r}: range replies never held METADATA")
        return reader.metadata, source, transferred

    async def download(self, file: DistFile) -> bytes:
        """The whole file, hash-checked (local files are read in place)."""
        if is_local(file.url):
            return local_path(file.url).read_bytes()
        body, _ = await self._once(f"download:{file.url}", lambda: self._download(file))
        return body

    @asynccontextmanager
    async def stream(self, file: DistFile) -> AsyncIterator[Body]:
        """The response for ``file`` with its body unread, for writing it to disk as it comes
        (:mod:`wheelscout.index.download`); the caller checks status and hashes."""
        if self.settings.offline:
            raise NotInCache(f"offline, and {redact(file.url)!r} would have to be downloaded")
        async with self._f.stream(file.url, "downloads") as response:
            yield response

    async def recall(self, key: str) -> bytes | None:
        """A small derived result stored earlier under ``key`` (e.g. an sdist inspection)."""
        entry = self._cache.get(f"derived:{key}") if self._cache else None
        return entry.body if entry is not None else None

    async def remember(self, key: str, body: bytes) -> None:
        self._store(f"derived:{key}", CacheEntry(body=body))

    async def _download(self, file: DistFile) -> tuple[bytes, int]:
        response = await self._f.get(file.url, {"Accept-Encoding": "identity"}, "downloads")
        _expect(response, file.url, 200)
        check_hashes(response.content, file.hashes, redact(file.url))
        return response.content, response.num_bytes_downloaded

    def _local_metadata(self, file: DistFile) -> CoreMetadata:
        # Local files are read in place (seek + read), never whole: find-links directories
        # hold multi-gigabyte wheels. Like pip, no hash check without a download.
        path = local_path(file.url)
        sidecar = local_path(file.metadata_url)
        if file.core_metadata is not None and sidecar.is_file():
            return self._build(file, sidecar.read_bytes(), "local", 0)
        with path.open("rb") as stream:
            if not file.is_wheel:
                return self._build(file, _pkg_info(stream, file.filename), "local", 0)
            reader = WheelMetadataReader(file.filename)
            size = path.stat().st_size
            while (want := reader.want()) is not None:
                start = max(0, size - want.length) if want.start is None else want.start
                stream.seek(start)
                reader.feed(start, stream.read(want.length), size)
        return self._build(file, reader.metadata or b"", "local", 0)


_SOURCES = ("metadata-file", "range", "download", "local")


def _trusted(files: Sequence[DistFile], page_url: str) -> list[DistFile]:
    """A remote page may only link to http(s): a ``file:`` link (or a ``<base href="file:...">``)
    would have wheelscout read local files and tell the index what it found. Local pages,
    which the user named, may link anywhere."""
    if is_local(page_url):
        return list(files)
    kept = [f for f in files if f.url.startswith(("https://", "http://"))]
    if len(kept) < len(files):
        dropped = next(f.url for f in files if not f.url.startswith(("https://", "http://")))
        log.warning(
            "ignored %d link(s) on %r that are not http(s) URLs (the first: %r)",
            len(files) - len(kept),
            redact(page_url),
            redact(dropped[:200]),
        )
    return kept


def _check_location(location: str) -> None:
    """A configured index or find-links URL must be usable: one line now, not a traceback from
    the socket layer later."""
    if is_local(location):
        return
    clean = split_userinfo(location)[0]
    parts = urlsplit(clean)
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise InputError(f"index URL {redact(location)!r} has an invalid port") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"index URL {redact(location)!r} is not an http(s) URL")


def _expires(response: Reply) -> float | None:
    """When a response stops being fresh, from ``Cache-Control: max-age`` (RFC 9111)."""
    directives = [d.strip().lower() for d in response.headers.get("cache-control", "").split(",")]
    if any(d in ("no-cache", "no-store") for d in directives):
        return None
    for directive in directives:
        if directive.startswith("max-age="):
            try:
                age = int(directive.removeprefix("max-age="))
            except ValueError:
                return None
            header = response.headers.get("age", "0")
            current = int(header) if header.isdigit() else 0
            return time.time() + max(0, age - current)
    return None


def _conditional(cached: CacheEntry | None) -> dict[str, str]:
    headers = {"Accept": ACCEPT}
    if cached is not None and cached.etag:
        headers["If-None-Match"] = cached.etag
    if cached is not None and cached.last_modified:
        headers["If-Modified-Since"] = cached.last_modified
    return headers


def _expect(response: Reply, url: str, status: int) -> None:
    if response.status_code != status:
        raise ConnectionFailed(f"{redact(url)!r} answered unexpected HTTP {response.status_code}")


def _merge(name: str, pages: list[ProjectPage], linked: list[DistFile]) -> ProjectPage:
    files: dict[str, DistFile] = {}
    for file in [f for page in pages for f in page.files] + linked:
        files.setdefault(file.url, file)
    versions = {v for page in pages for v in page.versions or ()}
    return ProjectPage(
        name=normalize_name(name),
        files=tuple(files.values()),
        versions=tuple(sorted(versions, key=_version_key))
        if any(p.versions is not None for p in pages)
        else None,
        api_version=pages[0].api_version if pages else None,
    )


def _version_key(text: str) -> tuple[int, Version | str]:
    try:
        return (1, Version(text))
    except ValueError:  # InvalidVersion, or int() refusing thousands of digits
        return (0, text)  # invalid versions first, as text; the resolver ignores them anyway


def _pkg_info(stream: IO[bytes], filename: str) -> bytes:
    # The sdist reader (archive walking, findings) is a tenth of the start-up and only needed
    # for a project without wheels: imported when one is met.
    from wheelscout.simple.sdist import read_pkg_info

    return read_pkg_info(stream, filename)
