"""The JSON Schema of the native document, for editors, CI checks and reviewers."""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any, Final

from app.core.model import FORMAT_NAME, FORMAT_VERSION, IdSyncDocument
from app.core.shapes import (
    FLAG,
    TEXT,
    WHOLE,
    Choice,
    Exactly,
    Kind,
    ListOf,
    Maybe,
    Nested,
    Record,
    Tagged,
    required_fields,
    to_json_value,
)

SCHEMA_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID: Final = f"urn:idsync-configurator:{FORMAT_NAME}:{FORMAT_VERSION}"
_ALWAYS_REQUIRED: Final = ("format", "version")


def document_json_schema() -> dict[str, Any]:
    """JSON Schema (2020-12) of an ``idsync-config`` document of the current version.

    The schema checks shape and types only; the rules (``idsync check``) check meaning.
    """
    generated = _json_schema(IdSyncDocument)
    # The reader refuses a file without these two, although the model has defaults for them.
    required = [name for name in generated.get("required", []) if name not in _ALWAYS_REQUIRED]
    generated["required"] = [*_ALWAYS_REQUIRED, *required]
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": SCHEMA_ID,
        "title": f"ID Sync Configurator document ({FORMAT_NAME}, version {FORMAT_VERSION})",
        **generated,
    }


# --- JSON Schema ---------------------------------------------------------------------

def _json_schema(record: type[Record]) -> dict[str, Any]:
    """JSON Schema (2020-12) of ``record``: nested records under ``$defs``, by class name;
    a field's ``metadata["doc"]`` is its description."""
    definitions: dict[str, Any] = {}
    top = _object_schema(record, definitions)
    if definitions:
        top["$defs"] = dict(sorted(definitions.items()))
    return top


def _object_schema(
    record: type[Record],
    definitions: dict[str, Any],
) -> dict[str, Any]:
    defaults = {
        field.name: field.default
        for field in dataclasses.fields(record)
        if field.default is not dataclasses.MISSING
    }
    docs = {field.name: field.metadata.get("doc") for field in dataclasses.fields(record)}
    properties: dict[str, Any] = {}
    for name, kind in record.SHAPE.items():
        member = _kind_schema(kind, definitions)
        text = docs.get(name)
        if text:
            member["description"] = text
        if name in defaults and _plain(defaults[name]):
            member["default"] = to_json_value(defaults[name])
        properties[name] = member
    required = [name for name in record.SHAPE if name in required_fields(record)]
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False
    doc = (record.__doc__ or "").strip()
    if doc and not doc.startswith(record.__name__ + "("):  # not the dataclass signature
        schema["description"] = " ".join(doc.split())
    return schema


def _plain(value: object) -> bool:
    return value is None or isinstance(value, (str, int, bool, Enum, tuple))


def _kind_schema(
    kind: Kind, definitions: dict[str, Any]
) -> dict[str, Any]:
    if kind is TEXT:
        return {"type": "string"}
    if kind is FLAG:
        return {"type": "boolean"}
    if kind is WHOLE:
        return {"type": "integer"}
    if isinstance(kind, Choice):
        return {"enum": list(kind.by_value)}
    if isinstance(kind, Exactly):
        # JSON Schema cannot tell 2.0 from 2 (the reader refuses 2.0): "integer" is as
        # near as it comes.
        json_type = "integer" if all(isinstance(v, int) for v in kind.values) else "string"
        if len(kind.values) == 1:
            return {"type": json_type, "const": kind.values[0]}
        return {"type": json_type, "enum": list(kind.values)}
    if isinstance(kind, ListOf):
        schema: dict[str, Any] = {
            "type": "array",
            "items": _kind_schema(kind.item, definitions),
        }
        if kind.at_least:
            schema["minItems"] = kind.at_least
        return schema
    if isinstance(kind, Nested):
        return _reference(kind.record, definitions)
    if isinstance(kind, Maybe):
        return {"anyOf": [_kind_schema(kind.kind, definitions), {"type": "null"}]}
    if isinstance(kind, Tagged):
        choices = [_reference(record, definitions) for record in kind.records.values()]
        for record in kind.records.values():
            # The reader needs the tag even where the record has a default for it.
            required = definitions[record.__name__].setdefault("required", [])
            if kind.tag not in required:
                required.insert(0, kind.tag)
        return {"oneOf": choices}
    raise TypeError(f"no schema for {kind!r}")


def _reference(
    record: type[Record],
    definitions: dict[str, Any],
) -> dict[str, Any]:
    name = record.__name__
    if name not in definitions:
        definitions[name] = {}  # taken before recursing, so a cycle ends
        definitions[name] = _object_schema(record, definitions)
    return {"$ref": f"#/$defs/{name}"}
