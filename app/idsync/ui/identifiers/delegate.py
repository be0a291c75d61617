"""One combo-box delegate for the three identifier columns.

Segment identifier: editable combo with completion over the catalog defaults, the
space's custom identifiers and identifiers used before. Destination identifier: a fixed
dropdown of preset keys for destinations that accept only those, otherwise an editable
combo suggesting the catalog's known fields. Strategy: First added / Last added / All.

Keyboard: F2 or typing opens the editor, arrows or typing choose, Enter commits, Esc
cancels, Alt+Down opens the list. A click on a cell opens its list at once (the table
view starts the edit), and choosing from the list commits, so a mouse user needs one
click to open and one to choose.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QElapsedTimer,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    QStringListModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QCompleter,
    QStyle,
    QStyledItemDelegate,
    QStyleOption,
    QStyleOptionViewItem,
    QWidget,
)

from idsync.core.catalog import Catalog
from idsync.editor.choices import (
    Choice,
    destination_identifier_choices,
    segment_identifier_choices,
    strategy_choices,
)
from idsync.ui.controller import DocumentController
from idsync.ui.identifiers.table_model import (
    COLUMN_TITLES,
    DESTINATION_COLUMN,
    SEGMENT_COLUMN,
    IdentifierTableModel,
)

Index = QModelIndex | QPersistentModelIndex

ARROW_WIDTH = 18
"""Room at the right of each cell for the drop-down arrow that marks it as a choice."""
_ARROW_SIDE = 8

# Looked up once: every paint of every cell draws these.
_PANEL = QStyle.PrimitiveElement.PE_PanelItemViewItem
_ITEM = QStyle.ControlElement.CE_ItemViewItem
_ARROW = QStyle.PrimitiveElement.PE_IndicatorArrowDown


class ChoiceCombo(QComboBox):
    """The cell editor: a combo that reports when its list closes."""

    popupClosed = Signal()
    completionChosen = Signal()
    """A completion was chosen (Enter or a click): the value is taken, the edit is done."""

    def __init__(self, editable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(editable)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setFrame(False)
        self.finished = False
        """Set once the delegate has closed this editor, so it is closed only once."""
        self._shown_by_mouse = QElapsedTimer()

    def show_popup_for_mouse(self) -> None:
        """Open the list after a click; the second click of a double-click, landing on
        the list just opened, must not choose from it and close it again."""
        self.showPopup()
        viewport = self.view().viewport()
        if viewport is not None:
            viewport.removeEventFilter(self)
            viewport.installEventFilter(self)
        self._shown_by_mouse.start()

    def follow_completions(self) -> None:
        """Choosing in the completion list ends the edit, as Enter in the cell does: Qt
        would only close the list and leave the editor open for the next keys."""
        completer = self.completer()
        popup = completer.popup() if completer is not None else None
        if completer is None or popup is None:
            return
        popup.removeEventFilter(self)
        popup.installEventFilter(self)
        # A click on a completion (the combo has taken its text by then).
        completer.activated.connect(lambda _text: self.completionChosen.emit())

    def _take_completion(self) -> None:
        completer = self.completer()
        popup = completer.popup() if completer is not None else None
        if completer is None or popup is None:
            return
        current = popup.currentIndex()
        if current.isValid():
            text = current.data(completer.completionRole())
            if isinstance(text, str):
                self.setEditText(text)
        popup.hide()
        self.completionChosen.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        completer = self.completer()
        if (
            completer is not None
            and watched is completer.popup()
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._take_completion()
            return True
        if (
            self._shown_by_mouse.isValid()
            and event.type()
            in (
                QEvent.Type.MouseButtonPress,
                QEvent.Type.MouseButtonRelease,
                QEvent.Type.MouseButtonDblClick,
            )
        ):
            if self._shown_by_mouse.elapsed() < QApplication.doubleClickInterval():
                return True
            self._shown_by_mouse.invalidate()
        return super().eventFilter(watched, event)

    def add_choices(self, choices: Sequence[Choice]) -> None:
        group = None
        for choice in choices:
            if group is not None and choice.group != group:
                self.insertSeparator(self.count())
            group = choice.group
            self.addItem(choice.label, choice.value)
            if choice.description:
                self.setItemData(self.count() - 1, choice.description, Qt.ItemDataRole.ToolTipRole)

    def value(self) -> str:
        if self.isEditable():
            return self.currentText()
        data = self.currentData()
        return data if isinstance(data, str) else ""

    def hidePopup(self) -> None:
        was_visible = self.view().isVisible()
        super().hidePopup()
        if was_visible:
            # The combo takes the chosen item only after hiding its list: report later.
            QTimer.singleShot(0, self, self.popupClosed.emit)


class IdentifierDelegate(QStyledItemDelegate):
    def __init__(
        self,
        controller: DocumentController,
        catalog: Catalog,
        remembered_identifiers: Callable[[], Sequence[str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._catalog = catalog
        self._remembered = remembered_identifiers
        self._mouse_started = False
        self._row_height = 0

    # -- editors -------------------------------------------------------------------

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        column = index.column()
        current = index.data(Qt.ItemDataRole.EditRole)
        current = current if isinstance(current, str) else ""
        if column == SEGMENT_COLUMN:
            doc = self._controller.document
            choices = segment_identifier_choices(
                self._catalog, doc.custom_identifiers, self._remembered()
            )
            editor = ChoiceCombo(editable=True, parent=parent)
            editor.add_choices(choices)
            self._add_completer(editor, [c.value for c in choices])
        elif column == DESTINATION_COLUMN:
            offered = destination_identifier_choices(self._destination_spec(), current)
            editor = ChoiceCombo(editable=offered.editable, parent=parent)
            editor.add_choices(offered.choices)
            if offered.editable:
                self._add_completer(editor, [c.value for c in offered.choices])
        else:
            editor = ChoiceCombo(editable=False, parent=parent)
            editor.add_choices(strategy_choices())
        editor.setAccessibleName(f"{COLUMN_TITLES[column]} of row {index.row() + 1}")
        editor.setMaxVisibleItems(16)
        editor.popupClosed.connect(lambda: self._finish(editor))
        editor.completionChosen.connect(lambda: self._finish(editor))
        if self._mouse_started:
            # Opened by the mouse: show the list straight away, as a dropdown does.
            self._mouse_started = False
            QTimer.singleShot(0, editor, editor.show_popup_for_mouse)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if not isinstance(editor, ChoiceCombo):
            super().setEditorData(editor, index)
            return
        value = index.data(Qt.ItemDataRole.EditRole)
        value = value if isinstance(value, str) else ""
        position = editor.findData(value)
        if position >= 0:
            editor.setCurrentIndex(position)
        if editor.isEditable():
            editor.setEditText(value)
            line = editor.lineEdit()
            if line is not None:
                line.selectAll()
        elif position < 0:
            editor.setCurrentIndex(-1)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if not isinstance(editor, ChoiceCombo):
            super().setModelData(editor, model, index)
            return
        value = editor.value()
        if not editor.isEditable() and editor.currentIndex() < 0:
            return  # nothing chosen in a fixed list: keep what is there
        model.setData(index, value, Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        editor.setGeometry(option.rect)

    def editorEvent(
        self, event: QEvent, model: QAbstractItemModel, option: QStyleOptionViewItem, index: Index
    ) -> bool:
        # The view asks the delegate first and opens the editor right after, within the
        # same event; remember only for that event whether a mouse started the edit.
        started = event.type() in (QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseButtonRelease)
        if started != self._mouse_started:
            self._mouse_started = started
            if started:
                QTimer.singleShot(0, self._forget_mouse)
        return super().editorEvent(event, model, option, index)

    # -- painting ------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        model = index.model()
        widget = option.widget
        style = widget.style() if widget is not None else None
        if (
            style is None
            or not isinstance(model, IdentifierTableModel)
            or not model.is_editable(index)
        ):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style.drawPrimitive(_PANEL, opt, painter, widget)
        full = QRect(opt.rect)
        opt.rect = full.adjusted(0, 0, -ARROW_WIDTH, 0)
        style.drawControl(_ITEM, opt, painter, widget)
        arrow = QStyleOption()
        arrow.initFrom(widget)
        arrow.state = opt.state
        arrow.palette = opt.palette
        arrow.rect = QRect(
            full.right() - ARROW_WIDTH + (ARROW_WIDTH - _ARROW_SIDE) // 2,
            full.center().y() - _ARROW_SIDE // 2,
            _ARROW_SIDE,
            _ARROW_SIDE,
        )
        style.drawPrimitive(_ARROW, arrow, painter, widget)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width() + ARROW_WIDTH, max(hint.height(), self.row_height()))

    def row_height(self) -> int:
        """A row tall enough for the combo editor plus breathing room."""
        if not self._row_height:
            probe = QComboBox()
            probe.addItem("Last added")
            self._row_height = probe.sizeHint().height() + 12
            probe.deleteLater()
        return self._row_height

    # -- helpers --------------------------------------------------------------------

    def _finish(self, editor: ChoiceCombo) -> None:
        """The list closed after a choice: commit it and leave editing, like a dropdown."""
        if editor.finished or not editor.isVisible():
            return  # closed already (Escape, or focus moved on) before the list reported
        editor.finished = True
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def _forget_mouse(self) -> None:
        self._mouse_started = False

    def _destination_spec(self) -> Any:
        ref = self._controller.document.destination
        return self._catalog.destination(ref.slug) if ref is not None else None

    @staticmethod
    def _add_completer(editor: ChoiceCombo, values: list[str]) -> None:
        completer = QCompleter(QStringListModel(values, editor), editor)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        editor.setCompleter(completer)
        editor.follow_completions()
