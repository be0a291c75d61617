"""The window's actions and what is in its menus: File, Edit, View and Help (the Segment
menu is ``idsync.ui.window_segment``'s, the review workspace's entries
``idsync.ui.workspace.actions``'), and why a shortcut of a disabled action did nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from idsync.editor.steps import Step
from idsync.storage.exports import ExportKind

if TYPE_CHECKING:
    from idsync.ui.main_window import MainWindow

_WHY_DISABLED = {
    "undoAction": "there is nothing to undo",
    "redoAction": "there is nothing to redo",
}

_EXPORT_LABELS = {
    ExportKind.DOCUMENT: "&Document…",
    ExportKind.CREATE_BODY: "&Create body (POST)…",
    ExportKind.UPDATE_BODY: "&Update body (PATCH)…",
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


class WindowMenus:
    """Builds the actions (on ``window``, so their shortcuts work anywhere in it) and
    fills the menu titles the frame made."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        files = window.files
        key = QKeySequence.StandardKey
        self.new_action = self._action("&New", "newAction", [key.New, "Ctrl+N"],
                                       "Start a new configuration")
        self.new_action.triggered.connect(window.new_document)
        self.open_action = self._action("&Open…", "openAction", [key.Open, "Ctrl+O"],
                                        "Open a configuration file")
        self.open_action.triggered.connect(files.open_dialog)
        self.save_action = self._action("&Save", "saveAction", [key.Save, "Ctrl+S"],
                                        "Save the configuration")
        self.save_action.triggered.connect(files.save)
        self.save_as_action = self._action(
            "Save &As…", "saveAsAction", [key.SaveAs, "Ctrl+Shift+S"],
            "Save the configuration under a new name",
        )
        self.save_as_action.triggered.connect(files.save_as)
        self.export_actions: dict[ExportKind, QAction] = {}
        for kind in ExportKind:
            action = self._action(
                _EXPORT_LABELS[kind], f"export-{kind.value}",
                tip=f"Export the {kind.label.lower()}",
            )
            action.triggered.connect(lambda _checked=False, kind=kind: files.export(kind))
            self.export_actions[kind] = action
        self.history_action = self._action(
            "&History…", "historyAction", ["Ctrl+Shift+H"],
            "Compare and restore the versions kept at each save, export and push",
        )
        self.history_action.triggered.connect(window.open_history)
        self.quit_action = self._action("&Quit", "quitAction", [key.Quit, "Ctrl+Q"])
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(window.close)

        stack = window.controller.undo_stack
        self.undo_action = stack.createUndoAction(window, "&Undo")
        self.undo_action.setObjectName("undoAction")
        undo_keys = QKeySequence.keyBindings(key.Undo) or [QKeySequence("Ctrl+Z")]
        self.undo_action.setShortcuts(undo_keys)
        self.redo_action = stack.createRedoAction(window, "&Redo")
        self.redo_action.setObjectName("redoAction")
        redo_keys = QKeySequence.keyBindings(key.Redo) or [QKeySequence("Ctrl+Shift+Z")]
        if QKeySequence("Ctrl+Y") not in redo_keys:
            redo_keys.append(QKeySequence("Ctrl+Y"))
        self.redo_action.setShortcuts(redo_keys)
        window.addAction(self.undo_action)
        window.addAction(self.redo_action)

        self.step_actions: dict[Step, QAction] = {}
        for step in Step:
            action = self._action(
                f"&{step.position + 1} {step.label}", f"goTo-{step.value}",
                [f"Ctrl+{step.position + 1}"], f"Go to the {step.label} step",
            )
            action.triggered.connect(lambda _checked=False, step=step: window.go_to_step(step))
            self.step_actions[step] = action
        self.next_step_action = self._action("&Next step", "nextStep", ["Ctrl+PgDown"])
        self.next_step_action.triggered.connect(lambda: window.step_by(1))
        self.previous_step_action = self._action("&Previous step", "previousStep", ["Ctrl+PgUp"])
        self.previous_step_action.triggered.connect(lambda: window.step_by(-1))

        self.about_action = self._action("&About ID Sync Configurator", "aboutAction")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(window.open_about)
        self.recent_menu = QMenu("Open &Recent", window)
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self.rebuild_recent_menu)
        files.recentChanged.connect(self.rebuild_recent_menu)
        self._shortcut_actions: list[QAction] = []

    def _action(
        self,
        text: str,
        name: str,
        shortcuts: Sequence[QKeySequence | QKeySequence.StandardKey | str] = (),
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self._window)
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
        self._window.addAction(action)
        return action

    def fill(self) -> None:
        """Put the actions in the File, Edit, View and Help menus."""
        window = self._window
        file_menu = window.file_menu
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.open_action)
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

        window.edit_menu.addAction(self.undo_action)
        window.edit_menu.addAction(self.redo_action)

        view_menu = window.view_menu
        for action in self.step_actions.values():
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.next_step_action)
        view_menu.addAction(self.previous_step_action)

        window.help_menu.addAction(self.about_action)
        self.rebuild_recent_menu()
        window.menu_focus.watch(window.menuBar())
        window.menu_focus.watch(self.recent_menu)

    def explain_disabled_shortcuts(self) -> None:
        """A shortcut of a disabled action says in the status bar why nothing happened
        (the key reaches the window when no control used it: ``refused``)."""
        self._shortcut_actions = [
            action for action in self._window.actions() if action.shortcuts()
        ]
        # The table's own keys (Delete, Insert, Ctrl+Shift+Up/Down) never get this far:
        # the Event settings page reports them (connected when it is built).

    def refused(self, pressed: QKeySequence) -> str | None:
        """Why ``pressed`` did nothing, when it is the shortcut of a disabled action."""
        for action in self._shortcut_actions:
            if not action.isEnabled() and pressed in action.shortcuts():
                return disabled_reason(action)
        return None

    def rebuild_recent_menu(self) -> None:
        files = self._window.files
        # Pruning missing files may announce a change, which rebuilds the menu: prune
        # first so the menu is cleared and filled exactly once.
        entries = files.recent_files()
        self.recent_menu.clear()
        for number, entry in enumerate(entries, start=1):
            path = Path(entry)
            label = f"&{number % 10} {path.name}" if number <= 10 else path.name
            action = self.recent_menu.addAction(label)
            action.setToolTip(entry)
            action.setStatusTip(entry)
            action.setData(entry)
            action.triggered.connect(lambda _checked=False, p=path: files.open_path(p))
        if entries:
            self.recent_menu.addSeparator()
        clear = self.recent_menu.addAction("&Clear Recent Files")
        clear.setEnabled(bool(entries))
        clear.triggered.connect(files.clear_recent)
        self.recent_menu.setEnabled(True)
