"""Step 2, Destination: pick from the catalog by search and keyboard, set the instance id."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from idsync.core.catalog import Catalog, DestinationSpec
from idsync.core.editing import choose_destination, set_instance_id
from idsync.core.findings import Area, Finding
from idsync.core.model import DestinationKind, IdSyncDocument
from idsync.core.wording import catalog_status, default_setup_sends
from idsync.ui.controller import DocumentController
from idsync.ui.focus_ring import LinkLabel
from idsync.ui.icons import avatar_pixmap
from idsync.ui.pages.catalog_list import (
    SPEC_ROLE,
    CatalogItemDelegate,
    CatalogListModel,
    subtitle,
)
from idsync.ui.theme import heading_font
from idsync.ui.widgets import FieldFindings, PageHeader, mark_line_edit

ABOUT_AFTER_TYPING_MS = 120
LAYOUT_BATCH = 100

KIND_FILTERS: tuple[tuple[str, DestinationKind | None], ...] = (
    ("All", None),
    ("Destinations", DestinationKind.DESTINATION),
    ("Functions", DestinationKind.FUNCTION),
)


def _codes(items: tuple[str, ...]) -> str:
    return ", ".join(f"<code>{html.escape(item)}</code>" for item in items)


def describe(spec: DestinationSpec, catalog: Catalog) -> str:
    """What someone needs to know about a destination before building its rows, as HTML."""
    facts: list[str] = [f"<b>{html.escape(said)}</b>" for said in catalog_status(spec, catalog)]
    if spec.reads_event_keys:
        keys = _codes(tuple(f.key for f in spec.fields()))
        facts.append(
            f"ID Sync adds each identifier to the event under its destination identifier; "
            f"the default mappings read {keys}, so map to those keys."
        )
    elif spec.identifier_mode == "preset":
        keys = _codes(spec.accepted_keys())
        if spec.keys_documented:
            facts.append(f"Destination identifiers come from its own list: {keys}.")
        else:
            facts.append(
                f"Segment shows a dropdown whose values it does not publish; this app offers "
                f"{keys}, and takes other names with a warning."
            )
    elif spec.known_fields:
        fields = _codes(tuple(f.key for f in spec.known_fields))
        facts.append(f"Any field name is accepted; known identifier fields: {fields}.")
    else:
        facts.append("Any destination field name is accepted.")
    if spec.no_default_mapping:
        unmapped = _codes(tuple(f.key for f in spec.no_default_mapping))
        facts.append(
            f"No default mapping fills {unmapped}: edit the mapping in Segment to send one."
        )
    constraints = spec.constraints
    if constraints.matcher_identifiers:
        facts.append(
            f"Matches profiles on one of {_codes(constraints.matcher_identifiers)}; one row "
            f"must send it."
        )
    if constraints.max_extra_identifiers is not None:
        extra = constraints.max_extra_identifiers
        where = (
            f", mapped to <code>{html.escape(constraints.extra_identifier_field)}</code>"
            if constraints.extra_identifier_field
            else ""
        )
        facts.append(
            f"At most {extra} identifier{'s' if extra != 1 else ''} beside the matcher{where}."
        )
    if not spec.supports_mobile_ids:
        facts.append("Not known to take mobile advertising IDs.")
    elif spec.send_mobile_ids_setting:
        facts.append("Takes mobile advertising IDs (turn on Send Mobile IDs to send them).")
    else:
        facts.append("Takes mobile advertising IDs through ID Sync; Send Mobile IDs is ignored.")
    facts.append(html.escape(f"Default Setup sends {default_setup_sends(spec)}."))
    notes = (*constraints.notes, *spec.notes)
    items = [*facts, *(html.escape(note) for note in notes)]
    body = "".join(f"<li>{item}</li>" for item in items)
    link = ""
    if spec.docs_url:
        url = html.escape(spec.docs_url, quote=True)
        link = f'<p><a href="{url}">Segment documentation for {html.escape(spec.name)}</a></p>'
    return f'<ul style="margin-left:-20px">{body}</ul>{link}'


_UNDO_KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)


def _is_undo_or_redo(event: QEvent) -> bool:
    if event.type() not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
        return False
    assert isinstance(event, QKeyEvent)
    pressed = QKeySequence(event.keyCombination())
    return any(event.matches(key) for key in _UNDO_KEYS) or pressed in (
        QKeySequence("Ctrl+Y"),
        QKeySequence("Ctrl+Shift+Z"),
    )


class DestinationPage(QWidget):
    def __init__(
        self, controller: DocumentController, catalog: Catalog, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("destinationPage")
        self._controller = controller
        self._catalog = catalog
        self._syncing = False
        self._about_shown: DestinationSpec | None = None
        # While someone types, the list answers every key and the panel about the first
        # match follows once typing pauses: laying out its text costs more than the list.
        self._filtering = False
        self._about_timer = QTimer(self)
        self._about_timer.setSingleShot(True)
        self._about_timer.setInterval(ABOUT_AFTER_TYPING_MS)
        self._about_timer.timeout.connect(self._show_current_about)

        header = PageHeader(
            "Destination",
            "The destination or destination function the audience sends to. Type to search, "
            "use the arrow keys, press Enter to choose.",
        )

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("destinationSearch")
        self.search_edit.setPlaceholderText("Search destinations (name or category)")
        self.search_edit.setAccessibleName("Search destinations")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.installEventFilter(self)
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("destinationKind")
        self.kind_combo.setAccessibleName("Show kind")
        for label, _kind in KIND_FILTERS:
            self.kind_combo.addItem(label)
        search_label = QLabel("Fi&nd")
        search_label.setBuddy(self.search_edit)
        kind_label = QLabel("Sho&w")
        kind_label.setBuddy(self.kind_combo)
        search_row = QHBoxLayout()
        search_row.addWidget(search_label)
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(kind_label)
        search_row.addWidget(self.kind_combo)

        self.model = CatalogListModel(catalog, self)
        self.list_view = QListView()
        self.list_view.setObjectName("destinationList")
        self.list_view.setAccessibleName("Destinations")
        self.list_view.setModel(self.model)
        self.list_view.setItemDelegate(CatalogItemDelegate(self.list_view))
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setUniformItemSizes(True)
        # Lay out a long list in batches, visible rows first, so a search over thousands
        # of destinations answers the key at once and the scroll range catches up after.
        self.list_view.setLayoutMode(QListView.LayoutMode.Batched)
        self.list_view.setBatchSize(LAYOUT_BATCH)
        self.list_view.setMinimumWidth(320)
        self.list_view.activated.connect(self._on_activated)
        self.list_view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.empty_label = QLabel("No destination matches. Clear the search or show All.")
        self.empty_label.setVisible(False)

        self.search_edit.textChanged.connect(self._apply_filter)
        self.kind_combo.currentIndexChanged.connect(self._apply_filter)

        left = QVBoxLayout()
        left.addLayout(search_row)
        left.addWidget(self.list_view, 1)
        left.addWidget(self.empty_label)

        # Right: the chosen destination and its instance id, then about the highlighted one.
        chosen_box = QGroupBox("Chosen destination")
        chosen_layout = QVBoxLayout(chosen_box)
        self.chosen_label = QLabel()
        self.chosen_label.setObjectName("chosenDestination")
        self.chosen_label.setWordWrap(True)
        self.chosen_label.setFont(heading_font(self.font(), 1.15))
        self.slug_findings = FieldFindings("destination.slug")
        self.instance_edit = QLineEdit()
        self.instance_edit.setObjectName("destination.instance_id")
        self.instance_edit.setAccessibleName("Destination instance id")
        self.instance_edit.setAccessibleDescription(
            "The id of this destination in the Engage space (List Destinations)"
        )
        self.instance_edit.setPlaceholderText("e.g. 64f1c2a9e3b8d70012ab34cd")
        self.instance_edit.setClearButtonEnabled(True)
        self.instance_edit.textEdited.connect(self._on_instance_edited)
        self.instance_findings = FieldFindings("destination.instance_id")
        instance_form = QFormLayout()
        instance_label = QLabel("&Instance id")
        instance_label.setBuddy(self.instance_edit)
        instance_column = QVBoxLayout()
        instance_column.setSpacing(2)
        instance_column.addWidget(self.instance_edit)
        instance_column.addWidget(self.instance_findings)
        instance_form.addRow(instance_label, instance_column)
        chosen_layout.addWidget(self.chosen_label)
        chosen_layout.addWidget(self.slug_findings)
        chosen_layout.addLayout(instance_form)

        self.about_box = QGroupBox("About")
        about_layout = QVBoxLayout(self.about_box)
        title_row = QHBoxLayout()
        self.about_avatar = QLabel()
        self.about_title = QLabel()
        self.about_title.setFont(heading_font(self.font(), 1.15))
        self.about_title.setWordWrap(True)
        self.about_subtitle = QLabel()
        title_text = QVBoxLayout()
        title_text.setSpacing(0)
        title_text.addWidget(self.about_title)
        title_text.addWidget(self.about_subtitle)
        title_row.addWidget(self.about_avatar, 0, Qt.AlignmentFlag.AlignTop)
        title_row.addLayout(title_text, 1)
        self.about_text = LinkLabel()
        self.about_text.setObjectName("destinationDetails")
        self.about_text.setWordWrap(True)
        self.about_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.about_text.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.choose_button = QPushButton()
        self.choose_button.setObjectName("chooseDestination")
        self.choose_button.clicked.connect(self.choose_current)
        button_row = QHBoxLayout()
        button_row.addStretch(1)
        button_row.addWidget(self.choose_button)
        about_layout.addLayout(title_row)
        about_layout.addWidget(self.about_text)
        about_layout.addLayout(button_row)

        right_content = QWidget()
        right = QVBoxLayout(right_content)
        right.setContentsMargins(0, 0, 4, 0)
        right.addWidget(chosen_box)
        right.addWidget(self.about_box)
        right.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(right_content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Not a Tab stop of its own (it would show no focus): its controls are.
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        columns = QHBoxLayout()
        columns.addLayout(left, 5)
        columns.addSpacing(12)
        columns.addWidget(scroll, 6)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(header)
        layout.addLayout(columns, 1)

        QWidget.setTabOrder(self.search_edit, self.kind_combo)
        QWidget.setTabOrder(self.kind_combo, self.list_view)
        QWidget.setTabOrder(self.list_view, self.instance_edit)
        QWidget.setTabOrder(self.instance_edit, self.about_text)
        QWidget.setTabOrder(self.about_text, self.choose_button)

        controller.documentChanged.connect(self._on_document_changed)
        controller.findingsChanged.connect(self._show_findings)
        self._show_document(controller.document)
        self._show_findings(controller.findings)
        # Built after a document is open (pages are built on first use): start on its
        # destination, as a document opened later would.
        chosen = controller.document.destination
        row = self.model.row_of(chosen.slug) if chosen is not None else -1
        self.list_view.setCurrentIndex(self.model.index(max(row, 0)))

    # --- choosing -------------------------------------------------------------------------

    def current_spec(self) -> DestinationSpec | None:
        spec = self.list_view.currentIndex().data(SPEC_ROLE)
        return spec if isinstance(spec, DestinationSpec) else None

    def choose_current(self) -> None:
        spec = self.current_spec()
        if spec is not None:
            self.choose(spec)

    def choose(self, spec: DestinationSpec) -> None:
        doc = self._controller.document
        if doc.destination is not None and doc.destination.slug == spec.slug:
            return
        self._controller.edit(
            choose_destination(doc, spec.slug, name=spec.name, kind=spec.kind),
            f"Choose destination {spec.name}",
        )

    def _on_activated(self, index: QModelIndex) -> None:
        spec = index.data(SPEC_ROLE)
        if isinstance(spec, DestinationSpec):
            self.choose(spec)

    def _on_instance_edited(self, text: str) -> None:
        doc = self._controller.document
        if self._syncing or doc.destination is None:
            return
        self._controller.edit(
            set_instance_id(doc, text),
            "Edit destination instance id",
            "destination.instance_id",
        )

    # --- search ---------------------------------------------------------------------------

    def clear_search(self) -> None:
        """Back to the whole catalog (File > New): no search text, every kind shown, and
        no destination highlighted (the last document's would look chosen)."""
        self.search_edit.clear()
        self.kind_combo.setCurrentIndex(0)
        if self._controller.document.destination is None:
            self.list_view.setCurrentIndex(QModelIndex())
            self.list_view.clearSelection()
            self.list_view.scrollToTop()
            self._show_about(None)

    def _apply_filter(self) -> None:
        current = self.current_spec()
        kind = KIND_FILTERS[max(0, self.kind_combo.currentIndex())][1]
        self.model.set_filter(self.search_edit.text(), kind)
        row = self.model.row_of(current.slug) if current is not None else -1
        if row < 0 and self.model.rowCount() > 0:
            row = 0
        if row >= 0:
            self._filtering = True
            try:
                self.list_view.setCurrentIndex(self.model.index(row))
            finally:
                self._filtering = False
        else:
            self._show_about(None)
        self.empty_label.setVisible(self.model.rowCount() == 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search_edit and _is_undo_or_redo(event):
            # The search is a filter, not part of the document: Undo and Redo there are
            # the document's (the window's actions), never the search text's own.
            if event.type() == QEvent.Type.ShortcutOverride:
                event.ignore()  # not the field's: the window's shortcut takes the key
            else:
                window = self.window()
                if window is not None and window is not self:
                    # No shortcut took it (nothing to undo): the window says so.
                    QCoreApplication.sendEvent(window, event)
            return True
        # From the search box, Up/Down walk the list and Enter chooses, so typing a few
        # letters and pressing Enter is enough.
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self._step_current(key)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.choose_current()
                return True
        return super().eventFilter(watched, event)

    def _step_current(self, key: int) -> None:
        count = self.model.rowCount()
        if count == 0:
            return
        row = self.list_view.currentIndex().row()
        row_height = max(1, self.list_view.sizeHintForRow(0))
        page = max(1, self.list_view.viewport().height() // row_height)
        delta = {
            Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: page,
            Qt.Key.Key_PageUp: -page,
        }[Qt.Key(key)]
        row = 0 if row < 0 else max(0, min(count - 1, row + delta))
        self.list_view.setCurrentIndex(self.model.index(row))

    # --- showing --------------------------------------------------------------------------

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._filtering:
            self._about_timer.start()
        else:
            self._show_current_about()
        if current.isValid():
            self.list_view.scrollTo(current)

    def _show_current_about(self) -> None:
        self._about_timer.stop()
        spec = self.list_view.currentIndex().data(SPEC_ROLE)
        self._show_about(spec if isinstance(spec, DestinationSpec) else None)

    def _show_about(self, spec: DestinationSpec | None) -> None:
        self.about_box.setVisible(spec is not None)
        if spec is None:
            self._about_shown = None
            return
        if spec is self._about_shown:
            # Typing often keeps the same destination first: its panel is already drawn.
            self._update_choose_button(spec)
            return
        self._about_shown = spec
        self.about_box.setTitle(f"About {spec.name}")
        self.about_avatar.setPixmap(avatar_pixmap(spec.name, 40, self.palette()))
        self.about_title.setText(spec.name)
        self.about_subtitle.setText(subtitle(spec))
        self.about_text.setText(describe(spec, self._catalog))
        self.about_text.setAccessibleName(f"About {spec.name}")
        self._update_choose_button(spec)

    def _update_choose_button(self, spec: DestinationSpec | None) -> None:
        doc = self._controller.document
        chosen = (
            doc.destination is not None and spec is not None
            and doc.destination.slug == spec.slug
        )
        if spec is None:
            self.choose_button.setEnabled(False)
            return
        self.choose_button.setEnabled(not chosen)
        self.choose_button.setText("✓ Chosen" if chosen else f"&Use {spec.name}")
        self.choose_button.setAccessibleName(
            f"{spec.name} is the chosen destination" if chosen else f"Use {spec.name}"
        )

    def _on_document_changed(self, before: IdSyncDocument, after: IdSyncDocument) -> None:
        self._show_document(after)
        if before.destination != after.destination and after.destination is not None:
            # Follow undo/redo and loading: show the chosen destination in the list.
            row = self.model.row_of(after.destination.slug)
            if row >= 0 and (self.current_spec() is None or
                             self.current_spec() != self.model.spec_at(row)):
                self.list_view.setCurrentIndex(self.model.index(row))

    def _show_document(self, doc: IdSyncDocument) -> None:
        self._syncing = True
        try:
            ref = doc.destination
            if ref is None:
                self.chosen_label.setText("None yet — choose one from the list.")
                self.model.set_chosen("")
            else:
                spec = self._catalog.destination(ref.slug)
                name = spec.name if spec is not None else (ref.name or ref.slug)
                self.chosen_label.setText(name)
                self.model.set_chosen(ref.slug)
            self.chosen_label.setAccessibleName(f"Chosen destination: {self.chosen_label.text()}")
            instance = ref.instance_id if ref is not None else ""
            if self.instance_edit.text() != instance:
                self.instance_edit.setText(instance)
            self.instance_edit.setEnabled(ref is not None)
            self._update_choose_button(self.current_spec())
        finally:
            self._syncing = False

    def _show_findings(self, findings: list[Finding]) -> None:
        mine = [f for f in findings if f.area is Area.DESTINATION]
        instance = [f for f in mine if f.field == "destination.instance_id"]
        self.instance_findings.set_findings(instance)
        mark_line_edit(self.instance_edit, instance)
        self.slug_findings.set_findings([f for f in mine if f.field != "destination.instance_id"])

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.model.clear_icon_cache()
            shown, self._about_shown = self._about_shown, None
            self._show_about(shown)  # its avatar follows the palette

    # --- navigation -----------------------------------------------------------------------

    def focus_finding(self, finding: Finding) -> None:
        if finding.field == "destination.instance_id" and self.instance_edit.isEnabled():
            self.instance_edit.setFocus()
            self.instance_edit.selectAll()
            return
        self.search_edit.setFocus()
        self.search_edit.selectAll()
