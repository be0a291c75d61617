"""Files: save and reopen, drag and drop, read errors, the unsaved-changes guard, recent
files, export rules and write failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from idsync import APP_NAME
from idsync.core.editing import new_document
from idsync.core.model import (
    IdentifierRow,
    IdSyncDocument,
    Strategy,
)
from idsync.storage.documents import dump_document, read_document, write_document
from idsync.storage.exports import ExportKind
from idsync.ui.main_window import MainWindow
from tests.helpers.damage import DAMAGE
from tests.helpers.dialogs import DialogDriver, FileDialogs
from tests.helpers.documents import facebook_document

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def drop_file(qtbot: QtBot, window: MainWindow, path: Path) -> None:
    """Deliver a real drag-enter and drop of ``path`` onto the window, as a file manager does."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    center = QPointF(window.width() / 2, window.height() / 2)
    actions = Qt.DropAction.CopyAction
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    try:
        enter = QDragEnterEvent(center, actions, mime, buttons, modifiers)
    except TypeError:  # PySide6 before 6.12 takes a QPoint only
        enter = QDragEnterEvent(center.toPoint(), actions, mime, buttons, modifiers)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(center, actions, mime, buttons, modifiers)
    QApplication.sendEvent(window, drop)
    assert drop.isAccepted()


def type_space_id(qtbot: QtBot, window: MainWindow, text: str) -> None:
    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)
    qtbot.keyClicks(window.target_page.fields["target.space_id"], text)


# --- save and open -------------------------------------------------------------------------


