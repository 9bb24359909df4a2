"""The check report: exit statuses and the Markdown and terminal renderings of one document."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from wheelscout.model.project import DistFile, NormalizedName
from wheelscout.model.verdict import CheckReport, Install, PackageVerdict, TargetResult
from wheelscout.report import check_document, exit_status
from wheelscout.report.markdown import render_markdown
from wheelscout.report.terminal import render_terminal
from wheelscout.targets import make_target


def _verdict(install: Install, reason: str = "because", name: str = "demo") -> PackageVerdict:
    file = DistFile(filename="demo-1.0.tar.gz", url="https://user:secret@files.invalid/demo.tar.gz")
    return PackageVerdict(
        name=NormalizedName(name),
        version="1.0",
        install=install,
        reason=reason,
        file=file,
        requested=True,
        path=(name,),
    )


def _result(*verdicts: PackageVerdict, status: str = "ok") -> TargetResult:
    return TargetResult(
        target=make_target("win-arm64", "3.12"),
        status=status,  # type: ignore[arg-type]
        packages=verdicts,
        conflict="cannot install x" if status != "ok" else None,
    )


@pytest.mark.parametrize(
    ("installs", "fail_on", "expected"),
    [
        (["wheel"], "build", 0),
        (["wheel", "build"], "build", 1),
        (["wheel", "build"], "none", 0),
        (["build", "none"], "build", 3),
        (["build", "none"], "none", 3),
        (["build", "none"], "never", 0),
    ],
)
def test_exit_status(installs: list[Install], fail_on: str, expected: int) -> None:
    result = _result(*(_verdict(i, name=f"p{n}") for n, i in enumerate(installs)))
    assert exit_status([result], fail_on) == expected


def test_unresolvable_target_exits_3() -> None:
    assert exit_status([_result(status="unresolvable")]) == 3


def test_document_redacts_credentials() -> None:
    document = check_document(CheckReport(results=(_result(_verdict("build")),)))
    (package,) = document["results"][0]["packages"]
    assert "secret" not in package["url"]
    assert document["results"][0]["summary"] == {"packages": 1, "wheel": 0, "build": 1, "none": 0}


def test_markdown_escapes_pipes() -> None:
    text = render_markdown(CheckReport(results=(_result(_verdict("build", reason="a | b")),)))
    assert "a \\| b" in text
    assert "| demo | 🛠️ build 1.0 |" in text


def test_terminal_prints_brackets_literally() -> None:
    out = io.StringIO()
    console = Console(file=out, width=200, color_system=None)
    render_terminal(
        CheckReport(results=(_result(_verdict("build", reason="needs demo[extra]")),)), console
    )
    assert "needs demo[extra]" in out.getvalue()
    assert "demo     BUILD 1.0" in out.getvalue()
