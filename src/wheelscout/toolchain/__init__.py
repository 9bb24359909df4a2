"""Toolchains per target: setup steps for a build's needs, and cross-build environments.

``setup_steps(requirements, target)`` says what to install on a target before building;
``build_environment(target, backend, host=...)`` says how a maintainer cross-builds for it.
"""

from wheelscout.toolchain.steps import linux_image, setup_steps

__all__ = ["linux_image", "setup_steps"]
