"""New, Open, Save, Save As, Export and the recent-files list, with their dialogs.

The message boxes (``idsync.ui.dialogs``) are imported when one is first shown: building
QMessageBox's Python type would slow every window start.

A failed read leaves the open document as it was; a failed write leaves it unsaved.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDir, QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from idsync.core.api_mapping import NotPushable
from idsync.core.editing import new_document
from idsync.core.findings import Severity
from idsync.core.wording import plural
from idsync.storage.documents import DocumentError, read_document, write_document, write_export
from idsync.storage.exports import ExportKind, body_text
from idsync.storage.recent import add_recent, prune_missing, remove_recent
from idsync.storage.settings import Settings
from idsync.ui.controller import DocumentController
from idsync.ui.history_recorder import HistoryRecorder

JSON_FILTER = "ID Sync configurations (*.json);;All files (*)"
BODY_FILTER = "JSON files (*.json);;All files (*)"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


class DocumentFiles(QObject):
    """The file side of the window; ``message`` carries status-bar notes."""

    message = Signal(str)
    recentChanged = Signal()
    saved = Signal(object)  # Path

    def __init__(
        self,
        window: QWidget,
        controller: DocumentController,
        settings: Settings,
        persist_settings: Callable[[], None],
        history: HistoryRecorder | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._controller = controller
        self._settings = settings
        self._persist = persist_settings
        # Keeps a copy of every saved and exported version (File > History).
        self._history = history

    # --- names ----------------------------------------------------------------------------

    def display_name(self) -> str:
        path = self._controller.path
        return path.name if path is not None else "Untitled"

    def _suggested_path(self, suffix: str = "") -> str:
        path = self._controller.path
        folder = path.parent if path is not None else Path(self._last_folder())
        if path is not None:
            stem = path.stem
        else:
            stem = _slug(self._controller.document.name) or "idsync-config"
        return str(folder / f"{stem}{suffix}.json")

    def _last_folder(self) -> str:
        for entry in self._settings.recent_files:
            parent = Path(entry).parent
            if parent.is_dir():
                return str(parent)
        return QDir.homePath()

    # --- the unsaved-changes guard ----------------------------------------------------------

    def confirm_discard(self) -> bool:
        """True when the current work may be replaced (saved, discarded or clean)."""
        if not self._controller.is_dirty:
            return True
        # Seam "first use": the message boxes load when one is first shown.
        from idsync.ui import dialogs

        choice = dialogs.ask_save_changes(self._window, self.display_name())
        if choice is dialogs.SaveChoice.SAVE:
            return self.save()
        return choice is dialogs.SaveChoice.DISCARD

    # --- new and open -----------------------------------------------------------------------

    def new(self) -> bool:
        if not self.confirm_discard():
            return False
        self._controller.load(new_document(), None)
        self.message.emit("New configuration")
        return True

    def open_dialog(self) -> bool:
        path, _filter = QFileDialog.getOpenFileName(
            self._window, "Open configuration", self._last_folder(), JSON_FILTER
        )
        return self.open_path(Path(path)) if path else False

    def open_path(self, path: Path | str) -> bool:
        """Read first, so a broken file costs nothing; then ask about unsaved work."""
        path = Path(path).absolute()
        try:
            document = read_document(path)
        except DocumentError as error:
            if not path.exists():
                self._set_recent(remove_recent(self._settings.recent_files, path))
            # Seam "first use": the message boxes load when one is first shown.
            from idsync.ui import dialogs

            dialogs.show_open_error(self._window, path, error)
            return False
        if not self.confirm_discard():
            return False
        self._controller.load(document, path)
        self._set_recent(add_recent(self._settings.recent_files, path))
        self.message.emit(f"Opened {path.name} from {path.parent}")
        return True

    # --- save -----------------------------------------------------------------------------

    def save(self) -> bool:
        path = self._controller.path
        return self.save_as() if path is None else self._write(path)

    def save_as(self) -> bool:
        chosen, _filter = QFileDialog.getSaveFileName(
            self._window, "Save configuration as", self._suggested_path(), JSON_FILTER
        )
        if not chosen:
            return False
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(".json")
        return self._write(path)

    def _write(self, path: Path) -> bool:
        document = self._controller.document
        try:
            write_document(path, document)
        except DocumentError as error:
            # Seam "first use": the message boxes load when one is first shown.
            from idsync.ui import dialogs

            dialogs.show_save_error(self._window, path, error.reason)
            return False
        self._controller.mark_saved(path)
        self._set_recent(add_recent(self._settings.recent_files, path))
        errors = [f for f in self._controller.findings if f.severity is Severity.ERROR]
        if errors:
            # The native format holds drafts, so saving is never refused; say what is left.
            self.message.emit(
                f"Saved {path.name} as a draft with {plural(len(errors), 'error')}: "
                "fix them before exporting request bodies or pushing."
            )
        else:
            self.message.emit(f"Saved {path.name} in {path.parent}")
        if self._history is not None:
            # Seam "first use": the history store (sqlite3) loads at the first save.
            from idsync.storage.history import HistoryEvent

            self._history.record(document, HistoryEvent.SAVE, path)
        self.saved.emit(path)
        return True

    # --- export ---------------------------------------------------------------------------

    def export(self, kind: ExportKind) -> bool:
        what = kind.label.lower()
        document = self._controller.document
        findings = self._controller.findings
        errors = [f for f in findings if f.severity is Severity.ERROR]
        if kind is not ExportKind.DOCUMENT and errors:
            # Seam "first use": the message boxes load when one is first shown.
            from idsync.ui import dialogs

            dialogs.show_export_refused(self._window, what, errors)
            return False
        try:
            text = body_text(kind, document)
        except NotPushable as reason:
            # Seam "first use": the message boxes load when one is first shown.
            from idsync.ui import dialogs

            dialogs.show_export_impossible(self._window, what, str(reason))
            return False
        suffix = "" if kind is ExportKind.DOCUMENT else f".{kind.value}"
        chosen, _filter = QFileDialog.getSaveFileName(
            self._window, f"Export {what}", self._suggested_path(suffix), BODY_FILTER
        )
        if not chosen:
            return False
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(".json")
        try:
            write_export(path, text.encode("utf-8"))
        except DocumentError as error:
            # Seam "first use": the message boxes load when one is first shown.
            from idsync.ui import dialogs

            dialogs.show_export_error(self._window, path, error.reason)
            return False
        warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
        note = f" ({plural(warnings, 'warning')} — see Review)" if warnings else ""
        self.message.emit(f"Exported {what} to {path}{note}")
        if self._history is not None:
            self._history.record_export(document, kind, self._controller.path, path)
        return True

    # --- recent files -----------------------------------------------------------------------

    def recent_files(self) -> list[str]:
        """The list with missing files dropped (and the drop remembered)."""
        pruned = prune_missing(self._settings.recent_files)
        if pruned != self._settings.recent_files:
            self._set_recent(pruned)
        return list(self._settings.recent_files)

    def clear_recent(self) -> None:
        self._set_recent([])

    def _set_recent(self, entries: list[str]) -> None:
        if entries == self._settings.recent_files:
            return
        self._settings.recent_files = entries
        self._persist()
        self.recentChanged.emit()
