from __future__ import annotations

import json
from pathlib import Path

import pytest

from wheelscout.cli._output import print_json, write_atomically
from wheelscout.errors import InputError


def test_atomic_write_never_follows_a_planted_symlink(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious")
    target = tmp_path / "constraints.txt"
    # The fixed temporary name the old writer used, and the target itself, both planted.
    (tmp_path / ".constraints.txt.partial").symlink_to(victim)
    write_atomically(target, "numpy==1\n")
    assert victim.read_text() == "precious"
    assert target.read_text() == "numpy==1\n"
    target.unlink()
    target.symlink_to(victim)
    write_atomically(target, "numpy==2\n")
    assert victim.read_text() == "precious"
    assert not target.is_symlink()
    assert target.read_text() == "numpy==2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".constraints.txt.partial", "constraints.txt", "victim"]


def test_atomic_write_failure_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "directory"
    target.mkdir()
    with pytest.raises(InputError, match="cannot write"):
        write_atomically(target, "x")
    assert list(target.iterdir()) == []
    assert [p.name for p in tmp_path.iterdir()] == ["directory"]


def test_print_json_redacts_and_escapes(capsys: pytest.CaptureFixture[str]) -> None:
    print_json({"note": "skipped 'https://u:TOKEN@h/x' \x1b[2J \x9b"})
    out = capsys.readouterr().out
    assert "TOKEN" not in out
    assert "\x1b" not in out
    assert "\x9b" not in out
    assert json.loads(out) == {"note": "skipped 'https://u:****@h/x' \x1b[2J \x9b"}
