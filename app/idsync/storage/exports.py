"""Exports of a document, and their history entries, for the window and the CLI alike.

The native document is an export too (a copy for a reviewer); the request bodies are the
exact JSON the Public API takes. Every export is kept in history in the same words from
either side.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from idsync.core.api_mapping import create_body, update_body
from idsync.core.model import IdSyncDocument
from idsync.storage.documents import dump_document

if TYPE_CHECKING:
    from idsync.storage.history import HistoryEntry, HistoryStore


class ExportKind(str, Enum):
    DOCUMENT = "document"
    CREATE_BODY = "create-body"
    UPDATE_BODY = "update-body"

    @property
    def label(self) -> str:
        return {
            ExportKind.DOCUMENT: "Document",
            ExportKind.CREATE_BODY: "Create body",
            ExportKind.UPDATE_BODY: "Update body",
        }[self]


def body_text(kind: ExportKind, doc: IdSyncDocument) -> str:
    """The text of an export; raises NotPushable for a body the document cannot make."""
    if kind is ExportKind.DOCUMENT:
        return dump_document(doc).decode("utf-8")
    body = create_body(doc) if kind is ExportKind.CREATE_BODY else update_body(doc)
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def record_export(
    store: HistoryStore,
    doc: IdSyncDocument,
    kind: ExportKind,
    *,
    source_path: Path | str | None,
    written_to: Path | str | None,
) -> HistoryEntry:
    """Keep ``doc`` as exported to ``written_to`` (None: standard output).

    OSError and UnicodeEncodeError propagate: the caller says so beside the export,
    which has already happened and stands.
    """
    from idsync.storage.history import HistoryEvent  # the store is loaded by the caller

    where = str(written_to) if written_to is not None else "standard output"
    return store.record(
        doc,
        HistoryEvent.EXPORT,
        source_path=source_path if source_path is not None else written_to,
        detail=f"{kind.label} exported to {where}",
    )

