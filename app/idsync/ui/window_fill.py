"""The window's second start-up stage: fill the painted frame (the document and its
rules, the menus, the starting page), then start (clear leftovers of killed sessions,
offer recovery, open the given file, say what was found damaged).

Imported by ``MainWindow.populate`` once the frame has painted: this module and what it
imports bring the model, the rules and the storage modules the first paint does not wait
for (see "What loads when" in docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from idsync.core.catalog import Catalog
from idsync.core.editing import new_document
from idsync.core.rules import validate
from idsync.editor.steps import Step
from idsync.storage.damage import report_lines, take_reports
from idsync.storage.leftovers import remove_stale_leftovers
from idsync.ui.autosaver import Autosaver
from idsync.ui.controller import DocumentController
from idsync.ui.files import DocumentFiles
from idsync.ui.history_recorder import HistoryRecorder
from idsync.ui.recovery_offer import RecoveryOffer
from idsync.ui.window_menus import WindowMenus
from idsync.ui.window_segment import WindowSegment
from idsync.ui.workspace.actions import ReviewActions

if TYPE_CHECKING:
    from idsync.ui.main_window import MainWindow

PAGES_AFTER_START_MS = 300
"""The other steps' pages are built this long after start, once the window is up."""


def fill(window: MainWindow, catalog: Catalog) -> None:
    """Fill ``window``'s frame: the document, its rules, the menus, the starting page."""
    window.catalog = catalog
    # The first start shows a new document, as File > New does.
    controller = DocumentController(lambda doc: validate(doc, catalog), window, new_document())
    window.controller = controller
    window.history = HistoryRecorder(window)
    window.files = DocumentFiles(
        window, controller, window.settings, window.persist_settings, window.history
    )
    window.autosaver = Autosaver(controller, parent=window)
    window.recovery = RecoveryOffer(window, controller, window.autosaver, window.show_message)

    window.menus = menus = WindowMenus(window)
    menus.fill()
    segment = WindowSegment(
        window, controller, window.settings, window.persist_settings, window.connection_button
    )
    window.segment_session = segment.session
    window.push_actions = segment.push_actions
    window.segment = segment
    segment.install(window.segment_menu)
    menus.explain_disabled_shortcuts()
    # Open Folder… (the review workspace), Compare…, Export Review Report….
    window.review_actions = ReviewActions(
        window, controller, catalog, window.files.open_path, window.segment_session
    )
    window.review_actions.install(
        window.file_menu, after=menus.open_action, before=menus.history_action
    )
    window.review_actions.message.connect(window.show_message)

    window.sidebar.currentRowChanged.connect(window.on_step_row_changed)
    window.findings_button.clicked.connect(lambda: window.go_to_step(Step.REVIEW))
    window.files.message.connect(window.show_message)
    autosaver = window.autosaver
    window.files.saved.connect(lambda _path: autosaver.discard())
    window.history.message.connect(window.show_message)
    window.history.recorded.connect(window.report_damaged_files)
    window.push_actions.pushed.connect(window.on_pushed)
    window.autosaver.failed.connect(window.show_message)
    controller.findingsChanged.connect(window.show_findings)
    controller.documentChanged.connect(window.on_document_changed)
    # Bound methods, not lambdas: Qt drops these connections when the window goes,
    # so the controller's last signals during teardown reach nothing.
    controller.pathChanged.connect(window.update_title)
    controller.undo_stack.cleanChanged.connect(window.update_title)

    window.show_findings(controller.findings)
    window.update_title()


def start(window: MainWindow, paths: Sequence[str | Path]) -> None:
    """After the window is shown: clear leftovers of killed sessions, offer crash
    recovery, then open the given file, and say what was found damaged."""
    remove_stale_leftovers()
    restored = window.recovery.offer()
    for path in paths[:1]:
        given = Path(path).absolute()
        if given.is_dir():  # `idsync FOLDER`: the review workspace
            window.review_actions.open_folder(given)
            continue
        if restored and window.controller.path == given:
            continue  # the restored work is this file's newer, unsaved state
        window.files.open_path(given)
    # After opening: the "Opened …" note would otherwise replace these at once.
    notes = damage_notes()
    if window.recovery.autosave_off_reason is not None:
        notes.insert(0, window.recovery.autosave_off_reason)
    if notes:
        window.show_message(" ".join(notes))
    QTimer.singleShot(PAGES_AFTER_START_MS, window.build_remaining_pages)


def damage_notes() -> list[str]:
    """The app's own files found damaged and set aside since the last call, one line each."""
    return report_lines(take_reports())
