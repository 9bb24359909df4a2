"""``wheelscout build-env``: the environment a maintainer sets to build wheels for a target.

The host defaults to the machine wheelscout runs on; ``--host windows/x86_64`` plans for
another build machine.
"""

from __future__ import annotations

import argparse
import platform

from wheelscout.cli._output import write_text
from wheelscout.cli._targets import add_target_options, targets_from_args
from wheelscout.errors import InputError
from wheelscout.model.build import BACKENDS
from wheelscout.model.target import Target
from wheelscout.toolchain.shell import SHELLS

HELP = (
    "print the environment (variables, cross files, commands) to build wheels for a target "
    "with one build backend"
)

_SYSTEMS = {"Windows": "windows", "Darwin": "macos", "Linux": "linux"}


def configure_parser(parser: argparse.ArgumentParser) -> None:
    add_target_options(parser)
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


def one_target(args: argparse.Namespace, command: str) -> Target:
    """The single target a command takes from the shared ``--target``/``--python`` options."""
    targets = targets_from_args(args)
    if len(targets) != 1:
        spelled = [t.label for t in targets]
        raise InputError(f"{command} takes one --target and one --python, got {spelled!r}")
    return targets[0]


def execute(args: argparse.Namespace) -> int:
    from wheelscout.toolchain.buildenv import build_environment
    from wheelscout.toolchain.shell import Shell, render

    target = one_target(args, "build-env")
    host_os, host_arch = host_from_args(args.host)
    environment = build_environment(target, args.backend, host_os=host_os, host_arch=host_arch)
    shell: Shell = args.shell or ("cmd" if host_os == "windows" else "bash")
    write_text(render(environment, shell))
    return 0
