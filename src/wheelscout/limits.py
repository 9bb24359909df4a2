"""Every bound wheelscout puts on what it reads, in one place.

Index pages, metadata, wheels, sdists and requirement files come from strangers: each is bounded
in time and memory here, and every reader imports its numbers from this module. Defaults are
generous enough for the largest real projects (numpy's page, torch's wheels); an exceeded limit
is a one-line error or a finding that names the input and the limit.
"""

from __future__ import annotations

__all__: list[str] = []

KIB = 1024
MIB = 1024 * KIB

# --- Network: responses from an index (owned by the index client) -------------------------


# --- Archives and parsers: zip/tar members, filenames, TOML/JSON, requirement files --------

# --- Downloads: whole distribution files written to disk (wheelscout download, lock) -------

# One file, when the index does not say its size (a larger advertised size is believed: torch
# wheels pass 2 GiB); reading stops here so a hostile server cannot fill the disk.
MAX_DOWNLOAD_BYTES = 8 * 1024 * MIB
DOWNLOAD_CHUNK = 256 * KIB
# Files fetched at once; the index client's own connection limit still applies.
DOWNLOAD_CONCURRENCY = 8
