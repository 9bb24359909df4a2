"""The only code that talks to package indexes or the disk cache.

Start here: ``IndexClient(settings)`` with settings from :func:`resolve` (command line,
environment, pip config), then ``await client.project(name)`` and
``await client.metadata(file)``. Synchronous callers (a resolvelib provider) use
:class:`BlockingIndexClient`, the same client on a background event loop.
"""

from __future__ import annotations

from wheelscout.index._http import ClientStats
from wheelscout.index.blocking import BlockingIndexClient
from wheelscout.index.client import IndexClient
from wheelscout.index.settings import (
    DEFAULT_INDEX_URL,
    IndexSettings,
    SourceOptions,
    pip_config_files,
    resolve,
)
from wheelscout.simple.urls import redact

__all__ = [
    "DEFAULT_INDEX_URL",
    "BlockingIndexClient",
    "ClientStats",
    "IndexClient",
    "IndexSettings",
    "SourceOptions",
    "pip_config_files",
    "redact",
    "resolve",
]
