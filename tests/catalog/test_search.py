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


def _plainly(catalog: Catalog, text: str, kind: DestinationKind | None) -> list[DestinationSpec]:
    """The search rule stated plainly, entry by entry: what every index path must give."""
    words = text.casefold().split()
    found = [
        spec
        for spec in catalog.destinations
        if (kind is None or spec.kind is kind)
        and all(w in f"{spec.name} {spec.slug} {spec.category}".casefold() for w in words)
    ]
    if not words:
        return found

    def leads(spec: DestinationSpec) -> bool:
        return spec.name.casefold().startswith(words[0]) or spec.slug.casefold().startswith(
            words[0]
        )

    return [spec for spec in found if leads(spec)] + [s for s in found if not leads(s)]


_LETTERS = "aAbgGoOlesß -"


@st.composite
def _catalogs(draw: st.DrawFn) -> Catalog:
    names = draw(st.lists(st.text(alphabet=_LETTERS, min_size=1, max_size=10), max_size=25))
    return Catalog(
        identifiers=(),
        destinations=tuple(
            DestinationSpec(
                slug=f"{draw(st.text(alphabet='abgols-', max_size=6))}-{n}",
                name=name,
                category=draw(st.text(alphabet=_LETTERS, max_size=6)),
                kind=draw(st.sampled_from(DestinationKind)),
            )
            for n, name in enumerate(names)
        ),
    )


_KINDS = st.sampled_from([None, DestinationKind.DESTINATION, DestinationKind.FUNCTION])


@settings(max_examples=300)
@given(
    _catalogs(),
    st.lists(st.tuples(st.text(alphabet=_LETTERS + "x", max_size=8), _KINDS), max_size=10),
)
def test_every_answer_is_the_plain_rule(
    catalog: Catalog, queries: list[tuple[str, DestinationKind | None]]
) -> None:
    """One-letter look-ups, the rarest letter's entries, the last answer narrowed: each
    way the index finds matches gives what the rule says, in the rule's order."""
    index = DestinationIndex(catalog)
    for text, kind in queries:
        assert list(index.search(text, kind)) == _plainly(catalog, text, kind)
        typed = ""
        for char in text:  # and typed key by key, each key narrowing the last answer
            typed += char
            assert list(index.search(typed, kind)) == _plainly(catalog, typed, kind)


@settings(max_examples=100)
@given(_catalogs(), st.text(alphabet=_LETTERS, max_size=4), _KINDS)
def test_matches_show_the_search_row_by_row(
    catalog: Catalog, text: str, kind: DestinationKind | None
) -> None:
    index = DestinationIndex(catalog)
    matches = index.matches(text, kind)
    found = index.search(text, kind)
    assert len(matches) == len(found)
    assert [matches.spec_at(row) for row in range(len(found))] == list(found)
    assert matches.spec_at(len(found)) is None
    assert matches.spec_at(-1) is None
    for row, spec in enumerate(found):
        assert matches.row_of(spec.slug) == row
    for spec in set(catalog.destinations) - set(found):
        assert matches.row_of(spec.slug) == -1
    assert matches.row_of("no-such-slug") == -1


@settings(max_examples=100)
@given(_catalogs(), st.text(alphabet=_LETTERS, max_size=3), st.data())
def test_rows_left_out_are_gone_and_the_rest_keep_their_order(
    catalog: Catalog, text: str, data: st.DataObject
) -> None:
    matches = DestinationIndex(catalog).matches(text)
    found = list(matches)
    if not found:
        return
    first = data.draw(st.integers(0, len(found) - 1))
    last = data.draw(st.integers(first, len(found) - 1))
    assert list(matches.without_rows(first, last)) == found[:first] + found[last + 1 :]


def test_a_letter_that_casefolds_to_two_is_searched_as_both() -> None:
    catalog = Catalog(
        identifiers=(),
        destinations=(
            DestinationSpec(slug="strasse", name="Straße Ads"),
            DestinationSpec(slug="mass-mail", name="Mass Mail"),
            DestinationSpec(slug="s-only", name="S only"),
        ),
    )
    assert _slugs(search_destinations(catalog, "ß")) == ["strasse", "mass-mail"]
    assert _slugs(search_destinations(catalog, "SS")) == ["strasse", "mass-mail"]


def test_the_same_search_twice_gives_the_same_answer(small: Catalog) -> None:
    index = DestinationIndex(small)
    assert index.matches("crm") == index.matches("crm ")
    assert index.matches("c") != index.matches("crm")
