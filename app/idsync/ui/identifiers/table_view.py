"""The identifier table widget: roomy rows, an empty-state hint, keyboard-first editing."""

from __future__ import annotations

from PySide6.QtCore import QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QFocusEvent, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from idsync.ui.focus_ring import keyboard_focus_shown, paint_ring
from idsync.ui.identifiers.delegate import IdentifierDelegate
from idsync.ui.identifiers.table_model import (
    DESTINATION_COLUMN,
    SEGMENT_COLUMN,
    STRATEGY_COLUMN,
    IdentifierTableModel,
)

STRATEGY_COLUMN_WIDTH = 180
VISIBLE_ROWS = 5


class IdentifierTableView(QTableView):
    def __init__(
        self,
        model: IdentifierTableModel,
        delegate: IdentifierDelegate,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.placeholder_text = ""
        self._pressed = QPersistentModelIndex()
        self.setModel(model)
        self.setItemDelegate(delegate)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        triggers = QAbstractItemView.EditTrigger
        self.setEditTriggers(
            triggers.DoubleClicked
            | triggers.SelectedClicked
            | triggers.EditKeyPressed
            | triggers.AnyKeyPressed
        )
        # Tab leaves the table for the buttons; arrows move between cells.
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        self.setIconSize(QSize(16, 16))
        self.setCornerButtonEnabled(False)

        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(delegate.row_height())
        rows.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        rows.setMinimumWidth(32)
        # The row number of the selected cell stands out, and clicking a row number
        # selects that row (Qt's own selectRow does nothing in single-item selection).
        rows.setHighlightSections(True)
        rows.sectionPressed.connect(self.select_row)

        columns = self.horizontalHeader()
        columns.setHighlightSections(False)
        columns.setMinimumSectionSize(140)
        columns.setSectionResizeMode(SEGMENT_COLUMN, QHeaderView.ResizeMode.Stretch)
        columns.setSectionResizeMode(DESTINATION_COLUMN, QHeaderView.ResizeMode.Stretch)
        columns.setSectionResizeMode(STRATEGY_COLUMN, QHeaderView.ResizeMode.Fixed)
        columns.resizeSection(STRATEGY_COLUMN, STRATEGY_COLUMN_WIDTH)
        columns.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        columns.setMinimumHeight(delegate.row_height() - 4)

        frame = 2 * self.frameWidth()
        self.setMinimumHeight(
            columns.minimumHeight() + VISIBLE_ROWS * delegate.row_height() + frame + 8
        )

    def set_placeholder_text(self, text: str) -> None:
        """What the empty table says; repainted only when it is shown and changes, since
        the cells repaint themselves when they change."""
        if text == self.placeholder_text:
            return
        self.placeholder_text = text
        model = self.model()
        if model is not None and model.rowCount() == 0:
            self.viewport().update()

    def select_row(self, row: int) -> None:
        """Make a cell of ``row`` current (in the current column), so Remove and the
        move buttons act on it, and take focus so Delete does too."""
        model = self.model()
        if model is None or not self.isEnabled():
            return
        column = max(0, self.currentIndex().column())
        index = model.index(row, column)
        if not index.isValid():
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.setCurrentIndex(index)
        self.scrollTo(index)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        left = event.button() == Qt.MouseButton.LeftButton
        at = self.indexAt(event.position().toPoint())
        self._pressed = QPersistentModelIndex(at) if left else QPersistentModelIndex()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        pressed = self._pressed
        self._pressed = QPersistentModelIndex()
        super().mouseReleaseEvent(event)
        # Every column is a dropdown: one click opens its list, as a combo box does (the
        # delegate shows the list when a mouse opened the editor). Qt alone would
        # select on the first click and edit on a second, slower one.
        if (
            event.button() != Qt.MouseButton.LeftButton
            or event.modifiers() != Qt.KeyboardModifier.NoModifier
            or self.state() == QAbstractItemView.State.EditingState
        ):
            return
        index = self.indexAt(event.position().toPoint())
        if (
            index.isValid()
            and pressed.isValid()
            and QPersistentModelIndex(index) == pressed
            and index.flags() & Qt.ItemFlag.ItemIsEditable
        ):
            self.edit(index)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.viewport().update()  # the ring comes

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.viewport().update()  # and goes

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), self.minimumHeight())

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if keyboard_focus_shown(self):
            # The style marks the current cell with a faint tint only: ring it (or the
            # whole table while no cell is current), so the keyboard's place is plain.
            current = self.currentIndex()
            area = self.visualRect(current) if current.isValid() else self.viewport().rect()
            selection = self.selectionModel()
            selected = selection is not None and selection.isSelected(current)
            painter = QPainter(self.viewport())
            paint_ring(painter, self, QRectF(area), on_highlight=selected)
            painter.end()
        model = self.model()
        if self.placeholder_text and model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                self.viewport().rect().adjusted(16, 16, -16, -16),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.placeholder_text,
            )
            painter.end()
