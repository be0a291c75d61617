"""The Segment menu: Connect, Choose from workspace, Push, Disconnect.

``PushActions(main_window, controller, session).install(segment_menu)`` is all the window
needs. Dialogs open window-modal without blocking (``open()``), and their results are
applied when they finish; the picker's choice becomes one undoable edit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu

from idsync.core.findings import has_errors
from idsync.core.wording import plural
from idsync.storage.secrets import StorageKind
from idsync.ui.controller import DocumentController

if TYPE_CHECKING:
    from idsync.ui.push.connect_dialog import ConnectDialog
    from idsync.ui.push.picker_dialog import LivePickerDialog
    from idsync.ui.push.push_dialog import PushDialog
    from idsync.ui.push.session import SegmentSession

STATUS_MS = 8000
CHOOSE_EDIT_TEXT = "Choose from workspace"
NEEDS_CONNECTION = "Connect to Segment first (Segment > Connect to Segment…)."



class PushActions(QObject):
    # The TargetOutcome of every push that reached Segment.
    pushed = Signal(object)

    def __init__(
        self,
        main_window: QMainWindow,
        controller: DocumentController,
        session: SegmentSession,
    ) -> None:
        super().__init__(main_window)
        self.window = main_window
        self.controller = controller
        self.session = session
        self.dialog: QDialog | None = None

        self.connect_action = QAction("&Connect to Segment…", self)
        self.connect_action.setObjectName("connectSegmentAction")
        self.connect_action.setStatusTip("Choose the region and enter an API token")
        self.choose_action = QAction("C&hoose from Workspace…", self)
        self.choose_action.setObjectName("chooseFromWorkspaceAction")
        self.choose_action.setStatusTip("Pick the space, audience and destination from live lists")
        self.push_action = QAction("&Push…", self)
        self.push_action.setObjectName("pushAction")
        self.push_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.push_action.setStatusTip("Plan, confirm and push this configuration to Segment")
        self.sign_out_action = QAction("&Disconnect", self)
        self.sign_out_action.setObjectName("disconnectSegmentAction")
        self.sign_out_action.setStatusTip("Stop using the connection (a saved token stays saved)")

        self.connect_action.triggered.connect(self.open_connect)
        self.choose_action.triggered.connect(self.open_picker)
        self.push_action.triggered.connect(self.open_push)
        self.sign_out_action.triggered.connect(session.sign_out)
        session.connectedChanged.connect(self.refresh)
        controller.findingsChanged.connect(self.refresh)
        self.refresh()

    @property
    def actions(self) -> list[QAction]:
        return [self.connect_action, self.choose_action, self.push_action, self.sign_out_action]

    def install(self, menu: QMenu) -> QMenu:
        """Fill ``menu`` (the window's Segment menu, which it places among its menus)."""
        menu.setObjectName("segmentMenu")
        # Disabled items explain themselves in their tooltip.
        menu.setToolTipsVisible(True)
        menu.addAction(self.connect_action)
        menu.addAction(self.choose_action)
        menu.addSeparator()
        menu.addAction(self.push_action)
        menu.addSeparator()
        menu.addAction(self.sign_out_action)
        # Shortcuts work even when the menu bar is hidden (e.g. on some desktops).
        self.window.addAction(self.push_action)
        return menu

    # -- enabled states ------------------------------------------------------------

    def refresh(self, *_args: object) -> None:
        connected = self.session.is_connected
        self.choose_action.setEnabled(connected)
        self.choose_action.setToolTip(
            "Pick the space, audience and destination connection from live lists"
            if connected
            else f"{NEEDS_CONNECTION} Typing the ids works offline too."
        )
        self.sign_out_action.setEnabled(connected)
        errors = sum(1 for finding in self.controller.findings if finding.is_error)
        if not connected:
            self.push_action.setEnabled(False)
            self.push_action.setToolTip(NEEDS_CONNECTION)
        elif has_errors(self.controller.findings):
            self.push_action.setEnabled(False)
            self.push_action.setToolTip(
                f"Fix the {plural(errors, 'error')} first: they are listed on the Review step."
            )
        else:
            self.push_action.setEnabled(True)
            self.push_action.setToolTip("Plan, confirm and push this configuration (Ctrl+Shift+P)")

    # -- dialogs -------------------------------------------------------------------

    def _show(self, dialog: QDialog) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.open()

    # The dialogs (and what they bring: the API client, the sandbox) load on first use.

    def open_connect(self) -> ConnectDialog:
        # Seam "first use": the Segment dialogs load when one is opened.
        from idsync.ui.push.connect_dialog import ConnectDialog

        dialog = ConnectDialog(self.session, self.window)
        dialog.accepted.connect(self._connected)
        self._show(dialog)
        return dialog

    def _connected(self) -> None:
        # Seam "first use": the Segment dialogs load when one is opened.
        from idsync.ui.push.connect_dialog import ConnectDialog

        dialog = self.dialog
        if not isinstance(dialog, ConnectDialog):
            return
        where = {
            StorageKind.KEYRING: "The token is saved in the system keyring.",
            StorageKind.SESSION: "The token is kept for this session only.",
            StorageKind.ENVIRONMENT: "Using the token from the environment variable.",
            None: "",
        }[dialog.storage_kind]
        self._status(f"{self.session.description}. {where}".strip())

    def open_picker(self) -> LivePickerDialog | None:
        if not self.session.is_connected:
            self._status(NEEDS_CONNECTION)
            return None
        # Seam "first use": the Segment dialogs (and httpx) load when one is opened.
        from idsync.ui.push.picker_dialog import LivePickerDialog

        dialog = LivePickerDialog(self.session, self.controller.document, self.window)
        dialog.accepted.connect(self._apply_picked)
        self._show(dialog)
        return dialog

    def _apply_picked(self) -> None:
        # Seam "first use": the Segment dialogs load when one is opened.
        from idsync.push.choice import apply_choice
        from idsync.ui.push.picker_dialog import LivePickerDialog

        dialog = self.dialog
        if not isinstance(dialog, LivePickerDialog):
            return
        choice = dialog.choice()
        if choice is None:
            return
        self.controller.edit(apply_choice(self.controller.document, choice), CHOOSE_EDIT_TEXT)
        self._status(f"Using space {choice.space_id} and audience {choice.audience_id}.")

    def open_push(self) -> PushDialog | None:
        if not self.push_action.isEnabled():
            self._status(self.push_action.toolTip())
            return None
        # Seam "first use": the Segment dialogs (and httpx) load when one is opened.
        from idsync.ui.push.push_dialog import PushDialog

        path = self.controller.path
        dialog = PushDialog(
            self.session,
            self.controller.document,
            self.controller.findings,
            self.window,
            source_path=str(path) if path is not None else None,
        )
        dialog.pushed.connect(self.pushed)
        self._show(dialog)
        return dialog

    def _status(self, message: str) -> None:
        self.window.statusBar().showMessage(message, STATUS_MS)
