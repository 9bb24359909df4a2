from __future__ import annotations

import io
import json

import pytest

from wheelscout.cli._output import print_json


def test_print_json_redacts_and_escapes(capsys: pytest.CaptureFixture[str]) -> None:
    print_json({"note": "skipped 'https://u:TOKEN@h/x' \x1b[2J \x9b"})
    out = capsys.readouterr().out
    assert "TOKEN" not in out
    assert "\x1b" not in out
    assert "\x9b" not in out
    assert json.loads(out) == {"note": "skipped 'https://u:****@h/x' \x1b[2J \x9b"}


def test_print_json_to_an_ascii_stdout_stays_json(monkeypatch: pytest.MonkeyPatch) -> None:
    buffer = io.BytesIO()
    stream = io.TextIOWrapper(buffer, encoding="ascii")
    monkeypatch.setattr("sys.stdout", stream)
    print_json({"reason": "café \u2705"})
    stream.flush()
    assert json.loads(buffer.getvalue().decode("ascii")) == {"reason": "café \u2705"}
