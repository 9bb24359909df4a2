from __future__ import annotations

import pytest

from wheelscout.errors import InputError
from wheelscout.limits import MIB, NetworkLimits, ResponseLimit


def test_defaults_are_generous() -> None:
    limits = NetworkLimits()
    assert limits.pages.max_bytes >= 64 * MIB  # numpy's page is about 2 MB
    assert limits.downloads.max_bytes >= 3 * 1024 * MIB  # torch's CUDA wheels: about 2.5 GB


def test_environment_overrides() -> None:
    limits = NetworkLimits.from_env({"WHEELSCOUT_MAX_PAGE_SIZE": "8M",
                                     "WHEELSCOUT_DOWNLOAD_DEADLINE": "3600",
                                     "WHEELSCOUT_MAX_DOWNLOAD_SIZE": "10G"})
    assert limits.pages == ResponseLimit(max_bytes=8 * MIB, deadline=NetworkLimits().pages.deadline)
    assert limits.downloads == ResponseLimit(max_bytes=10 * 1024 * MIB, deadline=3600.0)
    assert limits.metadata == NetworkLimits().metadata


@pytest.mark.parametrize(
    ("variable", "value"),
    [("WHEELSCOUT_MAX_PAGE_SIZE", "lots"), ("WHEELSCOUT_MAX_PAGE_SIZE", "0"),
     ("WHEELSCOUT_MAX_PAGE_SIZE", "9" * 40), ("WHEELSCOUT_PAGE_DEADLINE", "nan"),
     ("WHEELSCOUT_PAGE_DEADLINE", "-1"), ("WHEELSCOUT_PAGE_DEADLINE", "inf")],
    ids=["word", "zero", "huge", "nan", "negative", "inf"],
)
def test_bad_overrides_are_one_line(variable: str, value: str) -> None:
    with pytest.raises(InputError, match=f"^{variable}="):
        NetworkLimits.from_env({variable: value})
