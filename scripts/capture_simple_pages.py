"""Capture the simple-API pages the tests use as fixtures (run once, by hand, with network).

    python scripts/capture_simple_pages.py

Fetches named PEP 503 pages from PyPI (this mirror answers HTML only), keeps a small slice of
each so the fixtures stay readable, and writes a PEP 691 JSON twin of each page by an
independent regex conversion, so the JSON parser is tested against the same real data.

numpy's page is not captured here: its one capture is ``tests/data/pypi/simple/numpy/``, made by
``scripts/capture_pypi_fixtures.py`` for the loopback mirror, and the parser tests read that.
"""

from __future__ import annotations

import html
import json
import re
import urllib.request
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "simple"
# project -> substrings of file names to keep (None: keep the whole page)
PAGES: dict[str, tuple[str, ...] | None] = {
    "packaging": None,  # has yanked files with reasons (20.5, 20.6) and requires-python
}
ANCHOR = re.compile(r"<a ([^>]*)>([^<]*)</a>")
ATTR = re.compile(r'([a-z-]+)="([^"]*)"')


def fetch(name: str) -> str:
    request = urllib.request.Request(
        f"https://pypi.org/simple/{name}/", headers={"Accept": "text/html"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return str(response.read().decode("utf-8"))


def trim(page: str, keep: tuple[str, ...] | None) -> str:
    if keep is None:
        return page
    lines = page.splitlines()
    kept = [ln for ln in lines if "<a " not in ln or any(k in ln for k in keep)]
    return "\n".join(kept) + "\n"


def to_json(name: str, page: str) -> dict[str, object]:
    files = []
    for attrs_text, text in ANCHOR.findall(page):
        attrs = {k: html.unescape(v) for k, v in ATTR.findall(attrs_text)}
        url, _, fragment = attrs["href"].partition("#")
        algo, _, digest = fragment.partition("=")
        entry: dict[str, object] = {"filename": text, "url": url, "hashes": {algo: digest}}
        if "data-requires-python" in attrs:
            entry["requires-python"] = attrs["data-requires-python"]
        if "data-yanked" in attrs:
            entry["yanked"] = attrs["data-yanked"] or True
        if "data-upload-time" in attrs:
            entry["upload-time"] = attrs["data-upload-time"]
        files.append(entry)
    return {"meta": {"api-version": "1.0"}, "name": name, "files": files}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, keep in PAGES.items():
        page = trim(fetch(name), keep)
        (OUT / f"{name}.html").write_text(page, encoding="utf-8")
        document = to_json(name, page)
        (OUT / f"{name}.json").write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
        print(f"{name}: {len(document['files'])} files")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
