"""The rules against the shipped catalog: the catalog's own names pass the shape rules,
and the catalog-driven rules see what the catalog says."""

from __future__ import annotations

import pytest

from idsync.catalog import load_catalog
from idsync.core.catalog import Catalog
from idsync.core.model import (
    IdSyncDocument,
)
from idsync.core.rules import validate
from idsync.core.rules.text import destination_field_problems, segment_identifier_problems
from tests.helpers.documents import catalog_document as doc_for


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def codes(doc: IdSyncDocument, catalog: Catalog) -> set[str]:
    return {f.code for f in validate(doc, catalog)}


def test_catalog_identifiers_are_well_formed(catalog: Catalog) -> None:
    assert [i.id for i in catalog.identifiers if segment_identifier_problems(i.id)] == []


def test_catalog_destination_fields_are_well_formed(catalog: Catalog) -> None:
    names = [
        name
        for spec in catalog.destinations
        for name in (field.key for field in spec.fields())
        if not name or destination_field_problems(name)
    ]
    assert names == []


def test_every_mobile_ad_id_asks_for_send_mobile_ids(catalog: Catalog) -> None:
    mobile = [i.id for i in catalog.identifiers if i.mobile_ad_id]
    assert {"ios.idfa", "android.idfa"} <= set(mobile)
    for segment in mobile:
        doc = doc_for(catalog, "destination-function", (segment, ""))
        assert "IDS109" in codes(doc, catalog)
        assert "IDS109" not in codes(doc.replace(send_mobile_ids=True), catalog)


def test_every_facebook_preset_key_is_accepted(catalog: Catalog) -> None:
    for slug in ("personas-facebook-custom-audiences", "actions-facebook-custom-audiences"):
        spec = catalog.destination(slug)
        assert spec is not None
        for key in spec.accepted_keys():
            doc = doc_for(catalog, slug, ("email", key))
            assert codes(doc, catalog) & {"IDS110", "IDS111", "IDS310"} == set(), key
        assert "IDS110" in codes(doc_for(catalog, slug, ("email", "Email")), catalog)


def test_google_constraints_come_from_the_catalog(catalog: Catalog) -> None:
    slug = "adwords-remarketing-lists"
    assert "IDS112" in codes(doc_for(catalog, slug, ("user_id", "phone")), catalog)
    assert "IDS113" in codes(
        doc_for(
            catalog,
            slug,
            ("email", "email"),
            ("phone", "phone"),
            ("ios.idfa", "mobile_advertising_id"),
            send_mobile_ids=True,
            custom_identifiers=("phone",),
        ),
        catalog,
    )
    ok = codes(
        doc_for(
            catalog, slug, ("email", "email"), ("phone", "phone"), custom_identifiers=("phone",)
        ),
        catalog,
    )
    assert ok & {"IDS112", "IDS113", "IDS311"} == set()


def test_known_fields_warning_on_a_free_destination(catalog: Catalog) -> None:
    assert "IDS301" in codes(doc_for(catalog, "braze", ("email", "mail")), catalog)
    assert "IDS301" not in codes(doc_for(catalog, "braze", ("email", "email")), catalog)
