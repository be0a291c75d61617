"""Typed loading of the catalog shipped in resources/catalog."""

from idsync.catalog.loader import (
    DESTINATIONS_FILE,
    IDENTIFIERS_FILE,
    SCHEMA_FILE,
    CatalogError,
    load_catalog,
    load_catalog_from,
    shipped_catalog_dir,
)
from idsync.catalog.search import search_destinations

__all__ = [
    "DESTINATIONS_FILE",
    "IDENTIFIERS_FILE",
    "SCHEMA_FILE",
    "CatalogError",
    "load_catalog",
    "load_catalog_from",
    "search_destinations",
    "shipped_catalog_dir",
]
