"""Choose from workspace: spaces → audiences (searchable) → the audience's destination
connections, each list loaded off the UI thread with its own status line and Retry."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from idsync.core.model import AudienceTarget, IdSyncDocument
from idsync.push.choice import WorkspaceChoice
from idsync.segment.client import SegmentClient
from idsync.segment.errors import SegmentError
from idsync.segment.models import Audience, Connection, Space
from idsync.ui.push.session import SegmentSession
from idsync.ui.push.status import StatusLine
from idsync.ui.push.worker import JobContext, Worker
from idsync.ui.theme import heading_font

SEARCH_DELAY_MS = 350
_ITEM = Qt.ItemDataRole.UserRole

Call = Callable[[SegmentClient], Sequence[Any]]


class PickerColumn(QWidget):
    """A titled list with an optional search box and a status line under it."""

    def __init__(
        self,
        name: str,
        title: str,
        headers: Sequence[str],
        *,
        search: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}Column")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(title)
        self.title.setFont(heading_font(self.font(), 1.1))
        layout.addWidget(self.title)
        self.search: QLineEdit | None = None
        if search:
            self.search = QLineEdit()
            self.search.setObjectName(f"{name}Search")
            self.search.setPlaceholderText("Search by name")
            self.search.setClearButtonEnabled(True)
            self.search.setAccessibleName(f"Search {title.lower()}")
            layout.addWidget(self.search)
        self.view = QTreeWidget()
        self.view.setObjectName(f"{name}List")
        self.view.setAccessibleName(title)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAllColumnsShowFocus(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setHeaderLabels(list(headers))
        # Names are what people read: every column is as wide as its longest text and
        # the last takes what is left; a list too narrow for them scrolls sideways
        # rather than cutting a name short.
        header = self.view.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
        self.title.setBuddy(self.search if self.search is not None else self.view)
        layout.addWidget(self.view, 1)
        # Columns are narrow: Retry goes under the message, not beside it.
        self.status = StatusLine(f"{name}Status", stacked=True)
        self.status.clear()
        layout.addWidget(self.status)

    def clear(self) -> None:
        self.view.clear()
        self.status.clear()

    def fill(self, rows: Sequence[tuple[object, Sequence[str]]]) -> None:
        self.view.clear()
        for value, texts in rows:
            item = QTreeWidgetItem(list(texts))
            item.setData(0, _ITEM, value)
            item.setToolTip(0, " · ".join(t for t in texts if t))
            self.view.addTopLevelItem(item)

    def chosen(self) -> Any:
        items = self.view.selectedItems()
        return items[0].data(0, _ITEM) if items else None

    def select_where(self, matches: Callable[[Any], bool]) -> bool:
        for index in range(self.view.topLevelItemCount()):
            item = self.view.topLevelItem(index)
            if item is not None and matches(item.data(0, _ITEM)):
                self.view.setCurrentItem(item)
                self.view.scrollToItem(item)
                return True
        return False


class ColumnLoader(QObject):
    """Loads one column in a worker; a newer load makes older answers irrelevant."""

    loaded = Signal(list)

    def __init__(self, session: SegmentSession, column: PickerColumn, what: str) -> None:
        super().__init__(column)
        self.session = session
        self.column = column
        self.what = what
        self._worker: Worker | None = None
        self._last: tuple[str, Call] | None = None
        column.status.retryRequested.connect(self.retry)

    @property
    def busy(self) -> bool:
        return self._worker is not None

    def load(self, message: str, call: Call) -> None:
        self.cancel()
        self._last = (message, call)

        def job(context: JobContext) -> list[Any]:
            with self.session.new_client(context.cancel) as client:
                return list(call(client))

        worker = self.session.tasks.start(job, name=f"load {self.what}")
        worker.signals.finished.connect(self._finished)
        worker.signals.failed.connect(self._failed)
        worker.signals.cancelled.connect(self._cancelled)
        self._worker = worker
        self.column.view.clear()
        self.column.status.set_busy(message)
        self.session.tasks.launch(worker)

    def retry(self) -> None:
        if self._last is not None:
            self.load(*self._last)

    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            self._worker = None

    def _current(self) -> bool:
        worker = self._worker
        return worker is not None and self.sender() is worker.signals

    def _finished(self, items: list[Any]) -> None:
        if not self._current():
            return
        self._worker = None
        self.column.status.clear()
        self.loaded.emit(items)

    def _failed(self, error: SegmentError) -> None:
        if not self._current():
            return
        self._worker = None
        self.column.status.set_error(f"Could not load the {self.what}. {error}")

    def _cancelled(self, _message: str) -> None:
        if self._current():
            self._worker = None
            self.column.status.clear()


class LivePickerDialog(QDialog):
    """Returns ``choice()`` after Accept; the caller applies it as one undoable edit."""

    def __init__(
        self,
        session: SegmentSession,
        document: IdSyncDocument | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("livePickerDialog")
        self.setWindowTitle("Choose from workspace")
        self.resize(1240, 560)
        self.session = session
        target = document.target if document is not None else None
        self._want_space = target.space_id if target is not None else ""
        self._want_audience = target.audience_id if isinstance(target, AudienceTarget) else ""
        destination = document.destination if document is not None else None
        self._want_instance = destination.instance_id if destination is not None else ""
        self._current_destination = destination

        intro = QLabel(
            f"Pick the audience and the destination connection to configure. Connected to "
            f"{session.profile.label if session.profile else 'nothing'}."
        )
        intro.setWordWrap(True)
        self.spaces = PickerColumn("space", "Spaces", ["Name", "Id"])
        self.audiences = PickerColumn("audience", "Audiences", ["Name", "Id"], search=True)
        self.connections = PickerColumn(
            "connection", "Destination connections", ["Name", "Slug", "Connection id"]
        )
        columns = QHBoxLayout()
        columns.addWidget(self.spaces, 11)
        columns.addWidget(self.audiences, 13)
        columns.addWidget(self.connections, 22)

        self.buttons = QDialogButtonBox()
        self.use_button = self.buttons.addButton(
            "Use these", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.use_button.setObjectName("useButton")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.hint = QLabel()
        self.hint.setObjectName("pickerHint")
        self.hint.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(columns, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)

        self.space_loader = ColumnLoader(session, self.spaces, "spaces")
        self.audience_loader = ColumnLoader(session, self.audiences, "audiences")
        self.connection_loader = ColumnLoader(session, self.connections, "destination connections")
        self.space_loader.loaded.connect(self._spaces_loaded)
        self.audience_loader.loaded.connect(self._audiences_loaded)
        self.connection_loader.loaded.connect(self._connections_loaded)
        self.spaces.view.itemSelectionChanged.connect(self._space_chosen)
        self.audiences.view.itemSelectionChanged.connect(self._audience_chosen)
        self.connections.view.itemSelectionChanged.connect(self._update_buttons)
        self.connections.view.itemActivated.connect(self._connection_activated)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search_now)
        assert self.audiences.search is not None
        self.audiences.search.textChanged.connect(self._search_typed)

        self._update_buttons()
        self.space_loader.load("Loading spaces…", lambda client: client.list_spaces())

    # -- the result ----------------------------------------------------------------

    def choice(self) -> WorkspaceChoice | None:
        space = self.spaces.chosen()
        audience = self.audiences.chosen()
        if not isinstance(space, Space) or not isinstance(audience, Audience):
            return None
        connection = self.connections.chosen()
        return WorkspaceChoice(
            space.id, audience.id, connection if isinstance(connection, Connection) else None
        )

    # -- loading -------------------------------------------------------------------

    def _spaces_loaded(self, spaces: list[Space]) -> None:
        self.spaces.fill([(s, (s.name or s.slug, s.id)) for s in spaces])
        if not spaces:
            self.spaces.status.set_ok("The token sees no spaces.")
            return
        if not self.spaces.select_where(lambda s: s.id == self._want_space):
            self.spaces.select_where(lambda _s: True)

    def _space_chosen(self) -> None:
        self.audience_loader.cancel()
        self.connection_loader.cancel()
        self.audiences.clear()
        self.connections.clear()
        self._update_buttons()
        space = self.spaces.chosen()
        if isinstance(space, Space):
            self._load_audiences(space)

    def _search_typed(self) -> None:
        self._search_timer.start()

    def _search_now(self) -> None:
        space = self.spaces.chosen()
        if isinstance(space, Space):
            self._load_audiences(space)

    def _load_audiences(self, space: Space) -> None:
        assert self.audiences.search is not None
        query = self.audiences.search.text().strip()
        self.connection_loader.cancel()
        self.connections.clear()
        message = (
            f"Searching audiences for “{query}”…"
            if query
            else f"Loading audiences of {space.name}…"
        )
        self.audience_loader.load(
            message, lambda client: client.list_audiences(space.id, search=query or None)
        )

    def _audiences_loaded(self, audiences: list[Audience]) -> None:
        self.audiences.fill([(a, (a.name or a.key, a.id)) for a in audiences])
        assert self.audiences.search is not None
        query = self.audiences.search.text().strip()
        if not audiences:
            self.audiences.status.set_ok(
                f"No audiences match “{query}”." if query else "This space has no audiences."
            )
        else:
            self.audiences.select_where(lambda a: a.id == self._want_audience)
        self._update_buttons()

    def _audience_chosen(self) -> None:
        self.connection_loader.cancel()
        self.connections.clear()
        self._update_buttons()
        space, audience = self.spaces.chosen(), self.audiences.chosen()
        if isinstance(space, Space) and isinstance(audience, Audience):
            self.connection_loader.load(
                f"Loading the destinations connected to {audience.name or audience.id}…",
                lambda client: client.list_connections(space.id, audience.id),
            )

    def _connections_loaded(self, connections: list[Connection]) -> None:
        self.connections.fill([(c, (c.name, c.slug, c.id)) for c in connections])
        if not connections:
            self.connections.status.set_ok(
                "No destination is connected to this audience yet. Push connects the "
                "document's destination; enter its instance id on the Destination step."
            )
        elif self._want_instance:
            self.connections.select_where(lambda c: c.matches_destination(self._want_instance))
        self._update_buttons()

    # -- buttons -------------------------------------------------------------------

    def _update_buttons(self) -> None:
        choice = self.choice()
        self.use_button.setEnabled(choice is not None)
        if choice is None:
            self.hint.setText("Choose a space and an audience.")
        elif choice.connection is None:
            self.hint.setText(
                f"Uses space {choice.space_id} and audience {choice.audience_id}; the "
                "destination stays as it is."
            )
        else:
            text = (
                f"Uses space {choice.space_id}, audience {choice.audience_id} and "
                f"{choice.connection.name or 'the destination'} (instance "
                f"{choice.instance_id}, connection {choice.connection.id})."
            )
            current = self._current_destination
            slug = choice.connection.slug
            if current is not None and slug and slug != current.slug:
                text += (
                    f" The document's destination changes from {current.name or current.slug} "
                    f"to {choice.connection.name or slug}: check the identifier rows after."
                )
            self.hint.setText(text)

    def _connection_activated(self, _item: QTreeWidgetItem, _column: int) -> None:
        if self.use_button.isEnabled():
            self.accept()

    def done(self, result: int) -> None:
        self._search_timer.stop()
        for loader in (self.space_loader, self.audience_loader, self.connection_loader):
            loader.cancel()
        super().done(result)
