"""Differential test: on real manylinux wheels, agree with `auditwheel show --json`.

Uses wheels already on the machine (the local package mirror under /opt); skipped where they or
auditwheel are absent. The big ones (numpy, the 183 MB torch wheel) run only with
WHEELSCOUT_SLOW_PEERS=1, since auditwheel itself takes seconds to minutes on them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from wheelscout.binary.audit import audit_wheel
from wheelscout.binary.findings import Code
from wheelscout.binary.policy import parse_linux_tag

pytestmark = pytest.mark.peer

AUDITWHEEL = Path(sys.executable).with_name("auditwheel")
FAST = [
    "/opt/pypi/files/xxhash-4.0.1-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64.whl",
    "/opt/pypi/files/simplejson-4.1.2-cp311-cp311-manylinux1_x86_64.manylinux_2_28_x86_64.manylinux_2_5_x86_64.whl",
    # Links libodbc.so.2 from the system: both must call it external.
    "/opt/pypi/files/pyodbc-5.3.0-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64.whl",
]  # fmt: skip
SLOW = [
    "/opt/pypi/files/numpy-2.2.6-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    "/opt/wheels/torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl",
]
_SLOW_ENABLED = os.environ.get("WHEELSCOUT_SLOW_PEERS") == "1"
CASES = [pytest.param(p, id=Path(p).name.split("-")[0]) for p in FAST] + [
    pytest.param(
        p,
        id=Path(p).name.split("-")[0],
        marks=pytest.mark.skipif(not _SLOW_ENABLED, reason="set WHEELSCOUT_SLOW_PEERS=1"),
    )
    for p in SLOW
]


def _auditwheel(path: Path) -> dict[str, Any]:
    if not AUDITWHEEL.exists():
        pytest.skip("auditwheel is not installed in this environment")
    run = subprocess.run(
        [str(AUDITWHEEL), "show", "--json", str(path)], capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(run.stdout)
    return result


@pytest.mark.parametrize("wheel", CASES)
def test_agrees_with_auditwheel_show(wheel: str) -> None:
    path = Path(wheel)
    if not path.exists():
        pytest.skip(f"{path.name} is not on this machine")
    theirs = _auditwheel(path)
    with path.open("rb") as file:
        ours = audit_wheel(file, path.name)

    versioned = {
        f"{n.library}:{n.version}"
        for b in ours.binaries
        if b.elf is not None
        for n in b.elf.version_needs
        if not n.library.startswith(("ld-linux", "ld64.so."))
    }
    assert versioned == {
        f"{lib}:{v}" for lib, vs in theirs["versioned_symbols"].items() for v in vs
    }

    floor = min(t.version for p in _platforms(ours.tags) if (t := parse_linux_tag(p)) is not None)
    sym_tag = parse_linux_tag(theirs["sym_tag"])
    assert sym_tag is not None
    codes = [f.code for f in ours.findings]
    assert (Code.SYMBOL_VERSION in codes) == (sym_tag.version > floor)

    external = {
        re.sub(r"^links (\S+):.*", r"\1", f.message)
        for f in ours.findings
        if f.code is Code.NEEDED_OUTSIDE_POLICY
    }
    assert external == set(theirs["external_libs"])


def _platforms(tags: tuple[str, ...]) -> set[str]:
    return {t.rsplit("-", 1)[1] for t in tags}
