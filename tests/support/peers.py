"""Run the real peers (uv, pip) as oracles against a loopback index and normalise their answers.

Each peer answers "which version of each package, and from a wheel or from a source build" for
one requirement set on one target, CPython 3.12:

``uv``
    ``uv pip compile --python-platform <triple> --python-version 3.12 -o pylock.toml``; a package
    whose pylock entry lists wheels (uv keeps only the target's compatible ones) installs from the
    best of them by tag rank, otherwise it is built from its sdist;
``uv-no-build``
    the same with ``--no-build``: versions without a compatible wheel are not candidates;
``pip-only-binary``
    ``pip install --dry-run --report - --only-binary=:all: --platform ... --python-version 3.12``.
    pip evaluates environment markers for the HOST, not the target (``sys_platform`` stays
    ``linux``), so its answers differ where a dependency's marker names the platform.

Both run isolated from the machine's configuration, with no network but 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

from packaging.tags import Tag, compatible_tags, cpython_tags, mac_platforms
from packaging.utils import canonicalize_name, parse_wheel_filename

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest brings tomli on 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = [
    "EXPECTED",
    "MODES",
    "PEERS_DISAGREE",
    "REQUIREMENT_SETS",
    "TARGETS",
    "PeerAnswer",
    "PeerMode",
    "PeerPackage",
    "PeerTarget",
    "load_expected",
    "peer_versions",
    "run_peer",
]

PeerMode = Literal["uv", "uv-no-build", "pip-only-binary"]
MODES: tuple[PeerMode, ...] = get_args(PeerMode)
Install = Literal["wheel", "build"]
PYTHON = "3.12"
EXPECTED = Path(__file__).resolve().parent.parent / "data" / "pypi" / "expected"
_TIMEOUT = 120


@dataclass(frozen=True, slots=True, kw_only=True)
class PeerTarget:
    """One target platform as each peer spells it."""

    name: str
    uv_platform: str
    pip_platforms: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)

    def tags(self, python: str = PYTHON) -> list[Tag]:
        """The target's CPython tags, best first (pip's order for these platforms)."""
        version = tuple(int(p) for p in python.split("."))
        abi = f"cp{version[0]}{version[1]}"
        return [*cpython_tags(version, [abi], self.pip_platforms),
                *compatible_tags(version, abi, self.pip_platforms)]


def _manylinux(glibc_minor: int, arch: str) -> tuple[str, ...]:
    newer = [f"manylinux_2_{minor}_{arch}" for minor in range(glibc_minor, 16, -1)]
    return (*newer, f"manylinux2014_{arch}", f"linux_{arch}")


# macOS 14.0 is pinned for both peers (uv reads MACOSX_DEPLOYMENT_TARGET) so they agree on which
# macosx_* wheels qualify; the order is packaging's, the one pip uses on such a host.
TARGETS: dict[str, PeerTarget] = {t.name: t for t in (
    PeerTarget(name="win_arm64", uv_platform="aarch64-pc-windows-msvc",
               pip_platforms=("win_arm64",)),
    PeerTarget(name="win_amd64", uv_platform="x86_64-pc-windows-msvc",
               pip_platforms=("win_amd64",)),
    PeerTarget(name="manylinux_2_28_aarch64", uv_platform="aarch64-manylinux_2_28",
               pip_platforms=_manylinux(28, "aarch64")),
    PeerTarget(name="macos_arm64", uv_platform="aarch64-apple-darwin",
               pip_platforms=tuple(mac_platforms((14, 0), "arm64")),
               env={"MACOSX_DEPLOYMENT_TARGET": "14.0"}),
)}

REQUIREMENT_SETS: dict[str, tuple[str, ...]] = {
    "numpy-1.26.2": ("numpy==1.26.2",),
    "numpy": ("numpy",),
    "pandas": ("pandas",),
    "requests": ("requests",),
    "cryptography": ("cryptography",),
    "pyyaml-6.0.2": ("pyyaml==6.0.2",),
    # The failure path (issue 10): nothing installable behind an extra on some targets (pip and
    # uv walk every psycopg release first), and a release with invalid metadata.
    "psycopg-binary-extra": ("psycopg[binary]",),
    "uvicorn-0.14.0": ("uvicorn==0.14.0",),
}
# Requirement sets whose recorded peers disagree with each other, and why.
PEERS_DISAGREE: dict[str, str] = {
    "uvicorn-0.14.0": "uv reads the invalid 'click (>=7.*)' leniently; pip 26 ignores the release",
    "psycopg-binary-extra": "pip --platform evaluates psycopg's tzdata marker on the host",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class PeerPackage:
    """One package of a peer's answer."""

    name: str
    version: str
    install: Install
    file: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PeerAnswer:
    """What one peer said for one requirement set on one target."""

    mode: PeerMode
    target: str
    python: str
    status: Literal["ok", "unresolvable"]
    packages: tuple[PeerPackage, ...]
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"mode": self.mode, "target": self.target, "python": self.python,
                "status": self.status, "error": self.error,
                "packages": [{"name": p.name, "version": p.version, "install": p.install,
                              "file": p.file} for p in self.packages]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PeerAnswer:
        return cls(mode=data["mode"], target=data["target"], python=data["python"],
                   status=data["status"], error=data["error"],
                   packages=tuple(PeerPackage(**p) for p in data["packages"]))

    def outcome(self) -> tuple[str, tuple[tuple[str, str, str, str], ...]]:
        """What differential tests compare: status and every (name, version, install, file)."""
        return self.status, tuple((p.name, p.version, p.install, p.file) for p in self.packages)


