"""The step list on the left: every step reachable at any time, each with its error badge."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from idsync.core.findings import Finding, Severity
from idsync.core.wording import plural
from idsync.editor.steps import Step, counts_by_step
from idsync.ui.severity_style import count_badge
from idsync.ui.theme import secondary_text_color

ERROR_COUNT_ROLE = Qt.ItemDataRole.UserRole + 1
WARNING_COUNT_ROLE = Qt.ItemDataRole.UserRole + 2
STEP_ROLE = Qt.ItemDataRole.UserRole + 3

_ROW_HEIGHT_LINES = 2.4

_SIZE_KEEPING_ROLES = frozenset(
    {
        int(ERROR_COUNT_ROLE),
        int(WARNING_COUNT_ROLE),
        int(Qt.ItemDataRole.AccessibleTextRole),
        int(Qt.ItemDataRole.ToolTipRole),
    }
)
"""What ``set_findings`` changes: none of it changes a row's size."""


class _StepDelegate(QStyledItemDelegate):
    """Paints 'n  Title' and, on the right, a pill with the error (or warning) count."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        metrics = QFontMetrics(option.font)
        return QSize(metrics.horizontalAdvance("Event settings") + 90,
                     int(metrics.height() * _ROW_HEIGHT_LINES))

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.text = ""  # the style draws the row; number, title and badge come below

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        # The style's own row (background, selection) through the base class, so this
        # module never touches QStyle: building its Python type delays the first paint.
        super().paint(painter, option, index)
        view = self.parent()
        assert isinstance(view, QListWidget)
        item = view.item(index.row())
        title = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        palette: QPalette = option.palette
        selected = item is not None and item.isSelected()
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        if view.hasFocus() and view.currentIndex() == index:
            # Keyboard focus on the list: a ring inside the current step, in the colour
            # that contrasts with what is under it (light and dark palettes alike). The
            # selection colour alone looks the same with or without focus.
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            ring = QPen(palette.color(text_role if selected else QPalette.ColorRole.Highlight))
            ring.setWidthF(2.0)
            painter.setPen(ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(option.rect).adjusted(3, 3, -3, -3), 4, 4)
            painter.restore()
        rect = option.rect.adjusted(12, 0, -10, 0)
        metrics = QFontMetrics(option.font)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        number = f"{index.row() + 1}"
        number_width = metrics.horizontalAdvance("8") + 10
        painter.setPen(
            palette.color(text_role) if selected else secondary_text_color(palette)
        )
        painter.drawText(
            QRect(rect.left(), rect.top(), number_width, rect.height()),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            number,
        )

        errors = int(index.data(ERROR_COUNT_ROLE) or 0)
        warnings = int(index.data(WARNING_COUNT_ROLE) or 0)
        badge_right = rect.right()
        if errors or warnings:
            severity = Severity.ERROR if errors else Severity.WARNING
            count = errors or warnings
            badge_font = QFont(option.font)
            badge_font.setBold(True)
            badge_metrics = QFontMetrics(badge_font)
            label = str(count)
            height = badge_metrics.height() + 4
            width = max(height, badge_metrics.horizontalAdvance(label) + 12)
            badge = QRect(rect.right() - width, rect.center().y() - height // 2 + 1, width, height)
            style = count_badge(severity, palette, selected)
            if style.fill is not None:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(style.fill)
            else:
                painter.setPen(style.edge)
                painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(badge, height / 2, height / 2)
            painter.setFont(badge_font)
            painter.setPen(style.text)
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, label)
            badge_right = badge.left() - 6

        painter.setFont(option.font)
        painter.setPen(palette.color(text_role))
        title_rect = QRect(
            rect.left() + number_width, rect.top(), badge_right - rect.left() - number_width,
            rect.height(),
        )
        painter.drawText(
            title_rect,
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            metrics.elidedText(title, Qt.TextElideMode.ElideRight, title_rect.width()),
        )
        painter.restore()


class StepSidebar(QListWidget):
    """Selecting a row shows that step; badges follow the findings."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepSidebar")
        self.setAccessibleName("Steps")
        self.setAccessibleDescription("The editor's steps; each shows how many errors it has")
        self.setItemDelegate(_StepDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setUniformItemSizes(True)
        for step in Step:
            item = QListWidgetItem(step.label)
            item.setData(STEP_ROLE, step.value)
            self.addItem(item)
        self._update_texts()
        self.setCurrentRow(0)
        self.setMinimumWidth(self.sizeHintForColumn(0) + 8)

    def sizeHint(self) -> QSize:
        return QSize(self.sizeHintForColumn(0) + 16, super().sizeHint().height())

    def dataChanged(
        self,
        topLeft: QModelIndex | QPersistentModelIndex,
        bottomRight: QModelIndex | QPersistentModelIndex,
        roles: Sequence[int] = (),
    ) -> None:
        if roles and all(role in _SIZE_KEEPING_ROLES for role in roles):
            # A badge or its words changed: repaint that step's row. QListView would lay
            # every row out again and repaint the whole list, yet no row's size depends on
            # these (every row is as tall and wide as the delegate says for any step).
            QAbstractItemView.dataChanged(self, topLeft, bottomRight, roles)
            return
        super().dataChanged(topLeft, bottomRight, roles)

    def item_for(self, step: Step) -> QListWidgetItem:
        item = self.item(step.position)
        assert item is not None
        return item

    def error_count(self, step: Step) -> int:
        return int(self.item_for(step).data(ERROR_COUNT_ROLE) or 0)

    def set_findings(self, findings: list[Finding]) -> None:
        errors = counts_by_step(findings, Severity.ERROR)
        warnings = counts_by_step(findings, Severity.WARNING)
        for position, step in enumerate(Step):
            item = self.item(position)
            item.setData(ERROR_COUNT_ROLE, errors[step])
            item.setData(WARNING_COUNT_ROLE, warnings[step])
        self._update_texts()

    def _update_texts(self) -> None:
        # Screen readers and tooltips get the badge in words.
        for position, step in enumerate(Step):
            item = self.item(position)
            errors = int(item.data(ERROR_COUNT_ROLE) or 0)
            warnings = int(item.data(WARNING_COUNT_ROLE) or 0)
            parts = []
            if errors:
                parts.append(plural(errors, "error"))
            if warnings:
                parts.append(plural(warnings, "warning"))
            status = ", ".join(parts) if parts else "no problems"
            text = f"Step {position + 1}, {step.label}: {status}"
            item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
            item.setToolTip(f"{step.label} ({status}) — Ctrl+{position + 1}")
