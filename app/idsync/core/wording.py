"""Small pieces of English shared by the CLI and the window."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from idsync.core.catalog import Catalog, DestinationSpec


def plural(count: int, noun: str) -> str:
    """``1 row``, ``3 rows``: the count and a noun that takes a plain -s."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def join_and(parts: tuple[str, ...] | list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return _join(parts, "and")


def join_or(parts: tuple[str, ...] | list[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    return _join(parts, "or")


def _join(parts: tuple[str, ...] | list[str], word: str) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {word} " + parts[-1]


def default_setup_sends(spec: DestinationSpec | None) -> str:
    """What Default Setup sends, in words: the catalog's identifiers and strategy."""
    from idsync.core.model import Strategy  # here: plural() and the joins need no model

    if spec is None:
        return "the last or all values of email and user_id, depending on the destination"
    constraints = spec.constraints
    if constraints.matcher_identifiers and constraints.max_extra_identifiers is not None:
        # The matchers are alternatives: the list matches on one of them (Google).
        names = join_or(spec.default_identifiers)
        return f"the last added {names} value, whichever the list matches on, to {spec.name}"
    names = join_and(spec.default_identifiers)
    if spec.default_strategy is Strategy.ALL:
        return f"all values of {names} to {spec.name}, one event per value"
    return f"the last added {names} values to {spec.name}"


def catalog_status(spec: DestinationSpec, catalog: Catalog) -> tuple[str, ...]:
    """What a person should know about a catalog entry's standing, in sentences: a
    destination in maintenance mode (and what replaces it), a slug no catalog confirms."""
    said: list[str] = []
    if spec.maintenance:
        instead = [
            entry.name
            for entry in (catalog.destination_for_segment_slug(s) for s in spec.replaced_by)
            if entry is not None
        ]
        said.append(
            f"In maintenance mode: Segment recommends {join_or(instead)} instead."
            if instead
            else "In maintenance mode: Segment only fixes bugs in it."
        )
    if not spec.slug_verified:
        said.append(
            f"Unverified slug: '{spec.segment_slug}' comes from Segment's destination code; "
            "no catalog file lists it, so check it against your workspace."
        )
    return tuple(said)


def catalog_tags(spec: DestinationSpec) -> tuple[str, ...]:
    """The same standing in a word or two, for lists."""
    tags = ("maintenance",) if spec.maintenance else ()
    return (*tags, "slug unverified") if not spec.slug_verified else tags
