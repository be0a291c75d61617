"""The JSON shape of the app's records, declared once, and the records written as JSON.

The document and the catalog are frozen dataclasses; each declares, in ``SHAPE``, the
JSON kind of every field (text, a flag, one of some values, a list of ..., a nested
record). From that one declaration come the reading of files
(``app.core.shape_reader.build``: strict, every problem with its place), the writing
(:func:`to_data`, in field order) and the document's JSON Schema (``app.core.schema``).

Plain Python rather than pydantic: loading pydantic and building its models cost a
command such as ``idsync check FILE`` half again the start of pydantic itself, and the
window 10 MiB (benchmarks/RESULTS.md). Values built in Python are trusted as typed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, Final, Protocol, cast

if TYPE_CHECKING:
    from typing_extensions import Self


class Record(Protocol):
    """A frozen dataclass that declares the JSON kind of each of its fields."""

    SHAPE: ClassVar[Mapping[str, Kind]]
    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]


class Frozen:
    """The base of the records (each also a frozen dataclass)."""

    def replace(self, **changes: Any) -> Self:
        """A copy with ``changes`` made; the original is unchanged."""
        return cast("Self", dataclasses.replace(cast(Any, self), **changes))


# --- the kinds a field can have ------------------------------------------------------


class Kind:
    """What one field holds in JSON."""

    __slots__ = ()


class Text(Kind):
    __slots__ = ()


class Flag(Kind):
    __slots__ = ()


class Whole(Kind):
    """An integer (a JSON number without a fraction; never true or false)."""

    __slots__ = ()


TEXT: Final = Text()
FLAG: Final = Flag()
WHOLE: Final = Whole()


class Choice(Kind):
    """One value of a str Enum, written as its value."""

    __slots__ = ("by_value",)

    def __init__(self, enum: type[Enum]) -> None:
        self.by_value: dict[str, Enum] = {member.value: member for member in enum}


class Exactly(Kind):
    """One of some fixed JSON values (a format name, a version number, a mode)."""

    __slots__ = ("values",)

    def __init__(self, *values: str | int) -> None:
        self.values = values


class ListOf(Kind):
    """A JSON list, kept as a tuple."""

    __slots__ = ("at_least", "item")

    def __init__(self, item: Kind, *, at_least: int = 0) -> None:
        self.item = item
        self.at_least = at_least


class Nested(Kind):
    __slots__ = ("record",)

    def __init__(self, record: type[Record]) -> None:
        self.record = record


class Maybe(Kind):
    """The kind, or null (None)."""

    __slots__ = ("kind",)

    def __init__(self, kind: Kind) -> None:
        self.kind = kind


class Tagged(Kind):
    """One of several records, told apart by the value of the member ``tag``."""

    __slots__ = ("records", "tag")

    def __init__(self, tag: str, records: Mapping[str, type[Record]]) -> None:
        self.tag = tag
        self.records = dict(records)


# --- problems ------------------------------------------------------------------------

Location = tuple[str | int, ...]


@dataclasses.dataclass(frozen=True)
class ShapeProblem:
    """One way the data does not fit. ``type`` is a stable name readers word themselves
    (missing, unknown_field, not_text, not_flag, not_whole, not_object, not_list,
    too_short, not_choice, tag_missing, tag_unknown); ``message`` is a plain fallback."""

    type: str
    loc: Location
    input: object
    message: str
    choices: tuple[str | int, ...] = ()


class ShapeError(ValueError):
    """The data does not fit the record; ``problems`` lists every misfit, in order."""

    def __init__(self, problems: list[ShapeProblem]) -> None:
        self.problems = problems
        first = problems[0]
        where = ".".join(str(part) for part in first.loc) or "(top level)"
        super().__init__(f"{where}: {first.message}")


def describe(value: object) -> str:
    """How a message names a JSON value: 'the number 1', 'a list', "'yes'"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


_REQUIRED: dict[type, frozenset[str]] = {}


def required_fields(record: type[Record]) -> frozenset[str]:
    """The fields a JSON object must name: those without a default."""
    names = _REQUIRED.get(record)
    if names is None:
        names = frozenset(
            field.name
            for field in dataclasses.fields(record)
            if field.default is dataclasses.MISSING
            and field.default_factory is dataclasses.MISSING
        )
        _REQUIRED[record] = names
    return names


# --- writing -------------------------------------------------------------------------


def to_data(record: Record, *, json: bool = True) -> dict[str, Any]:
    """The record as a dict in field order: JSON values (``json``), or with enums and
    tuples kept as they are, nested records as dicts."""
    return {name: _out(getattr(record, name), json) for name in record.SHAPE}


def to_json_value(value: object) -> object:
    """One field's value as JSON data."""
    return _out(value, True)


def _out(value: object, json: bool) -> object:
    if isinstance(value, Enum):
        return value.value if json else value
    if isinstance(value, tuple):
        items = [_out(item, json) for item in value]
        return items if json else tuple(items)
    if hasattr(value, "SHAPE"):
        return to_data(cast(Record, value), json=json)
    return value
