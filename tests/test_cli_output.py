from __future__ import annotations

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
