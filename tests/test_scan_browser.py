"""The scan dashboard in a real headless Chromium (Debian's ``chromium`` + ``chromium-driver``,
driven by Selenium through /usr/bin/chromedriver; nothing is downloaded): the matrix renders
without JavaScript, sorting and filtering work with it, a screenshot shows the table, and the
console stays clean."""

from __future__ import annotations

import functools
import os
import struct
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.support.server import MirrorServer
from wheelscout.index.settings import IndexSettings
from wheelscout.scan import ScanOptions
from wheelscout.scan.applicability import load_curated
from wheelscout.scan.dashboard import build_site, platform_facts
from wheelscout.scan.matrix import matrix
from wheelscout.scan.projects import parse_projects
from wheelscout.scan.runner import ScanRequest, run_scan

webdriver = pytest.importorskip("selenium.webdriver")

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-dev-shm-usage", "--window-size=1280,900", "--force-device-scale-factor=1")
PROJECTS = ("requests", "cryptography", "pyopenssl", "numpy", "pyyaml", "pywin32", "six",
            "charset-normalizer", "pandas", "certifi")
TARGETS = ("win-arm64", "win-amd64", "linux-aarch64", "ios-arm64")

_HAVE_BROWSER = CHROMIUM.exists() and CHROMEDRIVER.exists()
if not _HAVE_BROWSER and os.environ.get("CI"):
    # .ci/run installs both: a CI run without them is a broken install step, not a skip.
    raise RuntimeError("CI: /usr/bin/chromium and /usr/bin/chromedriver are missing")
pytestmark = pytest.mark.skipif(
    not _HAVE_BROWSER,
    reason="needs Debian's chromium and chromium-driver (.ci/run installs them)")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def _static(root: Path) -> Iterator[str]:
    """A plain static web server (real Content-Types, as any host of the site would send)."""
    handler = functools.partial(_Quiet, directory=str(root))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture(scope="module")
