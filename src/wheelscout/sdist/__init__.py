"""Static sdist inspection: stream an archive, read its build files, never run its code.

``inspect_sdist(stream, filename=...)`` returns a ``wheelscout.model.build.BuildRequirements``.
"""

from wheelscout.sdist.archive import ArchiveWalk, Limits, walk_archive
from wheelscout.sdist.inspect import inspect_sdist

__all__ = ["ArchiveWalk", "Limits", "inspect_sdist", "walk_archive"]
