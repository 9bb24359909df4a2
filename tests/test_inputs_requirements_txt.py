from __future__ import annotations

import re
import time

import pytest

from wheelscout.errors import InputError
from wheelscout.inputs.model import ALL, IndexOptions, Note, Origin
from wheelscout.inputs.requirements_txt import (
    Include,
    Line,
    OptionLine,
    RequirementLine,
    _strip_comment,
    apply_option,
    parse_requirements_txt,
)


def parse(text: str, environ: dict[str, str] | None = None) -> tuple[Line, ...]:
    return parse_requirements_txt(text.encode(), source="requirements.txt", environ=environ)


def requirement_lines(text: str) -> list[RequirementLine]:
    return [line for line in parse(text) if isinstance(line, RequirementLine)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("requests>=2\n", ["requests>=2"]),
        ("# comment\n\nrequests  # trailing\n", ["requests"]),
        (
            "foo[bar,baz]==1.0 ; python_version < '3.12'\n",
            ['foo[bar,baz]==1.0; python_version < "3.12"'],
        ),
        ("foo\\\n>=1.0\n", ["foo>=1.0"]),
        ("foo>=1 \\\n# comment ends it\nbar\n", ["foo>=1", "bar"]),
        ("foo>=1 \\", ["foo>=1"]),
    ],
    ids=[
        "plain",
        "comments",
        "extras-marker",
        "continuation",
        "comment-ends-continuation",
        "continuation-at-eof",
    ],
)
def test_requirement_text(text: str, expected: list[str]) -> None:
    assert [str(line.entry.requirement) for line in requirement_lines(text)] == expected


def test_line_numbers_point_at_the_first_physical_line() -> None:
    lines = requirement_lines("# header\n\nfoo \\\n  >=1\nbar\n")
    assert [str(line.entry.origin) for line in lines] == [
        "requirements.txt:3",
        "requirements.txt:5",
    ]


def test_hashes_across_continuations() -> None:
    (line,) = requirement_lines(
        "numpy==1.26.2 \\\n    --hash=sha256:ABCDEF01 \\\n    --hash sha512:0123\n"
    )
    assert line.entry.hashes == ("sha256:abcdef01", "sha512:0123")


def test_direct_reference_is_kept_and_marked() -> None:
    (line,) = requirement_lines("attrs@https://example.org/attrs-23.2.0-py3-none-any.whl\n")
    assert line.entry.direct
    assert line.entry.requirement.name == "attrs"


@pytest.mark.parametrize(
    "text",
    [
        "./local",
        "/abs/path",
        "vendor/pkg-1.0.tar.gz",
        "pkg-1.0-py3-none-any.whl",
        "https://example.org/pkg.zip",
        "git+https://example.org/repo.git#egg=pkg",
        ".",
    ],
    ids=["relative", "absolute", "archive-path", "wheel-file", "url", "vcs", "dot"],
)
def test_paths_and_urls_are_skipped_with_a_note(text: str) -> None:
    (note,) = parse(text + "\n")
    assert isinstance(note, Note)
    assert note.origin == Origin(source="requirements.txt", line=1)
    assert repr(text) in note.message


def test_editable_is_skipped_with_a_note() -> None:
    (note,) = parse("-e ./checkout\n")
    assert isinstance(note, Note)
    assert "editable" in note.message


def test_trusted_host_is_ignored_with_a_note() -> None:
    (note,) = parse("--trusted-host example.org\n")
    assert isinstance(note, Note)
    assert str(note).startswith("requirements.txt:1: ignored '--trusted-host example.org'")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "-r base.txt",
            Include(
                path="base.txt", constraint=False, origin=Origin(source="requirements.txt", line=1)
            ),
        ),
        (
            "--requirement=base.txt",
            Include(
                path="base.txt", constraint=False, origin=Origin(source="requirements.txt", line=1)
            ),
        ),
        (
            "-cconstraints.txt",
            Include(
                path="constraints.txt",
                constraint=True,
                origin=Origin(source="requirements.txt", line=1),
            ),
        ),
        (
            "-i https://x/simple",
            OptionLine(
                name="index-url",
                value="https://x/simple",
                origin=Origin(source="requirements.txt", line=1),
            ),
        ),
        (
            "--pre",
            OptionLine(name="pre", value=None, origin=Origin(source="requirements.txt", line=1)),
        ),
    ],
    ids=["short-r", "long-equals", "attached-short", "index-url", "flag"],
)
def test_option_lines(text: str, expected: Line) -> None:
    assert parse(text + "\n") == (expected,)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [({"MIN": "2.0"}, "foo>=2.0"), ({}, None), ({"MIN": ""}, None)],
    ids=["set", "unset", "empty"],
)
def test_env_vars_expand_only_when_set(environ: dict[str, str], expected: str | None) -> None:
    if expected is None:
        with pytest.raises(InputError, match=r"'foo>=\$\{MIN\}'"):
            parse("foo>=${MIN}\n", environ)
    else:
        (line,) = parse("foo>=${MIN}\n", environ)
        assert isinstance(line, RequirementLine)
        assert str(line.entry.requirement) == expected


