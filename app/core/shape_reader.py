"""Reading parsed JSON into a record (``app.core.shapes``), strictly.

Two readers share the work. The quick one, made once per record type, takes data that
fits as it is and refuses anything else without saying why; ``idsync check`` over a
folder of documents reads nearly every file with it alone. When it refuses, the
explaining reader goes over the same data and names every problem with its place
(``identifiers[2].strategy``), in field order, for the person to fix.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Final, TypeVar, cast

from app.core.shapes import (
    FLAG,
    TEXT,
    WHOLE,
    Choice,
    Exactly,
    Kind,
    ListOf,
    Location,
    Maybe,
    Nested,
    Record,
    ShapeError,
    ShapeProblem,
    Tagged,
    describe,
    required_fields,
)

R = TypeVar("R", bound=Record)


def build(record: type[R], data: object) -> R:
    """The record that ``data`` (parsed JSON) describes; ShapeError lists every misfit."""
    try:
        return cast(R, _quick_reader(record)(data))
    except _Misfit:
        pass
    problems: list[ShapeProblem] = []
    built = _record(record, data, (), problems)
    if problems:
        raise ShapeError(problems)
    return cast(R, built)  # not reached while both readers agree; a test holds them to it


# --- the quick reader ----------------------------------------------------------------


class _Misfit(Exception):
    """The data does not fit as it is; the explaining reader will say how."""


_Read = Callable[[object], object]
_QUICK: dict[type, _Read] = {}


def _quick_reader(record: type[Record]) -> _Read:
    reader = _QUICK.get(record)
    if reader is None:
        reader = _compile(record)
        _QUICK[record] = reader
    return reader


def _compile(record: type[Record]) -> _Read:
    """A function that reads one JSON object into ``record``, written out for this type.

    Written as source and compiled, as ``dataclasses`` writes ``__init__``: a loop over
    the fields that asked each one's kind what to do took three times as long, and a
    check of a folder spends a third of its time here. The record is made without its
    ``__init__`` (a frozen dataclass's sets each field through ``object.__setattr__``);
    its ``__post_init__``, if any, still runs.
    """
    names: dict[str, Any] = {
        "_Misfit": _Misfit,
        "_new": object.__new__,
        "_record": record,
        "_absent": _ABSENT,
        "_post_init": getattr(record, "__post_init__", None),
    }
    fields = {field.name: field for field in dataclasses.fields(record)}
    lines = [
        "def read(data):",
        "    if type(data) is not dict:",
        "        raise _Misfit",
        "    made = _new(_record)",
        "    state = made.__dict__",
        "    present = 0",
    ]
    for index, (name, kind) in enumerate(record.SHAPE.items()):
        field = fields[name]
        lines.append(f"    value = data.get({name!r}, _absent)")
        lines.append("    if value is _absent:")
        if field.default is not dataclasses.MISSING:
            names[f"_default_{index}"] = field.default
            lines.append(f"        state[{name!r}] = _default_{index}")
        elif field.default_factory is not dataclasses.MISSING:
            names[f"_factory_{index}"] = field.default_factory
            lines.append(f"        state[{name!r}] = _factory_{index}()")
        else:
            lines.append("        raise _Misfit")
        lines.append("    else:")
        lines.append("        present += 1")
        lines.extend("        " + line for line in _check_lines(kind, index, names))
        lines.append(f"        state[{name!r}] = value")
    lines += [
        "    if present != len(data):",  # a member that is not a field
        "        raise _Misfit",
        "    if _post_init is not None:",
        "        _post_init(made)",
        "    return made",
    ]
    exec("\n".join(lines), names)
    return cast(_Read, names["read"])


def _check_lines(kind: Kind, index: int, names: dict[str, Any]) -> list[str]:
    """Lines that check ``value`` against ``kind`` and leave the value to keep in it."""
    if kind is TEXT:
        return ["if type(value) is not str:", "    raise _Misfit"]
    if kind is FLAG:
        return ["if type(value) is not bool:", "    raise _Misfit"]
    if kind is WHOLE:
        return ["if type(value) is not int:", "    raise _Misfit"]
    if isinstance(kind, Choice):
        names[f"_members_{index}"] = kind.by_value
        return [
            f"value = _members_{index}.get(value) if type(value) is str else None",
            "if value is None:",
            "    raise _Misfit",
        ]
    if isinstance(kind, Exactly):
        names[f"_values_{index}"] = _typed_values(kind)
        return [
            "if type(value) not in (str, int) or (type(value), value) not in "
            f"_values_{index}:",
            "    raise _Misfit",
        ]
    names[f"_read_{index}"] = _quick_kind(kind)
    return [f"value = _read_{index}(value)"]


def _typed_values(kind: Exactly) -> frozenset[tuple[type, object]]:
    # By type too: true is not 1, and 2.0 is not the version 2.
    return frozenset((type(value), value) for value in kind.values)


def _quick_kind(kind: Kind) -> _Read:
    """A reader for a value of ``kind`` (used for lists, nested records and the rest)."""
    if isinstance(kind, Nested):
        return _quick_reader(kind.record)
    if isinstance(kind, ListOf):
        return _quick_list(kind)
    if isinstance(kind, Maybe):
        inner = _quick_kind(kind.kind)
        return lambda value: None if value is None else inner(value)
    if isinstance(kind, Tagged):
        return _quick_tagged(kind)
    if isinstance(kind, Choice):
        members = kind.by_value

        def read_choice(value: object) -> object:
            member = members.get(value) if type(value) is str else None
            if member is None:
                raise _Misfit
            return member

        return read_choice
    if isinstance(kind, Exactly):
        values = _typed_values(kind)

        def read_exactly(value: object) -> object:
            if type(value) not in (str, int) or (type(value), value) not in values:
                raise _Misfit
            return value

        return read_exactly
    wanted = _PLAIN_TYPES.get(kind)
    if wanted is None:
        raise TypeError(f"no reader for {kind!r}")

    def read_plain(value: object) -> object:
        if type(value) is not wanted:
            raise _Misfit
        return value

    return read_plain


_PLAIN_TYPES: Final[dict[Kind, type]] = {TEXT: str, FLAG: bool, WHOLE: int}


def _quick_list(kind: ListOf) -> _Read:
    at_least = kind.at_least
    if kind.item is TEXT:

        def read_texts(value: object) -> object:
            if type(value) is not list or len(value) < at_least:
                raise _Misfit
            for item in value:
                if type(item) is not str:
                    raise _Misfit
            return tuple(value)

        return read_texts
    read_item = _quick_kind(kind.item)

    def read_items(value: object) -> object:
        if type(value) is not list or len(value) < at_least:
            raise _Misfit
        return tuple([read_item(item) for item in value])

    return read_items


def _quick_tagged(kind: Tagged) -> _Read:
    readers = {tag: _quick_reader(record) for tag, record in kind.records.items()}
    tag_name = kind.tag

    def read_tagged(value: object) -> object:
        if type(value) is not dict:
            raise _Misfit
        tag = value.get(tag_name)
        reader = readers.get(tag) if type(tag) is str else None
        if reader is None:
            raise _Misfit
        return reader(value)

    return read_tagged


# --- the explaining reader -----------------------------------------------------------

_INVALID: Final = object()
_ABSENT: Final = object()


def _record(record: type[Record], data: object, loc: Location, out: list[ShapeProblem]) -> object:
    if type(data) is not dict:
        return _misfit(out, "not_object", loc, data, f"should be an object, not {describe(data)}")
    found = len(out)
    values: dict[str, object] = {}
    required = required_fields(record)
    for name, kind in record.SHAPE.items():
        if name in data:
            value = _value(kind, data[name], (*loc, name), out)
            if value is not _INVALID:
                values[name] = value
        elif name in required:
            out.append(ShapeProblem("missing", (*loc, name), None, "is required but missing"))
    for key in data:
        if key not in record.SHAPE:
            message = "is not a known field"
            out.append(ShapeProblem("unknown_field", (*loc, key), data[key], message))
    if len(out) > found:
        return _INVALID
    return record(**values)


def _value(kind: Kind, data: object, loc: Location, out: list[ShapeProblem]) -> object:
    if kind is TEXT:
        if type(data) is str:
            return data
        return _misfit(out, "not_text", loc, data, f"should be text, not {describe(data)}")
    if kind is FLAG:
        if type(data) is bool:
            return data
        return _misfit(out, "not_flag", loc, data, f"should be true or false, not {describe(data)}")
    if kind is WHOLE:
        if type(data) is int:
            return data
        message = f"should be a whole number, not {describe(data)}"
        return _misfit(out, "not_whole", loc, data, message)
    if isinstance(kind, Choice):
        member = kind.by_value.get(data) if type(data) is str else None
        if member is not None:
            return member
        return _not_one_of(tuple(kind.by_value), data, loc, out)
    if isinstance(kind, Exactly):
        if any(type(data) is type(value) and data == value for value in kind.values):
            return data
        return _not_one_of(kind.values, data, loc, out)
    if isinstance(kind, ListOf):
        return _list(kind, data, loc, out)
    if isinstance(kind, Nested):
        return _record(kind.record, data, loc, out)
    if isinstance(kind, Maybe):
        return None if data is None else _value(kind.kind, data, loc, out)
    if isinstance(kind, Tagged):
        return _tagged(kind, data, loc, out)
    raise TypeError(f"no reader for {kind!r}")


def _list(kind: ListOf, data: object, loc: Location, out: list[ShapeProblem]) -> object:
    if type(data) is not list:
        return _misfit(out, "not_list", loc, data, f"should be a list, not {describe(data)}")
    if len(data) < kind.at_least:
        return _misfit(out, "too_short", loc, data, "needs at least one entry")
    items = [_value(kind.item, item, (*loc, index), out) for index, item in enumerate(data)]
    return _INVALID if _INVALID in items else tuple(items)


def _tagged(kind: Tagged, data: object, loc: Location, out: list[ShapeProblem]) -> object:
    if type(data) is not dict:
        return _misfit(out, "not_object", loc, data, f"should be an object, not {describe(data)}")
    tags = tuple(kind.records)
    if kind.tag not in data:
        message = f"is missing (one of {', '.join(tags)})"
        out.append(ShapeProblem("tag_missing", (*loc, kind.tag), None, message, tags))
        return _INVALID
    tag = data[kind.tag]
    record = kind.records.get(tag) if type(tag) is str else None
    if record is None:
        message = f"{describe(tag)} is not one of {', '.join(tags)}"
        out.append(ShapeProblem("tag_unknown", (*loc, kind.tag), tag, message, tags))
        return _INVALID
    return _record(record, data, loc, out)


def _misfit(
    out: list[ShapeProblem], type: str, loc: Location, data: object, message: str
) -> object:
    out.append(ShapeProblem(type, loc, data, message))
    return _INVALID


def _not_one_of(
    values: tuple[str | int, ...], data: object, loc: Location, out: list[ShapeProblem]
) -> object:
    message = f"{describe(data)} is not one of {', '.join(str(value) for value in values)}"
    out.append(ShapeProblem("not_choice", loc, data, message, values))
    return _INVALID