def site(mirror_server: MirrorServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    targets = matrix(TARGETS, ["3.12", "3.13"])
    request = ScanRequest(
        projects=tuple(parse_projects("\n".join(PROJECTS), "<test>")), targets=tuple(targets),
        settings=IndexSettings(index_url=mirror_server.index_url, no_cache=True),
        options=ScanOptions(curated=load_curated()),
        db=tmp_path_factory.mktemp("db") / "history.sqlite3")
    run_scan(request)  # a first run, so the trends have two points
    out = tmp_path_factory.mktemp("site") / "site"
    build_site(run_scan(request), out, platform_facts(targets))
    with _static(out) as url:
        yield url


def _driver(javascript: bool = True) -> Any:
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    driver = _driver()
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def _names(driver: Any, visible_only: bool = True) -> list[str]:
    script = """return Array.from(document.querySelectorAll('#matrix tbody tr'))
        .filter(tr => !arguments[0] || !tr.hidden)
        .map(tr => tr.querySelector('th a').textContent);"""
    names: list[str] = driver.execute_script(script, visible_only)
    return names


def _column(driver: Any, index: int) -> list[str]:
    script = """return Array.from(document.querySelectorAll('#matrix tbody tr'))
        .filter(tr => !tr.hidden).map(tr => tr.cells[arguments[0]].textContent.trim());"""
    cells: list[str] = driver.execute_script(script, index)
    return cells


def test_the_matrix_renders_without_javascript(site: str) -> None:
    from selenium.webdriver.common.by import By

    driver = _driver(javascript=False)
    try:
        driver.get(f"{site}/index.html")
        rows = driver.find_elements(By.CSS_SELECTOR, "#matrix tbody tr")
        assert len(rows) == len(PROJECTS)
        headers = [th.text for th in driver.find_elements(By.CSS_SELECTOR, "#matrix thead th")]
        assert headers[:2] == ["Project", "Ready on"]
        spans = driver.find_elements(By.CSS_SELECTOR, "#matrix thead th .t")
        assert [span.text for span in spans] == list(TARGETS)
        # each target's share and its trend chart, pre-rendered
        assert "ready (" in headers[2]
        chart = driver.find_element(By.CSS_SELECTOR, "#matrix thead th img")
        assert driver.execute_script("return arguments[0].naturalWidth", chart) == 120
        first = rows[0].find_elements(By.CSS_SELECTOR, "td")
        assert first[1].text == "\u2713 wheels"  # requests on win-arm64: icon and word
        # the controls need the script: without it they stay hidden
        assert not driver.find_element(By.ID, "controls").is_displayed()
        # the page's script really did not run: it makes the headers focusable
        header = driver.find_element(By.CSS_SELECTOR, "#matrix thead th")
        assert header.get_attribute("tabindex") is None
    finally:
        driver.quit()


def test_sorting(site: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{site}/index.html")
    assert _names(browser) == list(PROJECTS)
    header = browser.find_element(By.CSS_SELECTOR, '#matrix thead th[data-sort="name"]')
    header.click()
    assert _names(browser) == sorted(PROJECTS)
    assert header.get_attribute("aria-sort") == "ascending"
    header.click()
    assert _names(browser) == sorted(PROJECTS, reverse=True)
    arm64 = browser.find_element(By.CSS_SELECTOR, '#matrix thead th[data-sort="0"]')
    arm64.click()
    words = [cell.split(" ", 1)[1] for cell in _column(browser, 2)]
    rank = {"wheels": 0, "build": 2, "none": 3, "n/a": 4}
    ordered = [rank.get(w, 1) for w in words]  # partial cells read "k/n"
    assert ordered == sorted(ordered)
    assert words[0] == "wheels"


def test_search_and_filter(site: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(f"{site}/index.html")
    controls = browser.find_element(By.ID, "controls")
    assert controls.is_displayed()
    browser.find_element(By.ID, "search").send_keys("py")
    assert _names(browser) == ["pyopenssl", "numpy", "pyyaml", "pywin32"]
    assert browser.find_element(By.ID, "count").text == "4 of 10 projects"
    browser.find_element(By.ID, "search").clear()
    browser.execute_script("document.getElementById('search')"
                           ".dispatchEvent(new Event('input'))")
    Select(browser.find_element(By.ID, "status")).select_by_value("b")
    Select(browser.find_element(By.ID, "target")).select_by_visible_text("win-arm64")
    assert _names(browser) == ["cryptography", "pyopenssl"]
    assert set(_column(browser, 2)) == {"\u2699 build"}
    Select(browser.find_element(By.ID, "status")).select_by_value("n")
    Select(browser.find_element(By.ID, "target")).select_by_visible_text("linux-aarch64")
    assert _names(browser) == ["pywin32"]


def _png_size_and_colours(data: bytes) -> tuple[int, int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (depth, colour) in ((8, 6), (8, 2))
    chunks, offset = [], 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        if kind == b"IDAT":
            chunks.append(data[offset + 8:offset + 8 + length])
        offset += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    return width, height, len(set(raw[1:4096 * 4]))


def test_screenshot_shows_the_table_and_the_console_is_clean(
        site: str, browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{site}/index.html")
    table = browser.find_element(By.ID, "matrix")
    browser.execute_script("arguments[0].scrollIntoView()", table)
    shot = tmp_path / "matrix.png"
    assert table.screenshot(str(shot))
    width, height, colours = _png_size_and_colours(shot.read_bytes())
    assert abs(width - table.rect["width"]) <= 1
    assert abs(height - table.rect["height"]) <= 1
    assert colours > 8, "the screenshot is blank"
    page = tmp_path / "page.png"
    assert browser.save_screenshot(str(page))
    assert _png_size_and_colours(page.read_bytes())[:2] == tuple(
        browser.execute_script("return [window.innerWidth, window.innerHeight]"))
    for path in ("index.html", "methodology.html", "projects/cryptography.html"):
        browser.get(f"{site}/{path}")
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []
