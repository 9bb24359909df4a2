"""Toolchains per target: setup steps for a build's needs, and cross-build environments.

- ``setup_steps(requirements, target)``: what to install on a target before building an sdist
  whose needs ``wheelscout.sdist.inspect_sdist`` found (``()`` for a pure build).
- ``build_environment(target, backend, host_os=..., host_arch=...)``: how a maintainer
  cross-builds wheels for a target; ``shell.render`` prints it for cmd/PowerShell/bash/JSON.
- ``render.requirements_as_dict`` / ``requirements_from_dict``: JSON for reports and caches.
"""

from wheelscout.toolchain.buildenv import build_environment
from wheelscout.toolchain.steps import for_target, linux_image, setup_steps

__all__ = ["build_environment", "for_target", "linux_image", "setup_steps"]
