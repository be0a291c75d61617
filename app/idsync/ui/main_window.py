"""The editor window: the frame that paints first (step sidebar, step pages, status bar,
menu titles, remembered layout), and what stays the window's own once it is filled:
moving between steps, the title, the status bar, drops and closing.

Its jobs live beside it: ``window_state`` (layout and settings), ``window_pages`` (the
pages built on first use), ``window_fill`` (the second start-up stage and the start),
``recovery_offer``, ``window_menus`` and ``window_segment``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QSplitter, QStackedWidget, QWidget

from idsync import APP_NAME
from idsync.editor.steps import Step, step_of, summary
from idsync.storage.settings import Settings, load_settings
from idsync.ui.app_icon import app_icon
from idsync.ui.focus_ring import FlatButton, MenuFocusKeeper
from idsync.ui.sidebar import StepSidebar
from idsync.ui.window_pages import StepPages
from idsync.ui.window_slot import WindowSlot
from idsync.ui.window_state import SettingsWriter, remember_layout, restore_layout

if TYPE_CHECKING:
    # Events the window handles: PySide6 creates each Python type on first use, and
    # these are first used when such an event comes (a key, a drop, the close).
    from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeyEvent

    # The window paints before these load (see ``populate``): they bring the model, the
    # rules and the catalog, which the first paint does not need.
    from idsync.core.catalog import Catalog
    from idsync.core.findings import Finding
    from idsync.core.model import IdSyncDocument
    from idsync.push.outcome import TargetOutcome
    from idsync.ui.about import AboutDialog
    from idsync.ui.autosaver import Autosaver
    from idsync.ui.controller import DocumentController
    from idsync.ui.files import DocumentFiles
    from idsync.ui.history_dialog import HistoryDialog
    from idsync.ui.history_recorder import HistoryRecorder
    from idsync.ui.identifiers import EventSettingsPage
    from idsync.ui.pages.destination import DestinationPage
    from idsync.ui.pages.review import ReviewPage
    from idsync.ui.pages.step_page import StepPage
    from idsync.ui.pages.target import TargetPage
    from idsync.ui.push.actions import PushActions
    from idsync.ui.push.session import SegmentSession
    from idsync.ui.recovery_offer import RecoveryOffer
    from idsync.ui.window_menus import WindowMenus
    from idsync.ui.window_segment import WindowSegment
    from idsync.ui.workspace.actions import ReviewActions

STATUS_MESSAGE_MS = 8000


class MainWindow(QMainWindow):
    """The editor window, in two stages: the frame (this constructor: sidebar, empty
    pages, status bar, the menu titles, the remembered geometry) paints at once; then
    ``populate`` loads the document model, the rules and the catalog and fills it.
    ``MainWindow(catalog)`` does both at once."""

    pagesBuilt = Signal()
    """Every step's page is built: what the window loads at start is loaded."""

    # Set by ``populate`` (``idsync.ui.window_fill``).
    catalog: Catalog
    controller: DocumentController
    history: HistoryRecorder
    files: DocumentFiles
    autosaver: Autosaver
    recovery: RecoveryOffer
    menus: WindowMenus
    segment: WindowSegment
    review_actions: ReviewActions
    segment_session: SegmentSession
    push_actions: PushActions

    def __init__(
        self,
        catalog: Catalog | None = None,
        settings: Settings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowIcon(app_icon())
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)
        self.settings = settings if settings is not None else load_settings()
        self.populated = False
        self.history_dialog: HistoryDialog | None = None
        self.about_dialog: AboutDialog | None = None
        self._settings_writer = SettingsWriter(self.settings, self, self.remember_layout)
        self._pages_announced = False

        self.sidebar = StepSidebar()
        self.stack = QStackedWidget()
        self.stack.setObjectName("stepPages")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.setCentralWidget(self.splitter)

        self.findings_button = FlatButton()
        self.findings_button.setObjectName("statusFindings")
        self.findings_button.setToolTip("Show all findings on the Review step")
        self.path_label = QLabel()
        # Whether pushes and live lists reach Segment, and where: always in sight.
        self.connection_button = FlatButton()
        self.connection_button.setObjectName("statusConnection")
        self.connection_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Segment menu has it
        self.connection_button.setText("Not connected to Segment")
        self.statusBar().addPermanentWidget(self.connection_button)
        self.statusBar().addPermanentWidget(self.path_label)
        self.statusBar().addPermanentWidget(self.findings_button)
        self.pages = StepPages(self, self.stack, self.findings_button)

        # The menu titles are there from the first paint, so nothing moves when the
        # menus are filled; they open once the window is ready.
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.edit_menu = bar.addMenu("&Edit")
        self.view_menu = bar.addMenu("&View")
        self.segment_menu = bar.addMenu("&Segment")
        self.help_menu = bar.addMenu("&Help")
        for menu in self._menus():
            menu.setEnabled(False)
        self.menu_focus = MenuFocusKeeper(self, bar)
        # Another window open already: this one opens offset from it, not on top of it.
        self.slot = WindowSlot.take()
        restore_layout(self, self.settings, self.splitter, self.sidebar, self.slot)
        # The remembered step is marked at once; its page comes with ``populate``.
        self.sidebar.setCurrentRow(Step.from_name(self.settings.last_step).position)
        self.statusBar().showMessage("Opening…")
        if catalog is not None:
            self.populate(catalog)

    def _menus(self) -> tuple[QMenu, ...]:
        return (self.file_menu, self.edit_menu, self.view_menu, self.segment_menu,
                self.help_menu)

    def populate(self, catalog: Catalog) -> None:
        """Fill the frame: the document, its rules, the menus, the starting page."""
        # Seam "frame, then fill": the model, the rules and storage load after the paint.
        from idsync.ui.window_fill import fill

        fill(self, catalog)
        for menu in self._menus():
            menu.setEnabled(True)
        self.populated = True
        self.statusBar().clearMessage()
        self.go_to_step(Step.from_name(self.settings.last_step))

    def start(self, paths: Sequence[str | Path] = ()) -> None:
        """After the window is shown: clear leftovers of killed sessions, offer crash
        recovery, then open the given file, and say what was found damaged."""
        if not self.populated:
            raise RuntimeError("MainWindow.start() needs populate() first")
        # Seam "frame, then fill": loaded by ``populate`` already.
        from idsync.ui.window_fill import start

        start(self, paths)

    def report_damaged_files(self, *_args: object) -> None:
        """Show, once, the files of the app's own found damaged and set aside since."""
        # Seam "frame, then fill": loaded by ``populate`` already.
        from idsync.ui.window_fill import damage_notes

        notes = damage_notes()
        if notes:
            self.show_message(" ".join(notes))

    def on_pushed(self, outcome: TargetOutcome) -> None:
        """A push sent a write: the push engine has kept it in history, as in the CLI
        (``idsync.push.history``); say so here when it could not."""
        if outcome.history_note is not None:
            self.show_message(outcome.history_note)
        else:
            self.report_damaged_files()  # entries the save found damaged

    def keyPressEvent(self, event: QKeyEvent) -> None:
        pressed = QKeySequence(event.keyCombination())
        refused = self.menus.refused(pressed) if self.populated else None
        if refused is not None:
            self.show_message(refused)
            event.accept()
            return
        super().keyPressEvent(event)

    def new_document(self) -> bool:
        """File > New: a new document on the first step, the destination list cleared."""
        if not self.files.new():
            return False
        if self.pages.is_built(Step.DESTINATION):
            self.destination_page.clear_search()
        # A new configuration starts where one starts: its first step.
        self.go_to_step(Step.TARGET)
        return True

    def open_about(self) -> AboutDialog:
        """Help > About: version, licence, links, and where the app keeps its files."""
        # Seam "first use": the About dialog loads when it is opened.
        from idsync.ui.about import AboutDialog

        if self.about_dialog is not None:
            self.about_dialog.deleteLater()
        self.about_dialog = AboutDialog(self)
        self.about_dialog.open()
        return self.about_dialog

    def open_history(self) -> HistoryDialog:
        """File > History: the kept versions, their diff, and an undoable Restore."""
        # Seam "first use": the History dialog loads when it is opened.
        from idsync.ui.history_dialog import HistoryDialog

        if self.history_dialog is not None:
            self.history_dialog.deleteLater()
        dialog = HistoryDialog(self.controller, parent=self)
        dialog.restored.connect(self.show_message)
        self.history_dialog = dialog
        dialog.open()
        self.report_damaged_files()  # entries the listing found damaged
        return dialog

    # --- steps and findings -------------------------------------------------------------------

    @property
    def current_step(self) -> Step:
        return list(Step)[max(0, self.stack.currentIndex())]

    def go_to_step(self, step: Step) -> None:
        self.page(step)
        self.sidebar.setCurrentRow(step.position)
        self.stack.setCurrentIndex(step.position)

    def go_to_finding(self, finding: Finding) -> None:
        step = step_of(finding)
        self.go_to_step(step)
        cast("StepPage", self.page(step)).focus_finding(finding)

    def step_by(self, delta: int) -> None:
        steps = list(Step)
        self.go_to_step(steps[(self.current_step.position + delta) % len(steps)])

    @property
    def target_page(self) -> TargetPage:
        return cast("TargetPage", self.page(Step.TARGET))

    @property
    def destination_page(self) -> DestinationPage:
        return cast("DestinationPage", self.page(Step.DESTINATION))

    @property
    def event_settings_page(self) -> EventSettingsPage:
        return cast("EventSettingsPage", self.page(Step.IDENTIFIERS))

    @property
    def review_page(self) -> ReviewPage:
        return cast("ReviewPage", self.page(Step.REVIEW))

    def page(self, step: Step) -> QWidget:
        """The page of ``step``, built (and put in its place in the stack) on first use."""
        return self.pages[step]

    def build_remaining_pages(self) -> None:
        """Build the pages not shown yet, one per turn of the event loop, so each step is
        ready when the person goes to it and the window never waits for all at once."""
        if not self.isVisible() or self._pages_announced:
            return  # a window closed meanwhile needs none; a second start, no more
        missing = self.pages.missing()
        if missing:
            self.page(missing[0])
        if len(missing) > 1:
            QTimer.singleShot(0, self.build_remaining_pages)
            return
        self._pages_announced = True
        self.pagesBuilt.emit()

    def on_step_row_changed(self, row: int) -> None:
        if row >= 0:
            self.page(list(Step)[row])
            self.stack.setCurrentIndex(row)

    def show_findings(self, findings: list[Finding]) -> None:
        self.sidebar.set_findings(findings)
        text = summary(findings)
        self.findings_button.setText(text)
        self.findings_button.setAccessibleName(f"Findings: {text}. Show them on the Review step")

    def on_document_changed(self, _before: IdSyncDocument, after: IdSyncDocument) -> None:
        if self.settings.remember_identifiers(after.custom_identifiers):
            self.persist_settings()

    def remembered_identifiers(self) -> tuple[str, ...]:
        return tuple(self.settings.custom_identifiers)

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_MESSAGE_MS)

    def update_title(self, *_changed: object) -> None:
        path = self.controller.path
        name = path.name if path is not None else "Untitled"
        self.setWindowTitle(f"{name}[*] — {APP_NAME}")
        self.setWindowModified(self.controller.is_dirty)
        # The name only: the full path would crowd out status messages; it is in the tooltip.
        self.path_label.setText(path.name if path is not None else "Not saved yet")
        self.path_label.setToolTip(str(path) if path is not None else "")

    # --- drag and drop ------------------------------------------------------------------------

    @staticmethod
    def _dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile():
                return Path(url.toLocalFile())
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.populated and self._dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:  # type: ignore[override]
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_file(event) if self.populated else None
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        # Open after the drop has finished: a dialog inside a drop handler would hold the
        # drag source (a file manager) until it is answered.
        QTimer.singleShot(0, self, lambda: self.files.open_path(path))

    # --- layout memory, settings and closing --------------------------------------------------

    def remember_layout(self) -> None:
        # Before ``populate`` no step was shown: the remembered one is kept.
        step = self.current_step.value if self.populated else None
        remember_layout(self, self.settings, self.splitter, step)

    def persist_settings(self) -> None:
        """Write the preferences soon (``SettingsWriter``)."""
        self._settings_writer.persist()

    def write_settings(self) -> None:
        """Write the preferences now (at close, and when the delay has passed)."""
        self._settings_writer.write()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.populated and not self.files.confirm_discard():
            event.ignore()
            return
        self.remember_layout()
        self.write_settings()
        if self.populated:  # closed while starting: nothing is open to lose yet
            self.autosaver.close()
        self.slot.release()
        event.accept()
