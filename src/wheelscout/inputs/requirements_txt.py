"""Sans-IO parser for pip's requirements file format.

One file in, a flat sequence of lines out: requirements, option changes, nested includes still
unresolved, and notes about what was skipped. The caller owns reading and recursion
(:func:`wheelscout.inputs.load.load_inputs`). The line handling follows pip's
``req_file.py``: continuation lines first, then comments, then ``${VAR}`` expansion.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from wheelscout.errors import InputError
from wheelscout.inputs.model import ALL, IndexOptions, Note, Origin, RequirementEntry
from wheelscout.limits import MAX_LINE_CHARS, versions_problem
from wheelscout.model.filename import parse_dist_filename

__all__ = [
    "Include",
    "Line",
    "LocalLine",
    "OptionLine",
    "RequirementLine",
    "apply_option",
    "parse_requirement",
    "parse_requirements_txt",
]

# pip expands only this POSIX-portable spelling, and leaves unset variables as written.
_ENV_VAR_RE = re.compile(r"\$\{(?P<name>[A-Z0-9_]+)\}")
_ARCHIVE_SUFFIXES = (".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".tar")
_VCS_PREFIXES = ("git+", "hg+", "svn+", "bzr+")
_NAMED_URL_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@")

# spelling -> (canonical name, takes a value)
_OPTIONS: Mapping[str, tuple[str, bool]] = {
    "-i": ("index-url", True),
    "--index-url": ("index-url", True),
    "--extra-index-url": ("extra-index-url", True),
    "--no-index": ("no-index", False),
    "-f": ("find-links", True),
    "--find-links": ("find-links", True),
    "--pre": ("pre", False),
    "--prefer-binary": ("prefer-binary", False),
    "--only-binary": ("only-binary", True),
    "--no-binary": ("no-binary", True),
    "--trusted-host": ("trusted-host", True),
    "--use-feature": ("use-feature", True),
    "--require-hashes": ("require-hashes", False),
    "-r": ("requirement", True),
    "--requirement": ("requirement", True),
    "-c": ("constraint", True),
    "--constraint": ("constraint", True),
    "-e": ("editable", True),
    "--editable": ("editable", True),
    "--hash": ("hash", True),
    "--config-settings": ("config-settings", True),
    "--global-option": ("global-option", True),
}
_PER_REQUIREMENT = frozenset({"hash", "config-settings", "global-option"})
_INDEX_OPTIONS = frozenset(
    {"index-url", "extra-index-url", "no-index", "find-links", "pre", "prefer-binary",
     "only-binary", "no-binary"}
)  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class RequirementLine:
    entry: RequirementEntry


@dataclass(frozen=True, slots=True, kw_only=True)
class LocalLine:
    """A local path (``./pkg``, ``-e ./pkg``, ``dist/x.whl``): the loader reads what it is."""

    path: str
    editable: bool
    origin: Origin


@dataclass(frozen=True, slots=True, kw_only=True)
class Include:
    """A ``-r`` or ``-c`` line; ``path`` is as written, relative to the including file."""

    path: str
    constraint: bool
    origin: Origin


@dataclass(frozen=True, slots=True, kw_only=True)
class OptionLine:
    """An index or format option; apply it with :func:`apply_option`."""

    name: str
    value: str | None
    origin: Origin


Line = RequirementLine | Include | OptionLine | LocalLine | Note


def parse_requirements_txt(
    data: bytes, *, source: str, environ: Mapping[str, str] | None = None
) -> tuple[Line, ...]:
    """Parse one requirements file; ``source`` names it in origins and error messages.

    ``environ`` supplies ``${VAR}`` values (pip uses the process environment; pass
    ``os.environ`` for that). Raises :class:`InputError` naming ``source:line``.
    """
    text = _decode(data, source)
    result: list[Line] = []
    for number, line in _logical_lines(text, environ or {}):
        origin = Origin(source=source, line=number)
        if len(line) > MAX_LINE_CHARS:
            raise InputError(
                f"{origin}: a line of {len(line)} characters, over the limit of {MAX_LINE_CHARS}"
            )
        result.extend(_parse_line(line, origin))
    return tuple(result)


def apply_option(options: IndexOptions, line: OptionLine) -> IndexOptions:
    """Return ``options`` with one option line applied, with pip's precedence rules."""
    name, value = line.name, line.value or ""
    if name == "index-url":
        return replace(options, index_url=value)
    if name == "extra-index-url":
        return replace(options, extra_index_urls=(*options.extra_index_urls, value))
    if name == "find-links":
        return replace(options, find_links=(*options.find_links, value))
    if name == "no-index":
        return replace(options, no_index=True)
    if name == "pre":
        return replace(options, pre=True)
    if name == "prefer-binary":
        return replace(options, prefer_binary=True)
    if name == "no-binary":
        no_binary, only_binary = _exclude(value, options.no_binary, options.only_binary)
        return replace(options, no_binary=no_binary, only_binary=only_binary)
    if name == "only-binary":
        only_binary, no_binary = _exclude(value, options.only_binary, options.no_binary)
        return replace(options, no_binary=no_binary, only_binary=only_binary)
    raise InputError(f"{line.origin}: unsupported option {name!r}")


