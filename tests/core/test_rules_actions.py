"""The rules on every Actions destination, built from the facts recorded from Segment's
destination code (resources/catalog/source-facts.json): a row mapped to a key the
default mappings read passes; a key they do not read is flagged on its own row, as a
warning, with the key they read as its fix; a value of one kind under a key of another is
flagged with the key of its kind."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from idsync.catalog import load_catalog
from idsync.core.catalog import Catalog
from idsync.core.findings import Finding, Severity
from idsync.core.rules import validate
from tests.helpers.documents import catalog_document

ROOT = Path(__file__).resolve().parents[2]
FACTS: dict[str, Any] = json.loads(
    (ROOT / "resources" / "catalog" / "source-facts.json").read_text(encoding="utf-8")
)
# A Segment identifier of each kind: a default one, or a custom name of that kind.
IDENTIFIER_OF_KIND = {
    "email": "email",
    "phone": "phone",
    "mobile_ad_id": "ios.idfa",
    "external_id": "crm_id",
    "first_name": "first_name",
    "last_name": "last_name",
    "gender": "gender",
    "city": "city",
    "state": "state",
    "postal_code": "zip",
    "country": "country",
}
KEY_PROBLEMS = {"IDS110", "IDS301", "IDS312", "IDS314"}


def _reads(slug: str) -> list[tuple[str, str]]:
    """(event key, kind) for every identifier key the destination's mappings read."""
    code = FACTS["destinations"][slug]["code"]
    return [(read["key"], read["kind"]) for read in code["keys"] if read["kind"]]


FAMILIES = sorted(
    slug
    for slug, fact in FACTS["destinations"].items()
    if "code" in fact and any(read["kind"] for read in fact["code"]["keys"])
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _slug(catalog: Catalog, segment_slug: str) -> str:
    spec = catalog.destination_for_segment_slug(segment_slug)
    assert spec is not None
    return spec.slug


def _problems(found: list[Finding]) -> list[Finding]:
    return [f for f in found if f.code in KEY_PROBLEMS or f.is_error]


def test_every_actions_family_is_covered() -> None:
    assert "actions-facebook-custom-audiences" in FAMILIES
    assert "actions-klaviyo" in FAMILIES
    assert len(FAMILIES) >= 20


@pytest.mark.parametrize("segment_slug", FAMILIES)
def test_each_key_the_mapping_reads_is_accepted(catalog: Catalog, segment_slug: str) -> None:
    slug = _slug(catalog, segment_slug)
    for key, kind in _reads(segment_slug):
        segment = IDENTIFIER_OF_KIND[kind]
        doc = catalog_document(
            catalog,
            slug,
            (segment, key),
            send_mobile_ids=True,
            custom_identifiers=(segment,) if catalog.identifier(segment) is None else (),
        )
        assert _problems(validate(doc, catalog)) == [], (segment_slug, key)


@pytest.mark.parametrize("segment_slug", FAMILIES)
def test_a_key_the_mapping_does_not_read_is_flagged_on_its_row_with_the_key_it_reads(
    catalog: Catalog, segment_slug: str
) -> None:
    slug = _slug(catalog, segment_slug)
    key, kind = _reads(segment_slug)[0]
    segment = IDENTIFIER_OF_KIND[kind]
    unread = key.upper() if key.upper() != key else key.lower() + "_x"
    doc = catalog_document(
        catalog,
        slug,
        ("anonymous_id", ""),
        (segment, unread),
        send_mobile_ids=True,
        custom_identifiers=(segment,) if catalog.identifier(segment) is None else (),
    )
    flagged = [f for f in validate(doc, catalog) if f.code in {"IDS110", "IDS301"}]
    assert [f.row for f in flagged] == [1], segment_slug
    (finding,) = flagged
    assert finding.severity is Severity.WARNING
    assert "mapping" in finding.message, "it says what reads the keys"
    if unread.casefold() == key.casefold():
        assert finding.fix is not None and finding.fix.value == key
    assert not [f for f in validate(doc, catalog) if f.is_error]


@pytest.mark.parametrize("segment_slug", FAMILIES)
def test_a_value_of_another_kind_under_a_read_key_is_flagged_with_the_key_of_its_kind(
    catalog: Catalog, segment_slug: str
) -> None:
    reads = _reads(segment_slug)
    kinds = {kind: key for key, kind in reversed(reads)}
    if "email" not in kinds or len(kinds) < 2:
        pytest.skip("needs an email key and a key of another kind")
    other = next(key for key, kind in reads if kind != "email")
    doc = catalog_document(catalog, _slug(catalog, segment_slug), ("email", other))
    (finding,) = [f for f in validate(doc, catalog) if f.code == "IDS312"]
    assert finding.row == 0
    assert finding.fix is not None and finding.fix.value == kinds["email"]
