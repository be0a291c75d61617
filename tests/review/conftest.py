from __future__ import annotations

import pytest

from idsync.catalog import load_catalog
from idsync.core.catalog import Catalog


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()
