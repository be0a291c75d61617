"""A workspace-sized catalog (5,000 destinations) loads, and keeps its order and lookups."""

from __future__ import annotations

import json
from pathlib import Path

from idsync.catalog import DESTINATIONS_FILE, load_catalog_from


def test_five_thousand_destinations_load(catalog_copy: Path) -> None:
    path = catalog_copy / DESTINATIONS_FILE
    shipped = json.loads(path.read_text(encoding="utf-8"))["destinations"]
    entries = []
    for n in range(5000):
        entry = dict(shipped[n % len(shipped)])
        entry.pop("slug", None)
        entry["segment_slug"] = f"{entry.get('segment_slug') or 'function'}-{n}"
        entry["name"] = f"{entry['name']} {n}"
        entries.append(entry)
    path.write_text(json.dumps({"destinations": entries}), encoding="utf-8")
    assert path.stat().st_size > 2 * 1024 * 1024  # past the old cap

    catalog = load_catalog_from(catalog_copy)

    assert len(catalog.destinations) == 5000
    assert catalog.destinations[4999].name == entries[4999]["name"]
    last = entries[4999]["segment_slug"]
    assert catalog.destination(last) is catalog.destinations[4999]
    assert catalog.destination_for_segment_slug(last) is catalog.destinations[4999]


def test_a_catalog_with_a_number_too_long_is_a_catalog_error(catalog_copy: Path) -> None:
    import pytest

    from idsync.catalog import CatalogError

    path = catalog_copy / DESTINATIONS_FILE
    path.write_text('{"destinations": [' + "1" * 5000 + "]}", encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog_from(catalog_copy)
    assert "number with too many digits" in str(caught.value)
    assert str(path) in str(caught.value)