def _exclude(
    value: str, target: frozenset[str], other: frozenset[str]
) -> tuple[frozenset[str], frozenset[str]]:
    """pip's ``handle_mutual_excludes``: names added to one set leave the other."""
    chosen, others = set(target), set(other)
    for item in value.split(","):
        if item == ALL:
            chosen, others = {ALL}, set()
        elif item == ":none:":
            chosen = set()
        elif item:
            name = canonicalize_name(item)
            others.discard(name)
            chosen.add(name)
    return frozenset(chosen), frozenset(others)


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _strip_comment(line: str) -> str:
    """pip's ``COMMENT_RE`` (``(^|\\s+)#.*$``) without the regex, which is quadratic on a long
    run of spaces: a comment starts at the first ``#`` that opens the line or follows
    whitespace, and takes the whitespace before it."""
    at = line.find("#")
    while at > 0 and not line[at - 1].isspace():
        at = line.find("#", at + 1)
    return line if at < 0 else line[:at].rstrip()


def _is_comment_line(line: str) -> bool:
    """``COMMENT_RE.match``: the line is a comment (``#`` first, or after leading spaces)."""
    return line.lstrip().startswith("#")


def _logical_lines(text: str, environ: Mapping[str, str]) -> Iterator[tuple[int, str]]:
    for number, line in _join_lines(text):
        line = _strip_comment(line).strip()
        if line:
            yield number, _ENV_VAR_RE.sub(lambda m: environ.get(m["name"]) or m[0], line)


def _join_lines(text: str) -> Iterator[tuple[int, str]]:
    """Join ``\\`` continuations; a comment line ends a continuation, as in pip."""
    first: int | None = None
    parts: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.endswith("\\") or _is_comment_line(line):
            if _is_comment_line(line):
                line = " " + line
            if parts:
                assert first is not None
                yield first, "".join([*parts, line])
                parts = []
            else:
                yield number, line
        else:
            if not parts:
                first = number
            parts.append(line.strip("\\"))
    if parts:
        assert first is not None
        yield first, "".join(parts)


def _split_args_options(line: str) -> tuple[str, str]:
    """pip's ``break_args_options``: the requirement ends at the first ``-`` token."""
    tokens = line.split(" ")
    for index, token in enumerate(tokens):
        if token.startswith("-"):
            return " ".join(tokens[:index]).strip(), " ".join(tokens[index:])
    return line.strip(), ""


def _parse_line(line: str, origin: Origin) -> list[Line]:
    args, option_text = _split_args_options(line)
    options = _parse_options(option_text, origin)
    if args:
        return [_requirement_line(args, options, origin)]
    return [_option_item(name, value, origin) for name, value in options]


def _parse_options(text: str, origin: Origin) -> list[tuple[str, str | None]]:
    try:
        tokens = shlex.split(text)
    except ValueError as exc:
        raise InputError(f"{origin}: cannot split options {text!r}: {exc}") from None
    found: list[tuple[str, str | None]] = []
    position = 0
    while position < len(tokens):
        name, value, position = _next_option(tokens, position, origin)
        found.append((name, value))
    return found


def _next_option(tokens: list[str], position: int, origin: Origin) -> tuple[str, str | None, int]:
    token = tokens[position]
    spelling, attached = token, None
    if token.startswith("--") and "=" in token:
        spelling, attached = token.split("=", 1)
    elif not token.startswith("--") and len(token) > 2 and token[:2] in _OPTIONS:
        spelling, attached = token[:2], token[2:]
    if spelling not in _OPTIONS:
        what = "option" if token.startswith("-") else "argument"
        raise InputError(f"{origin}: unknown {what} {token!r}")
    name, takes_value = _OPTIONS[spelling]
    if not takes_value:
        if attached is not None:
            raise InputError(f"{origin}: option {spelling!r} takes no value")
        return name, None, position + 1
    if attached is not None:
        return name, attached, position + 1
    if position + 1 >= len(tokens):
        raise InputError(f"{origin}: option {spelling!r} needs a value")
    return name, tokens[position + 1], position + 2


