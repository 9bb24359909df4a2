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


# --- scan: its own inputs (owned by wheelscout.scan.projects) -------------------------------

#: A ``--projects`` file (names or requirement lines).
MAX_PROJECTS_FILE = 16 * MIB
#: The top-pypi-packages document (about 1 MiB for its 15,000 rows).
MAX_TOP_DOCUMENT = 32 * MIB
