"""The Review step in the main window: the findings list, the document and the request
bodies exactly as exported, Copy, what a journey shows instead of a body, and findings that
lead to their cell."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from idsync.core.api_mapping import NotPushable, create_body, update_body
from idsync.core.findings import Finding
from idsync.core.model import IdentifierRow, IdSyncDocument
from idsync.editor.steps import Step
from idsync.resources import resource_path
from idsync.storage.documents import dump_document, read_document, write_document
from idsync.storage.exports import ExportKind
from idsync.ui.findings_list import FINDING_ROLE
from idsync.ui.main_window import MainWindow
from idsync.ui.widgets import CodeView
from tests.helpers.windows import double_click

CTRL = Qt.KeyboardModifier.ControlModifier
BODY_KINDS = (ExportKind.CREATE_BODY, ExportKind.UPDATE_BODY)


def open_example(window: MainWindow, tmp_path: Path, name: str) -> IdSyncDocument:
    path = tmp_path / name
    shutil.copyfile(resource_path("examples", name), path)
    assert window.files.open_path(path)
    return read_document(path)


def open_document(window: MainWindow, path: Path, doc: IdSyncDocument) -> None:
    write_document(path, doc)
    assert window.files.open_path(path)


def click_review(qtbot: QtBot, window: MainWindow) -> None:
    sidebar = window.sidebar
    rect = sidebar.visualItemRect(sidebar.item_for(Step.REVIEW))
    qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_step is Step.REVIEW


def show_view(window: MainWindow, kind: ExportKind) -> CodeView:
    view = window.review_page.views[kind]
    window.review_page.tabs.setCurrentWidget(view)
    assert view.isVisible()
    return view


def text_of(view: CodeView) -> str:
    editor = view.findChild(QPlainTextEdit)
    assert editor is view.text
    return view.text.toPlainText()


def item_at(window: MainWindow, row: int) -> QTreeWidgetItem:
    item = window.review_page.findings_list.topLevelItem(row)
    assert item is not None, f"no finding at row {row}"
    return item


def listed_findings(window: MainWindow) -> list[Finding]:
    count = window.review_page.findings_list.topLevelItemCount()
    return [item_at(window, i).data(0, FINDING_ROLE) for i in range(count)]


def test_the_findings_list_shows_every_finding_of_the_document(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    open_example(window, tmp_path, "facebook-custom-audiences.json")
    click_review(qtbot, window)
    expected = window.controller.findings
    assert expected, "the example has notes to show"
    findings_list = window.review_page.findings_list
    assert findings_list.topLevelItemCount() == len(expected)
    assert sorted(listed_findings(window), key=repr) == sorted(expected, key=repr)
    codes = {item_at(window, i).text(1) for i in range(len(expected))}
    assert codes == {f.code for f in expected}


def test_the_document_view_is_the_saved_document(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    doc = open_example(window, tmp_path, "facebook-custom-audiences.json")
    qtbot.keyClick(window, Qt.Key.Key_4, CTRL)
    assert window.current_step is Step.REVIEW
    view = show_view(window, ExportKind.DOCUMENT)
    assert text_of(view) == dump_document(doc).decode()
    assert text_of(view) == dump_document(window.controller.document).decode()


def test_the_body_views_are_the_api_request_bodies(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    doc = open_example(window, tmp_path, "facebook-custom-audiences.json")
    click_review(qtbot, window)
    create = json.loads(text_of(show_view(window, ExportKind.CREATE_BODY)))
    update = json.loads(text_of(show_view(window, ExportKind.UPDATE_BODY)))
    assert create == json.loads(json.dumps(create_body(doc)))
    assert update == json.loads(json.dumps(update_body(doc)))
    assert [entry["mapTo"] for entry in update["idSyncConfiguration"]] == [
        "EMAIL", "PHONE", "MADID",
    ]


def test_the_views_follow_an_edit_and_its_undo(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    doc = open_example(window, tmp_path, "facebook-custom-audiences.json")
    click_review(qtbot, window)
    shorter = doc.with_rows(doc.identifiers[:1])
    window.controller.edit(shorter, "Remove rows")
    update = json.loads(text_of(show_view(window, ExportKind.UPDATE_BODY)))
    assert update == json.loads(json.dumps(update_body(shorter)))
    assert len(update["idSyncConfiguration"]) == 1
    assert text_of(show_view(window, ExportKind.DOCUMENT)) == dump_document(shorter).decode()
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert text_of(window.review_page.views[ExportKind.DOCUMENT]) == dump_document(doc).decode()


def test_copy_puts_the_shown_text_on_the_clipboard(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    open_example(window, tmp_path, "facebook-custom-audiences.json")
    click_review(qtbot, window)
    clipboard = QApplication.clipboard()
    for kind in (ExportKind.DOCUMENT, *BODY_KINDS):
        clipboard.setText("something else")
        view = show_view(window, kind)
        assert view.copy_button.isEnabled()
        qtbot.mouseClick(view.copy_button, Qt.MouseButton.LeftButton)
        assert clipboard.text() == text_of(view), kind
    assert json.loads(clipboard.text()) == json.loads(
        text_of(window.review_page.views[ExportKind.UPDATE_BODY])
    )


def test_a_journey_shows_why_no_request_body_can_be_built(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    doc = open_example(window, tmp_path, "journey-step.json")
    click_review(qtbot, window)
    for kind, build in zip(BODY_KINDS, (create_body, update_body), strict=True):
        try:
            build(doc)
        except NotPushable as reason:
            expected = str(reason)
        else:
            raise AssertionError(f"{kind} of a journey should not be buildable")
        view = show_view(window, kind)
        text = text_of(view)
        assert expected in text
        assert "{" not in text, "an explanation, not a JSON body"
        assert not view.copy_button.isEnabled()
        assert view.export_button is not None and not view.export_button.isEnabled()
        assert view.text.lineWrapMode() is QPlainTextEdit.LineWrapMode.WidgetWidth
    # The document itself is still there to copy and hand over.
    document_view = show_view(window, ExportKind.DOCUMENT)
    assert text_of(document_view) == dump_document(doc).decode()
    assert document_view.copy_button.isEnabled()


def _broken_facebook(tmp_path: Path, window: MainWindow) -> None:
    """The Facebook example with a key Facebook does not accept on row 2 and a mobile ad id
    on row 3 without Send Mobile IDs."""
    doc = read_document(resource_path("examples", "facebook-custom-audiences.json"))
    rows = list(doc.identifiers)
    rows[1] = IdentifierRow(segment="phone", destination="phone_number", strategy=rows[1].strategy)
    broken = doc.with_rows(rows).replace(send_mobile_ids=False)
    open_document(window, tmp_path / "broken.json", broken)


def _row_of(window: MainWindow, code: str) -> int:
    findings = window.review_page.findings_list.findings
    return next(i for i, f in enumerate(findings) if f.code == code)


def test_double_clicking_a_destination_finding_selects_its_cell(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    _broken_facebook(tmp_path, window)
    click_review(qtbot, window)
    findings_list = window.review_page.findings_list
    item = item_at(window, _row_of(window, "IDS110"))
    double_click(qtbot, findings_list.viewport(), findings_list.visualItemRect(item).center())
    assert window.current_step is Step.IDENTIFIERS
    index = window.event_settings_page.table.currentIndex()
    assert (index.row(), index.column()) == (1, 1)


def test_enter_on_a_row_finding_selects_its_cell(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    _broken_facebook(tmp_path, window)
    qtbot.keyClick(window, Qt.Key.Key_4, CTRL)
    findings_list = window.review_page.findings_list
    findings_list.setFocus()
    findings_list.setCurrentItem(item_at(window, _row_of(window, "IDS109")))
    qtbot.keyClick(findings_list, Qt.Key.Key_Return)
    assert window.current_step is Step.IDENTIFIERS
    index = window.event_settings_page.table.currentIndex()
    assert (index.row(), index.column()) == (2, 0)


def test_edits_made_on_other_steps_are_shown_when_review_is_opened(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    doc = open_example(window, tmp_path, "facebook-custom-audiences.json")
    click_review(qtbot, window)
    document_view = show_view(window, ExportKind.DOCUMENT)
    assert text_of(document_view) == dump_document(doc).decode()

    window.go_to_step(Step.IDENTIFIERS)
    shorter = doc.with_rows(doc.identifiers[:1])
    window.controller.edit(shorter, "Remove rows")
    # Hidden, the step does not re-serialise the document and bodies on every edit...
    assert text_of(document_view) == dump_document(doc).decode()

    # ...and shows the edit as soon as it is opened.
    click_review(qtbot, window)
    assert text_of(document_view) == dump_document(shorter).decode()
    update = json.loads(text_of(show_view(window, ExportKind.UPDATE_BODY)))
    assert update == json.loads(json.dumps(update_body(shorter)))

    # On screen, an edit shows at once.
    renamed = shorter.replace(name="Renamed on Review")
    window.controller.edit(renamed, "Rename")
    assert text_of(show_view(window, ExportKind.DOCUMENT)) == dump_document(renamed).decode()
