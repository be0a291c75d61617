"""A list of findings (severity icon, code, where, message); activating one navigates to it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from idsync.core.findings import Area, Finding, sort_findings
from idsync.core.wording import join_and
from idsync.editor.steps import step_of
from idsync.ui.severity_style import severity_icon

FINDING_ROLE = Qt.ItemDataRole.UserRole + 1

def where(finding: Finding) -> str:
    """The place a finding points at, in the words of the editor."""
    if finding.rows:
        return "Rows " + join_and([str(row + 1) for row in finding.rows])
    if finding.row is not None:
        return f"Row {finding.row + 1}"
    if finding.area is Area.PUSH:
        return "On push"
    return step_of(finding).label


class FindingsList(QTreeWidget):
    """Double-click or Enter on a finding emits ``findingActivated``."""

    findingActivated = Signal(object)

    COLUMNS = ("Severity", "Code", "Where", "Basis", "Message")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findingsList")
        self.setAccessibleName("Findings")
        self.setAccessibleDescription("Problems and notes; press Enter on one to go to it")
        self.setColumnCount(len(self.COLUMNS))
        self.setHeaderLabels(list(self.COLUMNS))
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        # A line per finding, as a linter's problem list: the pane under the list shows
        # the chosen one whole (and its tooltip too), so a short list still shows several.
        self.setUniformRowHeights(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.header()
        header.setStretchLastSection(True)
        for column in range(len(self.COLUMNS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self._findings: list[Finding] = []
        # QTreeWidget emits itemActivated for both a double-click and Enter.
        self.itemActivated.connect(self._on_activated)

    @property
    def findings(self) -> list[Finding]:
        return list(self._findings)

    def set_findings(self, findings: list[Finding]) -> None:
        selected = self.current_finding()
        self._findings = sort_findings(findings)
        self.clear()
        for finding in self._findings:
            item = QTreeWidgetItem(
                [
                    finding.severity.label,
                    finding.code,
                    where(finding),
                    finding.basis,
                    finding.message,
                ]
            )
            item.setIcon(0, severity_icon(finding.severity, self.palette()))
            item.setData(0, FINDING_ROLE, finding)
            item.setToolTip(3, "This app's own check" if finding.is_house_rule else finding.source)
            item.setToolTip(4, finding.message)
            self.addTopLevelItem(item)
            if finding == selected:
                self.setCurrentItem(item)

    def current_finding(self) -> Finding | None:
        item = self.currentItem()
        if item is None:
            return None
        value = item.data(0, FINDING_ROLE)
        return value if isinstance(value, Finding) else None

    def select_finding(self, finding: Finding) -> bool:
        for index in range(self.topLevelItemCount()):
            item = self.topLevelItem(index)
            if item is not None and item.data(0, FINDING_ROLE) == finding:
                self.setCurrentItem(item)
                self.scrollToItem(item)
                return True
        return False

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.set_findings(self._findings)

    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        value = item.data(0, FINDING_ROLE)
        if isinstance(value, Finding):
            self.findingActivated.emit(value)
