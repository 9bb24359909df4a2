"""The JSON schemas shipped in the package, loaded as the tests validate documents against them."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

__all__ = ["load_schema"]


def load_schema(name: str, package: str = "wheelscout.schemas") -> dict[str, Any]:
    """``load_schema("check-v1.schema.json")``; the audit schema lives in ``wheelscout.binary``."""
    schema: dict[str, Any] = json.loads(files(package).joinpath(name).read_text(encoding="utf-8"))
    return schema
