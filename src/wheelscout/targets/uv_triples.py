"""uv's ``--python-platform`` values and the platform each one means.

Taken from ``uv pip compile --help`` (uv 0.13) and checked against uv itself by
``tests/test_targets_uv.py``, which asks uv which wheel it picks for every row.
Each row: triple -> (friendly family name, fixed OS version or None for the family default).
"""

from __future__ import annotations

__all__ = ["UV_TRIPLES"]

_GLIBC_MINORS = (28, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40)


def _manylinux_rows(arch: str) -> dict[str, tuple[str, tuple[int, ...] | None]]:
    rows: dict[str, tuple[str, tuple[int, ...] | None]] = {
        f"{arch}-manylinux2014": (f"linux-{arch}", (2, 17)),
        f"{arch}-manylinux_2_17": (f"linux-{arch}", (2, 17)),
    }
    for minor in _GLIBC_MINORS:
        rows[f"{arch}-manylinux_2_{minor}"] = (f"linux-{arch}", (2, minor))
    return rows


UV_TRIPLES: dict[str, tuple[str, tuple[int, ...] | None]] = {
    "windows": ("win-amd64", None),
    "linux": ("linux-x86_64", (2, 28)),
    "macos": ("macos-arm64", (13, 0)),
    "x86_64-pc-windows-msvc": ("win-amd64", None),
    "aarch64-pc-windows-msvc": ("win-arm64", None),
    "i686-pc-windows-msvc": ("win32", None),
    "x86_64-unknown-linux-gnu": ("linux-x86_64", (2, 28)),
    "aarch64-apple-darwin": ("macos-arm64", (13, 0)),
    "x86_64-apple-darwin": ("macos-x86_64", (13, 0)),
    "aarch64-unknown-linux-gnu": ("linux-aarch64", (2, 28)),
    "aarch64-unknown-linux-musl": ("musllinux-aarch64", (1, 2)),
    "x86_64-unknown-linux-musl": ("musllinux-x86_64", (1, 2)),
    "riscv64-unknown-linux": ("linux-riscv64", (2, 39)),
    **_manylinux_rows("x86_64"),
    **_manylinux_rows("aarch64"),
    "aarch64-linux-android": ("android-arm64", (24,)),
    "x86_64-linux-android": ("android-x86_64", (24,)),
    "wasm32-pyodide2024": ("pyodide-2024", None),
    "wasm32-pyodide2025": ("pyodide-2025", None),
    "arm64-apple-ios": ("ios-arm64", (13, 0)),
    "arm64-apple-ios-simulator": ("ios-arm64-simulator", (13, 0)),
    "x86_64-apple-ios-simulator": ("ios-x86_64-simulator", (13, 0)),
}
