"""Connect to Segment: where (US, EU, a custom URL, or the local sandbox), the token, and
a Test connection that lists the spaces off the UI thread.

The keyring is only ever read in a worker: a locked Secret Service or Keychain can sit on
an unlock prompt for as long as the person takes, and the dialog must stay usable.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from idsync.core.wording import plural
from idsync.segment.endpoints import ConnectionProfile, EndpointKind
from idsync.segment.errors import SegmentError
from idsync.segment.models import Space
from idsync.storage.secrets import TOKEN_ENV_VAR, StorageKind, environment_token, keyring_usable
from idsync.ui.push.session import ClientFactory, SegmentSession
from idsync.ui.push.status import StatusLine
from idsync.ui.push.worker import Job, JobContext, Worker

TOKEN_HOW_TO = (
    "Create a token in Segment under Settings > Workspace settings > Access Management > "
    "Tokens (it needs the Workspace Owner role)."
)
SANDBOX_NOTE = (
    "A local practice server inside this app, on 127.0.0.1, with sample spaces, audiences "
    "and connections. Nothing is sent to Segment, and its data is gone when the app closes."
)
STORAGE_KEYRING = "The token is saved in the system keyring (never in a file)."
STORAGE_SESSION = "The token is kept for this session only and asked for again next time."
STORAGE_NO_KEYRING = "No system keyring is available here: the token is kept for this session only."
STORAGE_ENV = (
    f"The {TOKEN_ENV_VAR} environment variable is set, so its token is used and the field "
    "above is ignored."
)
STORAGE_SANDBOX = "The sandbox only accepts its own token, filled in for you; it is not saved."
PLACEHOLDER_PASTE = "Paste the token from Segment"
PLACEHOLDER_CHECKING = "Checking the keyring…"
PLACEHOLDER_SAVED = "Using the token saved in the keyring; paste a new one to replace it"


class MissingToken(SegmentError):
    """Nothing typed and nothing saved: the person has to paste a token."""


@dataclass(frozen=True)
class _TestOutcome:
    token: str
    spaces: list[Space]


@dataclass(frozen=True)
class _SavedTokenCheck:
    generation: int
    found: bool


def _test_job(session: SegmentSession, profile: ConnectionProfile, typed: str) -> Job:
    def job(context: JobContext) -> _TestOutcome:
        # With an empty field this reads the keyring, which may wait on an unlock prompt.
        token = session.token_for(profile, typed)
        if not token:
            raise MissingToken(f"Enter the API token. {TOKEN_HOW_TO}")
        context.report("Listing the workspace's spaces…")
        make_client: ClientFactory = session.factory_for(profile.base_url, token)
        with make_client(context.cancel) as client:
            return _TestOutcome(token, list(client.list_spaces()))

    return job


def _saved_token_job(
    session: SegmentSession, profile: ConnectionProfile, generation: int
) -> Job:
    def job(context: JobContext) -> _SavedTokenCheck:
        return _SavedTokenCheck(generation, session.token_for(profile, "") is not None)

    return job



class ConnectDialog(QDialog):
    """On Connect, tests the connection (unless the same inputs just passed) and hands it
    to the session; the dialog closes only once Segment has accepted the token."""

    def __init__(self, session: SegmentSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectDialog")
        self.setWindowTitle("Connect to Segment")
        self.setMinimumWidth(600)
        # Room for the longest note and error message without clipping wrapped text.
        self.resize(660, 430)
        self.session = session
        self.storage_kind: StorageKind | None = None
        self._worker: Worker | None = None
        # The inputs under test and, once Segment accepted them, the token they resolved to
        # (the keyring's, when the field was left empty).
        self._testing: tuple[ConnectionProfile, str] | None = None
        self._accept_after_test = False
        self._passed: tuple[ConnectionProfile, str] | None = None
        self._passed_token = ""
        # Saved-token lookups: each input change bumps the generation, so a late answer for
        # an endpoint the person has left is dropped. One lookup runs at a time; a change
        # made meanwhile is looked up when it ends (a locked keyring would only block more
        # pool threads).
        self._lookup_generation = 0
        self._lookup_worker: Worker | None = None
        self._lookup_worker_generation = 0
        self._lookup_profile: ConnectionProfile | None = None
        # Where focus was when a test started, and where Qt moved it when the controls
        # were disabled: a finished test puts it back (never onto Cancel).
        self._focus_before: QWidget | None = None
        self._focus_parked: QWidget | None = None

        intro = QLabel(
            "The app reads your spaces, audiences and destination connections, and changes "
            "ID Sync settings only when you push. " + TOKEN_HOW_TO
        )
        intro.setWordWrap(True)

        self.endpoint = QComboBox()
        self.endpoint.setObjectName("endpointCombo")
        self.endpoint.setAccessibleName("Where to connect")
        for kind in EndpointKind:
            # Stored as the plain value: Qt hands str-based enums back as bare str.
            self.endpoint.addItem(kind.label, kind.value)

        self.base_url = QLineEdit()
        self.base_url.setObjectName("baseUrlEdit")
        self.base_url.setAccessibleName("Base URL")
        self.base_url.setPlaceholderText("https://… (http only for localhost)")
        self.sandbox_note = QLabel(SANDBOX_NOTE)
        self.sandbox_note.setObjectName("sandboxNote")
        self.sandbox_note.setWordWrap(True)

        self.token = QLineEdit()
        self.token.setObjectName("tokenEdit")
        self.token.setAccessibleName("API token")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        # Keep the secret out of every clipboard and input-method history.
        self.token.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText
            | Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoPredictiveText
        )
        self.show_token = QToolButton()
        self.show_token.setObjectName("showTokenButton")
        self.show_token.setCheckable(True)
        self.show_token.setText("Show")
        self.show_token.setAccessibleName("Show the token")
        self.show_token.toggled.connect(self._toggle_token_visible)
        token_row = QHBoxLayout()
        token_row.setContentsMargins(0, 0, 0, 0)
        token_row.addWidget(self.token, 1)
        token_row.addWidget(self.show_token)

        self.remember = QCheckBox("Remember in the system keyring")
        self.remember.setObjectName("rememberCheck")
        self.remember.setChecked(True)
        # What the person chose, kept while the box is off (sandbox, environment token).
        self._remember_choice = True
        self.storage_note = QLabel()
        self.storage_note.setObjectName("storageNote")
        self.storage_note.setWordWrap(True)

        self.test_button = QPushButton("Test connection")
        self.test_button.setObjectName("testButton")
        self.test_button.setAutoDefault(False)
        self.test_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.status = StatusLine("connectStatus")
        self.status.retry_button.setVisible(False)
        self.status.clear()
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignTop)
        test_row.addWidget(self.status, 1)
        test_row.addStretch(0)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Where:", self.endpoint)
        form.addRow("&Base URL:", self.base_url)
        form.addRow("", self.sandbox_note)
        token_label = QLabel("API &token:")
        token_label.setBuddy(self.token)
        form.addRow(token_label, token_row)
        form.addRow("", self.remember)
        form.addRow("", self.storage_note)

        self.buttons = QDialogButtonBox()
        self.connect_button = self.buttons.addButton(
            "Connect", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.connect_button.setObjectName("connectButton")
        # Enter anywhere in the dialog connects (a focused Cancel would otherwise take it).
        self.connect_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._connect_clicked)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addSpacing(6)
        layout.addLayout(test_row)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.endpoint.currentIndexChanged.connect(self._endpoint_changed)
        self.base_url.textEdited.connect(self._inputs_edited)
        self.base_url.editingFinished.connect(self._update_token_notes)
        self.token.textEdited.connect(self._inputs_edited)
        self.remember.toggled.connect(self._remember_toggled)
        self.test_button.clicked.connect(self._test_clicked)
        self.status.retryRequested.connect(self._test_clicked)

        current = session.profile or session.last_profile
        start_kind = current.kind if current is not None else EndpointKind.US
        if current is not None and current.kind is EndpointKind.CUSTOM:
            self.base_url.setText(current.base_url)
        self.endpoint.setCurrentIndex(self.endpoint.findData(start_kind.value))
        self._endpoint_changed()

    # -- what is chosen ------------------------------------------------------------

    @property
    def kind(self) -> EndpointKind:
        data = self.endpoint.currentData()
        return EndpointKind(data) if isinstance(data, str) else EndpointKind.US

    def profile(self) -> ConnectionProfile:
        """Raises InvalidBaseUrl (its message says what to change)."""
        return ConnectionProfile.create(self.kind, self.base_url.text())

    # -- reacting to input -----------------------------------------------------------

    def _endpoint_changed(self) -> None:
        kind = self.kind
        self.status.clear()
        self._passed = None
        self.sandbox_note.setVisible(kind is EndpointKind.SANDBOX)
        self.base_url.setReadOnly(kind is not EndpointKind.CUSTOM)
        if kind is EndpointKind.SANDBOX:
            try:
                sandbox = self.session.start_sandbox()
            except OSError as exc:
                self.base_url.clear()
                self.token.clear()
                self.status.set_error(
                    f"The local sandbox could not start ({exc.strerror or exc}). Close other "
                    "copies of the app, or connect to Segment instead.",
                    retry=False,
                )
            else:
                self.base_url.setText(sandbox.url)
                self.token.setText(sandbox.token)
        elif kind is EndpointKind.CUSTOM:
            current = self.session.profile or self.session.last_profile
            custom = current is not None and current.kind is EndpointKind.CUSTOM
            self.base_url.setText(current.base_url if current is not None and custom else "")
            self.token.clear()
        else:
            self.base_url.setText(ConnectionProfile.create(kind).base_url)
            self.token.clear()
        self._update_token_notes()

    def _inputs_edited(self) -> None:
        self._passed = None
        self.status.clear()

    def _remember_toggled(self, checked: bool) -> None:
        if self.remember.isEnabled():
            self._remember_choice = checked
        self._update_token_notes()

    def _toggle_token_visible(self, shown: bool) -> None:
        self.token.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.show_token.setText("Hide" if shown else "Show")
        self.show_token.setAccessibleName("Hide the token" if shown else "Show the token")

    def _update_token_notes(self) -> None:
        kind = self.kind
        sandbox = kind is EndpointKind.SANDBOX
        env = environment_token() is not None and not sandbox
        usable = keyring_usable()
        self.token.setReadOnly(sandbox)
        self.token.setEnabled(not env)
        can_remember = not sandbox and not env and usable
        self.remember.setEnabled(can_remember)
        self.remember.blockSignals(True)
        self.remember.setChecked(can_remember and self._remember_choice)
        self.remember.blockSignals(False)
        placeholder = PLACEHOLDER_PASTE
        self._lookup_generation += 1
        self._lookup_profile = None
        if sandbox:
            note = STORAGE_SANDBOX
        elif env:
            note = STORAGE_ENV
            placeholder = f"Using {TOKEN_ENV_VAR}"
        elif not usable:
            note = STORAGE_NO_KEYRING
        else:
            note = STORAGE_KEYRING if self.remember.isChecked() else STORAGE_SESSION
            try:
                self._lookup_profile = self.profile()
            except SegmentError:
                pass  # no valid URL yet: nothing saved to look for
            else:
                placeholder = PLACEHOLDER_CHECKING
                self._start_saved_token_lookup()
        self.token.setPlaceholderText(placeholder)
        self.storage_note.setText(note)

    @property
    def checking_keyring(self) -> bool:
        """True while a saved-token lookup runs or the current inputs await its answer."""
        return self._lookup_profile is not None or self._lookup_worker is not None

    def _start_saved_token_lookup(self) -> None:
        profile = self._lookup_profile
        if self._lookup_worker is not None or profile is None:
            return
        worker = self.session.tasks.start(
            _saved_token_job(self.session, profile, self._lookup_generation),
            name="saved token lookup",
        )
        worker.signals.finished.connect(self._saved_token_checked)
        worker.signals.done.connect(self._saved_token_lookup_ended)
        self._lookup_worker = worker
        self._lookup_worker_generation = self._lookup_generation
        self.session.tasks.launch(worker)

    def _saved_token_checked(self, check: _SavedTokenCheck) -> None:
        if check.generation != self._lookup_generation or self._lookup_profile is None:
            return
        self._lookup_profile = None
        self.token.setPlaceholderText(PLACEHOLDER_SAVED if check.found else PLACEHOLDER_PASTE)

    def _saved_token_lookup_ended(self, worker: Worker) -> None:
        if worker is not self._lookup_worker:
            return
        self._lookup_worker = None
        if self._lookup_profile is None:
            return
        if self._lookup_worker_generation == self._lookup_generation:
            # It failed for the current inputs: offer the field rather than ask again.
            self._lookup_profile = None
            self.token.setPlaceholderText(PLACEHOLDER_PASTE)
        else:
            # The inputs changed while it ran: look again for what is there now.
            self._start_saved_token_lookup()

    # -- testing and connecting ------------------------------------------------------

    def _inputs(self) -> tuple[ConnectionProfile, str] | None:
        """The chosen profile and the typed token, or None after showing what is wrong.

        The token may still be empty: the test worker then reads the keyring.
        """
        try:
            profile = self.profile()
        except SegmentError as exc:
            self.status.set_error(str(exc), retry=False)
            self.base_url.setFocus()
            return None
        return profile, self.token.text()

    def _test_clicked(self) -> None:
        self._accept_after_test = False
        self._start_test()

    def _connect_clicked(self) -> None:
        inputs = self._inputs()
        if inputs is None:
            return
        if self._passed == inputs:
            self._finish(inputs[0], self._passed_token)
            return
        self._accept_after_test = True
        self._start_test(inputs)

    def _start_test(self, inputs: tuple[ConnectionProfile, str] | None = None) -> None:
        if inputs is None:
            inputs = self._inputs()
        if inputs is None:
            return
        profile, typed = inputs
        if self._worker is not None:
            self._worker.cancel()
        worker = self.session.tasks.start(
            _test_job(self.session, profile, typed), name="test connection"
        )
        worker.signals.finished.connect(self._test_passed)
        worker.signals.failed.connect(self._test_failed)
        worker.signals.cancelled.connect(self._test_cancelled)
        self._worker = worker
        self._testing = inputs
        self._set_busy(True)
        self.status.set_busy(f"Connecting to {profile.label}…")
        self.session.tasks.launch(worker)

    def _is_current(self) -> bool:
        worker = self._worker
        return worker is not None and self.sender() is worker.signals

    def _test_passed(self, outcome: _TestOutcome) -> None:
        if not self._is_current():
            return
        inputs = self._testing
        assert inputs is not None
        self._worker = None
        self._set_busy(False)
        spaces = outcome.spaces
        if not spaces:
            self.status.set_error(
                "Connected, but this token sees no spaces. Check that it belongs to the "
                "workspace that has Engage.",
                retry=False,
            )
            return
        self._passed = inputs
        self._passed_token = outcome.token
        # The endpoint that worked is offered first next time, even if this is cancelled.
        self.session.last_profile = inputs[0]
        self.status.set_ok(f"Connected: {plural(len(spaces), 'space')}.")
        if self._accept_after_test:
            self._finish(inputs[0], outcome.token)

    def _test_failed(self, error: SegmentError) -> None:
        if not self._is_current():
            return
        self._worker = None
        self._set_busy(False)
        self.status.set_error(str(error), retry=False)
        if isinstance(error, MissingToken):
            self.token.setFocus()

    def _test_cancelled(self, message: str) -> None:
        if not self._is_current():
            return
        self._worker = None
        self._set_busy(False)
        self.status.clear()

    def _set_busy(self, busy: bool) -> None:
        if busy:
            self._focus_before = self.focusWidget()
        self.test_button.setEnabled(not busy)
        self.connect_button.setEnabled(not busy)
        self.endpoint.setEnabled(not busy)
        if busy:
            self._focus_parked = self.focusWidget()
            return
        before, parked = self._focus_before, self._focus_parked
        self._focus_before = self._focus_parked = None
        # Put focus back unless the person moved it meanwhile.
        if (
            before is not None
            and before is not parked
            and self.focusWidget() is parked
            and before.isEnabled()
            and before.isVisible()
        ):
            before.setFocus(Qt.FocusReason.OtherFocusReason)
        self.connect_button.setDefault(True)

    def _finish(self, profile: ConnectionProfile, token: str) -> None:
        self.storage_kind = self.session.connect_to(
            profile, token, remember=self.remember.isEnabled() and self.remember.isChecked()
        )
        self.accept()

    def reject(self) -> None:
        # A keyring lookup cannot be interrupted; its late answer is simply dropped.
        self._lookup_generation += 1
        self._lookup_profile = None
        if self._worker is not None:
            self._worker.cancel()
            self._worker = None
        super().reject()
