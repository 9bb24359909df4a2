"""Core metadata bytes -> ``packaging.metadata.Metadata``, and hash checks on raw bytes."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from packaging.metadata import InvalidMetadata, Metadata
from packaging.specifiers import SpecifierSet

from wheelscout.errors import HashMismatch, MalformedResponse
from wheelscout.limits import versions_problem

__all__ = ["STRONG_HASHES", "check_hashes", "parse_core_metadata"]

# Strongest first; md5 is only accepted when nothing better is advertised (old indexes).
STRONG_HASHES = ("sha512", "sha384", "sha256", "sha224", "blake2b", "sha3_256", "sha1", "md5")


def parse_core_metadata(raw: bytes, where: str) -> Metadata:
    """Parse METADATA / PKG-INFO; ``where`` names the source in errors (a redacted URL).

    Unknown and malformed fields the resolver never reads are tolerated, as pip does; the
    ones it does read (Requires-Python, Requires-Dist, Dynamic) must be valid.
    """
    try:
        metadata = Metadata.from_email(_known_fields_only(raw), validate=False)
        _ = (metadata.name, metadata.version, metadata.requires_python, metadata.requires_dist)
        _ = metadata.dynamic
    except (InvalidMetadata, ValueError) as exc:
        raise MalformedResponse(f"core metadata from {where!r} is invalid: {exc}") from None
    # Specifier versions are parsed lazily: one of thousands of digits would raise later.
    specifiers = [r.specifier for r in metadata.requires_dist or []]
    specifiers.append(metadata.requires_python or SpecifierSet())
    problem = versions_problem(s.version for specifier in specifiers for s in specifier)
    if problem is not None:
        raise MalformedResponse(f"core metadata from {where!r} is invalid: {problem}")
    return metadata


# The fields of the core metadata specification (those packaging reads); others are ignored, and
# so is the description (a header in old metadata, the body since 2.1): nothing reads it.
_FIELDS = frozenset(
    [
        b"metadata-version", b"name", b"version", b"dynamic", b"platform", b"supported-platform",
        b"summary", b"description-content-type", b"keywords", b"home-page",
        b"download-url", b"author", b"author-email", b"maintainer", b"maintainer-email",
        b"license", b"license-expression", b"license-file", b"classifier", b"requires-dist",
        b"requires-python", b"requires-external", b"project-url", b"provides-extra",
        b"provides-dist", b"obsoletes-dist", b"import-name", b"import-namespace", b"requires",
        b"provides", b"obsoletes",
    ]
)  # fmt: skip


def _known_fields_only(raw: bytes) -> bytes:
    """The headers without fields outside the specification (and their continuation lines),
    and without the body.

    packaging looks each distinct field name up with ``get_all``, a scan of every header:
    quadratic in the number of distinct names (20,000 invented ones took 15 s). Unknown fields
    are ignored anyway; dropping them first keeps the parse linear. The body is the long
    description, which nothing here reads: the email parser went through it line by line (a
    README of thousands of lines was most of the time spent on a metadata file).
    """
    kept: list[bytes] = []
    keep = True
    for line in raw.splitlines(keepends=True):
        if not line.strip(b"\r\n"):
            break  # the body (the description) starts here
        if line[:1] in (b" ", b"\t"):
            if keep:
                kept.append(line)
            continue
        name, colon, _ = line.partition(b":")
        keep = not colon or name.strip().lower() in _FIELDS
        if keep:
            kept.append(line)
    return b"".join(kept)


def check_hashes(data: bytes, expected: Mapping[str, str], where: str) -> bool:
    """Verify ``data`` against the strongest advertised hash we know; False if none usable.

    Raises :class:`HashMismatch` naming ``where`` when the digest differs.
    """
    for algorithm in STRONG_HASHES:
        if algorithm in expected:
            digest = hashlib.new(algorithm, data).hexdigest()
            if digest != expected[algorithm].lower():
                raise HashMismatch(
                    f"{where!r}: {algorithm} is {digest[:16]}..., index said "
                    f"{expected[algorithm][:16]}..."
                )
            return True
    return False
