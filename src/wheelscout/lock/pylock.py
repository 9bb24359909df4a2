"""One target's resolution as a PEP 751 lock (``pylock.<name>.toml``), sans IO.

Each lock covers exactly one target: its ``environments`` marker and ``requires-python`` name
the target, and each package lists the one file pip would take there (the wheel, or the sdist
it would build). One lock for several targets is not written because PEP 751 markers cannot
tell every pair of targets apart (glibc against musl, manylinux_2_17 against manylinux_2_28,
macOS 11 against 14 all share ``sys_platform`` and ``platform_machine``), and an installer
picking among several wheels of one version could take another file than the one predicted.
Package ``marker`` keys are not written either: in a one-environment lock every package
installs, and a marker copied from a dependency edge could hold ``extra == ...`` clauses,
which PEP 751 spells differently.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from wheelscout import __version__
from wheelscout.index._local import is_local, local_path
from wheelscout.model.project import DistFile
from wheelscout.model.target import Target
from wheelscout.model.verdict import PackageVerdict, TargetResult
from wheelscout.simple.metadata import STRONG_HASHES
from wheelscout.simple.urls import split_userinfo

__all__ = ["LOCK_VERSION", "environment_marker", "lock_filename", "pylock_document", "target_key"]

LOCK_VERSION = "1.0"
# The markers that tell platforms apart; the Python is in requires-python.
_MARKER_KEYS = ("sys_platform", "platform_machine", "implementation_name")
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def target_key(target: Target) -> str:
    """A file-name-safe name for ``target``: ``win_arm64-cp312``, ``manylinux_2_28_aarch64-cp313t``
    (no dots: PEP 751 names are ``pylock.<name>.toml`` with ``<name>`` free of them)."""
    abi = f"cp{target.python.nodot}{'t' if target.python.free_threaded else ''}"
    return _UNSAFE.sub("_", f"{target.platform.name}-{abi}")


def lock_filename(target: Target) -> str:
    """``pylock.<target_key>.toml``."""
    return f"pylock.{target_key(target)}.toml"


def environment_marker(target: Target) -> str:
    """A PEP 508 marker that holds on ``target`` (its platform, not its Python)."""
    values = target.markers
    return " and ".join(f"{key} == {values[key]!r}" for key in _MARKER_KEYS if key in values)


def pylock_document(
    result: TargetResult, files: Mapping[str, DistFile], *, index: str | None
) -> dict[str, Any]:
    """The lock for ``result`` (which must be ``ok`` with no ``none`` verdict).

    ``files`` maps a chosen file's URL to the same file with its sha256 and size filled in
    where the index left them out; ``index`` is the one index every file came from, if so.
    """
    target = result.target
    python = target.python
    packages = sorted(result.packages, key=lambda v: v.name)
    needs: dict[str, list[str]] = {}
    for verdict in packages:
        for parent in verdict.required_by:
            needs.setdefault(parent, []).append(verdict.name)
    return {
        "lock-version": LOCK_VERSION,
        "environments": [environment_marker(target)],
        "requires-python": f"=={python.major}.{python.minor}.*",
        "created-by": "wheelscout",
        "packages": [_package(v, files, index, needs.get(v.name, [])) for v in packages],
        "tool": {
            "wheelscout": {
                "version": __version__,
                "target": target.spelling,
                "platform": target.platform.name,
                "python": python.short,
            }
        },
    }


def _package(
    verdict: PackageVerdict,
    files: Mapping[str, DistFile],
    index: str | None,
    dependencies: list[str],
) -> dict[str, Any]:
    chosen = verdict.file
    if chosen is None or verdict.install == "none" or verdict.version is None:
        raise ValueError(f"{verdict.name} has no installable file to lock")
    file = files.get(chosen.url, chosen)
    entry: dict[str, Any] = {"name": verdict.name, "version": verdict.version}
    if file.requires_python and _valid_specifier(file.requires_python):
        entry["requires-python"] = file.requires_python
    if dependencies:  # one entry per name in a one-target lock: the name is unambiguous
        entry["dependencies"] = [{"name": name} for name in dependencies]
    if index is not None and not is_local(file.url):
        entry["index"] = index
    if verdict.install == "wheel":
        entry["wheels"] = [_file(file)]
    else:
        entry["sdist"] = _file(file)
    return entry


def _file(file: DistFile) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": file.filename}
    uploaded = _upload_time(file.upload_time)
    if uploaded is not None:
        entry["upload-time"] = uploaded
    if is_local(file.url):
        entry["path"] = str(local_path(file.url))
    else:
        entry["url"] = split_userinfo(file.url)[0]  # never a credential in a lock
    if file.size is not None:
        entry["size"] = file.size
    entry["hashes"] = {a: file.hashes[a].lower() for a in STRONG_HASHES if a in file.hashes}
    return entry


def _valid_specifier(text: str) -> bool:
    # The index's text goes into the lock only if installers can read it back.
    try:
        SpecifierSet(text)
    except InvalidSpecifier:
        return False
    return True


def _upload_time(text: str | None) -> datetime.datetime | None:
    # PEP 700 gives ISO 8601 with a 'Z'; Python 3.10's fromisoformat wants '+00:00'.
    if not text:
        return None
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone(datetime.timezone.utc)
