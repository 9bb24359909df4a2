from __future__ import annotations

from pathlib import Path

from wheelscout.index.auth import Credentials


def test_userinfo_applies_to_the_same_host_only(tmp_path: Path) -> None:
    creds = Credentials(["https://u:p@idx.example/simple/"], netrc_path=tmp_path / "none")
    assert creds.for_url("https://idx.example/files/a.whl") == ("u", "p")
    assert creds.for_url("https://other.example/simple/") is None
    assert creds.for_url("file:///opt/x") is None


def test_netrc(tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine idx.example login nu password np\n")
    netrc.chmod(0o600)
    creds = Credentials(["https://idx.example/simple/"], netrc_path=netrc)
    assert creds.for_url("https://idx.example:443/simple/a/") == ("nu", "np")


def test_netrc_from_environment(tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine h login a password b\n")
    netrc.chmod(0o600)
    assert Credentials([], env={"NETRC": str(netrc)}).for_url("http://h/") == ("a", "b")


def test_userinfo_beats_netrc(tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine h login n password n\n")
    netrc.chmod(0o600)
    assert Credentials(["http://u:p@h/"], netrc_path=netrc).for_url("http://h/x") == ("u", "p")
