"""The whole editor, as a person uses it: from an empty window to a saved, valid Facebook
configuration, with keys and clicks only."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from idsync.core.editing import new_document
from idsync.core.model import IdentifierRow, Setup, Strategy
from idsync.editor.steps import Step
from idsync.storage.documents import read_document
from idsync.ui.main_window import MainWindow
from tests.helpers.dialogs import FileDialogs
from tests.helpers.editing import (
    add_row,
    cell_codes,
    click,
    errors_on_identifiers,
    press,
    reactivate,
    set_row,
)

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


# --- the story -----------------------------------------------------------------------------------


def test_new_facebook_configuration_by_keys_and_clicks(
    qtbot: QtBot, window: MainWindow, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    press(qtbot, window, K.Key_N)
    assert window.controller.document == new_document()

    # Destination: type, Enter.
    press(qtbot, window, K.Key_2)
    search = window.destination_page.search_edit
    search.setFocus()
    qtbot.keyClicks(search, "facebook custom")
    qtbot.keyClick(search, K.Key_Return)
    assert window.controller.document.destination.slug == "personas-facebook-custom-audiences"

    # Event settings: Customized Setup, the space's custom identifier, three rows.
    press(qtbot, window, K.Key_3)
    page = window.event_settings_page
    click(qtbot, page.default_radio)
    assert window.controller.document.setup is Setup.DEFAULT
    click(qtbot, page.customized_radio)
    assert window.controller.document.setup is Setup.CUSTOMIZED
    # Customized Setup starts from what Default Setup sends to Facebook: all emails (the
    # mobile IDs wait for Send Mobile IDs).
    assert window.controller.document.identifiers == (
        IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.ALL),
    )
    page.custom_identifiers_edit.setFocus()
    qtbot.keyClicks(page.custom_identifiers_edit, "phone")
    qtbot.keyClick(page.custom_identifiers_edit, K.Key_Return)
    assert window.controller.document.custom_identifiers == ("phone",)
    assert "phone" in window.remembered_identifiers()

    set_row(qtbot, window, 0, "email", "EMAIL", "last")
    for row, wanted in enumerate([("phone", "PHONE", "all"), ("ios.idfa", "MADID", "all")], 1):
        add_row(qtbot, window)
        set_row(qtbot, window, row, *wanted)

    # The mobile ID row warns until Send Mobile IDs is on; it never blocks.
    assert cell_codes(window, 2, 0) == ["IDS109"]
    assert window.sidebar.error_count(Step.IDENTIFIERS) == 0
    assert errors_on_identifiers(window) == []
    reactivate(qtbot, window)
    click(qtbot, page.send_mobile_ids_checkbox)
    assert window.controller.document.send_mobile_ids
    assert cell_codes(window, 2, 0) == []
    assert errors_on_identifiers(window) == []
    assert window.sidebar.error_count(Step.IDENTIFIERS) == 0

    # A fourth row using All (email switched to All too): four All rows is one too many.
    add_row(qtbot, window)
    set_row(qtbot, window, 3, "android.idfa", "MADID", "all")
    set_row(qtbot, window, 0, "email", "EMAIL", "all")
    # One finding names every row using All, and each of them shows it, the row just
    # changed among them.
    for row in range(4):
        assert cell_codes(window, row, 2) == ["IDS101"]
    assert errors_on_identifiers(window) == ["IDS101"]
    assert window.sidebar.error_count(Step.IDENTIFIERS) == 1
    review_codes = [f.code for f in window.review_page.findings_list.findings]
    assert "IDS101" in review_codes

    # Fix it: the fourth row sends the first added value only.
    set_row(qtbot, window, 3, "android.idfa", "MADID", "first")
    assert cell_codes(window, 3, 2) == []
    assert window.sidebar.error_count(Step.IDENTIFIERS) == 0
    finished = window.controller.document
    assert finished.identifiers == (
        IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.ALL),
        IdentifierRow(segment="phone", destination="PHONE", strategy=Strategy.ALL),
        IdentifierRow(segment="ios.idfa", destination="MADID", strategy=Strategy.ALL),
        IdentifierRow(segment="android.idfa", destination="MADID", strategy=Strategy.FIRST),
    )

    # Save.
    saved = tmp_path / "facebook.json"
    file_dialogs.will_save(saved)
    press(qtbot, window, K.Key_S)
    assert read_document(saved) == finished
    assert not window.isWindowModified()

    # Every step undoes back to the empty document, and redoes to the saved one.
    steps = window.controller.undo_stack.count()
    assert steps >= 14  # every edit above is one step
    for _ in range(steps):
        press(qtbot, window, K.Key_Z)
    assert window.controller.document == new_document()
    assert window.isWindowModified()
    for _ in range(steps):
        press(qtbot, window, K.Key_Z, CTRL | SHIFT)
    assert window.controller.document == finished
    assert not window.isWindowModified()

    # New, then reopen: the same document.
    press(qtbot, window, K.Key_N)
    assert window.controller.document == new_document()
    file_dialogs.will_open(saved)
    press(qtbot, window, K.Key_O)
    assert window.controller.document == finished
    assert window.controller.path == saved
    assert window.sidebar.error_count(Step.IDENTIFIERS) == 0
