"""Review tab "Strategy preview": what the open document would send for a sample profile.

The person picks one of the shipped sample profiles (or opens a Profile API
``external_ids`` JSON of their own); the table shows, row by row, the values each row's
strategy picks and the events they cause. The preview is a pure function of the document
and the profile: it is recomputed when the document changes while the tab is on screen,
otherwise when the tab is next shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QBrush, QFont, QPainter, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from idsync.core.catalog import Catalog
from idsync.core.findings import Severity
from idsync.core.model import IdSyncDocument, Strategy
from idsync.core.preview import (
    RowOutcome,
    RowPreview,
    StrategyPreview,
    preview_in_catalog,
)
from idsync.core.profile import ProfileIdentities
from idsync.core.wording import plural
from idsync.resources import resource_path
from idsync.storage.profiles import ProfileLoadError, read_profile
from idsync.ui.controller import DocumentController
from idsync.ui.severity_style import severity_color
from idsync.ui.theme import secondary_text_color

PREFERRED_SAMPLE: Final = "returning-customer.json"
"""Shown first: it has several emails, a mobile ad id and a custom identifier."""

HEADERS: Final = (
    "#",
    "Segment identifier → destination field",
    "Strategy",
    "Values sent",
    "Events",
)
COLUMN_NUMBER, COLUMN_MAPPING, COLUMN_STRATEGY, COLUMN_VALUES, COLUMN_EVENTS = range(5)
DEFAULT_SETUP_MARK: Final = "—"
"""The row number shown for the rows Default Setup sends (they are not document rows)."""
_ROW_PADDING: Final = 14
"""Extra vertical room per table row, in pixels, so multi-value rows do not feel cramped."""


@dataclass(frozen=True)
class SampleProfile:
    """One entry of the profile chooser: a readable name and the file behind it."""

    name: str
    path: Path


def readable_name(path: Path) -> str:
    """'returning-customer.json' → 'Returning customer'."""
    words = path.stem.replace("_", " ").replace("-", " ").split()
    text = " ".join(words) or path.name
    return text[0].upper() + text[1:]


def shipped_profiles() -> list[SampleProfile]:
    """The sample profiles shipped with the app, the most telling one first."""
    try:
        folder = resource_path("profiles")
    except FileNotFoundError:
        return []
    files = sorted(folder.glob("*.json"), key=lambda p: (p.name != PREFERRED_SAMPLE, p.name))
    return [SampleProfile(readable_name(path), path) for path in files]


class _RoomyDelegate(QStyledItemDelegate):
    """Adds breathing room above and below each cell's text."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 8, size.height() + _ROW_PADDING)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        # Half the room above the text, half below; the background still fills the cell.
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget is not None else QApplication.style()
        text = option.text
        option.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        option.text = text
        option.rect = option.rect.adjusted(0, _ROW_PADDING // 2, 0, -(_ROW_PADDING // 2))
        option.backgroundBrush = QBrush()
        option.state &= ~QStyle.StateFlag.State_HasFocus
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.Alternate
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)


def _strategy_comparison(row: RowPreview) -> str:
    """What each strategy would pick on this row, for the strategy cell's tooltip."""
    if not row.values:
        return f"{row.strategy.label}: the profile has no {row.segment or 'value'} to pick from."
    parts = []
    for strategy in Strategy:
        picked = row.picks_for(strategy)
        shown = picked[0].value if len(picked) == 1 else f"{len(picked)} values"
        mark = " (this row)" if strategy is row.strategy else ""
        parts.append(f"{strategy.label}{mark}: {shown}")
    return "\n".join(parts)


def _values_tooltip(row: RowPreview) -> str:
    if row.outcome is not RowOutcome.SENT:
        return _reason(row)
    return "\n".join(f"{value.value} — added {value.created_at_utc_text}" for value in row.picked)


def _reason(row: RowPreview) -> str:
    """The core's reason as a sentence, without capitalising an identifier name."""
    text = row.reason
    if not text or (row.segment and text.startswith(row.segment)):
        return text
    return text[0].upper() + text[1:]



