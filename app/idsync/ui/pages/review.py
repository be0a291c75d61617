"""Step 4, Review: every finding, the document as saved, the exact API request bodies and
the strategy preview for a sample profile."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from idsync.core.api_mapping import NotPushable, api_limitations
from idsync.core.catalog import Catalog
from idsync.core.editing import apply_fix
from idsync.core.findings import Finding, FindingFix
from idsync.core.model import IdSyncDocument
from idsync.editor.steps import summary
from idsync.storage.exports import ExportKind, body_text
from idsync.ui.controller import DocumentController
from idsync.ui.finding_detail import FindingDetail
from idsync.ui.findings_list import FindingsList
from idsync.ui.pages.preview_panel import StrategyPreviewPanel
from idsync.ui.widgets import CodeView, PageHeader

TABS_MINIMUM = QSize(420, 160)


class ReviewPage(QWidget):
    findingActivated = Signal(object)
    exportRequested = Signal(object)  # ExportKind

    def __init__(
        self,
        controller: DocumentController,
        catalog: Catalog,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reviewPage")
        self._controller = controller

        header = PageHeader(
            "Review",
            "Every problem and note, the document as it is saved, the exact Public API "
            "request bodies and what a sample profile would send. Press Enter on a finding "
            "to go to it.",
        )
        self.summary_label = QLabel()
        self.summary_label.setObjectName("findingsSummary")

        self.findings_list = FindingsList()
        self.findings_list.findingActivated.connect(self.findingActivated)
        findings_panel = QWidget()
        findings_layout = QVBoxLayout(findings_panel)
        findings_layout.setContentsMargins(0, 0, 0, 0)
        findings_label = QLabel("F&indings")
        findings_label.setBuddy(self.findings_list)
        findings_layout.addWidget(findings_label)
        findings_layout.addWidget(self.summary_label)
        findings_layout.addWidget(self.findings_list, 1)
        self.finding_detail = FindingDetail(
            "findingDetail",
            placeholder="Choose a finding to see what it rests on: a Segment limit or "
            "recommendation, with a link to its source, or a house rule.",
        )
        self.finding_detail.setAccessibleName("About the chosen finding")
        # Choosing a finding must not resize the list a double-click is aimed at.
        self.finding_detail.reserve_lines(3)
        self.finding_detail.fixRequested.connect(self._apply_fix)
        self.finding_detail.show_findings([])
        findings_layout.addWidget(self.finding_detail)
        self.findings_list.currentItemChanged.connect(lambda *_: self._show_finding_detail())

        self.views: dict[ExportKind, CodeView] = {}
        self.tabs = QTabWidget()
        self.tabs.setObjectName("reviewTabs")
        self.tabs.setAccessibleName("Document, request bodies and strategy preview")
        labels = {
            ExportKind.DOCUMENT: ("Document JSON", "E&xport document…"),
            ExportKind.CREATE_BODY: ("Create body (POST)", "Export create body…"),
            ExportKind.UPDATE_BODY: ("Update body (PATCH)", "Export update body…"),
        }
        for kind, (title, export_label) in labels.items():
            view = CodeView(f"{kind.value}View", export_label=export_label)
            view.set_accessible_label(title)
            view.exportRequested.connect(lambda kind=kind: self.exportRequested.emit(kind))
            self.views[kind] = view
            self.tabs.addTab(view, title)
        self.preview_panel = StrategyPreviewPanel(controller, catalog)
        self.tabs.addTab(self.preview_panel, "Strategy preview")

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("reviewSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(findings_panel)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        # Below what every tab would ask for: the window may share its height with the
        # docked review workspace, and a tab then scrolls its own content.
        self.tabs.setMinimumSize(TABS_MINIMUM)
        self.splitter = splitter
        self._split = False
        """Whether the first split (the tabs the larger share) has been made."""

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(header)
        layout.addWidget(splitter, 1)

        # Whether the views lag behind the document: serialising the document and both
        # bodies on every keystroke is wasted while the Review step is not on screen.
        self._document_stale = False
        controller.documentChanged.connect(self._on_document_changed)
        controller.findingsChanged.connect(self._show_findings)
        self._show_document(controller.document)
        self._show_findings(controller.findings)

    def _on_document_changed(self, _before: IdSyncDocument, after: IdSyncDocument) -> None:
        if self.isVisible():
            self._show_document(after)
        else:
            self._document_stale = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._document_stale:
            self._show_document(self._controller.document)
        super().showEvent(event)
        if not self._split:
            # Once laid out: two fifths for the findings, the rest for the tabs, whose
            # strategy preview needs room for its rows at 1024x700 too.
            QTimer.singleShot(0, self, self._split_once)

    def _split_once(self) -> None:
        total = sum(self.splitter.sizes())
        if self._split or total <= 0:
            return
        self._split = True
        findings = total * 2 // 5
        self.splitter.setSizes([findings, total - findings])

    def _show_document(self, doc: IdSyncDocument) -> None:
        self._document_stale = False
        limitations = " ".join(note.message for note in api_limitations(doc))
        for kind, view in self.views.items():
            try:
                text = body_text(kind, doc)
            except NotPushable as reason:
                view.set_content(f"This request cannot be built yet.\n\n{reason}", available=False)
                continue
            note = "" if kind is ExportKind.DOCUMENT else limitations
            view.set_content(text, note=note)

    def _show_findings(self, findings: list[Finding]) -> None:
        self.summary_label.setText(summary(findings))
        self.findings_list.set_findings(findings)

    def _show_finding_detail(self) -> None:
        finding = self.findings_list.current_finding()
        self.finding_detail.show_findings([finding] if finding is not None else [])

    def _apply_fix(self, fix: FindingFix) -> None:
        self._controller.edit(
            apply_fix(self._controller.document, fix), f"{fix.label} in row {fix.row + 1}"
        )

    def focus_finding(self, finding: Finding) -> None:
        self.findings_list.setFocus()
        self.findings_list.select_finding(finding)
