"""The shipped catalog against the facts recorded from Segment's own repositories
(resources/catalog/source-facts.json, written by scripts/extract_source_facts.py): on an
Actions destination the known keys are the event keys its default mappings read, each of
the kind its name says; slugs no catalog file lists are marked unverified; destinations in
maintenance mode say so and name what replaces them."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from idsync.catalog import load_catalog
from idsync.core.catalog import Catalog, DestinationSpec

ROOT = Path(__file__).resolve().parents[2]
FACTS: dict[str, Any] = json.loads(
    (ROOT / "resources" / "catalog" / "source-facts.json").read_text(encoding="utf-8")
)
COMMIT = re.compile(r"[0-9a-f]{40}")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _identifier_keys(code: dict[str, Any]) -> dict[str, str]:
    """The keys a default mapping reads that hold an identifier, with their kinds."""
    return {read["key"]: read["kind"] for read in code["keys"] if read["kind"] is not None}


def _spec(catalog: Catalog, slug: str) -> DestinationSpec:
    spec = catalog.destination_for_segment_slug(slug)
    assert spec is not None, slug
    return spec


def test_the_facts_record_the_commits_they_were_read_at() -> None:
    read = FACTS["read"]
    assert set(read) == {"segmentio/action-destinations", "segmentio/segment-docs"}
    assert all(COMMIT.fullmatch(commit) for commit in read.values())


def test_every_catalog_entry_with_a_segment_slug_has_recorded_facts(catalog: Catalog) -> None:
    slugs = {spec.segment_slug for spec in catalog.destinations if spec.segment_slug}
    assert slugs == set(FACTS["destinations"])


ACTIONS = sorted(slug for slug, fact in FACTS["destinations"].items() if "code" in fact)


@pytest.mark.parametrize("slug", ACTIONS)
def test_an_actions_entry_knows_exactly_the_keys_its_default_mappings_read(
    catalog: Catalog, slug: str
) -> None:
    code = FACTS["destinations"][slug]["code"]
    spec = _spec(catalog, slug)
    expected = _identifier_keys(code)
    fields = spec.fields()
    assert {f.key: (f.kind.value if f.kind else None) for f in fields} == expected
    paths = {read["key"]: read["paths"] for read in code["keys"]}
    for field in fields:
        assert list(field.reads) == paths[field.key], field.key
    assert [f.key for f in spec.no_default_mapping] == [
        unmapped["field"] for unmapped in code["no_default_mapping"]
    ]
    if expected:
        commit = FACTS["read"]["segmentio/action-destinations"]
        assert commit in spec.keys_source, "the key list cites the code at the commit read"
        assert code["code_folder"] in spec.keys_source


@pytest.mark.parametrize("slug", sorted(FACTS["destinations"]))
def test_unlisted_slugs_are_marked_unverified_and_maintenance_is_said(
    catalog: Catalog, slug: str
) -> None:
    docs = FACTS["destinations"][slug]["docs"]
    spec = _spec(catalog, slug)
    assert spec.slug_verified is docs["listed"]
    assert spec.maintenance is docs["maintenance"]
    assert spec.replaced_by == tuple(docs["replaced_by"])


def test_the_four_code_only_slugs_are_the_unverified_ones(catalog: Catalog) -> None:
    unverified = {spec.segment_slug for spec in catalog.destinations if not spec.slug_verified}
    assert unverified == {
        "actions-snap-audiences",
        "actions-iterable-lists",
        "actions-sendgrid-audiences",
        "actions-webhook-audiences",
    }


@pytest.mark.parametrize(
    "slug",
    [
        "actions-hubspot-cloud", "actions-intercom-cloud", "actions-airship", "marketo-v2",
        "sendgrid", "twitter-ads", "actions-dynamic-yield-audiences", "vibe-audiences",
        "actions-insider-audiences", "liveintent-audiences", "ortto-audiences",
        "rokt-audiences-actions", "actions-launchdarkly-audiences",
        "actions-optimizely-advanced-audience-targeting", "kevel",
    ],
)  # fmt: skip
def test_todays_destinations_are_in_the_catalog(catalog: Catalog, slug: str) -> None:
    spec = _spec(catalog, slug)
    assert spec.slug_verified, "each comes from destinations.yml"
    assert not spec.maintenance


def test_maintenance_entries_name_replacements_that_are_in_the_catalog(catalog: Catalog) -> None:
    marked = [spec for spec in catalog.destinations if spec.maintenance]
    assert {spec.segment_slug for spec in marked} >= {"braze", "customer-io", "hubspot", "intercom"}
    for spec in marked:
        offered = [catalog.destination_for_segment_slug(s) for s in spec.replaced_by]
        if spec.replaced_by:
            assert any(entry is not None for entry in offered), spec.slug


def test_facebook_actions_reads_event_keys_not_facebooks_schema_keys(catalog: Catalog) -> None:
    spec = _spec(catalog, "actions-facebook-custom-audiences")
    assert spec.reads_event_keys
    email = spec.field("email")
    assert email is not None and email.reads == ("$.traits.email", "$.properties.email")
    assert spec.field("EMAIL") is None
    classic = _spec(catalog, "personas-facebook-custom-audiences")
    assert not classic.reads_event_keys
    assert len(classic.preset_keys) == 13
