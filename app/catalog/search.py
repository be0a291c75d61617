"""Filter the catalog's destinations for the destination picker and the CLI."""

from __future__ import annotations

from app.core.catalog import Catalog, DestinationSpec
from app.core.model import DestinationKind


def _haystack(spec: DestinationSpec) -> str:
    return f"{spec.name} {spec.slug} {spec.category}".casefold()


def _starts_a_name(spec: DestinationSpec, first_word: str) -> bool:
    return any(
        candidate.startswith(first_word)
        for candidate in (spec.name.casefold(), spec.slug.casefold())
    )


def search_destinations(
    catalog: Catalog, text: str, kind: DestinationKind | None = None
) -> tuple[DestinationSpec, ...]:
    """Destinations whose name, slug or category contain every word of ``text``.

    Case-insensitive. Blank text matches everything. Entries whose name or slug begins
    with the first word come first, because that is what someone typing a name expects;
    otherwise catalog order is kept.
    """
    words = text.casefold().split()
    matches = [
        spec
        for spec in catalog.destinations
        if (kind is None or spec.kind is kind) and all(word in _haystack(spec) for word in words)
    ]
    if not words:
        return tuple(matches)
    leading = [spec for spec in matches if _starts_a_name(spec, words[0])]
    rest = [spec for spec in matches if not _starts_a_name(spec, words[0])]
    return (*leading, *rest)
