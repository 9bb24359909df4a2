"""The CLI against a hostile index (tests/support/server.py's ``hostile`` modes), end to end.

Each test runs ``wheelscout`` in a subprocess, as a user would, and checks the bound (time;
memory as the child's peak RSS), the one-line error, and that nothing secret or raw reaches
stdout or stderr.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.indexgen import Release, write_index
from tests.support.server import ESC_REASON, Hostile, ServerConfig, TestServer, serve

SRC = Path(__file__).resolve().parents[1] / "src"
TARGET = ("--target", "linux-x86_64", "--python", "3.12")
# Runs the real console entry point, then records the child's peak RSS where the test reads it.
_WRAPPER = """
import os, resource, sys
from wheelscout.cli.main import main
try:
    code = main()
finally:
    with open(os.environ["WHEELSCOUT_TEST_RSS"], "w") as f:
        f.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024))
sys.exit(code)
"""
MIB = 1 << 20
# The interpreter with httpx, rich and resolvelib loaded is about 60 MiB; an 8 MiB limit must
# keep a run far below what the attacks reached before (gigabytes).
RSS_BOUND = 200 * MIB


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss: int

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def _env(tmp_path: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_", "WHEELSCOUT_"))}
    env.update({"PIP_CONFIG_FILE": os.devnull, "PYTHONPATH": str(SRC), "NO_COLOR": "1",
                "WHEELSCOUT_CACHE_DIR": str(tmp_path / "cache"),
                "WHEELSCOUT_TEST_RSS": str(tmp_path / "rss")})
    env.update(extra or {})
    return env


def wheelscout(tmp_path: Path, *args: str, env: dict[str, str] | None = None,
               timeout: float = 120) -> Run:
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", _WRAPPER, *args], capture_output=True,
                          text=True, env=_env(tmp_path, env), timeout=timeout, cwd=tmp_path,
                          encoding="utf-8", errors="backslashreplace")
    seconds = time.monotonic() - start
    rss = tmp_path / "rss"
    peak = int(rss.read_text()) if rss.exists() else 0
    return Run(done.returncode, done.stdout, done.stderr, seconds, peak)


def assert_one_line_error(run: Run, *fragments: str) -> None:
    assert run.code not in (0, 1), run.output
    assert "Traceback" not in run.output
    errors = [line for line in run.stderr.splitlines() if line.startswith("wheelscout: error:")]
    assert len(errors) == 1, run.stderr
    for fragment in fragments:
        assert fragment in errors[0]


@pytest.fixture(scope="module")
def index_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile-index")
    # A dependency only the wheel's METADATA names: a request for it proves the file was read.
    write_index(root, [Release("alpha", "1.0", requires_dist=("secret-dep",)),
                       Release("secret-dep", "1.0")], json_pages=False)
    return root


@pytest.fixture
def hostile(index_root: Path) -> Iterator[TestServer]:
    with serve(index_root, ServerConfig(json=False)) as server:
        yield server


def _attack(server: TestServer, prefix: str, mode: Hostile) -> None:
    server.config.hostile = {prefix: mode}


# -- bounded in time and memory --------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "prefix", "variable", "limit_name"),
    [
        ("endless", "/simple/alpha/", "WHEELSCOUT_MAX_PAGE_SIZE", "pages"),
        ("gzip-bomb", "/simple/alpha/", "WHEELSCOUT_MAX_PAGE_SIZE", "pages"),
        ("gzip-bomb", "/files/alpha-1.0-py3-none-any.whl.metadata",
         "WHEELSCOUT_MAX_METADATA_SIZE", "metadata"),
    ],
    ids=["endless-page", "gzip-bomb-page", "gzip-bomb-metadata"],
)
def test_a_body_past_its_size_limit_ends_the_run_with_one_line(
    tmp_path: Path, hostile: TestServer, mode: Hostile, prefix: str, variable: str,
    limit_name: str,
) -> None:
    hostile.config.bomb_bytes = 256 * MIB
    _attack(hostile, prefix, mode)
    run = wheelscout(tmp_path, "check", "alpha", *TARGET, "--index-url", hostile.index_url,
                     env={variable: "8M"})
    assert_one_line_error(run, f"more than 8 MiB, the limit for {limit_name}", variable)
    assert run.seconds < 30
    assert run.peak_rss < RSS_BOUND, f"peak RSS {run.peak_rss / MIB:.0f} MiB"


def test_a_dripping_page_ends_at_the_deadline(tmp_path: Path, hostile: TestServer) -> None:
    hostile.config.drip_seconds = 0.2  # every read well inside the 30 s read timeout
    _attack(hostile, "/simple/alpha/", "drip")
    run = wheelscout(tmp_path, "check", "alpha", *TARGET, "--index-url", hostile.index_url,
                     env={"WHEELSCOUT_PAGE_DEADLINE": "2"})
    assert_one_line_error(run, "took longer than 2 s, the limit for pages",
                          "WHEELSCOUT_PAGE_DEADLINE")
    assert run.seconds < 10


@pytest.mark.parametrize("phase", ["slow-page", "resolving"])
def test_ctrl_c_ends_a_run_within_a_second(
    tmp_path: Path, hostile: TestServer, phase: str
) -> None:
    if phase == "slow-page":
        hostile.config.drip_seconds = 0.2
        _attack(hostile, "/simple/alpha/", "drip")
        waiting_for = "/simple/alpha/"
    else:  # the page came at once; the resolver's threads wait for alpha's metadata
        hostile.config.faults = {"/files/": "slow"}
        hostile.config.slow_seconds = 5
        waiting_for = "/simple/alpha/"
    child = subprocess.Popen(
        [sys.executable, "-m", "wheelscout", "check", "alpha", *TARGET,
         "--index-url", hostile.index_url, "--write-constraints", str(tmp_path / "out")],
        env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not hostile.requests(waiting_for) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # well inside the slow answer
        start = time.monotonic()
        child.send_signal(signal.SIGINT)
        stdout, stderr = child.communicate(timeout=10)
        elapsed = time.monotonic() - start
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 130
    assert elapsed < 1.0
    assert stderr.strip() == "wheelscout: interrupted"
    assert "Traceback" not in stdout + stderr
    out = tmp_path / "out"
    assert not out.exists() or not any(out.iterdir())  # no constraints file, whole or partial


def test_an_out_of_range_port_is_one_line(tmp_path: Path) -> None:
    run = wheelscout(tmp_path, "check", "alpha", *TARGET, "--index-url",
                     "http://127.0.0.1:99999/simple/")
    assert_one_line_error(run, "'http://127.0.0.1:99999/simple/' has an invalid port")
    assert run.code == 2


@pytest.mark.parametrize(
    ("location", "shown"),
    [("http://127.0.0.1:99999/x/", "'http://127.0.0.1:99999/x/' is not a usable URL"),
     ("file:///etc/passwd", "/etc/passwd' is not a usable URL"),
     ("http://u:S3cret#x@127.0.0.1:1/", "invalid URL in a redirect")],
    ids=["port", "file", "password"],
)
def test_a_redirect_to_an_unusable_url_is_one_line(
    tmp_path: Path, hostile: TestServer, location: str, shown: str
) -> None:
    _attack(hostile, "/simple/alpha/", "redirect")
    hostile.config.redirect_to = location
    run = wheelscout(tmp_path, "check", "alpha", *TARGET, "--index-url", hostile.index_url,
                     "--no-cache")
    assert_one_line_error(run, shown)
    assert "S3cret" not in run.output


def test_a_bad_limit_override_is_one_line(tmp_path: Path, hostile: TestServer) -> None:
    run = wheelscout(tmp_path, "check", "alpha", *TARGET, "--index-url", hostile.index_url,
                     env={"WHEELSCOUT_MAX_PAGE_SIZE": "lots"})
    assert_one_line_error(run, "WHEELSCOUT_MAX_PAGE_SIZE='lots' is not a size")


# -- trust: a remote index never makes wheelscout read local files ----------------------------


@pytest.mark.parametrize("mode", ["file-links", "base-file"])
def test_file_links_on_a_remote_index_are_dropped(
    tmp_path: Path, hostile: TestServer, mode: Hostile
) -> None:
    _attack(hostile, "/simple/alpha/", mode)
    run = wheelscout(tmp_path, "check", "alpha", *TARGET, "--index-url", hostile.index_url,
                     "--format", "json")
    assert "Traceback" not in run.output
    assert not hostile.requests("/simple/secret-dep/"), "the local wheel was read"
    assert "ignored 1 link(s)" in run.stderr
    assert "not http(s) URLs" in run.stderr
    assert run.code == 3  # alpha has nothing installable: its only links were dropped


def test_bare_paths_resolve_against_the_index(
    tmp_path: Path, hostile: TestServer, index_root: Path
) -> None:
    _attack(hostile, "/simple/alpha/", "bare-paths")
    run = wheelscout(tmp_path, "check", "alpha", *TARGET, "--index-url", hostile.index_url)
    assert not hostile.requests("/simple/secret-dep/"), "the local wheel was read"
    # The path became a URL on the index (which does not serve it), never a local file.
    wheel_path = f"{index_root}/files/alpha-1.0-py3-none-any.whl"
    assert hostile.requests(wheel_path)
    # A file the index lists but cannot serve is skipped with one warning, as pip skips it; the
    # run goes on and finds nothing else to install.
    assert "Traceback" not in run.output
    warnings = [line for line in run.stderr.splitlines() if line.startswith("wheelscout: warning:")]
    assert any(f"'{hostile.url}{wheel_path}' answered unexpected HTTP 404" in w for w in warnings)
    assert run.code == 3


def test_file_links_on_a_local_index_are_kept(tmp_path: Path, index_root: Path) -> None:
    # A find-links page the user named may point at local files (pip's rule).
    page = tmp_path / "links.html"
    wheel = index_root / "files" / "secret_dep-1.0-py3-none-any.whl"
    page.write_text(f'<a href="{wheel.as_uri()}">x</a>')
    run = wheelscout(tmp_path, "check", "secret-dep", *TARGET, "--index-url",
                     (tmp_path / "empty").as_uri(), "--find-links", str(page))
    assert run.code == 0, run.output


# -- nothing raw, nothing secret ------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_escape_sequences_in_a_yanked_reason_never_reach_the_output(
    tmp_path: Path, hostile: TestServer, fmt: str
) -> None:
    _attack(hostile, "/simple/", "esc-yanked")
    run = wheelscout(tmp_path, "check", "alpha==1.0", *TARGET, "--index-url",
                     hostile.index_url, "--format", fmt)
    assert "Traceback" not in run.output
    for raw in ("\x1b", "\x07", "\x9b"):
        assert raw not in run.output
    assert ESC_REASON not in run.output
    # The reason is still shown, escaped: secret-dep's only release is yanked.
    escaped = "\\u001b[2J" if fmt == "json" else "\\x1b[2J\\x1b]0;pwned\\x07\\x9b31mred\\n"
    assert escaped in run.stdout
    assert not any(line.lstrip().startswith("wheel forged") for line in run.stdout.splitlines())


def test_a_password_with_hash_slash_or_question_mark_is_used_and_never_shown(
    tmp_path: Path, index_root: Path
) -> None:
    password = "S3cret#P/W?x"
    with serve(index_root, ServerConfig(json=False, auth=("alice", password))) as server:
        index = server.index_url.replace("http://", f"http://alice:{password}@")
        run = wheelscout(tmp_path, "check", "alpha", *TARGET, "--index-url", index,
                         "--format", "json", "--no-inspect")
        missing = wheelscout(tmp_path, "check", "nope", *TARGET, "--index-url",
                             index.replace("/simple/", "/absent/"))
    assert run.code == 0, run.output
    for secret in ("S3cret", "P/W", "W?x"):
        assert secret not in run.output
        assert secret not in missing.output
    assert "Traceback" not in missing.output


def test_secrets_in_requirement_files_are_redacted_in_notes_and_errors(
    tmp_path: Path, hostile: TestServer
) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(
        "alpha\n"
        "-e git+https://ghp_TOKEN123@github.com/org/repo.git#egg=repo\n"
        "https://user:PASSWORD1@files.example/pkg-1.0.tar.gz\n"
    )
    for fmt in ("text", "json", "markdown"):
        run = wheelscout(tmp_path, "check", "-r", str(requirements), *TARGET,
                         "--index-url", hostile.index_url, "--format", fmt)
        assert "Traceback" not in run.output
        assert "ghp_TOKEN123" not in run.output
        assert "PASSWORD1" not in run.output
        if fmt != "markdown":
            assert "git+https://****@github.com/org/repo.git" in run.output
            assert "https://user:****@files.example/pkg-1.0.tar.gz" in run.output
    bad = wheelscout(tmp_path, "check", "alpha @ http://bob:PASSWORD2@host/x y", *TARGET,
                     "--index-url", hostile.index_url)
    assert_one_line_error(bad)
    assert "PASSWORD2" not in bad.output


# -- output and cache edges -----------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
def test_markdown_to_a_narrow_stdout(tmp_path: Path, hostile: TestServer, encoding: str) -> None:
    run = wheelscout(tmp_path, "check", "alpha", *TARGET, "--index-url", hostile.index_url,
                     "--format", "markdown", env={"PYTHONIOENCODING": encoding})
    assert run.code == 0, run.output
    assert "| alpha |  wheel 1.0 (pure) |" in run.stdout  # the icon dropped, nothing else
    for fmt in ("text", "json"):
        other = wheelscout(tmp_path, "check", "alpha", *TARGET, "--index-url",
                           hostile.index_url, "--format", fmt, env={"PYTHONIOENCODING": encoding})
        assert other.code == 0, other.output
        if fmt == "json":
            assert json.loads(other.stdout)["results"][0]["packages"][0]["name"] == "alpha"


def test_a_corrupt_cache_warns_once_and_the_run_goes_on(
    tmp_path: Path, hostile: TestServer
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "index-v2.sqlite3").write_bytes(b"this is not a database\n" * 100)
    run = wheelscout(tmp_path, "check", "alpha", *TARGET, "--index-url", hostile.index_url)
    assert run.code == 0, run.output
    warnings = [line for line in run.stderr.splitlines() if "cache" in line]
    assert len(warnings) == 1
    assert warnings[0].startswith("wheelscout: warning: cannot open the cache")
    offline = wheelscout(tmp_path, "check", "alpha", *TARGET, "--index-url", hostile.index_url,
                         "--offline")
    assert_one_line_error(offline, "offline, and", "is not in the cache", "cannot open the cache")


def test_an_unwritable_cache_directory_warns_once(tmp_path: Path, hostile: TestServer) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    run = wheelscout(tmp_path, "check", "alpha", *TARGET, "--index-url", hostile.index_url,
                     "--cache-dir", str(blocker / "cache"))
    assert run.code == 0, run.output
    assert run.stderr.count("wheelscout: warning: cannot open the cache") == 1


@pytest.mark.parametrize("mode", ["endless", "gzip-bomb"])
def test_a_download_past_its_limit_is_a_finding(
    tmp_path: Path, index_root: Path, mode: Hostile
) -> None:
    root = tmp_path / "index"
    write_index(root, [Release("beta", "1.0", sdist=True)], json_pages=False)
    config = ServerConfig(json=False, hostile={"/files/beta-1.0.tar.gz": mode},
                          bomb_bytes=64 * MIB)
    with serve(root, config) as server:
        run = wheelscout(tmp_path, "check", "beta", "--no-binary", "beta", *TARGET,
                         "--index-url", server.index_url,
                         env={"WHEELSCOUT_MAX_DOWNLOAD_SIZE": "8M"})
    assert run.code == 1, run.output
    assert "Traceback" not in run.output
    needs = next(line for line in run.stdout.splitlines() if "needs:" in line)
    if mode == "endless":
        assert "sent more than 8 MiB, the limit for downloads" in needs
    else:  # a file is taken as stored (pip's rule): the bomb is never decoded
        assert "could not download beta-1.0.tar.gz" in needs
        assert "sha256 is" in needs
    assert run.peak_rss < RSS_BOUND


def test_metadata_shows_a_hostile_yanked_reason_escaped(
    tmp_path: Path, hostile: TestServer
) -> None:
    _attack(hostile, "/simple/", "esc-yanked")
    for fmt in ("text", "json"):
        run = wheelscout(tmp_path, "metadata", "alpha==1.0", "--index-url", hostile.index_url,
                         "--format", fmt)
        assert run.code == 0, run.output
        assert "\x1b" not in run.output
        assert "\x9b" not in run.output
        assert ("\\x1b[2J" if fmt == "text" else "\\u001b[2J") in run.stdout
        assert "\n  wheel forged" not in run.stdout
