"""The destination catalog as a list model and its two-line item delegate."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QFont, QFontMetrics, QIcon, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from idsync.catalog.search import DestinationIndex
from idsync.core.catalog import Catalog, DestinationSpec
from idsync.core.model import DestinationKind
from idsync.core.wording import catalog_tags
from idsync.ui.icons import avatar_icon
from idsync.ui.theme import secondary_text_color

SPEC_ROLE = Qt.ItemDataRole.UserRole + 1
SUBTITLE_ROLE = Qt.ItemDataRole.UserRole + 2
CHOSEN_ROLE = Qt.ItemDataRole.UserRole + 3

_AVATAR = 32
_PADDING = 8

_Index = QModelIndex | QPersistentModelIndex


def subtitle(spec: DestinationSpec) -> str:
    kind = "Destination function" if spec.kind is DestinationKind.FUNCTION else "Destination"
    parts = [kind, spec.category] if spec.category else [kind]
    return " · ".join([*parts, *catalog_tags(spec)])


def _rows_by_slug(specs: tuple[DestinationSpec, ...]) -> dict[str, int]:
    return {spec.slug: row for row, spec in enumerate(specs)}


_MAX_REMOVED_RUNS = 16
"""Past this many separate removals, one reset costs the view less than the signals."""


def _removed_runs(shorter: tuple[DestinationSpec, ...], longer: tuple[DestinationSpec, ...]) -> int:
    """How many separate runs of rows ``longer`` loses to become ``shorter``, or a number
    past any limit when ``shorter`` is not ``longer`` with entries left out, in order."""
    runs = 0
    in_run = False
    wanted = iter(shorter)
    next_kept = next(wanted, None)
    for spec in longer:
        if spec is next_kept:
            next_kept = next(wanted, None)
            in_run = False
        elif not in_run:
            runs += 1
            in_run = True
    return runs if next_kept is None else len(longer) + 1


class CatalogListModel(QAbstractListModel):
    """The catalog's destinations that match the current search text and kind."""

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._index = DestinationIndex(catalog)
        self._specs: tuple[DestinationSpec, ...] = catalog.destinations
        self._rows = _rows_by_slug(self._specs)
        self._chosen_slug = ""
        self._icons: dict[str, QIcon] = {}

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._specs)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._specs):
            return None
        spec = self._specs[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return spec.name
        if role == Qt.ItemDataRole.DecorationRole:
            if spec.name not in self._icons:
                self._icons[spec.name] = avatar_icon(spec.name)
            return self._icons[spec.name]
        if role == SUBTITLE_ROLE:
            return subtitle(spec)
        if role == SPEC_ROLE:
            return spec
        if role == CHOSEN_ROLE:
            return spec.slug == self._chosen_slug
        if role == Qt.ItemDataRole.AccessibleTextRole:
            chosen = ", chosen" if spec.slug == self._chosen_slug else ""
            return f"{spec.name}, {subtitle(spec)}{chosen}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{spec.name}\n{subtitle(spec)}"
        return None

    def spec_at(self, row: int) -> DestinationSpec | None:
        return self._specs[row] if 0 <= row < len(self._specs) else None

    def row_of(self, slug: str) -> int:
        return self._rows.get(slug, -1)

    def set_filter(self, text: str, kind: DestinationKind | None) -> None:
        specs = self._index.search(text, kind)
        if specs == self._specs:
            return
        old = self._specs
        if len(specs) < len(old) and _removed_runs(specs, old) <= _MAX_REMOVED_RUNS:
            # Typing one more letter narrows the list: remove the rows that went, in runs,
            # so the view keeps its items (and the current one) instead of a full reset.
            self._remove_missing(specs)
        else:
            self.beginResetModel()
            self._specs = specs
            self.endResetModel()
        self._rows = _rows_by_slug(self._specs)

    def _remove_missing(self, kept: tuple[DestinationSpec, ...]) -> None:
        keep = {spec.slug for spec in kept}
        row = len(self._specs) - 1
        while row >= 0:
            if self._specs[row].slug in keep:
                row -= 1
                continue
            last = row
            while row >= 0 and self._specs[row].slug not in keep:
                row -= 1
            self.beginRemoveRows(QModelIndex(), row + 1, last)
            self._specs = self._specs[: row + 1] + self._specs[last + 1 :]
            self.endRemoveRows()

    def set_chosen(self, slug: str) -> None:
        if slug == self._chosen_slug:
            return
        rows = [self.row_of(self._chosen_slug), self.row_of(slug)]
        self._chosen_slug = slug
        for row in rows:
            if row >= 0:
                index = self.index(row)
                self.dataChanged.emit(index, index, [CHOSEN_ROLE])

    def clear_icon_cache(self) -> None:
        """Avatars follow the palette; call after a light/dark switch."""
        self._icons.clear()
        if self._specs:
            self.dataChanged.emit(self.index(0), self.index(len(self._specs) - 1))


class CatalogItemDelegate(QStyledItemDelegate):
    """Avatar, name in bold, 'kind · category' below it, and a mark on the chosen one."""

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        metrics = QFontMetrics(option.font)
        height = max(_AVATAR, metrics.height() * 2 + 4) + 2 * _PADDING
        return QSize(metrics.horizontalAdvance("M") * 24, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        opt.icon = QIcon()
        widget = opt.widget
        if widget is not None:
            widget.style().drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = opt.palette
        text_color = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = text_color if selected else secondary_text_color(palette)
        rect = opt.rect.adjusted(_PADDING, _PADDING, -_PADDING, -_PADDING)

        painter.save()
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        avatar_rect = QRect(rect.left(), rect.center().y() - _AVATAR // 2 + 1, _AVATAR, _AVATAR)
        if isinstance(icon, QIcon):
            icon.paint(painter, avatar_rect)

        chosen = bool(index.data(CHOSEN_ROLE))
        bold = QFont(opt.font)
        bold.setBold(True)
        bold_metrics = QFontMetrics(bold)
        mark = "✓ Chosen" if chosen else ""
        mark_width = bold_metrics.horizontalAdvance(mark) + _PADDING if chosen else 0
        text_left = avatar_rect.right() + 1 + _PADDING
        text_width = rect.right() - text_left - mark_width
        line_height = bold_metrics.height()
        top = rect.center().y() - line_height

        painter.setFont(bold)
        painter.setPen(text_color)
        name = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        painter.drawText(
            QRect(text_left, top, text_width, line_height),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            bold_metrics.elidedText(name, Qt.TextElideMode.ElideRight, text_width),
        )
        if chosen:
            painter.drawText(
                QRect(rect.right() - mark_width, top, mark_width, line_height),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                mark,
            )
        painter.setFont(opt.font)
        painter.setPen(muted)
        metrics = QFontMetrics(opt.font)
        painter.drawText(
            QRect(text_left, top + line_height + 2, text_width, metrics.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(str(index.data(SUBTITLE_ROLE) or ""),
                               Qt.TextElideMode.ElideRight, text_width),
        )
        painter.restore()
