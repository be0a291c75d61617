"""The identifier table model: values, findings on cells, edits as undo steps, and the
narrowest signal for each change."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QIcon

from idsync.core.editing import add_row, move_row, remove_row
from idsync.core.model import IdentifierRow, IdSyncDocument, Setup, Strategy
from idsync.ui.controller import DocumentController
from idsync.ui.identifiers import FINDINGS_ROLE, IdentifierTableModel
from tests.helpers.identifier_table import (
    facebook_document,
    realistic_facebook_rows,
    small_catalog,
    small_validator,
)

R = Qt.ItemDataRole


class SignalLog:
    """Every structural and data signal of a model, in order."""

    def __init__(self, model: IdentifierTableModel) -> None:
        self.events: list[tuple[Any, ...]] = []
        model.dataChanged.connect(
            lambda tl, br, roles: self.events.append(
                ("dataChanged", (tl.row(), tl.column()), (br.row(), br.column()), set(roles))
            )
        )
        model.rowsInserted.connect(lambda _p, a, b: self.events.append(("rowsInserted", a, b)))
        model.rowsRemoved.connect(lambda _p, a, b: self.events.append(("rowsRemoved", a, b)))
        model.rowsMoved.connect(
            lambda _p, a, b, _d, to: self.events.append(("rowsMoved", a, b, to))
        )
        model.modelReset.connect(lambda: self.events.append(("modelReset",)))
        model.layoutChanged.connect(lambda *_: self.events.append(("layoutChanged",)))

    def kinds(self) -> list[str]:
        return [e[0] for e in self.events]

    def data_changes(self) -> list[tuple[Any, ...]]:
        return [e for e in self.events if e[0] == "dataChanged"]


@pytest.fixture
def controller(qapp) -> DocumentController:  # the QApplication must exist first
    catalog = small_catalog()
    controller = DocumentController(small_validator(catalog))
    controller.load(facebook_document(*realistic_facebook_rows()), None)
    return controller


@pytest.fixture
def model(controller: DocumentController) -> IdentifierTableModel:
    return IdentifierTableModel(controller, small_catalog())


def test_model_tester_passes_with_rows_and_findings(qtmodeltester, model, controller) -> None:
    assert model.findings_at(model.index(2, 0))  # ios.idfa without Send Mobile IDs
    qtmodeltester.check(model)
    # And through edits, moves and resets, with Qt's tester watching the signals.
    controller.edit(add_row(controller.document, IdentifierRow(segment="user_id")), "add")
    controller.edit(move_row(controller.document, 3, 0), "move")
    controller.edit(remove_row(controller.document, 1), "remove")
    controller.load(IdSyncDocument(), None)
    qtmodeltester.check(model)


def test_cells_show_values_labels_and_raw_edit_values(model) -> None:
    assert (model.rowCount(), model.columnCount()) == (3, 3)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "Segment identifier",
        "Destination identifier",
        "Strategy",
    ]
    assert model.headerData(2, Qt.Orientation.Vertical) == "3"
    assert model.index(2, 0).data() == "ios.idfa"
    assert model.index(2, 1).data() == "Mobile advertising ID (MADID)"
    assert model.index(2, 1).data(R.EditRole) == "MADID"
    assert model.index(1, 2).data() == "All"
    assert model.index(0, 2).data() == "Last added"
    assert model.index(0, 2).data(R.EditRole) == "last"
    assert "Hashed email" in model.index(0, 1).data(R.ToolTipRole)


def test_finding_shows_icon_tint_tooltip_and_role_on_its_cell_only(model) -> None:
    cell = model.index(2, 0)
    assert isinstance(cell.data(R.DecorationRole), QIcon)
    assert not cell.data(R.DecorationRole).isNull()
    assert isinstance(cell.data(R.BackgroundRole), QBrush)
    tooltip = cell.data(R.ToolTipRole)
    assert "Error:" in tooltip and "ios.idfa needs Send Mobile IDs. Turn it on." in tooltip
    assert [f.code for f in cell.data(FINDINGS_ROLE)] == ["T109"]
    for other in (model.index(2, 1), model.index(2, 2), model.index(0, 0)):
        assert other.data(R.DecorationRole) is None
        assert other.data(R.BackgroundRole) is None
        assert other.data(FINDINGS_ROLE) == []


def test_tint_differs_for_light_and_dark_palettes(qapp) -> None:
    from PySide6.QtGui import QColor, QPalette

    from idsync.core.findings import Severity
    from idsync.ui.severity_style import severity_tint

    light, dark = QPalette(QColor("#f0f0f0")), QPalette(QColor("#202020"))
    light.setColor(QPalette.ColorRole.Base, QColor("white"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    on_light = severity_tint(Severity.ERROR, light)
    on_dark = severity_tint(Severity.ERROR, dark)
    # Reddish on both, and keeping each palette's lightness side for readable text.
    assert on_light.red() > on_light.green() and on_dark.red() > on_dark.green()
    assert on_light.lightnessF() > 0.7 and on_dark.lightnessF() < 0.35


def test_a_palette_change_retints_the_cells_with_findings(qapp, model) -> None:
    from PySide6.QtGui import QColor, QGuiApplication, QPalette

    from idsync.core.findings import Severity
    from idsync.ui.severity_style import severity_tint

    cell = model.index(2, 0)
    assert cell.data(R.BackgroundRole).color() == severity_tint(Severity.ERROR)
    before = QGuiApplication.palette()
    dark = QPalette(QColor("#202020"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    qapp.setPalette(dark)
    try:
        # The cell's look was built under the light palette: the dark one rebuilds it.
        tint = cell.data(R.BackgroundRole).color()
        assert tint == severity_tint(Severity.ERROR, dark)
        assert tint.lightnessF() < 0.35
    finally:
        qapp.setPalette(before)
    assert cell.data(R.BackgroundRole).color() == severity_tint(Severity.ERROR)


def test_a_cell_shows_its_findings_as_they_come_and_go_through_undo_and_redo(
    model, controller
) -> None:
    cell = model.index(2, 0)
    assert cell.data(R.DecorationRole) is not None  # ios.idfa without Send Mobile IDs
    shown = cell.data(R.DisplayRole)
    assert model.setData(cell, "email")
    assert cell.data(R.DisplayRole) == "email"
    assert cell.data(R.DecorationRole) is None and cell.data(R.BackgroundRole) is None
    controller.undo_stack.undo()
    assert cell.data(R.DisplayRole) == shown
    assert isinstance(cell.data(R.DecorationRole), QIcon)
    assert isinstance(cell.data(R.BackgroundRole), QBrush)
    controller.undo_stack.redo()
    assert cell.data(R.DisplayRole) == "email"
    assert cell.data(R.DecorationRole) is None and cell.data(R.BackgroundRole) is None


def test_is_editable_says_what_flags_say_in_both_setups(model, controller) -> None:
    def agree() -> None:
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                index = model.index(row, column)
                editable = bool(model.flags(index) & Qt.ItemFlag.ItemIsEditable)
                assert model.is_editable(index) is editable
        assert not model.is_editable(QModelIndex())

    agree()
    controller.edit(controller.document.replace(setup=Setup.DEFAULT), "default")
    agree()


def test_a_kept_icon_or_tint_cannot_be_altered_through_what_data_returns(model) -> None:
    cell = model.index(2, 0)
    brush = cell.data(R.BackgroundRole)
    color = brush.color()
    brush.setColor(Qt.GlobalColor.green)
    assert cell.data(R.BackgroundRole).color() == color


def test_setdata_is_one_undo_step_and_changes_only_that_cell(model, controller) -> None:
    log = SignalLog(model)
    assert model.setData(model.index(1, 2), "Last added")
    assert controller.document.identifiers[1].strategy is Strategy.LAST
    assert controller.undo_stack.undoText() == "Change strategy of row 2"
    assert log.kinds() == ["dataChanged"]
    assert log.events[0][1] == log.events[0][2] == (1, 2)
    assert R.DisplayRole in log.events[0][3]

    controller.undo_stack.undo()
    assert controller.document.identifiers[1].strategy is Strategy.ALL
    assert log.events[1][:3] == ("dataChanged", (1, 2), (1, 2))
    assert model.index(1, 2).data() == "All"


def test_setdata_accepts_strategy_values_and_trims_text(model, controller) -> None:
    assert model.setData(model.index(0, 2), Strategy.FIRST)
    assert model.setData(model.index(1, 2), "first")
    assert model.setData(model.index(0, 0), "  user_id ")
    assert not model.setData(model.index(0, 2), "sometimes")
    assert not model.setData(model.index(0, 0), 42)
    assert not model.setData(model.index(0, 0), "x", R.DisplayRole)
    rows = controller.document.identifiers
    assert (rows[0].segment, rows[0].strategy, rows[1].strategy) == (
        "user_id",
        Strategy.FIRST,
        Strategy.FIRST,
    )
    assert controller.undo_stack.undoText() == "Change Segment identifier of row 1"
    assert controller.undo_stack.count() == 3


def test_changing_the_segment_identifier_moves_the_field_to_the_one_that_fits(
    model, controller
) -> None:
    # The issue: typing email in a user_id -> EXTERN_ID row kept EXTERN_ID.
    assert model.setData(model.index(0, 0), "user_id")
    assert model.index(0, 1).data(R.EditRole) == "EXTERN_ID"
    assert model.setData(model.index(0, 0), "email")
    assert model.index(0, 1).data(R.EditRole) == "EMAIL"
    # A mobile ID gets MADID, never a key of another kind.
    assert model.setData(model.index(1, 0), "android.idfa")
    assert model.index(1, 1).data(R.EditRole) == "MADID"
    # An identifier of unknown kind empties a field that was there for the old one.
    assert model.setData(model.index(2, 0), "loyalty_tier")
    assert model.index(2, 1).data(R.EditRole) == ""
    # Each change is one undo step, identifier and field together.
    controller.undo_stack.undo()
    row = controller.document.identifiers[2]
    assert (row.segment, row.destination) == ("ios.idfa", "MADID")


def test_ticking_send_mobile_ids_updates_only_the_flagged_cell(model, controller) -> None:
    log = SignalLog(model)
    doc = controller.document
    controller.edit(doc.replace(send_mobile_ids=True), "Turn on Send Mobile IDs")
    assert log.data_changes() == [
        (
            "dataChanged",
            (2, 0),
            (2, 0),
            {
                R.DecorationRole,
                R.BackgroundRole,
                R.ToolTipRole,
                R.AccessibleDescriptionRole,
                FINDINGS_ROLE,
            },
        ),
    ]
    assert model.index(2, 0).data(R.DecorationRole) is None
    controller.undo_stack.undo()
    assert isinstance(model.index(2, 0).data(R.DecorationRole), QIcon)


def test_add_remove_move_emit_structural_signals_not_resets(model, controller) -> None:
    log = SignalLog(model)
    controller.edit(add_row(controller.document, IdentifierRow(segment="user_id"), at=1), "add")
    assert log.kinds()[0] == "rowsInserted" and log.events[0][1:] == (1, 1)
    # The new row has a finding (no preset key): only its destination cell is touched.
    assert [e[1] for e in log.data_changes()] == [(1, 1)]
    assert model.index(1, 0).data() == "user_id"

    log.events.clear()
    controller.edit(remove_row(controller.document, 1), "remove")
    assert log.kinds() == ["rowsRemoved"] and log.events[0][1:] == (1, 1)

    log.events.clear()
    # The flagged ios.idfa row moves to the top; its finding moves with it, so no cell
    # needs repainting beyond the move itself.
    controller.edit(move_row(controller.document, 2, 0), "move")
    assert log.kinds() == ["rowsMoved"] and log.events[0][1:] == (2, 2, 0)
    assert model.index(0, 0).data() == "ios.idfa"
    assert isinstance(model.index(0, 0).data(R.DecorationRole), QIcon)

    log.events.clear()
    controller.edit(move_row(controller.document, 0, 2), "move down")
    assert log.kinds() == ["rowsMoved"] and log.events[0][1:] == (0, 0, 3)

    log.events.clear()
    controller.undo_stack.undo()  # back up
    controller.undo_stack.undo()  # back down
    controller.undo_stack.undo()  # the removed row returns
    controller.undo_stack.undo()  # the added row goes
    assert log.kinds().count("modelReset") == 0
    assert [k for k in log.kinds() if k != "dataChanged"] == [
        "rowsMoved",
        "rowsMoved",
        "rowsInserted",
        "rowsRemoved",
    ]
    assert [model.index(r, 0).data() for r in range(3)] == ["email", "phone", "ios.idfa"]


def test_opening_another_document_resets_and_keeps_findings_right(model, controller) -> None:
    log = SignalLog(model)
    other = facebook_document(
        IdentifierRow(segment="android.idfa", destination="MADID"),
    )
    controller.load(other, None)
    assert "modelReset" in log.kinds()
    assert model.rowCount() == 1
    assert [f.code for f in model.index(0, 0).data(FINDINGS_ROLE)] == ["T109"]


def test_default_setup_greys_rows_and_refuses_edits(model, controller) -> None:
    log = SignalLog(model)
    doc = controller.document
    controller.edit(doc.replace(setup=Setup.DEFAULT), "Choose Default Setup")
    assert ("dataChanged", (0, 0), (2, 2)) in [e[:3] for e in log.events]
    flags = model.flags(model.index(0, 0))
    assert not flags & Qt.ItemFlag.ItemIsEditable and not flags & Qt.ItemFlag.ItemIsEnabled
    assert not model.setData(model.index(0, 2), "all")
    assert model.rowCount() == 3  # kept
    controller.undo_stack.undo()
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable


def test_changing_destination_relabels_the_destination_column(model, controller) -> None:
    from idsync.core.model import DestinationRef

    log = SignalLog(model)
    doc = controller.document
    controller.edit(doc.replace(destination=DestinationRef(slug="iterable")), "d")
    assert ("dataChanged", (0, 1), (2, 1)) in [e[:3] for e in log.events]
    assert model.index(2, 1).data() == "MADID"


def test_invalid_indexes_are_harmless(model) -> None:
    assert model.data(QModelIndex()) is None
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags
    assert not model.setData(QModelIndex(), "x")
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.headerData(9, Qt.Orientation.Horizontal) is None


def test_a_move_that_leaves_the_findings_equal_still_puts_them_on_the_right_rows(
    model, controller
) -> None:
    # The fourth All row is flagged wherever it is; moving it to the top flags the row
    # that is now fourth, and the findings (code, message, row) are exactly as before.
    rows = (
        IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.ALL),
        IdentifierRow(segment="phone", destination="PHONE", strategy=Strategy.ALL),
        IdentifierRow(segment="user_id", destination="EXTERN_ID", strategy=Strategy.ALL),
        IdentifierRow(segment="anonymous_id", destination="EXTERN_ID", strategy=Strategy.ALL),
    )
    controller.load(facebook_document(*rows), None)
    before = list(controller.findings)
    assert [(f.code, f.row) for f in before] == [("T101", 3)]

    controller.edit(move_row(controller.document, 3, 0), "move")

    assert controller.findings == before
    assert model.index(0, 0).data() == "anonymous_id"
    assert model.index(0, 2).data(FINDINGS_ROLE) == []
    assert model.index(0, 2).data(R.DecorationRole) is None
    assert [(f.code, f.row) for f in model.index(3, 2).data(FINDINGS_ROLE)] == [("T101", 3)]
