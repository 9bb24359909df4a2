"""The only code that talks to package indexes or the disk cache.

Start here: ``IndexClient(settings)`` with settings from :func:`resolve` (command line,
environment, pip config), then ``await client.project(name)`` and
``await client.metadata(file)``. Synchronous callers (a resolvelib provider) use
:class:`BlockingIndexClient`, the same client on a background event loop.

The names below load on first use: reading settings (``wheelscout.index.settings``) does not
import the HTTP stack, so a command can merge its configuration while nothing else waits.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_HOMES = {
    "ClientStats": "wheelscout.index._http",
    "BlockingIndexClient": "wheelscout.index.blocking",
    "IndexClient": "wheelscout.index.client",
    "DEFAULT_INDEX_URL": "wheelscout.index.settings",
    "IndexSettings": "wheelscout.index.settings",
    "SourceOptions": "wheelscout.index.settings",
    "pip_config_files": "wheelscout.index.settings",
    "resolve": "wheelscout.index.settings",
    "redact": "wheelscout.simple.urls",
}


def __getattr__(name: str) -> Any:
    if (home := _HOMES.get(name)) is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