def test_lowercase_variables_are_not_expanded() -> None:
    (line,) = parse("-i ${url}\n", {"url": "https://x"})
    assert isinstance(line, OptionLine)
    assert line.value == "${url}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("foo==\n", r"^requirements\.txt:1: invalid requirement 'foo=='"),
        ("requests#not-a-comment\n", r"^requirements\.txt:1: invalid requirement 'requests#"),
        (
            "\n\nfoo >= 1 --pre\n",
            r"^requirements\.txt:3: option '--pre' cannot follow a requirement",
        ),
        ("--frobnicate\n", r"^requirements\.txt:1: unknown option '--frobnicate'"),
        ("--index-url\n", r"option '--index-url' needs a value"),
        ("--pre=yes\n", r"option '--pre' takes no value"),
        ("--hash=sha256:00\n", r"'--hash' must follow a requirement"),
        ("foo --hash=sha256:xyz\n", r"invalid --hash 'sha256:xyz'"),
        ("-r 'unterminated\n", r"cannot split options"),
    ],
    ids=[
        "bad-specifier",
        "hash-without-space-is-no-comment",
        "option-after-requirement",
        "unknown-option",
        "missing-value",
        "flag-with-value",
        "hash-alone",
        "bad-hash",
        "bad-quoting",
    ],
)
def test_errors_name_file_and_line(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse(text)


def test_non_utf8_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"requirements\.txt: not UTF-8"):
        parse_requirements_txt(b"caf\xe9\n", source="requirements.txt")


def test_bom_is_accepted() -> None:
    assert len(parse_requirements_txt(b"\xef\xbb\xbffoo\n", source="r.txt")) == 1


def option(name: str, value: str | None = None) -> OptionLine:
    return OptionLine(name=name, value=value, origin=Origin(source="r.txt", line=1))


@pytest.mark.parametrize(
    ("lines", "no_binary", "only_binary"),
    [
        ([option("no-binary", "NumPy,scipy")], {"numpy", "scipy"}, set()),
        ([option("only-binary", ALL), option("no-binary", "numpy")], {"numpy"}, {ALL}),
        ([option("no-binary", "numpy"), option("only-binary", "numpy")], set(), {"numpy"}),
        ([option("no-binary", ALL), option("no-binary", ":none:")], set(), set()),
        ([option("only-binary", "a"), option("no-binary", ALL)], {ALL}, set()),
    ],
    ids=["names", "all-then-name", "name-moves", "none-clears", "all-clears-other"],
)
def test_format_control_follows_pip(
    lines: list[OptionLine], no_binary: set[str], only_binary: set[str]
) -> None:
    options = IndexOptions()
    for line in lines:
        options = apply_option(options, line)
    assert (set(options.no_binary), set(options.only_binary)) == (no_binary, only_binary)


def test_index_options_accumulate() -> None:
    options = IndexOptions()
    for line in [
        option("index-url", "a"),
        option("index-url", "b"),
        option("extra-index-url", "c"),
        option("extra-index-url", "d"),
        option("find-links", "e"),
        option("pre"),
        option("prefer-binary"),
        option("no-index"),
    ]:
        options = apply_option(options, line)
    assert options == IndexOptions(
        index_url="b",
        extra_index_urls=("c", "d"),
        find_links=("e",),
        pre=True,
        prefer_binary=True,
        no_index=True,
    )


@pytest.mark.parametrize(
    "data",
    [
        b"a" + b" " * 1_000_000 + b"\n",
        b" " * 1_000_000,
        b"a" + b" " * 60_000 + b"#" + b" " * 1_000_000,
        b"requests>=2\n" * 30_000,
        b"# \\\n" * 200_000,
        b"#" * 1_000_000,
    ],
    ids=["spaces-after", "only-spaces", "spaces-then-comment", "30000-lines", "comment-runs",
         "hashes"],
)
def test_parsing_is_linear(data: bytes) -> None:
    # The comment regex pip uses, (^|\s+)#.*$, took 56 s on 100 KB of spaces; 1 MB hung.
    start = time.process_time()
    parse_requirements_txt(data, source="r.txt")
    assert time.process_time() - start < 5.0


def test_overlong_line_is_one_short_error() -> None:
    message = r"^r\.txt:1: a line of 1000001 characters, over the limit of 65536$"
    with pytest.raises(InputError, match=message):
        parse_requirements_txt(b"a" * 1_000_001 + b" # comment", source="r.txt")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("a # c", "a"),
        ("a#b # c", "a#b"),
        ("# c", ""),
        ("  # c", ""),
        ("a\t#c", "a"),
        ("a\u3000#c", "a"),
        ("a#b", "a#b"),
        ("a @ https://x/y#egg=a", "a @ https://x/y#egg=a"),
    ],
)
def test_comments_are_stripped_as_pip_strips_them(line: str, expected: str) -> None:
    pip_comment = re.compile(r"(^|\s+)#.*$")  # pip's req_file.COMMENT_RE
    assert pip_comment.sub("", line).strip() == expected
    assert _strip_comment(line).strip() == expected


def test_specifier_with_thousands_of_digits_is_one_error() -> None:
    # packaging parses it lazily; the resolver's contains() then raised a bare ValueError.
    data = b"alpha>=" + b"1" * 5000 + b"\n"
    with pytest.raises(InputError, match=r"^r\.txt:1: requirement 'alpha': .* over the limit"):
        parse_requirements_txt(data, source="r.txt")
