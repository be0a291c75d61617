"""Filter the catalog's destinations for the destination picker and the CLI.

A search answers with ``DestinationMatches``: the matching entries' positions in the
catalog, in two runs (names or slugs that begin with the first word, then the rest), each
run in catalog order. A list shows a row by looking it up there, so nothing is built per
match beyond those positions.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, compress, filterfalse, repeat
from operator import contains, is_, or_
from typing import TypeAlias, TypeVar

from idsync.core.catalog import Catalog, DestinationSpec
from idsync.core.model import DestinationKind

Positions: TypeAlias = "array[int]"
"""Catalog positions, packed: the index holds one per character per entry. Never changed
once made."""
Value = TypeVar("Value")
Argument = TypeVar("Argument")


class DestinationMatches:
    """The destinations one search found, ranked: ``leading`` (name or slug begins with
    the first word) then ``rest``; both hold catalog positions in ascending order."""

    __slots__ = ("_leading", "_positions", "_rest", "_specs")

    def __init__(
        self,
        specs: Sequence[DestinationSpec],
        positions: dict[str, int],
        leading: Positions,
        rest: Positions,
    ) -> None:
        self._specs = specs
        self._positions = positions
        self._leading = leading
        self._rest = rest

    @property
    def leading(self) -> Positions:
        return self._leading

    @property
    def rest(self) -> Positions:
        return self._rest

    def __len__(self) -> int:
        return len(self._leading) + len(self._rest)

    def __iter__(self) -> Iterator[DestinationSpec]:
        specs = self._specs
        return (specs[position] for position in self.positions())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DestinationMatches):
            return NotImplemented
        return (
            self._specs is other._specs
            and self._leading == other._leading
            and self._rest == other._rest
        )

    __hash__ = None  # type: ignore[assignment]  # equal by content, which is not hashed

    def positions(self) -> Iterator[int]:
        """Catalog positions, row by row."""
        return chain(self._leading, self._rest)

    def spec_at(self, row: int) -> DestinationSpec | None:
        if row < 0:
            return None
        if row < len(self._leading):
            return self._specs[self._leading[row]]
        row -= len(self._leading)
        return self._specs[self._rest[row]] if row < len(self._rest) else None

    def row_of(self, slug: str) -> int:
        """The row showing ``slug``'s destination, or -1 when it is not among the matches."""
        position = self._positions.get(slug)
        if position is None:
            return -1
        for offset, run in ((0, self._leading), (len(self._leading), self._rest)):
            found = bisect_left(run, position)
            if found < len(run) and run[found] == position:
                return offset + found
        return -1

    def without_rows(self, first: int, last: int) -> DestinationMatches:
        """These matches with rows ``first`` to ``last`` (inclusive) left out."""
        lead = len(self._leading)
        leading = self._leading[: min(first, lead)] + self._leading[last + 1 :]
        rest = self._rest[: max(0, first - lead)] + self._rest[max(0, last + 1 - lead) :]
        return DestinationMatches(self._specs, self._positions, leading, rest)


