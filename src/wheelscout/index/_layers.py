"""Read the settings pip and uv would read from the environment and their config files.

Each value comes back as a :class:`Raw` entry carrying its :class:`Source`, in increasing
priority: uv's config files (``uv.toml``; system, then user, then project), pip's config
files' ``[global]`` section, then their ``[install]`` section (within a section, a later file
replaces an earlier one), then ``UV_*`` variables, then ``PIP_*`` variables. That is pip's
own order (``ConfigOptionParser._get_ordered_configuration_items``), with uv's layers slotted
just below pip's matching ones.
"""

from __future__ import annotations

import configparser
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from wheelscout.limits import UV_CONFIG_BYTES

__all__ = [
    "KEYS",
    "Raw",
    "Source",
    "SourceKind",
    "pip_config_files",
    "read_defaults",
    "uv_config_files",
]

SourceKind = Literal["flag", "requirements-file", "pyproject", "env", "config-file", "default"]

#: pip's config keys that change what ``pip install`` picks, in the order ``config`` shows them.
KEYS: tuple[str, ...] = (
    "index-url",
    "extra-index-url",
    "no-index",
    "find-links",
    "constraint",
    "only-binary",
    "no-binary",
    "prefer-binary",
    "pre",
    "no-deps",
)
LIST_KEYS = frozenset({"extra-index-url", "find-links", "constraint"})
BOOL_KEYS = frozenset({"no-index", "prefer-binary", "pre", "no-deps"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """Where a setting came from: a flag, a variable, a config file and key, or a default."""

    kind: SourceKind
    name: str  # "--index-url", "PIP_CONSTRAINT", "/etc/pip.conf", "requirements files"
    key: str | None = None  # "[global] constraint" in a config file

    def __str__(self) -> str:
        if self.kind == "env":
            return f"${self.name}"
        return self.name if self.key is None else f"{self.name} {self.key}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Raw:
    """One value as read: a string, or a list already split the way its source splits it."""

    key: str
    value: str | tuple[str, ...]
    source: Source


def pip_config_files(env: Mapping[str, str], platform: str = sys.platform) -> list[Path]:
    """pip's config files in increasing priority (``PIP_CONFIG_FILE=os.devnull``: none), as
    ``pip/_internal/configuration.py`` and ``utils/appdirs.py`` find them on ``platform``.

    Global (Linux: ``$XDG_CONFIG_DIRS/pip/pip.conf`` and ``/etc/pip.conf``), then user
    (``~/.pip/pip.conf``, then ``$XDG_CONFIG_HOME/pip/pip.conf``; skipped when
    ``PIP_CONFIG_FILE`` names an existing file), then site (``sys.prefix/pip.conf``), then
    ``PIP_CONFIG_FILE``. macOS and Windows use their own directories and, on Windows,
    ``pip.ini``.
    """
    explicit = env.get("PIP_CONFIG_FILE")
    if explicit == os.devnull:
        return []
    home = Path(env.get("HOME") or env.get("USERPROFILE") or str(Path.home()))
    name = "pip.ini" if platform == "win32" else "pip.conf"
    global_dirs, user_dir = _pip_dirs(env, home, platform)
    files = [d / name for d in global_dirs]
    if not (explicit and Path(explicit).exists()):
        legacy = home / ("pip" if platform == "win32" else ".pip") / name
        files += [legacy, user_dir / name]
    files.append(Path(sys.prefix) / name)
    if explicit:
        files.append(Path(explicit))
    return files


def _pip_dirs(env: Mapping[str, str], home: Path, platform: str) -> tuple[list[Path], Path]:
    """pip's site config directories and its user config directory on ``platform``."""
    if platform == "darwin":
        support = home / "Library" / "Application Support" / "pip"
        user = support if support.is_dir() else home / ".config" / "pip"
        return [Path("/Library/Application Support/pip")], user
    if platform == "win32":
        program_data = Path(env.get("PROGRAMDATA") or "C:/ProgramData")
        appdata = Path(env.get("APPDATA") or str(home / "AppData" / "Roaming"))
        return [program_data / "pip"], appdata / "pip"
    xdg = Path(env.get("XDG_CONFIG_HOME") or str(home / ".config"))
    dirs = [Path(d) / "pip" for d in (env.get("XDG_CONFIG_DIRS") or "/etc/xdg").split(":") if d]
    return [*dirs, Path("/etc")], xdg / "pip"


def _parse_file(path: Path) -> configparser.RawConfigParser | None:
    parser = configparser.RawConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (OSError, UnicodeDecodeError, configparser.Error):
        return None  # pip stops on a broken file; wheelscout says so (see read_defaults)
    return parser


def _config_entries(files: Sequence[Path]) -> tuple[list[Raw], list[Path], list[str]]:
    sections: dict[str, dict[str, Raw]] = {"global": {}, "install": {}}
    read: list[Path] = []
    problems: list[str] = []
    for path in files:
        if not path.is_file():
            continue
        parser = _parse_file(path)
        if parser is None:
            problems.append(f"pip config file {str(path)!r} could not be read; ignored")
            continue
        read.append(path)
        for section, values in sections.items():
            if not parser.has_section(section):
                continue
            for name, value in parser.items(section):
                key = name.lower().replace("_", "-").removeprefix("--")
                source = Source(kind="config-file", name=str(path), key=f"[{section}] {key}")
                if key in KEYS and value.strip():  # pip drops empty values
                    values[key] = Raw(key=key, value=_shape(key, value), source=source)
    return [*sections["global"].values(), *sections["install"].values()], read, problems


def _shape(key: str, value: str, *, commas: bool = False) -> str | tuple[str, ...]:
    if key not in LIST_KEYS:
        return value.strip()
    # pip splits lists on whitespace only; uv's UV_FIND_LINKS on commas too.
    return tuple((value.replace(",", " ") if commas else value).split())


def _uv_indexes(value: str) -> tuple[str, ...]:
    # uv's named form is ``name=https://...``; a URL's own "=" comes after "://".
    return tuple(e.split("=", 1)[1] if "=" in e.split("://")[0] else e for e in value.split())


def _uv_entries(env: Mapping[str, str]) -> list[Raw]:
    entries: list[Raw] = []

    def add(key: str, name: str, value: str | tuple[str, ...]) -> None:
        entries.append(Raw(key=key, value=value, source=Source(kind="env", name=name)))

    index = next((n for n in ("UV_DEFAULT_INDEX", "UV_INDEX_URL") if env.get(n)), None)
    if index:
        add("index-url", index, env[index].strip())
    extras = [(n, _uv_indexes(env[n])) for n in ("UV_INDEX", "UV_EXTRA_INDEX_URL") if env.get(n)]
    for name, urls in extras:
        add("extra-index-url", name, urls)
    if env.get("UV_FIND_LINKS"):
        add("find-links", "UV_FIND_LINKS", _shape("find-links", env["UV_FIND_LINKS"], commas=True))
    if env.get("UV_CONSTRAINT"):
        add("constraint", "UV_CONSTRAINT", tuple(env["UV_CONSTRAINT"].split()))
    prerelease = env.get("UV_PRERELEASE", "").strip().lower()
    if prerelease in ("allow", "disallow"):
        add("pre", "UV_PRERELEASE", "1" if prerelease == "allow" else "0")
    return entries


def _pip_env_entries(env: Mapping[str, str]) -> list[Raw]:
    entries = []
    for name, value in env.items():
        if not name.startswith("PIP_") or not value.strip():
            continue
        key = name[4:].lower().replace("_", "-")
        if key in KEYS:
            source = Source(kind="env", name=name)
            entries.append(Raw(key=key, value=_shape(key, value), source=source))
    return entries


def uv_config_files(env: Mapping[str, str], cwd: Path) -> list[Path]:
    """uv's config files in increasing priority: the first system file (``$XDG_CONFIG_DIRS``,
    then ``/etc/uv/uv.toml``), the user's, then the project's (``uv.toml``, else a
    ``pyproject.toml`` with ``[tool.uv]``, in ``cwd`` or the nearest parent). ``UV_CONFIG_FILE``
    replaces them all; ``UV_NO_CONFIG`` drops them."""
    if env.get("UV_NO_CONFIG", "").strip().lower() in _TRUE:
        return []
    if env.get("UV_CONFIG_FILE"):
        return [Path(env["UV_CONFIG_FILE"])]
    dirs = [Path(d) for d in (env.get("XDG_CONFIG_DIRS") or "").split(":") if d]
    system = next((p for p in (*(d / "uv" / "uv.toml" for d in dirs), Path("/etc/uv/uv.toml"))
                   if p.is_file()), None)
    home = Path(env.get("HOME", str(Path.home())))
    user = Path(env.get("XDG_CONFIG_HOME") or str(home / ".config")) / "uv" / "uv.toml"
    files = [f for f in (system, user) if f is not None]
    project = next((f for d in (cwd, *cwd.parents) for f in _project_files(d)), None)
    return files + ([project] if project else [])


def _project_files(directory: Path) -> list[Path]:
    if (directory / "uv.toml").is_file():
        return [directory / "uv.toml"]
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file() and b"[tool.uv" in _head(pyproject):
        return [pyproject]
    return []


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as stream:
            return stream.read(UV_CONFIG_BYTES)
    except OSError:
        return b""


_TRUE = frozenset({"1", "true", "yes", "on", "y", "t"})
# uv.toml key -> (pip key, how the value maps): a uv setting with a pip equivalent.
_UV_KEYS = {
    "index-url": "index-url",
    "extra-index-url": "extra-index-url",
    "find-links": "find-links",
    "no-index": "no-index",
    "no-deps": "no-deps",
}


def _uv_table(document: dict[str, Any], path: Path) -> dict[str, Any]:
    if path.name == "pyproject.toml":
        tool = document.get("tool")
        document = tool.get("uv", {}) if isinstance(tool, dict) else {}
    pip = document.get("pip")
    # `uv pip` reads the [pip] table over the top level.
    return {**document, **(pip if isinstance(pip, dict) else {})}


def _uv_file_entries(path: Path) -> tuple[list[Raw], str | None]:
    from wheelscout._toml import TOMLDecodeError, loads

    try:
        data = _head(path)
        if len(data) >= UV_CONFIG_BYTES:
            return [], f"uv config file {str(path)!r} is larger than {UV_CONFIG_BYTES} bytes"
        table = _uv_table(loads(data.decode("utf-8")), path)
    except (UnicodeDecodeError, TOMLDecodeError) as exc:
        return [], f"uv config file {str(path)!r} could not be read ({exc}); ignored"
    entries: list[Raw] = []

    def add(key: str, uv_key: str, value: object) -> None:
        text: str | tuple[str, ...]
        if isinstance(value, bool):
            text = "1" if value else "0"
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            text = tuple(value) if key in LIST_KEYS else ",".join(value)
        elif isinstance(value, str):
            text = (value,) if key in LIST_KEYS else value
        else:
            return  # a shape uv itself would refuse; not ours to second-guess
        source = Source(kind="config-file", name=str(path), key=uv_key)
        entries.append(Raw(key=key, value=text, source=source))

    for uv_key, key in _UV_KEYS.items():
        if uv_key in table:
            add(key, uv_key, table[uv_key])
    _uv_indexes_table(table, add)
    _uv_formats(table, add)
    if table.get("prerelease") in ("allow", "disallow"):
        add("pre", "prerelease", table["prerelease"] == "allow")
    return entries, None


def _uv_indexes_table(table: dict[str, Any], add: Callable[[str, str, object], None]) -> None:
    indexes = [i for i in table.get("index", []) if isinstance(i, dict) and "url" in i]
    default = [i["url"] for i in indexes if i.get("default") is True]
    if default:
        add("index-url", "[[index]] default", default[-1])
    others = [i["url"] for i in indexes if i.get("default") is not True and not i.get("explicit")]
    if others:
        add("extra-index-url", "[[index]]", others)


def _uv_formats(table: dict[str, Any], add: Callable[[str, str, object], None]) -> None:
    for uv_key, key in (("no-build", "only-binary"), ("no-binary", "no-binary")):
        value = table.get(uv_key)
        if value is True:
            add(key, uv_key, ":all:")
        elif isinstance(value, list):  # [pip] no-binary = ["numpy"]
            add(key, uv_key, value)
    for uv_key, key in (("only-binary", "only-binary"), ("no-build-package", "only-binary"),
                        ("no-binary-package", "no-binary")):
        if isinstance(table.get(uv_key), list) and table[uv_key]:
            add(key, uv_key, table[uv_key])


def _uv_config_entries(files: Sequence[Path]) -> tuple[list[Raw], list[Path], list[str]]:
    entries: list[Raw] = []
    read: list[Path] = []
    problems: list[str] = []
    for path in files:
        if not path.is_file():
            continue
        found, problem = _uv_file_entries(path)
        if problem:
            problems.append(problem)
            continue
        read.append(path)
        entries += found
    return entries, read, problems


def read_defaults(
    env: Mapping[str, str], config_files: Sequence[Path], uv_files: Sequence[Path] = ()
) -> tuple[tuple[Raw, ...], tuple[Path, ...], tuple[str, ...]]:
    """Every value the environment and the config files set, lowest priority first; the files
    actually read; and one line per file that could not be read."""
    uv_config, uv_read, uv_problems = _uv_config_entries(uv_files)
    config, read, problems = _config_entries(config_files)
    config = [*uv_config, *config]
    read = [*uv_read, *read]
    problems = [*uv_problems, *problems]
    uv_extras = [e for e in _uv_entries(env) if e.key == "extra-index-url"]
    uv_rest = [e for e in _uv_entries(env) if e.key != "extra-index-url"]
    if len(uv_extras) > 1:  # uv searches both lists; one entry, two sources would lose one
        merged = tuple(u for e in uv_extras for u in e.value)
        both = Source(kind="env", name=" and $".join(e.source.name for e in uv_extras))
        uv_extras = [Raw(key="extra-index-url", value=merged, source=both)]
    entries = (*config, *uv_rest, *uv_extras, *_pip_env_entries(env))
    return entries, tuple(read), tuple(problems)
