"""One versioned report object for ``check`` (:class:`~wheelscout.model.verdict.CheckReport`),
one JSON writer (:mod:`wheelscout.report.serialize`) and one renderer per output format
(:mod:`~wheelscout.report.terminal`, :mod:`~wheelscout.report.markdown`), all over the typed
records."""

from __future__ import annotations

from collections.abc import Sequence

from wheelscout.model.verdict import TargetResult
from wheelscout.report.serialize import SCHEMA_VERSION, blockers, check_document, summarize

__all__ = ["SCHEMA_VERSION", "blockers", "check_document", "exit_status", "summarize"]

# Documented exit statuses of `check` (README): 0 all wheels, 1 a build, 3 nothing installable.
EXIT_OK, EXIT_BUILD, EXIT_NONE = 0, 1, 3


def exit_status(results: Sequence[TargetResult], fail_on: str = "build") -> int:
    """0 every package installs from a wheel; 1 something builds; 3 a target ``fails``
    (something cannot install) or is ``unresolvable``. ``fail_on`` 'none' ignores builds,
    'never' always gives 0."""
    if fail_on == "never":
        return EXIT_OK
    if any(r.status != "ok" or any(v.install == "none" for v in r.packages) for r in results):
        return EXIT_NONE
    if fail_on == "build" and any(v.install == "build" for r in results for v in r.packages):
        return EXIT_BUILD
    return EXIT_OK
