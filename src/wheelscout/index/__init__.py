"""The only code that talks to package indexes or the disk cache.

Start here: ``IndexClient(settings)`` with settings from :func:`resolve` (command line,
environment, pip config), then ``await client.project(name)`` and
``await client.metadata(file)``.
"""

from __future__ import annotations

from wheelscout.index._http import ClientStats
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
    "ClientStats",
    "IndexClient",
    "IndexSettings",
    "SourceOptions",
    "pip_config_files",
    "redact",
    "resolve",
]
