"""Catalog entries: the lookups each entry builds once answer as a search of its fields
would, for every shipped entry and for a changed copy of one."""

from __future__ import annotations

from idsync.catalog import load_catalog
from idsync.core.catalog import DestinationField


def test_an_entrys_lookups_answer_as_a_search_of_its_fields_does() -> None:
    catalog = load_catalog()
    changed = catalog.destinations[0].replace(preset_keys=(DestinationField(key="ONLY_KEY"),))
    for spec in (*catalog.destinations, changed):
        assert spec.preset_key_set == {preset.key for preset in spec.preset_keys}
        for key in [f.key for f in spec.fields()] + ["", "not-a-key", "email"]:
            searched = next((f for f in spec.fields() if f.key == key), None)
            assert spec.field(key) == searched
            assert (key in spec.preset_key_set) == (key in spec.accepted_keys())
    assert changed.field("ONLY_KEY") == DestinationField(key="ONLY_KEY")
    assert changed.preset_key_set == {"ONLY_KEY"}