def load_expected(name: str, directory: Path = EXPECTED) -> dict[tuple[PeerMode, str], PeerAnswer]:
    """The recorded answers for requirement set ``name``, by (mode, target name)."""
    data = json.loads((directory / f"{name}.json").read_bytes())
    answers = (PeerAnswer.from_json(a) for a in data["answers"])
    return {(a.mode, a.target): a for a in answers}


def peer_versions() -> dict[str, str]:
    """The versions of the peers in use, for the record."""
    uv = subprocess.run([_uv(), "--version"], capture_output=True, text=True, check=True)
    pip = subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True,
                         text=True, check=True, env=_clean_env({}))
    return {"uv": uv.stdout.split()[1], "pip": pip.stdout.split()[1]}


def run_peer(
    mode: PeerMode,
    requirements: tuple[str, ...],
    target: PeerTarget,
    index_url: str,
    workdir: Path,
    *,
    python: str = PYTHON,
    cache_dir: Path | None = None,
) -> PeerAnswer:
    """Ask one peer; ``cache_dir`` None means no cache at all (``--no-cache``)."""
    workdir.mkdir(parents=True, exist_ok=True)
    if mode == "pip-only-binary":
        return _run_pip(requirements, target, index_url, python, cache_dir)
    return _run_uv(requirements, target, index_url, workdir, python, cache_dir,
                   no_build=mode == "uv-no-build")


def uv_command(source: Path, target: PeerTarget, index_url: str, output: Path,
               *, python: str = PYTHON, cache_dir: Path | None = None,
               no_build: bool = False) -> list[str]:
    cache = ["--cache-dir", str(cache_dir)] if cache_dir else ["--no-cache"]
    # --python skips interpreter discovery (about 0.8 s here); markers follow --python-version.
    return [_uv(), "pip", "compile", "--no-config", "--no-python-downloads", "--quiet",
            "--python", sys.executable,
            "--python-platform", target.uv_platform, "--python-version", python,
            "--index-url", index_url, *cache, *(["--no-build"] if no_build else []),
            "-o", str(output), str(source)]


def pip_command(requirements: tuple[str, ...], target: PeerTarget, index_url: str,
                *, python: str = PYTHON, cache_dir: Path | None = None) -> list[str]:
    cache = ["--cache-dir", str(cache_dir)] if cache_dir else ["--no-cache-dir"]
    platforms = [arg for p in target.pip_platforms for arg in ("--platform", p)]
    host = urlsplit(index_url).hostname or "127.0.0.1"
    # --isolated ignores PIP_* variables, hence the flag for the version check; pip caches HTTP
    # responses only for https and trusted hosts, so --trusted-host gives warm runs the cache
    # they would have against PyPI.
    return [sys.executable, "-m", "pip", "install", "--isolated", "--dry-run", "--quiet",
            "--disable-pip-version-check", "--trusted-host", host,
            "--ignore-installed", "--report", "-", "--only-binary=:all:", *platforms,
            "--python-version", python, "--index-url", index_url, *cache, *requirements]


