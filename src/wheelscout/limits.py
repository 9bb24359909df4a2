"""Every bound wheelscout puts on what it reads, in one place.

Index pages, metadata, wheels, sdists and requirement files come from strangers: each is bounded
in time and memory here, and every reader imports its numbers from this module. Defaults are
generous enough for the largest real projects (numpy's page, torch's wheels); an exceeded limit
is a one-line error or a finding that names the input and the limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from wheelscout.errors import InputError

__all__: list[str] = []

KIB = 1024
MIB = 1024 * KIB

# --- Network: responses from an index (owned by the index client) -------------------------
#
# Every response is read as a stream and stopped at the first limit it passes: its bytes on the
# wire, its bytes after Content-Encoding is undone (a 3 MB gzip page can decode to 3 GB), and
# its wall-clock time from the request to the last byte (a byte every two seconds never trips a
# per-read timeout). A run may override these through the environment variables below; the
# values are sizes in bytes (suffixes K, M, G allowed) or seconds.

# numpy's JSON page is about 2 MB and the largest pages on PyPI (nightly builds) tens of MB.
MAX_PAGE_BYTES = 256 * MIB
# A METADATA file holds the long description; the biggest real ones are a few MB.
MAX_METADATA_BYTES = 32 * MIB
# Whole downloads (sdists, and wheels from servers that refuse ranges): torch's CUDA wheels
# are about 2.5 GB.
MAX_DOWNLOAD_BYTES = 4 * 1024 * MIB
# From sending the request to the last body byte.
PAGE_DEADLINE_SECONDS = 120.0
METADATA_DEADLINE_SECONDS = 60.0
DOWNLOAD_DEADLINE_SECONDS = 1800.0
# A body that has been arriving for longer than the grace period at under this average rate is
# a drip, not a slow link (1 KiB/s is far below any usable connection): it ends there, whatever
# its deadline, so a drip costs half a minute even on a download.
MIN_BYTES_PER_SECOND = 1024
SLOW_GRACE_SECONDS = 30.0

__all__ += ["NetworkLimits", "ResponseLimit"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseLimit:
    """The most one response may send (after decoding, and on the wire) and how long it may take."""

    max_bytes: int
    deadline: float  # seconds from the request to the last body byte


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkLimits:
    """One :class:`ResponseLimit` per kind of response an index client reads."""

    pages: ResponseLimit = ResponseLimit(max_bytes=MAX_PAGE_BYTES, deadline=PAGE_DEADLINE_SECONDS)
    metadata: ResponseLimit = ResponseLimit(
        max_bytes=MAX_METADATA_BYTES, deadline=METADATA_DEADLINE_SECONDS
    )
    downloads: ResponseLimit = ResponseLimit(
        max_bytes=MAX_DOWNLOAD_BYTES, deadline=DOWNLOAD_DEADLINE_SECONDS
    )
    min_bytes_per_second: int = MIN_BYTES_PER_SECOND
    slow_grace_seconds: float = SLOW_GRACE_SECONDS

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> NetworkLimits:
        """The defaults, with any ``WHEELSCOUT_*`` override from :data:`LIMIT_VARIABLES`."""
        defaults = cls()
        kinds = {"pages": defaults.pages, "metadata": defaults.metadata,
                 "downloads": defaults.downloads}
        for variable, (kind, field) in LIMIT_VARIABLES.items():
            text = env.get(variable, "").strip()
            if not text:
                continue
            if field == "max_bytes":
                kinds[kind] = replace(kinds[kind], max_bytes=_size(variable, text))
            else:
                kinds[kind] = replace(kinds[kind], deadline=_seconds(variable, text))
        return replace(defaults, pages=kinds["pages"], metadata=kinds["metadata"],
                       downloads=kinds["downloads"])


# Environment variable -> (kind of response, field of its ResponseLimit).
LIMIT_VARIABLES: dict[str, tuple[str, str]] = {
    "WHEELSCOUT_MAX_PAGE_SIZE": ("pages", "max_bytes"),
    "WHEELSCOUT_MAX_METADATA_SIZE": ("metadata", "max_bytes"),
    "WHEELSCOUT_MAX_DOWNLOAD_SIZE": ("downloads", "max_bytes"),
    "WHEELSCOUT_PAGE_DEADLINE": ("pages", "deadline"),
    "WHEELSCOUT_METADATA_DEADLINE": ("metadata", "deadline"),
    "WHEELSCOUT_DOWNLOAD_DEADLINE": ("downloads", "deadline"),
}
_UNITS = {"": 1, "K": KIB, "M": MIB, "G": 1024 * MIB}


def _size(variable: str, text: str) -> int:
    number, unit = text.rstrip("BbIi"), ""
    if number[-1:].upper() in _UNITS:
        number, unit = number[:-1], number[-1:].upper()
    if not number.isdigit() or len(number) > 15 or int(number) == 0:
        raise InputError(f"{variable}={text!r} is not a size (e.g. 512M, 4G)")
    return int(number) * _UNITS[unit]


def _seconds(variable: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < 1e7:  # also refuses nan and inf
        raise InputError(f"{variable}={text!r} is not a number of seconds")
    return value


# --- Archives and parsers: zip/tar members, filenames, TOML/JSON, requirement files --------
# Decompressed size of one archive member read into memory: a wheel's METADATA, an sdist's
# PKG-INFO. Real ones are kilobytes (a long description makes a few hundred); more is a bomb.
MAX_MEMBER_BYTES = 16 * MIB
# Entries of a wheel's zip central directory, counted as they are parsed (the end record's
# count is not trusted), and the bytes of that directory fetched. The largest real wheels
# (torch, tensorflow) hold about 20,000 entries in a few MiB.
MAX_ARCHIVE_ENTRIES = 250_000
MAX_CENTRAL_DIRECTORY_BYTES = 64 * MIB
# Tags one wheel filename expands to (the product of its compressed tag sets, PEP 425). Real
# names carry a handful (``cp39.cp310-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64``); a
# hostile one can expand to millions.
MAX_TAGS_PER_FILENAME = 1024
# Characters of one version string (filenames, metadata, locks): past 4300 digits Python's
# int() refuses; long before that no real project goes.
MAX_VERSION_CHARS = 256
# Size of one file the user names: requirements files, pyproject.toml, pylock.toml.
MAX_INPUT_FILE_BYTES = 32 * MIB
# One logical line of a requirements file (continuations joined, comment removed): the longest
# real ones carry a few dozen ``--hash`` options, a few KiB.
MAX_LINE_CHARS = 64 * KIB
# Depth of ``-r``/``-c`` include chains, PEP 735 ``include-group`` chains and self-referencing
# extras (``app[all]`` -> ``app[cli]``); and the requirements one group or extra may expand to
# (a group including the next one twice, 40 levels deep, would expand to 2**40).
MAX_INCLUDE_DEPTH = 100
MAX_EXPANDED_REQUIREMENTS = 100_000
# Requirements files read in one walk, counting a file each time it is included (two files
# each including the next twice, 40 levels deep, would be read 2**40 times).
MAX_INCLUDED_FILES = 10_000
# Bytes of requirements files read in one walk, repeated includes counted each time.
MAX_INCLUDED_BYTES = 64 * MIB
# Nesting of arrays and tables in a JSON page (PEP 691) or a TOML file is bounded by the
# interpreter's recursion limit (1000 by default): json and tomllib recurse once per level, and
# a deeper document is refused as malformed. Real ones nest under 10 levels.
# Platform versions a target can name (``--glibc 2.X``, ``--musl 1.X``, ``--macos X.Y``,
# ``--ios X.Y``, ``--android-api N`` and the same numbers in a platform tag): every part at most
# this. The tag list grows with them (one macOS tag per older release), so absurd values would
# take the machine's memory; real ones are below 50.
MAX_PLATFORM_VERSION = 99


def tag_count(tags: str) -> int:
    """How many tags a compressed tag triple (``py2.py3-none-any``) expands to, unexpanded."""
    count = 1
    for part in tags.split("-"):
        count *= part.count(".") + 1
    return count


def wheel_filename_problem(filename: str) -> str | None:
    """Why a wheel filename is over a parser limit, or ``None``; checked before parsing it.

    packaging expands every tag of a name (a hostile one expands to gigabytes) and its
    ``int()`` refuses versions past 4300 digits: both are stopped here with a message.
    """
    parts = filename.removesuffix(".whl").split("-")
    if len(parts) < 5:
        return None  # not a wheel name at all: the parser says so
    count = tag_count("-".join(parts[-3:]))
    if count > MAX_TAGS_PER_FILENAME:
        return f"its tags expand to {count} tags, over the limit of {MAX_TAGS_PER_FILENAME}"
    return version_problem(parts[1])


def versions_problem(versions: Iterable[str]) -> str | None:
    """The first version (of a specifier's clauses, say) too long to parse, or ``None``."""
    for version in versions:
        if (problem := version_problem(version)) is not None:
            return problem
    return None


def version_problem(version: str) -> str | None:
    """Why a version string is too long to parse, or ``None``."""
    if len(version) > MAX_VERSION_CHARS:
        return f"its version has {len(version)} characters, over the limit of {MAX_VERSION_CHARS}"
    return None


# --- Settings: uv's config files (index/_layers.py) -------------------------------------------

UV_CONFIG_BYTES = 1 * MIB  # a uv.toml or pyproject.toml read for [tool.uv]

# --- Diagnostics: what an index answers when a project is missing (index/probe.py) --------

PROBE_BYTES = 64 * KIB  # enough to tell a simple index page from anything else
PROBE_TIMEOUT = 10.0  # seconds, per probe
PROBE_MAX_NAMES = 3  # missing projects probed per run; the rest get the first one's story
PROBE_MAX_ENTRIES = 10_000  # directory entries read for "did you mean" in a local index


# --- Downloads to disk: `wheelscout download` (the size and deadline of each file are those
# of NetworkLimits.downloads, or the size the index advertises when it gives one) ----------

DOWNLOAD_CHUNK = 256 * KIB  # bytes of a local file read, hashed and written at a time
# Files fetched at once; the index client's own connection limit still applies.
DOWNLOAD_CONCURRENCY = 8


# --- scan: its own inputs (owned by wheelscout.scan.projects) -------------------------------

__all__ += ["MAX_PROJECTS_FILE", "MAX_TOP_DOCUMENT"]

#: A ``--projects`` file (names or requirement lines).
MAX_PROJECTS_FILE = 16 * MIB
#: The top-pypi-packages document (about 1 MiB for its 15,000 rows).
MAX_TOP_DOCUMENT = 32 * MIB
