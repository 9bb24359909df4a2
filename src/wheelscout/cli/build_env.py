"""``wheelscout build-env``: the environment a maintainer sets to build wheels for a target.

The host defaults to the machine wheelscout runs on; ``--host windows/x86_64`` plans for
another build machine.
"""

from __future__ import annotations

import argparse
import platform
import sys

from wheelscout.errors import InputError
from wheelscout.model.build import BACKENDS
from wheelscout.toolchain.shell import SHELLS

HELP = (
    "print the environment (variables, cross files, commands) to build wheels for a target "
    "with one build backend"
)

_SYSTEMS = {"Windows": "windows", "Darwin": "macos", "Linux": "linux"}


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-t",
        "--target",
        required=True,
        metavar="PLATFORM",
        help="target platform: a friendly name (win-arm64), a platform tag or a uv triple",
    )
    parser.add_argument(
        "-p", "--python", metavar="X.Y", help="CPython version (default: the running one)"
    )
    parser.add_argument("--backend", required=True, choices=BACKENDS, help="build backend")
    parser.add_argument(
        "--shell",
        choices=SHELLS,
        help="output syntax (default: cmd on a Windows host, bash elsewhere)",
    )
    parser.add_argument(
        "--host",
        metavar="OS/ARCH",
        help="build machine, e.g. windows/x86_64 or linux/aarch64 (default: this machine)",
    )


def host_from_args(spelled: str | None) -> tuple[str, str]:
    """``(os, arch)`` of the build machine: ``--host`` if given, else this machine."""
    if spelled is None:
        return _SYSTEMS.get(platform.system(), "linux"), platform.machine() or "x86_64"
    os_name, _, arch = spelled.partition("/")
    if not os_name or not arch:
        raise InputError(f"--host expects OS/ARCH such as 'windows/x86_64', got {spelled!r}")
    return os_name.lower(), arch


def execute(args: argparse.Namespace) -> int:
    from wheelscout.targets import make_target
    from wheelscout.targets.host import host_python
    from wheelscout.toolchain.buildenv import build_environment
    from wheelscout.toolchain.shell import Shell, render

    target = make_target(args.target, args.python or host_python().short)
    host_os, host_arch = host_from_args(args.host)
    environment = build_environment(target, args.backend, host_os=host_os, host_arch=host_arch)
    shell: Shell = args.shell or ("cmd" if host_os == "windows" else "bash")
    sys.stdout.write(render(environment, shell))
    return 0
