"""Load the catalog JSON files into the typed ``idsync.core.catalog`` objects.

Every failure becomes a ``CatalogError`` that names the file, the field and, whenever
the text allows, the line and column, so a broken catalog is fixed in one look.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Final, TypeVar

from pydantic import Field, ValidationError

from idsync.core.catalog import Catalog, CustomIdentifierKind, DestinationSpec, IdentifierSpec
from idsync.core.model import Record
from idsync.core.positions import line_and_column, misfits, offset_of
from idsync.resources import resource_path
from idsync.storage.bounded import (
    Problem,
    ReadError,
    decode_utf8,
    lone_surrogate_at,
    parse_json,
    read_bytes,
)

IDENTIFIERS_FILE: Final = "identifiers.json"
DESTINATIONS_FILE: Final = "destinations.json"
SCHEMA_FILE: Final = "catalog.schema.json"

# The shipped files are a few dozen kilobytes and a workspace's full catalog a few megabytes;
# anything this large is not a catalog.
MAX_FILE_BYTES: Final = 16 * 1024 * 1024

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_IDENTIFIER_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")

_HINT: Final = "Correct the file, or reinstall idsync-configurator to restore the shipped catalog."

_JsonPath = Sequence[str | int]


class CatalogError(Exception):
    """A catalog file that cannot be used, with where and why."""

    def __init__(
        self,
        path: Path,
        problem: str,
        *,
        field: str | None = None,
        line: int | None = None,
        column: int | None = None,
        more: int = 0,
    ) -> None:
        self.path = path
        self.problem = problem
        self.field = field
        self.line = line
        self.column = column
        self.more = more
        super().__init__(self._render())

    def _render(self) -> str:
        # PATH:LINE:COL:, as a document's errors and compilers write it: editors jump there.
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        text = f"{where}: "
        if self.field:
            text += f"{self.field}: "
        text += self.problem.rstrip(".") + "."
        if self.more:
            text += f" ({self.more} more problem{'s' if self.more != 1 else ''} in this file.)"
        return f"{text} {_HINT}"


_FileRecord = TypeVar("_FileRecord", bound="_CatalogFile")

class _CatalogFile(Record):
    schema_ref: str | None = Field(default=None, alias="$schema")
    """A file may name its JSON Schema; the member is checked, then set aside."""


class _IdentifiersFile(_CatalogFile):
    identifiers: tuple[IdentifierSpec, ...] = Field(min_length=1)
    custom_identifier_kinds: tuple[CustomIdentifierKind, ...] = ()


class _DestinationsFile(_CatalogFile):
    destinations: tuple[DestinationSpec, ...] = Field(min_length=1)


# ---------------------------------------------------------------------------- reading


def _read_text(path: Path) -> str:
    try:
        return decode_utf8(read_bytes(path, MAX_FILE_BYTES))
    except ReadError as exc:
        if exc.problem is Problem.MISSING:
            raise CatalogError(path, "the file is missing") from None
        if exc.problem is Problem.TOO_BIG:
            size = f"{exc.size} bytes" if exc.size is not None else "too big"
            raise CatalogError(
                path, f"the file is {size}, more than a catalog can be ({MAX_FILE_BYTES})"
            ) from None
        if exc.problem is Problem.NOT_UTF8:
            raise CatalogError(
                path, f"the file is not UTF-8 text (byte 0x{exc.byte or 0:02x})", line=exc.line
            ) from None
        raise CatalogError(path, f"the file cannot be read ({exc.reason})") from None


def _parse_json(path: Path, text: str) -> Any:
    # The app's one JSON reader: deep nesting, over-long numbers and a lack of memory
    # become this file's error like any syntax error.
    try:
        return parse_json(text)
    except ReadError as exc:
        if exc.problem is Problem.NOT_JSON:
            raise CatalogError(
                path, f"not valid JSON: {exc.detail or exc.reason}", line=exc.line,
                column=exc.column,
            ) from None
        raise CatalogError(path, f"not usable JSON: {exc.reason}") from None


# ---------------------------------------------------------------------------- locations


def _field_name(loc: _JsonPath, data: Any) -> str:
    """``destinations[3] ("braze").preset_keys[0].key``: items named by slug, id or key."""
    parts: list[str] = []
    node: Any = data
    for step in loc:
        if isinstance(step, int):
            parts.append(f"[{step}]")
            node = node[step] if isinstance(node, list) and 0 <= step < len(node) else None
            label = _item_label(node)
            if label:
                parts.append(f" ({label})")
        else:
            parts.append(f".{step}" if parts else step)
            node = node.get(step) if isinstance(node, dict) else None
    return "".join(parts) or "(top level)"


def _item_label(node: Any) -> str:
    if isinstance(node, dict):
        for key in ("slug", "segment_slug", "id", "key"):
            value = node.get(key)
            if isinstance(value, str) and value:
                return f'"{value}"'
    return ""


def _error_at(
    path: Path, text: str, data: Any, loc: _JsonPath, problem: str, more: int = 0
) -> CatalogError:
    line, column = line_and_column(text, offset_of(text, loc))
    return CatalogError(
        path, problem, field=_field_name(loc, data), line=line, column=column, more=more
    )


def _validate(path: Path, text: str, data: Any, record: type[_FileRecord]) -> _FileRecord:
    if not isinstance(data, dict):
        raise CatalogError(
            path, 'the file must hold one JSON object, like {"...": [...]}', line=1, column=1
        )
    offset = lone_surrogate_at(text, data)
    if offset is not None:
        # Such text reaches documents through the destination's name and cannot be saved.
        line, column = line_and_column(text, offset)
        raise CatalogError(
            path,
            "holds text with an unpaired UTF-16 surrogate escape (\\ud8xx), which no "
            "UTF-8 file can hold",
            line=line,
            column=column,
        )
    try:
        return record.model_validate_json(text)
    except ValidationError as exc:
        found = misfits(exc, text, data)
        first = found[0]
        raise CatalogError(
            path,
            first.message,
            field=_field_name(first.path, data),
            line=first.line,
            column=first.column,
            more=len(found) - 1,
        ) from None


# ---------------------------------------------------------------------------- cross checks


def _identifier_problems(items: Sequence[IdentifierSpec]) -> Iterator[tuple[_JsonPath, str]]:
    seen: set[str] = set()
    for index, spec in enumerate(items):
        if not _IDENTIFIER_ID.match(spec.id):
            yield (
                ["identifiers", index, "id"],
                f"{spec.id!r} is not an identifier type (lowercase words joined by dots)",
            )
        if spec.id in seen:
            yield ["identifiers", index, "id"], f"identifier {spec.id!r} is listed twice"
        seen.add(spec.id)


def _destination_problems(
    items: Sequence[DestinationSpec], known_identifiers: frozenset[str]
) -> Iterator[tuple[_JsonPath, str]]:
    seen: set[str] = set()
    for index, spec in enumerate(items):
        at: list[str | int] = ["destinations", index]
        if not _SLUG.match(spec.slug):
            yield [*at, "slug"], f"{spec.slug!r} is not a slug (lowercase words joined by -)"
        if spec.slug in seen:
            yield [*at, "slug"], f"slug {spec.slug!r} is used by an earlier destination"
        seen.add(spec.slug)
        if spec.identifier_mode == "preset" and not spec.preset_keys:
            yield [*at, "identifier_mode"], "preset mode needs at least one entry in preset_keys"
        if spec.identifier_mode == "free" and spec.preset_keys:
            yield [*at, "preset_keys"], "preset_keys are only allowed with identifier_mode preset"
        if spec.segment_slug is not None and spec.segment_slug != spec.slug:
            yield [*at, "slug"], (
                f"slug {spec.slug!r} differs from segment_slug {spec.segment_slug!r}; an entry "
                f"Segment lists is stored under Segment's slug"
            )
        for list_name in ("preset_keys", "known_fields"):
            keys: set[str] = set()
            for key_index, field in enumerate(getattr(spec, list_name)):
                if field.key in keys:
                    yield [*at, list_name, key_index, "key"], f"key {field.key!r} repeats"
                keys.add(field.key)
        references = (
            ("default_identifiers", spec.default_identifiers, [*at]),
            (
                "matcher_identifiers",
                spec.constraints.matcher_identifiers,
                [*at, "constraints"],
            ),
        )
        for name, segments, where in references:
            for ref_index, segment in enumerate(segments):
                if segment not in known_identifiers:
                    yield (
                        [*where, name, ref_index],
                        f"{segment!r} is not an identifier in {IDENTIFIERS_FILE}",
                    )


def _raise_first(
    path: Path, text: str, data: Any, problems: Iterator[tuple[_JsonPath, str]]
) -> None:
    found = list(problems)
    if found:
        loc, problem = found[0]
        raise _error_at(path, text, data, loc, problem, more=len(found) - 1)


# ---------------------------------------------------------------------------- public


def load_identifiers(
    path: Path,
) -> tuple[tuple[IdentifierSpec, ...], tuple[CustomIdentifierKind, ...]]:
    """The default identifiers, and the kinds of common custom identifier names."""
    text = _read_text(path)
    data = _parse_json(path, text)
    parsed = _validate(path, text, data, _IdentifiersFile)
    _raise_first(path, text, data, _identifier_problems(parsed.identifiers))
    return parsed.identifiers, parsed.custom_identifier_kinds


def load_destinations(path: Path, known_identifiers: frozenset[str]) -> tuple[DestinationSpec, ...]:
    text = _read_text(path)
    data = _parse_json(path, text)
    parsed = _validate(path, text, data, _DestinationsFile)
    _raise_first(path, text, data, _destination_problems(parsed.destinations, known_identifiers))
    return parsed.destinations


def load_catalog_from(folder: Path) -> Catalog:
    """Read ``identifiers.json`` and ``destinations.json`` from ``folder``."""
    identifiers, custom_kinds = load_identifiers(folder / IDENTIFIERS_FILE)
    known = frozenset(spec.id for spec in identifiers)
    destinations = load_destinations(folder / DESTINATIONS_FILE, known)
    return Catalog(
        identifiers=identifiers, destinations=destinations, custom_identifier_kinds=custom_kinds
    )


def shipped_catalog_dir() -> Path:
    try:
        return resource_path("catalog")
    except FileNotFoundError as exc:
        raise CatalogError(Path("catalog"), str(exc)) from None


@functools.cache
def load_catalog() -> Catalog:
    """The catalog shipped with the app, read once per process."""
    return load_catalog_from(shipped_catalog_dir())
