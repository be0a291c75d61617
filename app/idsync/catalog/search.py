"""Filter the catalog's destinations for the destination picker and the CLI."""

from __future__ import annotations

from dataclasses import dataclass

from idsync.core.catalog import Catalog, DestinationSpec
from idsync.core.model import DestinationKind


@dataclass(frozen=True)
class _Entry:
    spec: DestinationSpec
    haystack: str
    """Name, slug and category, casefolded once: a filter runs on every keystroke."""
    name: str
    slug: str

    def starts_with(self, word: str) -> bool:
        return self.name.startswith(word) or self.slug.startswith(word)


class DestinationIndex:
    """The catalog's destinations prepared for searching as someone types."""

    def __init__(self, catalog: Catalog) -> None:
        self._entries = tuple(
            _Entry(
                spec=spec,
                haystack=f"{spec.name} {spec.slug} {spec.category}".casefold(),
                name=spec.name.casefold(),
                slug=spec.slug.casefold(),
            )
            for spec in catalog.destinations
        )
        self._all = tuple(entry.spec for entry in self._entries)
        # The last search's words, kind and matches: a word typed further only narrows
        # them, so the next key scans those instead of the whole catalog.
        self._last: tuple[tuple[str, ...], DestinationKind | None, tuple[_Entry, ...]] = (
            (),
            None,
            self._entries,
        )

    def search(self, text: str, kind: DestinationKind | None = None) -> tuple[DestinationSpec, ...]:
        """Destinations whose name, slug or category contain every word of ``text``.

        Case-insensitive. Blank text matches everything. Entries whose name or slug begins
        with the first word come first, because that is what someone typing a name
        expects; otherwise catalog order is kept.
        """
        words = tuple(text.casefold().split())
        if not words and kind is None:
            return self._all
        matches = self._matches(words, kind)
        self._last = (words, kind, matches)
        if not words:
            return tuple(entry.spec for entry in matches)
        first = words[0]
        leading = [entry.spec for entry in matches if entry.starts_with(first)]
        rest = [entry.spec for entry in matches if not entry.starts_with(first)]
        return (*leading, *rest)


    def _matches(
        self, words: tuple[str, ...], kind: DestinationKind | None
    ) -> tuple[_Entry, ...]:
        last_words, last_kind, last_matches = self._last
        # Every entry that matches now matched last time when each word searched then is
        # part of a word searched now ("goo" then "goog") and the kind is no wider.
        narrows = (last_kind is None or last_kind is kind) and all(
            any(old in new for new in words) for old in last_words
        )
        pool = last_matches if narrows else self._entries
        if len(words) == 1:
            (word,) = words
            return tuple(
                entry
                for entry in pool
                if word in entry.haystack and (kind is None or entry.spec.kind is kind)
            )
        return tuple(
            entry
            for entry in pool
            if (kind is None or entry.spec.kind is kind)
            and all(word in entry.haystack for word in words)
        )


def search_destinations(
    catalog: Catalog, text: str, kind: DestinationKind | None = None
) -> tuple[DestinationSpec, ...]:
    """One search without keeping an index (the CLI, tests); see ``DestinationIndex``."""
    return DestinationIndex(catalog).search(text, kind)