class StrategyPreviewPanel(QWidget):
    """Sample profile chooser, per-row preview table, total events and notes."""

    def __init__(
        self,
        controller: DocumentController,
        catalog: Catalog,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("strategyPreview")
        self._controller = controller
        self._catalog = catalog
        self._identities: ProfileIdentities | None = None
        self._profile_name = ""
        self._shown_index = -1
        self._stale = False
        """The document changed while the tab was hidden: refresh when it is shown."""
        self.result: StrategyPreview | None = None

        self.profile_combo = QComboBox()
        self.profile_combo.setObjectName("previewProfile")
        self.profile_combo.setAccessibleName("Sample profile")
        self.profile_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        profile_label = QLabel("Sample &profile:")
        profile_label.setBuddy(self.profile_combo)
        self.open_button = QPushButton("Open profile JSON…")
        self.open_button.setObjectName("previewOpenProfile")
        self.open_button.setAccessibleName("Open profile JSON")
        self.open_button.setToolTip(
            "Open the body of a Profile API external_ids response saved as JSON"
        )
        chooser = QHBoxLayout()
        chooser.addWidget(profile_label)
        chooser.addWidget(self.profile_combo)
        chooser.addWidget(self.open_button)
        chooser.addStretch(1)
        self.chooser = chooser

        self.error_label = QLabel()
        self.error_label.setObjectName("previewError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setVisible(False)

        self.profile_summary = QLabel()
        self.profile_summary.setObjectName("previewProfileSummary")
        self.profile_summary.setWordWrap(True)

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("previewTable")
        self.table.setAccessibleName("Strategy preview: what each identifier row sends")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.setItemDelegate(_RoomyDelegate(self.table))
        self.table.verticalHeader().setVisible(False)
        # Single selection makes "select all" meaningless; the button still needs a name.
        self.table.setCornerButtonEnabled(False)
        for corner in self.table.findChildren(QAbstractButton):
            corner.setAccessibleName("Preview table corner")
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(COLUMN_NUMBER, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMN_MAPPING, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COLUMN_STRATEGY, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMN_VALUES, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COLUMN_EVENTS, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(COLUMN_MAPPING, 300)
        header.sectionResized.connect(self._on_section_resized)

        self.total_label = QLabel()
        self.total_label.setObjectName("previewTotal")
        bold = QFont(self.total_label.font())
        bold.setBold(True)
        self.total_label.setFont(bold)
        self.notes_label = QLabel()
        self.notes_label.setObjectName("previewNotes")
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextFormat(Qt.TextFormat.PlainText)
        self.notes_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(chooser)
        layout.addWidget(self.error_label)
        layout.addWidget(self.profile_summary)
        # The total beside the chooser, not under the table: the table keeps that line.
        chooser.addWidget(self.total_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.notes_label)
        self._apply_palette()

        for sample in shipped_profiles():
            self.profile_combo.addItem(sample.name, str(sample.path))
        self.profile_combo.currentIndexChanged.connect(self._on_profile_chosen)
        self.open_button.clicked.connect(self.open_profile)
        controller.documentChanged.connect(self._on_document_changed)
        if self.profile_combo.count():
            self._on_profile_chosen(self.profile_combo.currentIndex())
        else:
            self._refresh()

    # --- choosing a profile -------------------------------------------------------------

    @property
    def profile_name(self) -> str:
        """The readable name of the profile the preview is showing ('' for none)."""
        return self._profile_name

    def open_profile(self) -> None:
        start = self._current_path()
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            "Open sample profile",
            str(start.parent) if start else "",
            "JSON files (*.json);;All files (*)",
        )
        if not chosen:
            return
        path = Path(chosen)
        if not self._load(path, readable_name(path)):
            return
        # The opened file joins the chooser so the person can switch back to it.
        index = self.profile_combo.findData(str(path))
        if index < 0:
            self.profile_combo.blockSignals(True)
            self.profile_combo.addItem(f"{readable_name(path)} ({path.name})", str(path))
            self.profile_combo.blockSignals(False)
            index = self.profile_combo.count() - 1
        self._select_silently(index)

    def _on_profile_chosen(self, index: int) -> None:
        if index < 0:
            return
        path = Path(str(self.profile_combo.itemData(index)))
        if self._load(path, self.profile_combo.itemText(index)):
            self._shown_index = index
        else:
            self._select_silently(self._shown_index)

    def _load(self, path: Path, name: str) -> bool:
        """Show ``path``'s profile; on failure say why and keep the current one."""
        try:
            identities = read_profile(path)
        except ProfileLoadError as exc:
            self._show_error(exc.message)
            return False
        self._identities = identities
        self._profile_name = name
        self._show_error("")
        self._refresh()
        return True

    def _select_silently(self, index: int) -> None:
        self.profile_combo.blockSignals(True)
        self.profile_combo.setCurrentIndex(index)
        self.profile_combo.blockSignals(False)
        self._shown_index = index

    def _current_path(self) -> Path | None:
        data = self.profile_combo.itemData(self._shown_index) if self._shown_index >= 0 else None
        return Path(str(data)) if data else None

    def _show_error(self, message: str) -> None:
        if message and self._identities is not None:
            message += f" The preview still shows {self._profile_name}."
        self.error_label.setText(message)
        self.error_label.setAccessibleName(message)
        self.error_label.setVisible(bool(message))

    # --- the preview --------------------------------------------------------------------

    def _on_document_changed(self, _before: IdSyncDocument, _after: IdSyncDocument) -> None:
        if self.isVisible():
            self._refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self._refresh()
        super().showEvent(event)

    def _refresh(self) -> None:
        self._stale = False
        doc = self._controller.document
        if self._identities is None:
            self.result = None
            self.table.setRowCount(0)
            self.profile_summary.setText("Choose a sample profile to see what would be sent.")
            self.total_label.setText("")
            self.notes_label.setText("")
            return
        self.result = preview_in_catalog(doc, self._identities, self._catalog)
        self._show_summary(self._identities)
        self._fill_table(self.result)
        events = self.result.total_events
        self.total_label.setText(
            f"Total: {plural(events, 'event')} when this profile enters the audience"
        )
        self.total_label.setAccessibleName(self.total_label.text())
        lines = []
        if self.result.unsent_types:
            lines.append("Not sent by any row: " + ", ".join(self.result.unsent_types) + ".")
        lines.extend(self.result.notes)
        self.notes_label.setText("\n".join(f"• {line}" for line in lines))
        self.notes_label.setAccessibleName(" ".join(lines))
        self.notes_label.setVisible(bool(lines))

    def _show_summary(self, identities: ProfileIdentities) -> None:
        types = identities.types()
        self.profile_summary.setText(
            f"{self._profile_name}: {plural(len(identities.items), 'external id')} of "
            f"{plural(len(types), 'type')} ({', '.join(types) or 'none'})."
        )

    def _fill_table(self, result: StrategyPreview) -> None:
        self.table.setRowCount(len(result.rows))
        muted = secondary_text_color(self.palette())
        for position, row in enumerate(result.rows):
            sends = row.outcome is RowOutcome.SENT
            number = str(row.row + 1) if row.row is not None else DEFAULT_SETUP_MARK
            field_name = row.destination or "(destination's own field)"
            mapping = f"{row.segment or '(no identifier)'} → {field_name}"
            if sends:
                values = "\n".join(value.value for value in row.picked)
                if row.strategy is Strategy.ALL and len(row.picked) > 1:
                    values = f"All {len(row.picked)} values:\n{values}"
            else:
                values = _reason(row)
            cells = {
                COLUMN_NUMBER: number,
                COLUMN_MAPPING: mapping,
                COLUMN_STRATEGY: row.strategy.label,
                COLUMN_VALUES: values,
                COLUMN_EVENTS: str(row.events),
            }
            tips = {
                COLUMN_NUMBER: (
                    f"Row {number} of the identifier table" if row.row is not None
                    else "Sent by Default Setup (not a row of the document)"
                ),
                COLUMN_MAPPING: mapping,
                COLUMN_STRATEGY: _strategy_comparison(row),
                COLUMN_VALUES: _values_tooltip(row),
                COLUMN_EVENTS: f"{plural(row.events, 'event')} for this row",
            }
            for column, text in cells.items():
                item = QTableWidgetItem(text)
                item.setToolTip(tips[column])
                align = Qt.AlignmentFlag.AlignTop
                if column in (COLUMN_NUMBER, COLUMN_EVENTS):
                    align |= Qt.AlignmentFlag.AlignRight
                else:
                    align |= Qt.AlignmentFlag.AlignLeft
                item.setTextAlignment(align)
                if not sends and column in (COLUMN_VALUES, COLUMN_EVENTS):
                    item.setForeground(muted)
                    font = item.font()
                    font.setItalic(column == COLUMN_VALUES)
                    item.setFont(font)
                self.table.setItem(position, column, item)
        self.table.resizeRowsToContents()

    def _on_section_resized(self, index: int, _old: int, _new: int) -> None:
        # Wrapped reasons need their rows re-measured when a column changes width.
        if index in (COLUMN_MAPPING, COLUMN_VALUES):
            self.table.resizeRowsToContents()

    def sizeHint(self) -> QSize:
        # The same as the other Review tabs, so adding this tab leaves the findings list
        # its share of the splitter.
        return QSize(480, 240)

    # --- palette ------------------------------------------------------------------------

    def _apply_palette(self) -> None:
        palette = self.error_label.palette()
        palette.setColor(
            QPalette.ColorRole.WindowText, severity_color(Severity.ERROR, self.palette())
        )
        self.error_label.setPalette(palette)
        muted = self.profile_summary.palette()
        muted.setColor(QPalette.ColorRole.WindowText, secondary_text_color(self.palette()))
        self.profile_summary.setPalette(muted)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()
            if self.result is not None:
                self._fill_table(self.result)
