"""search_destinations over the shipped catalog and over a hand-made one."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idsync.catalog import load_catalog, search_destinations
from idsync.catalog.search import DestinationIndex
from idsync.core.catalog import Catalog, DestinationSpec, IdentifierSpec
from idsync.core.model import DestinationKind


@pytest.fixture(scope="module")
def small() -> Catalog:
    return Catalog(
        identifiers=(IdentifierSpec(id="email", name="Email", description="traits.email"),),
        destinations=(
            DestinationSpec(slug="acme-crm", name="Acme CRM", category="CRM"),
            DestinationSpec(slug="ads-hub", name="Ads Hub", category="Advertising"),
            DestinationSpec(slug="crm-sync", name="Sync Tool", category="CRM"),
            DestinationSpec(
                slug="my-function", name="My function", kind=DestinationKind.FUNCTION,
                category="Functions",
            ),
        ),
    )  # fmt: skip


def _slugs(specs: tuple[DestinationSpec, ...]) -> list[str]:
    return [spec.slug for spec in specs]


def test_blank_text_returns_everything_in_catalog_order(small: Catalog) -> None:
    assert _slugs(search_destinations(small, "   ")) == [d.slug for d in small.destinations]


def test_matching_ignores_case_and_covers_name_slug_and_category(small: Catalog) -> None:
    assert _slugs(search_destinations(small, "HUB")) == ["ads-hub"]
    assert _slugs(search_destinations(small, "my-func")) == ["my-function"]
    assert _slugs(search_destinations(small, "advertising")) == ["ads-hub"]


def test_every_word_must_match(small: Catalog) -> None:
    assert _slugs(search_destinations(small, "crm acme")) == ["acme-crm"]
    assert search_destinations(small, "crm nowhere") == ()


def test_names_starting_with_the_text_come_first(small: Catalog) -> None:
    # "Sync Tool" has crm only in its slug and category, but its slug starts with it.
    assert _slugs(search_destinations(small, "crm")) == ["crm-sync", "acme-crm"]


def test_kind_filter(small: Catalog) -> None:
    assert _slugs(search_destinations(small, "", kind=DestinationKind.FUNCTION)) == ["my-function"]
    assert "my-function" not in _slugs(
        search_destinations(small, "", kind=DestinationKind.DESTINATION)
    )


def test_shipped_catalog_finds_facebook_and_audience_destinations() -> None:
    catalog = load_catalog()
    facebook = _slugs(search_destinations(catalog, "facebook"))
    # Both entries: the classic Engage destination first, then the Actions one.
    assert facebook[:2] == [
        "personas-facebook-custom-audiences",
        "actions-facebook-custom-audiences",
    ]
    audiences = _slugs(search_destinations(catalog, "audiences"))
    assert {
        "actions-linkedin-audiences",
        "actions-tiktok-audiences",
        "reddit-audiences",
    } <= set(audiences)
    # Segment's slug finds its entry, as a live connection's metadata.slug would.
    assert _slugs(search_destinations(catalog, "adwords"))[0] == "adwords-remarketing-lists"
    assert "braze" not in audiences
    functions = search_destinations(catalog, "function", kind=DestinationKind.FUNCTION)
    assert _slugs(functions) == ["destination-function"]


@settings(max_examples=200)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet="abcdeghlmnorstu -", max_size=12),
            st.sampled_from([None, DestinationKind.DESTINATION, DestinationKind.FUNCTION]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_a_kept_index_answers_like_a_fresh_search(
    queries: list[tuple[str, DestinationKind | None]],
) -> None:
    """The index narrows the last matches when a query only adds to the last one; every
    answer must still be exactly what a fresh search gives."""
    catalog = load_catalog()
    index = DestinationIndex(catalog)
    for text, kind in queries:
        assert index.search(text, kind) == search_destinations(catalog, text, kind)


def test_typing_letter_by_letter_narrows_like_a_fresh_search() -> None:
    catalog = load_catalog()
    index = DestinationIndex(catalog)
    typed = ""
    for char in "google ads":
        typed += char
        assert index.search(typed) == search_destinations(catalog, typed)
    for _ in range(len(typed)):
        typed = typed[:-1]
        assert index.search(typed) == search_destinations(catalog, typed)
