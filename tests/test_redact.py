from __future__ import annotations

import string

import pytest

from wheelscout.model.project import DistFile, NormalizedName
from wheelscout.model.reasons import ReasonCode
from wheelscout.model.verdict import CheckReport, PackageVerdict, TargetResult
from wheelscout.redact import one_line, printable, redact, redact_text, sanitize, sanitize_record
from wheelscout.simple.urls import split_userinfo
from wheelscout.targets import make_target


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://user:secret@h/simple/", "https://user:****@h/simple/"),
        ("https://token@h/simple/", "https://****@h/simple/"),
        ("http://alice:S3cret#PW@host/simple/", "http://alice:****@host/simple/"),
        ("http://alice:S3/cret@host/simple/", "http://alice:****@host/simple/"),
        ("http://alice:S3?cret@host:8080/simple/", "http://alice:****@host:8080/simple/"),
        ("http://alice:p@ss@host/", "http://alice:****@host/"),
        ("git+https://ghp_TOKEN@host/r.git", "git+https://****@host/r.git"),
        ("https://h/simple/", "https://h/simple/"),
        ("https://h/p/a@b/c", "https://h/p/a@b/c"),
    ],
    ids=["password", "token", "hash", "slash", "question", "at", "vcs", "none", "at-in-path"],
)
def test_redact(url: str, shown: str) -> None:
    assert redact(url) == shown


@pytest.mark.parametrize(
    ("url", "clean", "userinfo"),
    [
        ("https://u:p@h/x", "https://h/x", ("u", "p")),
        ("http://alice:S3cret#PW@host/simple/", "http://host/simple/", ("alice", "S3cret#PW")),
        ("http://alice:a/b?c@host:81/simple/", "http://host:81/simple/", ("alice", "a/b?c")),
        ("https://h:8080/a@b/c", "https://h:8080/a@b/c", None),
    ],
    ids=["plain", "hash", "slash-question", "port-and-at-in-path"],
)
def test_split_userinfo_as_a_person_means_it(
    url: str, clean: str, userinfo: tuple[str, str] | None
) -> None:
    assert split_userinfo(url) == (clean, userinfo)


@pytest.mark.parametrize("char", sorted(set(string.punctuation + "\u00e9\u2603")))
def test_no_character_in_a_password_lets_it_escape(char: str) -> None:
    for password in (f"S3{char}cret", f"{char}S3cret", f"S3cret{char}"):
        url = f"https://alice:{password}@host:8443/simple/"
        assert "S3" not in redact(url)
        assert "cret" not in redact(url)
        text = f"error: {url!r} and {url} ({url})"
        assert "cret" not in redact_text(text)
        assert "cret" not in printable(text)


def test_redact_text_finds_every_url() -> None:
    text = ("invalid requirement 'alpha @ http://bob:PASSWORD@host/x' and "
            "-e git+https://ghp_T@github.com/o/r.git#egg=r (see https://u:p@h/)")
    assert redact_text(text) == (
        "invalid requirement 'alpha @ http://bob:****@host/x' and "
        "-e git+https://****@github.com/o/r.git#egg=r (see https://u:****@h/)"
    )


def test_printable_escapes_controls_but_keeps_lines() -> None:
    assert printable("a\x1b[2Jb\x07\x9b\u202e\tc\nd") == "a\\x1b[2Jb\\x07\\x9b\\u202e\tc\nd"


def test_one_line_keeps_a_value_on_its_line() -> None:
    assert one_line("yanked\n  wheel forged") == "yanked\\n  wheel forged"


def test_sanitize_walks_documents() -> None:
    document = {"notes": ["https://u:p@h/ \x1b"], "n": 1, "k": None}
    assert sanitize(document, printable) == {"notes": ["https://u:****@h/ \\x1b"], "n": 1,
                                             "k": None}


def test_sanitize_record_walks_typed_records() -> None:
    hostile = PackageVerdict(
        name=NormalizedName("demo"), version="1.0", install="build",
        reason="ships \x1b[31mred\x1b[0m\nwheels", reason_code=ReasonCode.ONLY_SDIST,
        file=DistFile(filename="demo-1.0.tar.gz", url="https://u:secret@h/demo-1.0.tar.gz"),
    )
    clean = PackageVerdict(name=NormalizedName("ok"), version="1.0", install="wheel",
                           reason="fine", reason_code=ReasonCode.WHEEL)
    target = make_target("win-arm64", "3.12")
    report = CheckReport(results=(TargetResult(target=target, status="ok",
                                               packages=(hostile, clean)),),
                         notes=("see https://u:secret@h/",))

    shown = sanitize_record(report, one_line)

    found, same = shown.results[0].packages
    assert found.reason == "ships \\x1b[31mred\\x1b[0m\\nwheels"
    assert found.file is not None
    assert found.file.url == "https://u:****@h/demo-1.0.tar.gz"
    assert found.reason_code is ReasonCode.ONLY_SDIST  # an enum stays a member
    assert same is clean  # nothing to change: the very same record
    assert shown.results[0].target is target
    assert shown.notes == ("see https://u:****@h/",)


def test_long_hostile_text_is_linear() -> None:
    # No backtracking blow-up on text made to trip the patterns.
    assert redact_text("see http://u:" + "a@" * 50_000 + "h/") == "see http://u:****@h/"
    assert redact_text("http://" + "a:" * 50_000 + "@" * 50_000).startswith("http://a:****@")
