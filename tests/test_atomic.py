from __future__ import annotations

from pathlib import Path

import pytest

from wheelscout.atomic import write_atomically
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
