"""Credentials for index hosts: from URL userinfo first, then ``.netrc``.

Credentials are kept by host, apart from URLs, so that URLs can be logged, cached and shown
(after :func:`~wheelscout.simple.urls.redact`) without carrying secrets.
"""

from __future__ import annotations

import netrc
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import urlsplit

from wheelscout.simple.urls import split_userinfo

__all__ = ["Credentials"]


class Credentials:
    """Basic-auth pairs by ``host[:port]``, gathered from configured URLs and a netrc file."""

    def __init__(
        self,
        urls: Iterable[str],
        *,
        netrc_path: Path | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self._by_netloc: dict[str, tuple[str, str]] = {}
        for url in urls:
            clean, userinfo = split_userinfo(url)
            if userinfo is not None:
                self._by_netloc.setdefault(urlsplit(clean).netloc, userinfo)
        self._netrc = _load_netrc(netrc_path, os.environ if env is None else env)

    def for_url(self, url: str) -> tuple[str, str] | None:
        """The pair to send with a request to ``url`` (which carries no userinfo), if any."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return None
        found = self._by_netloc.get(parts.netloc)
        if found is None and self._netrc is not None and parts.hostname:
            entry = self._netrc.authenticators(parts.hostname)
            if entry is not None:
                found = (entry[0] or "", entry[2] or "")
        return found


def _load_netrc(path: Path | None, env: Mapping[str, str]) -> netrc.netrc | None:
    if path is None:
        path = Path(env["NETRC"]) if "NETRC" in env else Path.home() / ".netrc"
    try:
        return netrc.netrc(str(path))
    except (OSError, netrc.NetrcParseError):
        return None  # no usable netrc is the normal case, not a fault
