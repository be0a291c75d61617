"""The editor window: step sidebar, step pages, menus, files, autosave and saved layout."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QByteArray, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from app import APP_NAME
from app.editor.steps import Step, step_of, summary
from app.storage.settings import Settings, load_settings, save_settings
from app.ui.app_icon import app_icon
from app.ui.focus_ring import FlatButton, MenuFocusKeeper
from app.ui.sidebar import StepSidebar
from app.ui.window_slot import WindowSlot

if TYPE_CHECKING:
    # Events the window handles: PySide6 creates each Python type on first use, and
    # these are first used when such an event comes (a key, a drop, the close).
    from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeyEvent

    # The window paints before these load (see ``populate``): they bring the model, the
    # rules and the catalog, which the first paint does not need.
    from app.core.catalog import Catalog
    from app.core.findings import Finding
    from app.core.model import IdSyncDocument
    from app.push.outcome import TargetOutcome
    from app.segment.endpoints import ConnectionProfile
    from app.storage.autosave import OrphanedRecovery, RecoverySession
    from app.storage.exports import ExportKind
    from app.ui.about import AboutDialog
    from app.ui.autosaver import Autosaver
    from app.ui.controller import DocumentController
    from app.ui.files import DocumentFiles
    from app.ui.history_dialog import HistoryDialog
    from app.ui.history_recorder import HistoryRecorder
    from app.ui.identifiers import EventSettingsPage
    from app.ui.pages.destination import DestinationPage
    from app.ui.pages.review import ReviewPage
    from app.ui.pages.step_page import StepPage
    from app.ui.pages.target import TargetPage
    from app.ui.push.actions import PushActions
    from app.ui.push.session import SegmentSession
    from app.ui.workspace.actions import ReviewActions

_log = logging.getLogger(__name__)

DEFAULT_SIZE = QSize(1280, 800)
STATUS_MESSAGE_MS = 8000
SETTINGS_WRITE_DELAY_MS = 500
"""Preferences changed by an action (a recent file, a remembered identifier) are written
this long after the last change, in one write, not while the action runs."""


_WHY_DISABLED = {
    "undoAction": "there is nothing to undo",
    "redoAction": "there is nothing to redo",
}


def disabled_reason(action: QAction) -> str:
    """'Push is not available: Connect to Segment first …' for a disabled action; the
    reason is its tooltip, which disabled actions keep up to date."""
    name = action.text().replace("&", "").rstrip("…").strip()
    tip = action.toolTip().strip()
    if tip and tip.replace("&", "").rstrip("…").strip() != name:
        reason = tip
    else:
        reason = _WHY_DISABLED.get(action.objectName(), "it does not apply here")
    return f"{name} is not available: {reason[:1].lower()}{reason[1:]}"


def _encode(data: QByteArray) -> str:
    return bytes(data.toBase64().data()).decode("ascii")


def _decode(text: str) -> QByteArray:
    return QByteArray.fromBase64(QByteArray(text.encode("ascii")))


PAGES_AFTER_START_MS = 300
"""The other steps' pages are built this long after start, once the window is up."""


def _last_tab_stop(page: QWidget) -> QWidget | None:
    """The last control of ``page`` that Tab stops at, in the window's focus chain."""
    last: QWidget | None = None
    widget = page.nextInFocusChain()
    while widget is not None and widget is not page and page.isAncestorOf(widget):
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            last = widget
        widget = widget.nextInFocusChain()
    return last


