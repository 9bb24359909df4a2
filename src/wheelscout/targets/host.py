"""The ``host`` target: the interpreter wheelscout runs on, read from ``packaging``.

The only module outside the CLI that looks at the host, and only when a user asks for ``host``.
"""

from __future__ import annotations

import sys

from packaging import markers as pmarkers
from packaging import tags as ptags

from wheelscout.model.target import OperatingSystem, Platform, Python, Target
from wheelscout.targets.tags import target_tags

__all__ = ["host_python", "host_target"]


def host_python() -> Python:
    """The running interpreter as a :class:`Python`."""
    free_threaded = bool(getattr(sys, "_is_gil_enabled", lambda: True)() is False)
    info = sys.version_info
    return Python(major=info.major, minor=info.minor, micro=info.micro, free_threaded=free_threaded)


def host_target(python: str | None = None) -> Target:
    """The host platform with the host Python, or with another Python's tags and markers."""
    from wheelscout.targets import parse_python

    host = host_python()
    wanted = parse_python(python) if python else host
    markers: dict[str, str] = {k: str(v) for k, v in pmarkers.default_environment().items()}
    if wanted == host or (python and wanted.short == host.short and python.count(".") < 2):
        tags = tuple(ptags.sys_tags())
        wanted = host
    else:
        plats = list(
            dict.fromkeys(tag.platform for tag in ptags.sys_tags() if tag.platform != "any")
        )
        tags = tuple(target_tags(wanted, plats))
        markers.update(
            python_version=f"{wanted.major}.{wanted.minor}",
            python_full_version=wanted.full,
            implementation_version=wanted.full,
        )
    first = next((t.platform for t in tags if t.platform != "any"), "any")
    platform = Platform(
        name=first,
        os=OperatingSystem.HOST,
        arch=markers["platform_machine"],
        description="the machine wheelscout runs on",
    )
    return Target(spelling="host", platform=platform, python=wanted, tags=tags, markers=markers)