def peer_env(target: PeerTarget) -> dict[str, str]:
    return _clean_env(target.env)


def _run_uv(requirements: tuple[str, ...], target: PeerTarget, index_url: str, workdir: Path,
            python: str, cache_dir: Path | None, *, no_build: bool) -> PeerAnswer:
    output = workdir / "pylock.toml"
    output.unlink(missing_ok=True)
    source = workdir / "requirements.in"
    source.write_text("".join(f"{r}\n" for r in requirements), encoding="utf-8")
    command = uv_command(source, target, index_url, output, python=python,
                         cache_dir=cache_dir, no_build=no_build)
    done = subprocess.run(command, capture_output=True, text=True, env=_clean_env(target.env),
                          timeout=_TIMEOUT, check=False)
    mode: PeerMode = "uv-no-build" if no_build else "uv"
    if done.returncode != 0:
        return _failure(mode, target, python, done.stderr, index_url)
    lock = tomllib.loads(output.read_text(encoding="utf-8"))
    ranks = {tag: i for i, tag in enumerate(target.tags(python))}
    packages = [_uv_package(entry, ranks) for entry in lock.get("packages", [])]
    return _answer(mode, target, python, packages)


def _uv_package(entry: dict[str, Any], ranks: dict[Tag, int]) -> PeerPackage:
    wheels = [_basename(w["url"]) for w in entry.get("wheels", [])]
    name, version = str(canonicalize_name(entry["name"])), entry["version"]
    if wheels:
        best = min(wheels, key=lambda w: min(ranks.get(t, len(ranks))
                                             for t in parse_wheel_filename(w)[3]))
        return PeerPackage(name=name, version=version, install="wheel", file=best)
    return PeerPackage(name=name, version=version, install="build",
                       file=_basename(entry["sdist"]["url"]))


def _run_pip(requirements: tuple[str, ...], target: PeerTarget, index_url: str, python: str,
             cache_dir: Path | None) -> PeerAnswer:
    command = pip_command(requirements, target, index_url, python=python, cache_dir=cache_dir)
    done = subprocess.run(command, capture_output=True, text=True, env=_clean_env(target.env),
                          timeout=_TIMEOUT, check=False)
    if done.returncode != 0:
        return _failure("pip-only-binary", target, python, done.stderr, index_url)
    report = json.loads(done.stdout)
    packages = []
    for item in report["install"]:
        filename = _basename(item["download_info"]["url"])
        packages.append(PeerPackage(
            name=str(canonicalize_name(item["metadata"]["name"])),
            version=item["metadata"]["version"],
            install="wheel" if filename.endswith(".whl") else "build", file=filename))
    return _answer("pip-only-binary", target, python, packages)


def _answer(mode: PeerMode, target: PeerTarget, python: str,
            packages: list[PeerPackage]) -> PeerAnswer:
    return PeerAnswer(mode=mode, target=target.name, python=python, status="ok",
                      packages=tuple(sorted(packages, key=lambda p: p.name)))


def _failure(mode: PeerMode, target: PeerTarget, python: str, stderr: str,
             index_url: str) -> PeerAnswer:
    lines = [line.rstrip().replace(index_url, "<index>") for line in stderr.splitlines()]
    kept = [line for line in lines if line.strip() and not line.startswith("warning:")]
    return PeerAnswer(mode=mode, target=target.name, python=python, status="unresolvable",
                      packages=(), error="\n".join(kept[:12]))


def _basename(url: str) -> str:
    return url.rsplit("/", 1)[-1].split("#", 1)[0]


def _uv() -> str:
    from uv import find_uv_bin  # the uv wheel from the dev extra

    return find_uv_bin()


def _clean_env(extra: dict[str, str]) -> dict[str, str]:
    """The environment minus every pip/uv setting of this machine, plus ``extra``."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PIP_", "UV_", "MACOSX_DEPLOYMENT_TARGET"))}
    env.update({"PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1",
                "PIP_NO_INPUT": "1", "UV_PYTHON_DOWNLOADS": "never", "NO_COLOR": "1",
                "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"})
    env.update(extra)
    return env