class _Pages(Mapping[Step, QWidget]):
    """``window.pages[step]``: each page, built on first use."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window

    def __getitem__(self, step: Step) -> QWidget:
        return self._window.page(step)

    def __iter__(self) -> Iterator[Step]:
        return iter(Step)

    def __len__(self) -> int:
        return len(Step)


class MainWindow(QMainWindow):
    """The editor window, in two stages: the frame (this constructor: sidebar, empty
    pages, status bar, the menu titles, the remembered geometry) paints at once; then
    ``populate`` loads the document model, the rules and the catalog and fills it.
    ``MainWindow(catalog)`` does both at once."""

    pagesBuilt = Signal()
    """Every step's page is built: what the window loads at start is loaded."""

    catalog: Catalog
    controller: DocumentController
    history: HistoryRecorder
    files: DocumentFiles
    autosaver: Autosaver
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
        self.autosave_off_reason: str | None = None
        """Why autosave could not start (shown in the status bar); None while it works."""
        self._shortcut_actions: list[QAction] = []
        self._settings_write = QTimer(self)
        self._settings_write.setSingleShot(True)
        self._settings_write.setInterval(SETTINGS_WRITE_DELAY_MS)
        self._settings_write.timeout.connect(self.write_settings)
        self._pages_announced = False
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            # Qt 6 ends a desktop session without closing windows: keep what closing
            # would keep. aboutToQuit: a quit that did not come through a close.
            app.commitDataRequest.connect(self._on_session_ending)
            app.aboutToQuit.connect(self._write_pending_settings)

        self.sidebar = StepSidebar()
        self.stack = QStackedWidget()
        self.stack.setObjectName("stepPages")
        # Pages are built when first shown (the starting one at once, the rest once the
        # window is up): the first paint waits for one page, not four. A placeholder holds
        # each one's place in the stack until then.
        self._built: dict[Step, QWidget] = {}
        for _step in Step:
            self.stack.addWidget(QWidget())
        self.pages: Mapping[Step, QWidget] = _Pages(self)

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
        self._restore_geometry()
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
        # Imported here, not at the top: these bring the model, the rules and the
        # storage modules, which the frame's first paint does not wait for.
        from app.core.editing import new_document
        from app.core.rules import validate
        from app.ui.autosaver import Autosaver
        from app.ui.controller import DocumentController
        from app.ui.files import DocumentFiles
        from app.ui.history_recorder import HistoryRecorder
        from app.ui.workspace.actions import ReviewActions

        self.catalog = catalog
        # The first start shows a new document, as File > New does.
        self.controller = DocumentController(
            lambda doc: validate(doc, catalog), self, new_document()
        )
        self.history = HistoryRecorder(self)
        self.files = DocumentFiles(
            self, self.controller, self.settings, self.persist_settings, self.history
        )
        self.autosaver = Autosaver(self.controller, parent=self)

        self._build_actions()
        self._build_menus()
        self._explain_disabled_shortcuts()
        # Open Folder… (the review workspace), Compare…, Export Review Report….
        self.review_actions = ReviewActions(
            self, self.controller, catalog, self.files.open_path, self.segment_session
        )
        self.review_actions.install(
            self.file_menu, after=self.open_action, before=self.history_action
        )
        self.review_actions.message.connect(self.show_message)

        self.sidebar.currentRowChanged.connect(self._on_step_row_changed)
        self.findings_button.clicked.connect(lambda: self.go_to_step(Step.REVIEW))
        self.files.message.connect(self.show_message)
        self.files.saved.connect(self._on_saved)
        self.files.recentChanged.connect(self._rebuild_recent_menu)
        self.history.message.connect(self.show_message)
        self.history.recorded.connect(self.report_damaged_files)
        self.push_actions.pushed.connect(self._record_push)
        self.autosaver.failed.connect(self.show_message)
        self.controller.findingsChanged.connect(self._show_findings)
        self.controller.documentChanged.connect(self._on_document_changed)
        # Bound methods, not lambdas: Qt drops these connections when the window goes,
        # so the controller's last signals during teardown reach nothing.
        self.controller.pathChanged.connect(self._update_title)
        self.controller.undo_stack.cleanChanged.connect(self._update_title)

        self._show_findings(self.controller.findings)
        self._update_title()
        for menu in self._menus():
            menu.setEnabled(True)
        self.populated = True
        self.statusBar().clearMessage()
        self.go_to_step(Step.from_name(self.settings.last_step))

    # --- start ----------------------------------------------------------------------------

    def start(self, paths: Sequence[str | Path] = ()) -> None:
        """After the window is shown: clear leftovers of killed sessions, offer crash
        recovery, then open the given file, and say what was found damaged."""
        if not self.populated:
            raise RuntimeError("MainWindow.start() needs populate() first")
        from app.storage.damage import report_lines, take_reports
        from app.storage.leftovers import remove_stale_leftovers

        remove_stale_leftovers()
        restored = self.offer_recovery()
        for path in paths[:1]:
            given = Path(path).absolute()
            if given.is_dir():  # `idsync FOLDER`: the review workspace
                self.review_actions.open_folder(given)
                continue
            if restored and self.controller.path == given:
                continue  # the restored work is this file's newer, unsaved state
            self.files.open_path(given)
        # After opening: the "Opened …" note would otherwise replace these at once.
        notes = report_lines(take_reports())
        if self.autosave_off_reason is not None:
            notes.insert(0, self.autosave_off_reason)
        if notes:
            self.show_message(" ".join(notes))
        QTimer.singleShot(PAGES_AFTER_START_MS, self.build_remaining_pages)

    def report_damaged_files(self, *_args: object) -> None:
        """Show, once, the files of the app's own found damaged and set aside since."""
        from app.storage.damage import report_lines, take_reports

        notes = report_lines(take_reports())
        if notes:
            self.show_message(" ".join(notes))

    def offer_recovery(self) -> bool:
        """Start this window's own recovery file, then offer the work autosaved by
        windows that are gone (never by one still open); True when work was restored."""
        from app.storage.autosave import RecoverySession, claim_orphans

        try:
            session = RecoverySession.begin()
        except OSError as error:
            # The state folder itself cannot be made or used (a file in its place, no
            # permission): work without autosave rather than not at all.
            self._turn_autosave_off(error)
            return False
        try:
            orphans = claim_orphans()
        except OSError as error:
            _log.warning("Could not look for unsaved work of earlier sessions: %s", error)
            orphans = []
        restored = False
        for orphan in orphans:
            if restored:
                orphan.release()  # one document per window: offered again next time
            else:
                restored = self._offer(orphan, session)
        self.autosaver.enable(session)
        return restored

    def _offer(self, orphan: OrphanedRecovery, session: RecoverySession) -> bool:
        from app.ui import dialogs

        recovery = orphan.recovery
        if not dialogs.ask_restore(self, recovery):
            try:
                orphan.discard()
            except OSError as error:
                _log.warning("Could not remove the recovery file %s: %s", orphan.path, error)
                orphan.release()
            self.show_message("Discarded the unsaved work from the last session")
            return False
        self.controller.load(recovery.document, recovery.original_path)
        self.controller.mark_unsaved()
        try:
            # The work is this window's now: into its own recovery file at once.
            session.write(recovery.document, recovery.original_path)
        except OSError as error:
            _log.warning("Could not keep the restored work aside: %s", error)
            orphan.release()  # then the old file stays the copy on disk
        else:
            try:
                orphan.discard()
            except OSError as error:
                _log.warning("Could not remove the recovery file %s: %s", orphan.path, error)
                orphan.release()
        self.show_message("Restored unsaved work — save it to keep it")
        return True

    def _turn_autosave_off(self, error: OSError) -> None:
        folder = error.filename or "the folder for recovery files"
        self.autosave_off_reason = (
            f"Autosave is off: {folder} cannot be used ({error.strerror or error}). "
            "Save your work yourself until it is fixed."
        )
        _log.warning("Autosave is off: %s", error)
        self.show_message(self.autosave_off_reason)

    # --- actions and menus ------------------------------------------------------------------

    def _action(
        self,
        text: str,
        name: str,
        shortcuts: Sequence[QKeySequence | QKeySequence.StandardKey | str] = (),
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        sequences: list[QKeySequence] = []
        for shortcut in shortcuts:
            if isinstance(shortcut, QKeySequence.StandardKey):
                sequences.extend(QKeySequence.keyBindings(shortcut))
            else:
                sequences.append(QKeySequence(shortcut))
        unique: list[QKeySequence] = []
        for sequence in sequences:
            if not sequence.isEmpty() and sequence not in unique:
                unique.append(sequence)
        action.setShortcuts(unique)
        if tip:
            action.setStatusTip(tip)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        from app.storage.exports import ExportKind

        key = QKeySequence.StandardKey
        self.new_action = self._action("&New", "newAction", [key.New, "Ctrl+N"],
                                       "Start a new configuration")
        self.new_action.triggered.connect(self.new_document)
        self.open_action = self._action("&Open…", "openAction", [key.Open, "Ctrl+O"],
                                        "Open a configuration file")
        self.open_action.triggered.connect(self.files.open_dialog)
        self.save_action = self._action("&Save", "saveAction", [key.Save, "Ctrl+S"],
                                        "Save the configuration")
        self.save_action.triggered.connect(self.files.save)
        self.save_as_action = self._action(
            "Save &As…", "saveAsAction", [key.SaveAs, "Ctrl+Shift+S"],
            "Save the configuration under a new name",
        )
        self.save_as_action.triggered.connect(self.files.save_as)
        self.export_actions: dict[ExportKind, QAction] = {}
        for kind in ExportKind:
            label = {
                ExportKind.DOCUMENT: "&Document…",
                ExportKind.CREATE_BODY: "&Create body (POST)…",
                ExportKind.UPDATE_BODY: "&Update body (PATCH)…",
            }[kind]
            action = self._action(
                label, f"export-{kind.value}", tip=f"Export the {kind.label.lower()}"
            )
            action.triggered.connect(lambda _checked=False, kind=kind: self.files.export(kind))
            self.export_actions[kind] = action
        self.history_action = self._action(
            "&History…", "historyAction", ["Ctrl+Shift+H"],
            "Compare and restore the versions kept at each save, export and push",
        )
        self.history_action.triggered.connect(self.open_history)
        self.quit_action = self._action("&Quit", "quitAction", [key.Quit, "Ctrl+Q"])
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)

        stack = self.controller.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setObjectName("undoAction")
        undo_keys = QKeySequence.keyBindings(key.Undo) or [QKeySequence("Ctrl+Z")]
        self.undo_action.setShortcuts(undo_keys)
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setObjectName("redoAction")
        redo_keys = QKeySequence.keyBindings(key.Redo) or [QKeySequence("Ctrl+Shift+Z")]
        if QKeySequence("Ctrl+Y") not in redo_keys:
            redo_keys.append(QKeySequence("Ctrl+Y"))
        self.redo_action.setShortcuts(redo_keys)
        self.addAction(self.undo_action)
        self.addAction(self.redo_action)

        self.step_actions: dict[Step, QAction] = {}
        for step in Step:
            action = self._action(
                f"&{step.position + 1} {step.label}", f"goTo-{step.value}",
                [f"Ctrl+{step.position + 1}"], f"Go to the {step.label} step",
            )
            action.triggered.connect(lambda _checked=False, step=step: self.go_to_step(step))
            self.step_actions[step] = action
        self.next_step_action = self._action("&Next step", "nextStep", ["Ctrl+PgDown"])
        self.next_step_action.triggered.connect(lambda: self._step_by(1))
        self.previous_step_action = self._action("&Previous step", "previousStep", ["Ctrl+PgUp"])
        self.previous_step_action.triggered.connect(lambda: self._step_by(-1))

        self.about_action = self._action("&About ID Sync Configurator", "aboutAction")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.open_about)

    def _build_menus(self) -> None:
        file_menu = self.file_menu
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.open_action)
        self.recent_menu = QMenu("Open &Recent", self)
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._rebuild_recent_menu)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.save_action)
        file_menu.addAction(self.save_as_action)
        export_menu = file_menu.addMenu("&Export")
        for action in self.export_actions.values():
            export_menu.addAction(action)
        file_menu.addAction(self.history_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = self.edit_menu
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)

        view_menu = self.view_menu
        for action in self.step_actions.values():
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.next_step_action)
        view_menu.addAction(self.previous_step_action)

        self._install_segment_menu()

        self.help_menu.addAction(self.about_action)
        self._rebuild_recent_menu()
        self.menu_focus.watch(self.menuBar())
        self.menu_focus.watch(self.recent_menu)

    def _install_segment_menu(self) -> None:
        """Connect, choose from the workspace and push."""
        from app.ui.push.actions import PushActions
        from app.ui.push.session import SegmentSession

        self.segment_session = SegmentSession(self)
        self.segment_session.last_profile = self._remembered_connection()
        self.segment_session.connectedChanged.connect(self._remember_connection)
        self.push_actions = PushActions(self, self.controller, self.segment_session)
        self.push_actions.install(self.segment_menu)
        self.segment_session.connectedChanged.connect(self._show_connection)
        self.connection_button.clicked.connect(self.push_actions.connect_action.trigger)
        self._show_connection()

    def _show_connection(self, *_connected: object) -> None:
        session = self.segment_session
        profile = session.profile if session.is_connected else None
        if profile is None:
            text = "Not connected to Segment"
            tip = "Segment > Connect to Segment… to push and to pick from live lists"
        else:
            text = f"● {session.description}"
            tip = f"{session.description}. Segment > Disconnect to stop using it."
        self.connection_button.setText(text)
        self.connection_button.setToolTip(tip)
        self.connection_button.setAccessibleName(text)

    def _record_push(self, outcome: TargetOutcome) -> None:
        # The outcome carries the document the dialog planned with: what was actually sent.
        self.history.record_push(outcome)

    def _explain_disabled_shortcuts(self) -> None:
        """A shortcut of a disabled action says in the status bar why nothing happened
        (the key reaches the window when no control used it: ``keyPressEvent``)."""
        self._shortcut_actions = [action for action in self.actions() if action.shortcuts()]
        # The table's own keys (Delete, Insert, Ctrl+Shift+Up/Down) never get this far:
        # the Event settings page reports them (connected when it is built).

    def keyPressEvent(self, event: QKeyEvent) -> None:
        pressed = QKeySequence(event.keyCombination())
        for action in self._shortcut_actions:
            if not action.isEnabled() and pressed in action.shortcuts():
                self.show_message(disabled_reason(action))
                event.accept()
                return
        super().keyPressEvent(event)

    def new_document(self) -> bool:
        """File > New: a new document on the first step, the destination list cleared."""
        if not self.files.new():
            return False
        if Step.DESTINATION in self._built:
            self.destination_page.clear_search()
        # A new configuration starts where one starts: its first step.
        self.go_to_step(Step.TARGET)
        return True

    def open_about(self) -> AboutDialog:
        """Help > About: version, licence, links, and where the app keeps its files."""
        from app.ui.about import AboutDialog

        if self.about_dialog is not None:
            self.about_dialog.deleteLater()
        self.about_dialog = AboutDialog(self)
        self.about_dialog.open()
        return self.about_dialog

    def open_history(self) -> HistoryDialog:
        """File > History: the kept versions, their diff, and an undoable Restore."""
        from app.ui.history_dialog import HistoryDialog

        if self.history_dialog is not None:
            self.history_dialog.deleteLater()
        dialog = HistoryDialog(self.controller, parent=self)
        dialog.restored.connect(self.show_message)
        self.history_dialog = dialog
        dialog.open()
        self.report_damaged_files()  # entries the listing found damaged
        return dialog

    def _rebuild_recent_menu(self) -> None:
        # Pruning missing files may announce a change, which rebuilds the menu: prune
        # first so the menu is cleared and filled exactly once.
        entries = self.files.recent_files()
        self.recent_menu.clear()
        for number, entry in enumerate(entries, start=1):
            path = Path(entry)
            label = f"&{number % 10} {path.name}" if number <= 10 else path.name
            action = self.recent_menu.addAction(label)
            action.setToolTip(entry)
            action.setStatusTip(entry)
            action.setData(entry)
            action.triggered.connect(lambda _checked=False, p=path: self.files.open_path(p))
        if entries:
            self.recent_menu.addSeparator()
        clear = self.recent_menu.addAction("&Clear Recent Files")
        clear.setEnabled(bool(entries))
        clear.triggered.connect(self.files.clear_recent)
        self.recent_menu.setEnabled(True)

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

    # --- the step pages, built on first use ----------------------------------------------

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
        built = self._built.get(step)
        if built is not None:
            return built
        built = self._build_page(step)
        self._built[step] = built
        current = self.stack.currentIndex()
        placeholder = self.stack.widget(step.position)
        self.stack.insertWidget(step.position, built)
        if placeholder is not None:
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
        self.stack.setCurrentIndex(current)
        # A page's controls join the end of the window's Tab chain; the status bar's
        # findings button stays last, after the controls of the page on screen.
        last = _last_tab_stop(built)
        if last is not None:
            QWidget.setTabOrder(last, self.findings_button)
        return built

    def _build_page(self, step: Step) -> QWidget:
        if step is Step.TARGET:
            from app.ui.pages.target import TargetPage

            return TargetPage(self.controller)
        if step is Step.DESTINATION:
            from app.ui.pages.destination import DestinationPage

            return DestinationPage(self.controller, self.catalog)
        if step is Step.IDENTIFIERS:
            from app.ui.identifiers import EventSettingsPage

            event_settings = EventSettingsPage(
                self.controller, self.catalog, self.remembered_identifiers
            )
            event_settings.shortcutRefused.connect(
                lambda action: self.show_message(disabled_reason(action))
            )
            return event_settings
        from app.ui.pages.review import ReviewPage

        review = ReviewPage(self.controller, self.catalog)
        review.findingActivated.connect(self.go_to_finding)
        review.exportRequested.connect(self.files.export)
        return review

    def build_remaining_pages(self) -> None:
        """Build the pages not shown yet, one per turn of the event loop, so each step is
        ready when the person goes to it and the window never waits for all at once."""
        if not self.isVisible() or self._pages_announced:
            return  # a window closed meanwhile needs none; a second start, no more
        missing = [step for step in Step if step not in self._built]
        if missing:
            self.page(missing[0])
        if len(missing) > 1:
            QTimer.singleShot(0, self.build_remaining_pages)
            return
        self._pages_announced = True
        self.pagesBuilt.emit()

    def _step_by(self, delta: int) -> None:
        steps = list(Step)
        self.go_to_step(steps[(self.current_step.position + delta) % len(steps)])

    def _on_step_row_changed(self, row: int) -> None:
        if row >= 0:
            self.page(list(Step)[row])
            self.stack.setCurrentIndex(row)

    def _show_findings(self, findings: list[Finding]) -> None:
        self.sidebar.set_findings(findings)
        text = summary(findings)
        self.findings_button.setText(text)
        self.findings_button.setAccessibleName(f"Findings: {text}. Show them on the Review step")

    def _on_document_changed(self, _before: IdSyncDocument, after: IdSyncDocument) -> None:
        if self.settings.remember_identifiers(after.custom_identifiers):
            self.persist_settings()

    def remembered_identifiers(self) -> tuple[str, ...]:
        return tuple(self.settings.custom_identifiers)

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_MESSAGE_MS)

    def _on_saved(self, _path: Path) -> None:
        self.autosaver.discard()

    def _update_title(self, *_changed: object) -> None:
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

    # --- layout memory and closing ------------------------------------------------------------

    def _restore_geometry(self) -> None:
        restored = False
        if self.settings.window_geometry:
            restored = self.restoreGeometry(_decode(self.settings.window_geometry))
        if not restored:
            self.resize(self._default_size())
        if self.slot.number:
            screen = self.screen() or QGuiApplication.primaryScreen()
            available = screen.availableGeometry() if screen is not None else QRect()
            self.move(self.slot.place(self.geometry(), available))
        if self.settings.window_state:
            self.restoreState(_decode(self.settings.window_state))
        if not (
            self.settings.splitter_state
            and self.splitter.restoreState(_decode(self.settings.splitter_state))
        ):
            sidebar_width = self.sidebar.sizeHint().width()
            self.splitter.setSizes([sidebar_width, max(400, self.width() - sidebar_width)])

    def _default_size(self) -> QSize:
        screen = QGuiApplication.primaryScreen()
        if screen is None:
            return DEFAULT_SIZE
        available = screen.availableGeometry().size()
        return DEFAULT_SIZE.boundedTo(available * 0.9)

    def remember_layout(self) -> None:
        self.settings.window_geometry = _encode(self.saveGeometry())
        self.settings.window_state = _encode(self.saveState())
        self.settings.splitter_state = _encode(self.splitter.saveState())
        if self.populated:  # before, no step was shown: keep the remembered one
            self.settings.last_step = self.current_step.value

    def _remembered_connection(self) -> ConnectionProfile | None:
        from app.segment.endpoints import ConnectionProfile, EndpointKind
        from app.segment.errors import SegmentError

        try:
            kind = EndpointKind(self.settings.segment_endpoint)
            if kind is EndpointKind.SANDBOX:
                return ConnectionProfile(kind, "")  # a new sandbox gets a new address
            return ConnectionProfile.create(kind, self.settings.segment_base_url)
        except (ValueError, SegmentError):
            return None  # nothing remembered yet, or a hand-edited value: start from US

    def _remember_connection(self, connected: bool) -> None:
        from app.segment.endpoints import EndpointKind

        profile = self.segment_session.profile
        if not connected or profile is None:
            return
        self.settings.segment_endpoint = profile.kind.value
        self.settings.segment_base_url = (
            profile.base_url if profile.kind is EndpointKind.CUSTOM else ""
        )
        self.persist_settings()

    def persist_settings(self) -> None:
        """Write the preferences soon: opening a file changes two of them at once, and
        each write waits for the disk (a crash in between loses only that change)."""
        self._settings_write.start()

    def _on_session_ending(self, *_manager: object) -> None:
        self.remember_layout()
        self.write_settings()

    def _write_pending_settings(self) -> None:
        if self._settings_write.isActive():
            self.write_settings()

    def write_settings(self) -> None:
        """Write the preferences now (at close, and when the delay has passed)."""
        self._settings_write.stop()
        try:
            save_settings(self.settings)
        except OSError as error:
            _log.warning("Could not save settings: %s", error)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.populated:  # closed while starting: nothing is open to lose yet
            self.remember_layout()
            self.write_settings()
            self.slot.release()
            event.accept()
            return
        if not self.files.confirm_discard():
            event.ignore()
            return
        self.remember_layout()
        self.write_settings()
        self.autosaver.close()
        self.slot.release()
        event.accept()
