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

# --- Settings: uv's config files (index/_layers.py) -------------------------------------------

UV_CONFIG_BYTES = 1 * MIB  # a uv.toml or pyproject.toml read for [tool.uv]

# --- Diagnostics: what an index answers when a project is missing (index/probe.py) --------

PROBE_BYTES = 64 * KIB  # enough to tell a simple index page from anything else
PROBE_TIMEOUT = 10.0  # seconds, per probe
PROBE_MAX_NAMES = 3  # missing projects probed per run; the rest get the first one's story
PROBE_MAX_ENTRIES = 10_000  # directory entries read for "did you mean" in a local index
