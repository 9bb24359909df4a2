"""`wheelscout audit` beside `auditwheel show` on the largest wheel under /opt/wheels.

    python benchmarks/bench_audit.py [WHEEL...]

Each tool runs in its own child process; wall time comes from the clock, peak memory from that
child's own rusage (os.wait4), so one run cannot hide the other. Prints both and the ratios
(auditwheel / wheelscout: above 1 means wheelscout is faster or smaller). With several wheels
(e.g. a small one and the largest), wheelscout's peak RSS shows whether memory stays flat as the
wheel grows. Skips (exit 0) when there is no wheel to measure.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

WHEELS = Path("/opt/wheels")
OURS = (
    "import argparse, sys\n"
    "from wheelscout.cli import audit\n"
    "p = argparse.ArgumentParser(); audit.configure_parser(p)\n"
    "sys.exit(audit.execute(p.parse_args(['--format', 'json', sys.argv[1]])))\n"
)


def measure(argv: list[str]) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in KiB, exit status) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss, child.returncode


def auditwheel_command() -> list[str] | None:
    script = Path(sys.executable).with_name("auditwheel")
    return [str(script), "show"] if script.exists() else None


def main(argv: list[str]) -> int:
    wheels = [Path(a) for a in argv] or sorted(
        WHEELS.glob("*.whl"), key=lambda p: p.stat().st_size
    )[-1:]
    if not wheels:
        print(f"skip: no wheels under {WHEELS}")
        return 0
    theirs_cmd = auditwheel_command()
    for wheel in wheels:
        size = wheel.stat().st_size / 2**20
        ours = measure([sys.executable, "-c", OURS, str(wheel)])
        print(f"{wheel.name} ({size:.0f} MiB)")
        print(
            f"  wheelscout audit : {ours[0]:7.2f} s  {ours[1] / 1024:7.1f} MiB peak  exit {ours[2]}"
        )
        if theirs_cmd is None or "linux" not in wheel.name:
            print("  auditwheel show  : skipped (not installed, or not a Linux wheel)")
            continue
        theirs = measure([*theirs_cmd, str(wheel)])
        print(
            f"  auditwheel show  : {theirs[0]:7.2f} s  {theirs[1] / 1024:7.1f} MiB peak  "
            f"exit {theirs[2]}"
        )
        print(
            f"  ratio auditwheel/wheelscout: time {theirs[0] / ours[0]:.1f}x, "
            f"peak memory {theirs[1] / ours[1]:.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