class DestinationIndex:
    """The catalog's destinations prepared for searching as someone types.

    Built once per catalog: every entry's searchable text, and for each character in it
    the entries containing that character, already ranked. A first key is one character,
    so it is answered by a look-up however large the catalog; longer words start from the
    fewest entries that can match (the rarest character's, or what the last search found
    when the new one only narrows it).
    """

    def __init__(self, catalog: Catalog) -> None:
        specs = catalog.destinations
        self._specs = specs
        count = len(specs)
        # The first entry wins, as in ``Catalog.destination`` (the loader refuses duplicates).
        self._positions = dict(
            zip(reversed([spec.slug for spec in specs]), range(count - 1, -1, -1), strict=True)
        )
        self._haystacks = [f"{s.name} {s.slug} {s.category}".casefold() for s in specs]
        self._names = [spec.name.casefold() for spec in specs]
        self._slugs = [spec.slug.casefold() for spec in specs]
        self._kinds = [spec.kind for spec in specs]
        self._everything = self._ranked(_packed(range(count)), _packed(()))
        self._by_character = _ranked_by_character(self._haystacks, self._names, self._slugs)
        # The last search's words, kind and matches: a word typed further only narrows
        # them, so the next key can start from those instead of the whole catalog.
        self._last: tuple[tuple[str, ...], DestinationKind | None, DestinationMatches] = (
            (),
            None,
            self._everything,
        )

    def search(self, text: str, kind: DestinationKind | None = None) -> tuple[DestinationSpec, ...]:
        """Destinations whose name, slug or category contain every word of ``text``.

        Case-insensitive. Blank text matches everything. Entries whose name or slug begins
        with the first word come first, because that is what someone typing a name
        expects; otherwise catalog order is kept.
        """
        return tuple(self.matches(text, kind))

    def matches(self, text: str, kind: DestinationKind | None = None) -> DestinationMatches:
        """What ``search`` finds, as positions a list can show row by row."""
        words = tuple(text.casefold().split())
        last_words, last_kind, last_matches = self._last
        if words == last_words and kind is last_kind:
            return last_matches
        found = self._find(words, kind)
        self._last = (words, kind, found)
        return found

    def _find(self, words: tuple[str, ...], kind: DestinationKind | None) -> DestinationMatches:
        if not words:
            return (
                self._everything
                if kind is None
                else self._ranked(self._of_kind(self._everything.leading, kind), _packed(()))
            )
        first = words[0]
        if len(words) == 1 and len(first) == 1:
            leading, rest = self._by_character.get(first, _NONE)
            if kind is not None:
                leading, rest = self._of_kind(leading, kind), self._of_kind(rest, kind)
            return self._ranked(leading, rest)
        # The pool's two ascending runs are filtered apart and merged after, when fewer are
        # left to merge.
        runs: list[Sequence[int]] = list(self._pool(words, kind))
        for word in words:
            runs = [_where(run, self._haystacks, contains, word) for run in runs]
        matched = _in_catalog_order(*runs)
        if kind is not None:
            matched = self._of_kind(matched, kind)
        leading = _packed(
            compress(
                matched,
                map(
                    or_,
                    _each(matched, self._names, str.startswith, first),
                    _each(matched, self._slugs, str.startswith, first),
                ),
            )
        )
        if not leading:
            return self._ranked(leading, _packed(matched))
        leading_set = set(leading)
        return self._ranked(leading, _packed(filterfalse(leading_set.__contains__, matched)))

    def _pool(
        self, words: tuple[str, ...], kind: DestinationKind | None
    ) -> tuple[Positions, Positions]:
        """The fewest entries among which every match must be, as two ascending runs."""
        candidates: list[tuple[Positions, Positions]] = [
            self._by_character.get(character, _NONE)
            for character in {character for word in words for character in word}
        ]
        last_words, last_kind, last_matches = self._last
        # Every entry that matches now matched last time when each word searched then is
        # part of a word searched now ("goo" then "goog") and the kind is no wider.
        if (last_kind is None or last_kind is kind) and all(
            any(old in new for new in words) for old in last_words
        ):
            candidates.append((last_matches.leading, last_matches.rest))
        return min(candidates, key=lambda runs: len(runs[0]) + len(runs[1]))

    def _of_kind(self, positions: Sequence[int], kind: DestinationKind) -> Positions:
        return _packed(_where(positions, self._kinds, is_, kind))

    def _ranked(self, leading: Positions, rest: Positions) -> DestinationMatches:
        return DestinationMatches(self._specs, self._positions, leading, rest)


def _in_catalog_order(leading: Sequence[int], rest: Sequence[int]) -> Sequence[int]:
    if not rest:
        return leading
    if not leading:
        return rest
    # Two ascending runs: the sort only merges them.
    return sorted(chain(leading, rest))


# The loops below run once per key over up to every entry, so they are built from
# itertools and operator, which run them without a Python step per entry.


def _each(
    positions: Iterable[int],
    values: Sequence[Value],
    test: Callable[[Value, Argument], bool],
    argument: Argument,
) -> Iterator[bool]:
    """``test(values[p], argument)`` for each position ``p``."""
    return map(test, map(values.__getitem__, positions), repeat(argument))


def _where(
    positions: Sequence[int],
    values: Sequence[Value],
    test: Callable[[Value, Argument], bool],
    argument: Argument,
) -> list[int]:
    """The positions ``p`` (in their order) where ``test(values[p], argument)`` holds."""
    return list(compress(positions, _each(positions, values, test, argument)))


def _packed(positions: Iterable[int]) -> Positions:
    return array("i", positions)


_NONE = (_packed(()), _packed(()))
"""What a character no entry contains finds."""


def _ranked_by_character(
    haystacks: list[str], names: list[str], slugs: list[str]
) -> dict[str, tuple[Positions, Positions]]:
    """For each character of any entry, the entries whose text contains it: those whose
    name or slug begins with it, then the others, each in catalog order."""
    # One int object per position, which the passes below hand on instead of making one
    # per character per entry.
    positions = list(range(len(haystacks)))
    beginning: defaultdict[str, list[int]] = defaultdict(list)
    for position, name, slug in zip(positions, names, slugs, strict=True):
        beginning[name[:1]].append(position)
        if slug[:1] != name[:1]:
            beginning[slug[:1]].append(position)
    ranked: dict[str, tuple[Positions, Positions]] = {}
    for character in set("".join(haystacks)):
        if character.isspace():
            continue  # words are split at white space, so never contain it
        containing = compress(positions, map(contains, haystacks, repeat(character)))
        if character not in beginning:
            ranked[character] = (_packed(()), _packed(containing))
            continue
        leading_set = set(beginning[character])
        ranked[character] = (
            _packed(beginning[character]),
            _packed(filterfalse(leading_set.__contains__, containing)),
        )
    return ranked


def search_destinations(
    catalog: Catalog, text: str, kind: DestinationKind | None = None
) -> tuple[DestinationSpec, ...]:
    """One search without keeping an index (the CLI, tests); see ``DestinationIndex``."""
    return DestinationIndex(catalog).search(text, kind)
