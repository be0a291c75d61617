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

from idsync.catalog.search import DestinationIndex, DestinationMatches
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


_MAX_REMOVED_RUNS = 16
"""Past this many separate removals, one reset costs the view less than the signals."""


def _removed_runs(
    shorter: DestinationMatches, longer: DestinationMatches, limit: int
) -> list[tuple[int, int]] | None:
    """The runs of rows (first, last) ``longer`` loses to become ``shorter``, or None when
    there are more than ``limit`` or ``shorter`` is not ``longer`` with rows left out, in
    order. Stops at the first run past the limit, so a search that changes most of the
    list does not walk all of it."""
    runs: list[tuple[int, int]] = []
    wanted = shorter.positions()
    next_kept = next(wanted, None)
    for row, position in enumerate(longer.positions()):
        if position == next_kept:
            next_kept = next(wanted, None)
        elif runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        elif len(runs) == limit:
            return None
        else:
            runs.append((row, row))
    return runs if next_kept is None else None


class CatalogListModel(QAbstractListModel):
    """The catalog's destinations that match the current search text and kind.

    Rows are looked up in the search's answer when the view asks for them; nothing is
    built per match, so a search that keeps most of a large catalog costs what the view
    shows, not what it matched.
    """

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._index = DestinationIndex(catalog)
        self._matches: DestinationMatches = self._index.matches("")
        self._chosen_slug = ""
        self._icons: dict[str, QIcon] = {}

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._matches)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        spec = self._matches.spec_at(index.row()) if index.isValid() else None
        if spec is None:
            return None
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
        return self._matches.spec_at(row)

    def row_of(self, slug: str) -> int:
        return self._matches.row_of(slug)

    def set_filter(self, text: str, kind: DestinationKind | None) -> None:
        matches = self._index.matches(text, kind)
        if matches == self._matches:
            return
        old = self._matches
        runs = _removed_runs(matches, old, _MAX_REMOVED_RUNS) if len(matches) < len(old) else None
        if runs is not None:
            # Typing one more letter narrows the list: remove the rows that went, in runs,
            # so the view keeps its items (and the current one) instead of a full reset.
            for first, last in reversed(runs):
                self.beginRemoveRows(QModelIndex(), first, last)
                self._matches = self._matches.without_rows(first, last)
                self.endRemoveRows()
            self._matches = matches
        else:
            self.beginResetModel()
            self._matches = matches
            self.endResetModel()

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
        if len(self._matches):
            self.dataChanged.emit(self.index(0), self.index(len(self._matches) - 1))


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
            metrics.elidedText(
                str(index.data(SUBTITLE_ROLE) or ""), Qt.TextElideMode.ElideRight, text_width
            ),
        )
        painter.restore()