def test_save_as_then_reopen_gives_the_same_document(
    qtbot: QtBot, window: MainWindow, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    type_space_id(qtbot, window, "spa_1")
    qtbot.keyClicks(window.target_page.name_edit, "Draft")
    assert window.windowTitle() == f"Untitled[*] — {APP_NAME}"
    assert window.isWindowModified()
    target = tmp_path / "draft"  # no suffix: .json is added
    file_dialogs.will_save(target)
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    saved = tmp_path / "draft.json"
    assert read_document(saved) == window.controller.document
    assert window.windowTitle() == f"draft.json[*] — {APP_NAME}"
    assert not window.isWindowModified()
    edited = window.controller.document

    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    assert window.controller.document == new_document()
    file_dialogs.will_open(saved)
    qtbot.keyClick(window, Qt.Key.Key_O, CTRL)
    assert window.controller.document == edited
    assert window.controller.path == saved
    assert window.target_page.fields["target.space_id"].text() == "spa_1"


def test_save_writes_to_the_opened_file_without_asking(
    qtbot: QtBot, window: MainWindow, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    path = tmp_path / "fb.json"
    write_document(path, facebook_document())
    file_dialogs.will_open(path)
    qtbot.keyClick(window, Qt.Key.Key_O, CTRL)
    qtbot.keyClicks(window.target_page.name_edit, " v2")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    assert file_dialogs.save_calls == []
    assert read_document(path).name == "VIP buyers to Facebook v2"


def test_saving_a_draft_with_errors_works_and_says_so(
    qtbot: QtBot, window: MainWindow, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    # A new document has no identifier rows: an error, yet the draft can be saved.
    type_space_id(qtbot, window, "spa_1")
    file_dialogs.will_save(tmp_path / "draft.json")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    assert (tmp_path / "draft.json").exists()
    message = window.statusBar().currentMessage()
    assert "draft" in message and "error" in message


def test_save_as_with_ctrl_shift_s_moves_to_the_new_file(
    qtbot: QtBot, window: MainWindow, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    first = tmp_path / "first.json"
    write_document(first, facebook_document())
    assert window.files.open_path(first)
    file_dialogs.will_save(tmp_path / "second.json")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL | SHIFT)
    assert window.controller.path == tmp_path / "second.json"
    assert read_document(tmp_path / "second.json") == facebook_document()


def test_a_failed_save_shows_why_and_keeps_the_work_unsaved(
    qtbot: QtBot, window: MainWindow, file_dialogs: FileDialogs, dialogs: DialogDriver,
    tmp_path: Path,
) -> None:
    type_space_id(qtbot, window, "spa_1")
    missing_folder = tmp_path / "gone" / "draft.json"  # the folder does not exist
    file_dialogs.will_save(missing_folder)
    dialogs.expect("saveErrorDialog", QMessageBox.StandardButton.Ok)
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    assert dialogs.pending == 0
    assert "draft.json was not saved" in dialogs.seen[0].text
    assert "still open and unsaved" in dialogs.seen[0].informative
    assert window.isWindowModified()
    assert window.controller.path is None


def test_a_full_disk_on_save_keeps_the_document_dirty(
    qtbot: QtBot, window: MainWindow, dialogs: DialogDriver, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import errno

    path = tmp_path / "fb.json"
    write_document(path, facebook_document())
    assert window.files.open_path(path)
    qtbot.keyClicks(window.target_page.name_edit, "!")

    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("idsync.storage.documents.atomic_write_bytes", disk_full)
    dialogs.expect("saveErrorDialog", QMessageBox.StandardButton.Ok)
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    assert "disk is full" in dialogs.seen[0].informative
    assert window.isWindowModified()
    assert read_document(path) == facebook_document()


# --- reading errors and drag and drop ---------------------------------------------------------


def test_dropping_a_document_opens_it(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "fb.json"
    write_document(path, facebook_document())
    drop_file(qtbot, window, path)
    qtbot.waitUntil(lambda: window.controller.path == path)
    assert window.controller.document == facebook_document()
    assert window.windowTitle() == f"fb.json[*] — {APP_NAME}"


def test_dropping_a_broken_file_explains_and_keeps_the_document(
    qtbot: QtBot, window: MainWindow, dialogs: DialogDriver, tmp_path: Path
) -> None:
    type_space_id(qtbot, window, "spa_keep")
    before = window.controller.document
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "format": "idsync-config",\n  "version": 1,\n  "name": oops\n}\n')
    dialogs.expect("openErrorDialog", QMessageBox.StandardButton.Ok)
    drop_file(qtbot, window, broken)
    qtbot.waitUntil(lambda: dialogs.pending == 0)
    seen = dialogs.seen[0]
    assert "broken.json" in seen.text
    assert "Line 4, column" in seen.informative
    assert str(broken) in seen.informative
    assert "was not changed" in seen.informative
    assert window.controller.document == before
    assert window.isWindowModified()
    assert window.controller.path is None


def test_opening_a_document_of_the_wrong_shape_names_the_field(
    qtbot: QtBot, window: MainWindow, dialogs: DialogDriver, file_dialogs: FileDialogs,
    tmp_path: Path,
) -> None:
    odd = tmp_path / "odd.json"
    data = json.loads(dump_document(IdSyncDocument()))
    data["identifiers"] = [{"segment": "email", "strategy": "sometimes"}]
    odd.write_text(json.dumps(data))
    file_dialogs.will_open(odd)
    dialogs.expect("openErrorDialog", QMessageBox.StandardButton.Ok)
    qtbot.keyClick(window, Qt.Key.Key_O, CTRL)
    assert "identifiers[0].strategy" in dialogs.seen[0].informative
    assert window.controller.document == new_document()


# --- the unsaved-changes guard ----------------------------------------------------------------


def test_new_with_unsaved_changes_can_be_cancelled(
    qtbot: QtBot, window: MainWindow, dialogs: DialogDriver
) -> None:
    type_space_id(qtbot, window, "spa_1")
    edited = window.controller.document
    dialogs.expect("unsavedChangesDialog", QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    assert dialogs.pending == 0
    assert window.controller.document == edited
    assert window.isWindowModified()


def test_new_with_unsaved_changes_can_discard_them(
    qtbot: QtBot, window: MainWindow, dialogs: DialogDriver
) -> None:
    type_space_id(qtbot, window, "spa_1")
    dialogs.expect("unsavedChangesDialog", QMessageBox.StandardButton.Discard)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    assert window.controller.document == new_document()
    assert not window.isWindowModified()


def test_open_with_unsaved_changes_can_save_them_first(
    qtbot: QtBot, window: MainWindow, dialogs: DialogDriver, file_dialogs: FileDialogs,
    tmp_path: Path,
) -> None:
    other = tmp_path / "other.json"
    write_document(other, facebook_document())
    type_space_id(qtbot, window, "spa_mine")
    mine = window.controller.document
    file_dialogs.will_open(other)
    dialogs.expect("unsavedChangesDialog", QMessageBox.StandardButton.Save)
    file_dialogs.will_save(tmp_path / "mine.json")
    qtbot.keyClick(window, Qt.Key.Key_O, CTRL)
    assert read_document(tmp_path / "mine.json") == mine
    assert window.controller.document == facebook_document()
    assert window.controller.path == other


def test_closing_with_unsaved_changes_asks_and_cancel_keeps_the_window(
    qtbot: QtBot, window: MainWindow, dialogs: DialogDriver
) -> None:
    type_space_id(qtbot, window, "spa_1")
    dialogs.expect("unsavedChangesDialog", QMessageBox.StandardButton.Cancel)
    window.close()
    assert dialogs.pending == 0
    assert window.isVisible()
    dialogs.expect("unsavedChangesDialog", QMessageBox.StandardButton.Discard)
    window.close()
    assert not window.isVisible()


# --- recent files ------------------------------------------------------------------------------


# --- export ------------------------------------------------------------------------------------


def test_export_update_body_writes_the_api_json(
    window: MainWindow, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    path = tmp_path / "fb.json"
    write_document(path, facebook_document())
    assert window.files.open_path(path)
    file_dialogs.will_save(tmp_path / "fb.update-body.json")
    window.menus.export_actions[ExportKind.UPDATE_BODY].trigger()
    body = json.loads((tmp_path / "fb.update-body.json").read_text())
    assert body == {
        "idSyncConfiguration": [
            {"externalId": "email", "strategy": "last", "mapTo": "EMAIL"},
            {"externalId": "phone", "strategy": "first", "mapTo": "PHONE"},
        ]
    }


def test_export_of_a_body_with_errors_is_refused_with_the_list(
    window: MainWindow, dialogs: DialogDriver, tmp_path: Path
) -> None:
    path = tmp_path / "fb.json"
    bad = facebook_document(identifiers=(IdentifierRow(segment="", destination="EMAIL"),))
    write_document(path, bad)
    assert window.files.open_path(path)
    dialogs.expect("exportRefusedDialog", QMessageBox.StandardButton.Ok)
    window.menus.export_actions[ExportKind.CREATE_BODY].trigger()
    assert "create body was not exported" in dialogs.seen[0].text
    assert "IDS104" in dialogs.seen[0].informative
    assert list(tmp_path.iterdir()) == [path]


def test_export_of_a_body_with_only_warnings_is_written(
    window: MainWindow, dialogs: DialogDriver, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    # A mobile ID with Send Mobile IDs off is a warning (IDS109): it never blocks export.
    path = tmp_path / "fb.json"
    doc = facebook_document(
        identifiers=(
            IdentifierRow(segment="email", destination="EMAIL"),
            IdentifierRow(segment="ios.idfa", destination="MADID"),
        )
    )
    write_document(path, doc)
    assert window.files.open_path(path)
    assert "IDS109" in {f.code for f in window.controller.findings}
    assert not [f for f in window.controller.findings if f.is_error]
    target = tmp_path / "fb.create-body.json"
    file_dialogs.will_save(target)
    assert window.files.export(ExportKind.CREATE_BODY)
    body = json.loads(target.read_text(encoding="utf-8"))
    assert [e["externalId"] for e in body["idSyncConfiguration"]] == ["email", "ios.idfa"]


def test_export_of_a_journey_body_explains_why_not(
    qtbot: QtBot, window: MainWindow, dialogs: DialogDriver, tmp_path: Path
) -> None:
    from idsync.core.model import JourneyTarget

    path = tmp_path / "journey.json"
    write_document(path, facebook_document(
        target=JourneyTarget(space_id="spa_1", journey_id="jou_1", step="Send")))
    assert window.files.open_path(path)
    dialogs.expect("exportImpossibleDialog", QMessageBox.StandardButton.Ok)
    window.menus.export_actions[ExportKind.CREATE_BODY].trigger()
    assert "Journey" in dialogs.seen[0].informative


def test_export_document_from_the_review_page_writes_the_saved_form(
    qtbot: QtBot, window: MainWindow, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    path = tmp_path / "fb.json"
    doc = facebook_document()
    write_document(path, doc)
    assert window.files.open_path(path)
    qtbot.keyClick(window, Qt.Key.Key_4, CTRL)
    view = window.review_page.views[ExportKind.DOCUMENT]
    window.review_page.tabs.setCurrentWidget(view)
    assert view.export_button is not None
    file_dialogs.will_save(tmp_path / "exported")  # no suffix: .json is added
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert file_dialogs.save_calls == ["Export document"]
    exported = tmp_path / "exported.json"
    assert exported.read_bytes() == dump_document(doc)
    assert read_document(exported) == doc
    assert window.statusBar().currentMessage() == f"Exported document to {exported}"


def test_an_export_into_a_missing_folder_says_what_to_do(
    qtbot: QtBot,
    window: MainWindow,
    dialogs: DialogDriver,
    file_dialogs: FileDialogs,
    tmp_path: Path,
) -> None:
    path = tmp_path / "fb.json"
    write_document(path, facebook_document())
    assert window.files.open_path(path)
    target = tmp_path / "gone" / "fb.create-body.json"  # the folder does not exist
    file_dialogs.will_save(target)
    dialogs.expect("exportErrorDialog", QMessageBox.StandardButton.Ok)
    assert not window.files.export(ExportKind.CREATE_BODY)
    assert dialogs.pending == 0
    assert "fb.create-body.json was not written" in dialogs.seen[0].text
    # The same advice as a failed save, not the bare system error.
    assert "the folder does not exist — choose an existing folder" in dialogs.seen[0].informative
    assert not target.parent.exists()


def test_export_create_body_from_the_review_page_writes_the_post_json(
    qtbot: QtBot, window: MainWindow, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    path = tmp_path / "fb.json"
    write_document(path, facebook_document())
    assert window.files.open_path(path)
    qtbot.keyClick(window, Qt.Key.Key_4, CTRL)
    view = window.review_page.views[ExportKind.CREATE_BODY]
    window.review_page.tabs.setCurrentWidget(view)
    assert view.export_button is not None
    file_dialogs.will_save(tmp_path / "fb.create-body.json")
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    written = (tmp_path / "fb.create-body.json").read_text(encoding="utf-8")
    assert written == view.text.toPlainText()
    body = json.loads(written)
    assert body["destination"] == {"id": "64f1c2a9e3b8d70012ab34cd", "type": "destination"}
    assert body["idSyncConfiguration"] == [
        {"externalId": "email", "strategy": "last", "mapTo": "EMAIL"},
        {"externalId": "phone", "strategy": "first", "mapTo": "PHONE"},
    ]


def test_export_of_a_body_is_refused_listing_every_error(
    qtbot: QtBot,
    window: MainWindow,
    dialogs: DialogDriver,
    file_dialogs: FileDialogs,
    tmp_path: Path,
) -> None:
    path = tmp_path / "fb.json"
    bad = facebook_document(
        identifiers=(
            IdentifierRow(segment="  ", destination="MADID"),
            *(
                IdentifierRow(segment=segment, destination=key, strategy=Strategy.ALL)
                for segment, key in (
                    ("email", "EMAIL"), ("phone", "PHONE"), ("ios.idfa", "MADID"),
                    ("android.idfa", "MADID"),
                )
            ),
        ),
        send_mobile_ids=True,
        custom_identifiers=("phone",),
    )
    write_document(path, bad)
    assert window.files.open_path(path)
    errors = [f for f in window.controller.findings if f.is_error]
    assert {f.code for f in errors} == {"IDS101", "IDS104"}
    qtbot.keyClick(window, Qt.Key.Key_4, CTRL)
    view = window.review_page.views[ExportKind.UPDATE_BODY]
    window.review_page.tabs.setCurrentWidget(view)
    assert view.export_button is not None
    dialogs.expect("exportRefusedDialog", QMessageBox.StandardButton.Ok)
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert dialogs.pending == 0
    seen = dialogs.seen[0]
    assert "update body was not exported" in seen.text
    assert "2 errors" in seen.text
    where = {"IDS101": "Rows 2, 3, 4 and 5", "IDS104": "Row 1"}
    for finding in errors:
        assert f"{finding.code} ({where[finding.code]}): {finding.message}" in seen.informative
    assert file_dialogs.save_calls == [], "no file was asked for"
    assert list(tmp_path.iterdir()) == [path]


@pytest.mark.timeout(120)  # a FIFO that blocked the open would fail here
@pytest.mark.parametrize(
    ("damage", "words"),
    [
        ("FIFO", "it is a named pipe (FIFO), not a document file"),
        ("device", "it is a device, not a document file"),
        ("deep nesting", "nested too deeply"),
        ("huge integer", "a number with too many digits"),
    ],
)
def test_opening_a_file_that_cannot_be_a_document_explains_and_keeps_the_document(
    qtbot: QtBot, window: MainWindow, dialogs: DialogDriver, file_dialogs: FileDialogs,
    tmp_path: Path, damage: str, words: str,
) -> None:
    path = tmp_path / "odd.json"
    DAMAGE[damage](path)
    file_dialogs.will_open(path)
    dialogs.expect("openErrorDialog", QMessageBox.StandardButton.Ok)
    qtbot.keyClick(window, Qt.Key.Key_O, CTRL)
    assert dialogs.pending == 0
    assert words in dialogs.seen[0].informative
    assert window.controller.document == new_document()
    assert window.controller.path is None
