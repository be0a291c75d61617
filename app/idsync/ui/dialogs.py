"""Every message box the window shows, worded in one place.

Each box gets an object name so tests can find it and press its buttons like a person.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from idsync.core.findings import Finding
from idsync.storage.autosave import Recovery
from idsync.storage.documents import DocumentError, read_document
from idsync.ui.findings_list import where


class SaveChoice(str, Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def _box(
    parent: QWidget | None,
    name: str,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    informative: str = "",
) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName(name)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(text)
    if informative:
        box.setInformativeText(informative)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def ask_save_changes(parent: QWidget | None, document_name: str) -> SaveChoice:
    box = _box(
        parent,
        "unsavedChangesDialog",
        QMessageBox.Icon.Warning,
        "Unsaved changes",
        f"Save the changes to {document_name}?",
        "Your changes are lost if you don't save them.",
    )
    box.setStandardButtons(
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel
    )
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Save:
        return SaveChoice.SAVE
    if answer == QMessageBox.StandardButton.Discard:
        return SaveChoice.DISCARD
    return SaveChoice.CANCEL


def describe_read_error(error: DocumentError) -> str:
    where_in_file = ""
    if error.line is not None:
        where_in_file = f"Line {error.line}, column {error.column or 1}: "
    if error.field:
        where_in_file += f"{error.field}: " if where_in_file else f"In {error.field}: "
    return f"{where_in_file}{error.reason}"


def show_open_error(parent: QWidget | None, path: Path, error: DocumentError) -> None:
    box = _box(
        parent,
        "openErrorDialog",
        QMessageBox.Icon.Critical,
        "Could not open the file",
        f"{path.name} could not be opened.",
        f"{describe_read_error(error)}\n\n"
        f"File: {path}\n\n"
        "Fix the file in a text editor, or open another one. "
        "The document you have open was not changed.",
    )
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def show_save_error(parent: QWidget | None, path: Path, reason: str) -> None:
    box = _box(
        parent,
        "saveErrorDialog",
        QMessageBox.Icon.Critical,
        "Could not save",
        f"{path.name} was not saved.",
        f"{reason}\n\nFile: {path}\n\n"
        "Your work is still open and unsaved: fix the problem and save again, "
        "or use Save As to pick another place.",
    )
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def _error_lines(errors: list[Finding], limit: int = 8) -> str:
    lines = [f"• {f.code} ({where(f)}): {f.message}" for f in errors[:limit]]
    if len(errors) > limit:
        lines.append(f"… and {len(errors) - limit} more on the Review step.")
    return "\n".join(lines)


def show_export_refused(parent: QWidget | None, what: str, errors: list[Finding]) -> None:
    count = len(errors)
    box = _box(
        parent,
        "exportRefusedDialog",
        QMessageBox.Icon.Warning,
        "Cannot export yet",
        f"The {what} was not exported: the configuration has "
        f"{count} error{'s' if count != 1 else ''} that Segment would refuse.",
        f"{_error_lines(errors)}\n\nFix these (double-click them on the Review step), then "
        "export again. You can still save the document as a draft.",
    )
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def show_export_impossible(parent: QWidget | None, what: str, reason: str) -> None:
    box = _box(
        parent,
        "exportImpossibleDialog",
        QMessageBox.Icon.Information,
        "Cannot export this request",
        f"The {what} cannot be built from this configuration.",
        reason,
    )
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def show_export_error(parent: QWidget | None, path: Path, reason: str) -> None:
    box = _box(
        parent,
        "exportErrorDialog",
        QMessageBox.Icon.Critical,
        "Could not export",
        f"{path.name} was not written.",
        f"{reason}\n\nFile: {path}\n\nChoose another folder, or free some space and try again.",
    )
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


RECOVERY_CHANGES_SHOWN = 6
"""How many changes against the file the restore question lists before "and N more"."""


def describe_recovery(recovery: Recovery) -> str:
    """What the unsaved work holds, and how it differs from its file when that is readable:
    enough to decide between Restore and Discard without restoring first."""
    # Seam "first use": the diff loads only when there is unsaved work to offer back.
    from idsync.core.diff import diff_documents

    doc = recovery.document
    destination = (
        (doc.destination.name or doc.destination.slug) if doc.destination else "no destination"
    )
    target = doc.target
    ids = [f"space {target.space_id or '(none)'}"]
    audience = getattr(target, "audience_id", None)
    journey = getattr(target, "journey_id", None)
    if audience is not None:
        ids.append(f"audience {audience or '(none)'}")
    elif journey is not None:
        ids.append(f"journey {journey or '(none)'}")
    rows = ", ".join(row.segment or "(empty)" for row in doc.identifiers)
    count = len(doc.identifiers)
    identifiers = (
        f"{count} identifier{'s' if count != 1 else ''} ({rows})" if count else "no identifiers"
    )
    lines = [
        f"It holds: {destination}; {', '.join(ids)}; {doc.setup.label}, {identifiers}."
    ]
    path = recovery.original_path
    if path is None:
        return lines[0]
    try:
        on_disk = read_document(path)
    except DocumentError:
        lines.append(f"{path.name} cannot be read now, so it is not compared.")
        return "\n".join(lines)
    changes = diff_documents(on_disk, doc).render_text()
    if not changes:
        lines.append(f"It is the same as {path.name} on disk.")
        return "\n".join(lines)
    lines.append(f"Not in {path.name}:")
    lines.extend(f"  {change}" for change in changes[:RECOVERY_CHANGES_SHOWN])
    if len(changes) > RECOVERY_CHANGES_SHOWN:
        lines.append(f"  … and {len(changes) - RECOVERY_CHANGES_SHOWN} more")
    return "\n".join(lines)


def ask_restore(parent: QWidget | None, recovery: Recovery) -> bool:
    origin = (
        f"It was last opened from {recovery.original_path}."
        if recovery.original_path is not None
        else "It had not been saved to a file yet."
    )
    when = ""
    if recovery.saved_at is not None:
        when = f" (autosaved {recovery.saved_at.astimezone():%Y-%m-%d %H:%M})"
    name = recovery.document.name or (
        recovery.original_path.name if recovery.original_path else "Untitled"
    )
    box = _box(
        parent,
        "restoreDialog",
        QMessageBox.Icon.Question,
        "Restore unsaved work?",
        f"The last session ended with unsaved work: {name}{when}.",
        f"{origin}\n\n{describe_recovery(recovery)}\n\n"
        "Restore it to keep working on it, or discard it for good.",
    )
    restore = box.addButton("&Restore", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Discard)
    box.setDefaultButton(restore)
    box.exec()
    return box.clickedButton() is restore