def _option_item(name: str, value: str | None, origin: Origin) -> Line:
    if name in ("requirement", "constraint"):
        assert value is not None
        return Include(path=value, constraint=name == "constraint", origin=origin)
    if name in _INDEX_OPTIONS:
        return OptionLine(name=name, value=value, origin=origin)
    if name == "editable":
        assert value is not None
        if "://" in value or value.startswith(_VCS_PREFIXES):
            return Note(
                origin=origin,
                message=f"skipped editable requirement {value!r}: a VCS checkout is not "
                "read (its dependencies would need a clone and a build)",
            )
        return LocalLine(path=value, editable=True, origin=origin)
    if name in _PER_REQUIREMENT:
        raise InputError(f"{origin}: option '--{name}' must follow a requirement on its line")
    shown = f"--{name}" + (f" {value}" if value is not None else "")
    return Note(origin=origin, message=f"ignored {shown!r}: it does not change which files install")


def _requirement_line(
    text: str, options: list[tuple[str, str | None]], origin: Origin
) -> RequirementLine | LocalLine | Note:
    hashes: list[str] = []
    for name, value in options:
        if name == "hash" and value is not None:
            hashes.append(_check_hash(value, origin))
        elif name not in _PER_REQUIREMENT:
            raise InputError(f"{origin}: option '--{name}' cannot follow a requirement")
    if _is_path_or_url(text):
        return _unnamed(text, origin)
    try:
        requirement = Requirement(text)
    except InvalidRequirement as exc:
        reason = str(exc).splitlines()[0]
        raise InputError(f"{origin}: invalid requirement {text!r}: {reason}") from None
    _check_versions(requirement, origin)
    entry = RequirementEntry(
        requirement=requirement, origin=origin, hashes=tuple(hashes), direct=bool(requirement.url)
    )
    return RequirementLine(entry=entry)


def _check_versions(requirement: Requirement, origin: Origin) -> None:
    # packaging parses specifier versions lazily: thousands of digits would raise ValueError
    # later, in the resolver.
    problem = versions_problem(spec.version for spec in requirement.specifier)
    if problem is not None:
        raise InputError(f"{origin}: requirement {requirement.name!r}: {problem}")


def _unnamed(text: str, origin: Origin) -> LocalLine | Note:
    """A path or URL without ``name @``: a local path goes to the loader; a URL is noted
    (write it ``name @ URL`` to have it read)."""
    head = text.split(";", 1)[0].strip()
    if "://" not in head and not head.startswith(_VCS_PREFIXES):
        return LocalLine(path=head, editable=False, origin=origin)
    message = (f"skipped {text!r}: a URL without a project name is not read (write it as "
               "'name @ URL'; a VCS URL would need a checkout)")
    return Note(origin=origin, message=message)


def archive_name(filename: str) -> str | None:
    """The project name a wheel or sdist filename carries, or ``None``."""
    parsed = parse_dist_filename(filename)
    return str(parsed.name) if parsed is not None else None


def parse_requirement(text: str, *, origin: Origin) -> RequirementEntry | Note | LocalLine:
    """One requirement as pip reads it from a command line; a local path is a
    :class:`LocalLine` for the loader."""
    line = _requirement_line(text, [], origin)
    return line.entry if isinstance(line, RequirementLine) else line


def _check_hash(value: str, origin: Origin) -> str:
    algorithm, _, digest = value.partition(":")
    if (
        not digest
        or not algorithm.isalnum()
        or not all(c in "0123456789abcdefABCDEF" for c in digest)
    ):
        raise InputError(f"{origin}: invalid --hash {value!r}: expected 'algorithm:hexdigest'")
    return f"{algorithm.lower()}:{digest.lower()}"


def _is_path_or_url(text: str) -> bool:
    head = text.split(";", 1)[0].strip()
    if _NAMED_URL_RE.match(head):
        return False
    return (
        "://" in head
        or head.startswith(_VCS_PREFIXES)
        or head.startswith((".", "/", "~", "\\"))
        or "/" in head
        or "\\" in head
        or head.lower().endswith(_ARCHIVE_SUFFIXES)
    )
