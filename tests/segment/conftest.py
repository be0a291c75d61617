"""Every Segment API test checks that the token never reaches a file or a log line."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _token_guard(token_never_leaks: None) -> None:
    """Applies the guard from tests.helpers.sandbox to the whole folder."""
