"""The JSON Schema of the native document, for editors, CI checks and reviewers."""

from __future__ import annotations

from typing import Any, Final

from app.core.model import FORMAT_NAME, FORMAT_VERSION, IdSyncDocument

SCHEMA_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID: Final = f"urn:idsync-configurator:{FORMAT_NAME}:{FORMAT_VERSION}"
_ALWAYS_REQUIRED: Final = ("format", "version")


def document_json_schema() -> dict[str, Any]:
    """JSON Schema (2020-12) of an ``idsync-config`` document of the current version.

    The schema checks shape and types only; the rules (``idsync check``) check meaning.
    """
    generated = IdSyncDocument.model_json_schema(mode="validation")
    generated.pop("title", None)
    # The reader refuses a file without these two, although the model has defaults for them.
    required = [name for name in generated.get("required", []) if name not in _ALWAYS_REQUIRED]
    generated["required"] = [*_ALWAYS_REQUIRED, *required]
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": SCHEMA_ID,
        "title": f"ID Sync Configurator document ({FORMAT_NAME}, version {FORMAT_VERSION})",
        **generated,
    }
