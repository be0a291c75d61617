"""The open document, its undo history and its findings, shared by every page.

Widgets never hold domain state: they read ``controller.document`` and call
``controller.edit(new_document, "description")``. Every edit is an undo command holding
the document before and after (documents are immutable, so that is cheap and exact).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from idsync.core.findings import Finding
from idsync.core.model import IdSyncDocument

Validator = Callable[[IdSyncDocument], list[Finding]]


class _ReplaceDocument(QUndoCommand):
    def __init__(
        self,
        controller: DocumentController,
        before: IdSyncDocument,
        after: IdSyncDocument,
        text: str,
        merge_key: str | None,
    ) -> None:
        super().__init__(text)
        self._controller = controller
        self.before = before
        self.after = after
        self.merge_key = merge_key

    def redo(self) -> None:
        self._controller._show(self.after)

    def undo(self) -> None:
        self._controller._show(self.before)

    def id(self) -> int:
        # Consecutive edits with the same key (typing into one field) merge into one step.
        return 1 if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _ReplaceDocument) or other.merge_key != self.merge_key:
            return False
        self.after = other.after
        return True


class DocumentController(QObject):
    """Owns the current document; emits what changed so views update precisely."""

    # (before, after) documents
    documentChanged = Signal(object, object)
    findingsChanged = Signal(list)
    pathChanged = Signal(object)

    def __init__(
        self,
        validator: Validator,
        parent: QObject | None = None,
        document: IdSyncDocument | None = None,
    ) -> None:
        super().__init__(parent)
        self._validator = validator
        self._document = document if document is not None else IdSyncDocument()
        self._findings: list[Finding] = validator(self._document)
        self._path: Path | None = None
        self.undo_stack = QUndoStack(self)

    @property
    def document(self) -> IdSyncDocument:
        return self._document

    @property
    def findings(self) -> list[Finding]:
        return self._findings

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def is_dirty(self) -> bool:
        return not self.undo_stack.isClean()

    def edit(self, after: IdSyncDocument, text: str, merge_key: str | None = None) -> None:
        """Apply an edit as one undoable step; a no-op edit records nothing."""
        if after == self._document:
            return
        self.undo_stack.push(_ReplaceDocument(self, self._document, after, text, merge_key))

    def load(self, document: IdSyncDocument, path: Path | None) -> None:
        """Replace the document wholesale (New, Open, restore): history starts afresh."""
        self.undo_stack.clear()
        self._show(document)
        self.set_path(path)
        self.undo_stack.setClean()

    def mark_saved(self, path: Path) -> None:
        self.set_path(path)
        self.undo_stack.setClean()

    def mark_unsaved(self) -> None:
        """Used after restoring an autosave: the content is not in any file yet."""
        self.undo_stack.resetClean()

    def set_path(self, path: Path | None) -> None:
        if path != self._path:
            self._path = path
            self.pathChanged.emit(path)

    def _show(self, document: IdSyncDocument) -> None:
        before = self._document
        findings_before = self._findings
        self._document = document
        self._findings = self._validator(document)
        self.documentChanged.emit(before, document)
        # Most keystrokes leave the findings as they were: repainting every finding view
        # (icons, lists, the sidebar) for nothing is what made typing slow.
        if self._findings != findings_before:
            self.findingsChanged.emit(self._findings)
