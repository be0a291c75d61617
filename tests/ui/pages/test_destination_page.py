"""Destination step: search, filter by kind, choose with the keyboard, undo the choice."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from idsync.catalog import search_destinations
from idsync.core.model import DestinationKind, DestinationRef
from idsync.editor.steps import Step
from idsync.ui.main_window import MainWindow
from idsync.ui.pages.catalog_list import SPEC_ROLE


def go_to_destination(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_step is Step.DESTINATION


def listed_names(window: MainWindow) -> list[str]:
    model = window.destination_page.model
    return [model.index(row).data() for row in range(model.rowCount())]


def test_typing_narrows_the_list_and_enter_chooses(qtbot: QtBot, window: MainWindow) -> None:
    go_to_destination(qtbot, window)
    page = window.destination_page
    page.search_edit.setFocus()
    qtbot.keyClicks(page.search_edit, "custom aud")
    assert listed_names(window)[0] == "Facebook Custom Audiences"
    assert all("custom" in n.lower() or "aud" in n.lower() for n in listed_names(window))
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    doc = window.controller.document
    # Documents store Segment's own slug: the classic Engage destination's.
    assert doc.destination == DestinationRef(
        slug="personas-facebook-custom-audiences", name="Facebook Custom Audiences"
    )
    assert window.controller.undo_stack.undoText() == (
        "Choose destination Facebook Custom Audiences"
    )
    assert page.chosen_label.text() == "Facebook Custom Audiences"
    assert page.instance_edit.isEnabled()


def test_arrow_keys_walk_the_list_from_the_search_box(qtbot: QtBot, window: MainWindow) -> None:
    go_to_destination(qtbot, window)
    page = window.destination_page
    qtbot.keyClicks(page.search_edit, "google")
    names = listed_names(window)
    assert len(names) >= 2
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Down)
    assert page.current_spec() is not None
    assert page.current_spec().name == names[1]
    assert f"About {names[1]}" == page.about_box.title()
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Enter)
    assert window.controller.document.destination.name == names[1]


def test_enter_in_the_list_chooses_and_undo_restores(qtbot: QtBot, window: MainWindow) -> None:
    go_to_destination(qtbot, window)
    page = window.destination_page
    page.list_view.setFocus()
    qtbot.keyClick(page.list_view, Qt.Key.Key_Home)
    qtbot.keyClick(page.list_view, Qt.Key.Key_Down)
    second = page.list_view.currentIndex().data(SPEC_ROLE)
    qtbot.keyClick(page.list_view, Qt.Key.Key_Return)
    assert window.controller.document.destination.slug == second.slug
    assert page.list_view.currentIndex().data(Qt.ItemDataRole.AccessibleTextRole).endswith(
        "chosen"
    )
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.controller.document.destination is None
    assert page.chosen_label.text().startswith("None yet")
    assert not page.instance_edit.isEnabled()


def test_kind_filter_shows_only_functions(qtbot: QtBot, window: MainWindow) -> None:
    go_to_destination(qtbot, window)
    page = window.destination_page
    page.kind_combo.setFocus()
    qtbot.keyClick(page.kind_combo, Qt.Key.Key_End)  # All, Destinations, Functions
    assert page.kind_combo.currentText() == "Functions"
    model = page.model
    kinds = {model.index(r).data(SPEC_ROLE).kind for r in range(model.rowCount())}
    assert kinds == {DestinationKind.FUNCTION}
    qtbot.keyClicks(page.search_edit, "facebook")
    assert model.rowCount() == 0
    assert page.empty_label.isVisible()


def test_details_show_the_destinations_constraints(qtbot: QtBot, window: MainWindow) -> None:
    go_to_destination(qtbot, window)
    page = window.destination_page
    qtbot.keyClicks(page.search_edit, "google ads remarketing")
    # The panel follows the first match once typing pauses.
    qtbot.waitUntil(lambda: "Google Ads Remarketing Lists" in page.about_box.title())
    details = page.about_text.text()
    assert (
        "Matches profiles on one of <code>email</code>, <code>ios.idfa</code>, "
        "<code>android.idfa</code>" in details
    )
    assert "At most 1 identifier beside the matcher, mapped to <code>phone</code>" in details
    assert "does not publish" in details
    assert (
        "Default Setup sends the last added email, ios.idfa or android.idfa value, whichever "
        "the list matches on" in details
    )
    qtbot.mouseClick(page.choose_button, Qt.MouseButton.LeftButton)
    assert window.controller.document.destination.slug == "adwords-remarketing-lists"
    assert not page.choose_button.isEnabled()


def test_details_say_when_send_mobile_ids_is_ignored(qtbot: QtBot, window: MainWindow) -> None:
    go_to_destination(qtbot, window)
    page = window.destination_page
    qtbot.keyClicks(page.search_edit, "snap audiences (actions)")
    assert page.current_spec() is not None
    assert page.current_spec().slug == "actions-snap-audiences"
    qtbot.waitUntil(lambda: "Send Mobile IDs is ignored" in page.about_text.text())


def test_instance_id_typing_is_checked_and_merged(qtbot: QtBot, window: MainWindow) -> None:
    go_to_destination(qtbot, window)
    page = window.destination_page
    qtbot.keyClicks(page.search_edit, "facebook")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    assert "empty" in page.instance_findings.text()
    qtbot.keyClicks(page.instance_edit, "64f1 c2")
    assert [f.code for f in page.instance_findings.findings] == ["IDS202"]
    for _ in range(3):
        qtbot.keyClick(page.instance_edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(page.instance_edit, "c2a9")
    assert window.controller.document.destination.instance_id == "64f1c2a9"
    assert not page.instance_findings.isVisible()
    assert window.controller.undo_stack.count() == 2  # choose, then all of the typing


def test_a_page_built_after_a_document_opened_starts_on_its_destination(
    qtbot: QtBot, window: MainWindow
) -> None:
    # Pages are built on first use; this one is built with a document already open.
    from idsync.core.editing import choose_destination

    doc = window.controller.document
    spec = window.catalog.destination("adwords-remarketing-lists")
    assert spec is not None
    window.controller.edit(choose_destination(doc, spec.slug, name=spec.name), "choose")
    from idsync.ui.pages.destination import DestinationPage

    page = DestinationPage(window.controller, window.catalog)
    qtbot.addWidget(page)
    assert page.current_spec() is spec


def test_undo_in_the_search_box_undoes_the_document_not_the_search(
    qtbot: QtBot, window: MainWindow
) -> None:
    go_to_destination(qtbot, window)
    page = window.destination_page
    page.search_edit.setFocus()
    qtbot.keyClicks(page.search_edit, "custom aud")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    assert window.controller.document.destination is not None
    qtbot.keyClicks(page.search_edit, "ience")

    qtbot.keyClick(page.search_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.controller.document.destination is None  # the choice is undone
    assert page.search_edit.text() == "custom audience"  # the search is as typed
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.search_edit.text() == "custom audience"  # nothing left to undo
    assert "Undo is not available" in window.statusBar().currentMessage()
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Z, redo)
    assert window.controller.document.destination is not None


def test_file_new_starts_on_the_first_step_with_no_destination_highlighted(
    qtbot: QtBot, window: MainWindow
) -> None:
    go_to_destination(qtbot, window)
    page = window.destination_page
    qtbot.keyClicks(page.search_edit, "custom aud")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    window.controller.undo_stack.setClean()  # saved: New asks nothing

    window.sidebar.setFocus()
    qtbot.keyClick(window.sidebar, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.controller.document.destination is None
    assert window.current_step is Step.TARGET
    assert window.sidebar.currentRow() == Step.TARGET.position
    assert not page.list_view.currentIndex().isValid()
    assert not page.list_view.selectionModel().hasSelection()
    assert not page.about_box.isVisibleTo(page)


def test_the_highlighted_destination_stays_highlighted_while_it_matches(
    qtbot: QtBot, window: MainWindow
) -> None:
    go_to_destination(qtbot, window)
    page = window.destination_page
    page.list_view.setFocus()
    qtbot.keyClick(page.list_view, Qt.Key.Key_End)
    last = page.current_spec()
    assert last is not None
    letter = next(c for c in last.name.casefold() if c.isalpha())
    page.search_edit.setFocus()
    qtbot.keyClicks(page.search_edit, letter)
    assert page.current_spec() is last  # still the one highlighted, on its new row
    assert page.list_view.currentIndex().row() == page.model.row_of(last.slug)
    qtbot.keyClicks(page.search_edit, "qqq")
    assert page.model.rowCount() == 0
    assert page.current_spec() is None
    for _ in range(3):
        qtbot.keyClick(page.search_edit, Qt.Key.Key_Backspace)
    assert page.current_spec() == page.model.spec_at(0)  # back to the top of the matches
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Down)
    assert page.current_spec() == page.model.spec_at(1)


def test_a_name_that_stops_matching_the_start_leaves_the_top(
    qtbot: QtBot, window: MainWindow
) -> None:
    # "market" puts the Marketo entries first (their names begin so); "marketi" no longer
    # does, and the list shows the search's order again rather than keeping them on top.
    go_to_destination(qtbot, window)
    page = window.destination_page
    qtbot.keyClicks(page.search_edit, "market")
    assert listed_names(window)[:2] == ["Marketo Static Lists (Actions)", "Marketo V2"]
    qtbot.keyClicks(page.search_edit, "i")
    expected = [spec.name for spec in search_destinations(window.catalog, "marketi")]
    assert listed_names(window) == expected
    assert expected[0] != "Marketo V2"
