"""Sans-IO reading of what package indexes serve: simple pages, zip tails, sdists, metadata.

Nothing here opens a socket or a file; callers hand in bytes and get model objects back.
"""

from __future__ import annotations

from wheelscout.model.project import ProjectList, ProjectPage
from wheelscout.simple.pep691 import (
    ACCEPT,
    JSON_CONTENT_TYPE,
    parse_project_json,
    parse_project_list_json,
)

__all__ = ["ACCEPT", "is_json", "parse_project_list", "parse_project_page"]


def is_json(content_type: str | None) -> bool:
    """Whether a response's Content-Type is the PEP 691 JSON flavour."""
    return (content_type or "").split(";")[0].strip().lower() == JSON_CONTENT_TYPE


def parse_project_page(body: bytes, content_type: str | None, url: str, name: str) -> ProjectPage:
    """Parse a project page in whichever format the server chose (by Content-Type)."""
    if is_json(content_type):
        return parse_project_json(body, url, name)
    from wheelscout.simple.pep503 import parse_project_html  # html.parser: only for HTML

    return parse_project_html(body, url, name)


def parse_project_list(body: bytes, content_type: str | None, url: str) -> ProjectList:
    """Parse the index root page in whichever format the server chose."""
    if is_json(content_type):
        return parse_project_list_json(body, url)
    from wheelscout.simple.pep503 import parse_project_list_html

    return parse_project_list_html(body, url)
