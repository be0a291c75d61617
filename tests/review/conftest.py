from __future__ import annotations

import pytest

from app.catalog import load_catalog
from app.core.catalog import Catalog


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()
