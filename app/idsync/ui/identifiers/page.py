"""The Event settings step: Default or Customized Setup, the identifier table, Send
Mobile IDs and the space's custom identifiers.

Every control reads the controller's document and edits it through
``controller.edit``, so each click or choice is one undo step and every view agrees.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from idsync.core.catalog import Catalog, DestinationSpec
from idsync.core.editing import (
    add_row,
    apply_fix,
    choose_setup,
    move_row,
    remove_row,
    set_custom_identifiers,
    set_send_mobile_ids,
)
from idsync.core.findings import Area, Finding, FindingFix, Severity, sort_findings
from idsync.core.mapping import new_row
from idsync.core.model import IdSyncDocument, Setup, Strategy
from idsync.core.rules.limits import MAX_ALL_ROWS, MAX_ROWS
from idsync.core.wording import default_setup_sends
from idsync.ui.controller import DocumentController
from idsync.ui.finding_detail import FindingDetail
from idsync.ui.identifiers.banner import MobileIdsBanner
from idsync.ui.identifiers.delegate import IdentifierDelegate
from idsync.ui.identifiers.table_model import IdentifierTableModel, column_for_field
from idsync.ui.identifiers.table_view import IdentifierTableView
from idsync.ui.severity_style import severity_color, severity_icon
from idsync.ui.theme import heading_font, secondary_text_color
from idsync.ui.widgets import FieldFindings, PageHeader

CELL_HINT = "F2 or typing edits this cell; the arrow keys move; Enter commits, Escape cancels."
NO_CELL_HINT = "Choose a cell to see what it holds and any problem with it."
DEFAULT_SETUP_HINT = (
    "Default Setup: Segment sends its own identifiers. These rows are kept for when you "
    "choose Customized Setup again, but not sent."
)

TABLE_DESCRIPTION = (
    "One row per identifier Segment sends. F2 or typing edits a cell, Enter commits, "
    "Escape cancels."
)

INDENT = 26
"""Explanations sit under their radio button or checkbox, aligned with its text."""


def parse_identifier_list(text: str) -> tuple[str, ...]:
    """ "phone, loyalty_id" → ("phone", "loyalty_id"): commas or spaces, no repeats."""
    seen: dict[str, None] = {}
    for part in text.replace(",", " ").split():
        seen.setdefault(part.strip(), None)
    return tuple(seen)


class EventSettingsPage(QWidget):
    # The QAction whose shortcut was pressed in the table while it is disabled.
    shortcutRefused = Signal(object)

    def __init__(
        self,
        controller: DocumentController,
        catalog: Catalog,
        remembered_identifiers: Callable[[], Sequence[str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("eventSettingsPage")
        self.setAccessibleName("Event settings")
        self._controller = controller
        self._catalog = catalog
        self._syncing = False
        self.model = IdentifierTableModel(controller, catalog, self)
        self.delegate = IdentifierDelegate(controller, catalog, remembered_identifiers, self)
        self._build()
        self._build_actions()
        self._set_tab_order()
        controller.documentChanged.connect(self._on_document_changed)
        controller.findingsChanged.connect(self._show_findings)
        self._sync(controller.document)
        self._show_findings(controller.findings)

    # -- public ------------------------------------------------------------------------

    def current_row(self) -> int | None:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else None

    def focus_finding(self, finding: Finding) -> bool:
        """Bring the control a finding is about into view and give it focus."""
        if finding.row is not None:
            if not 0 <= finding.row < self.model.rowCount():
                return False
            index = self.model.index(finding.row, column_for_field(finding.field))
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)
            self._reveal(self.table)
            return True
        targets: dict[str, QWidget] = {
            "send_mobile_ids": self.send_mobile_ids_checkbox,
            "setup": self._checked_setup_radio(),
            "custom_identifiers": self.custom_identifiers_edit,
            "identifiers": self.add_button if self.add_button.isEnabled() else self.table,
        }
        target = targets.get(finding.field or "")
        if target is None:
            return False
        self._reveal(target)
        return True

    def add_identifier(self) -> None:
        doc = self._controller.document
        row = new_row(doc, self._catalog)
        at = len(doc.identifiers)
        self._controller.edit(add_row(doc, row), f"Add identifier {row.segment or 'row'}")
        index = self.model.index(at, 0)
        if index.isValid():
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)
            self.table.edit(index)

    def remove_current(self) -> None:
        row = self.current_row()
        doc = self._controller.document
        if row is None or not self._customized() or row >= len(doc.identifiers):
            return
        column = self.table.currentIndex().column()
        segment = doc.identifiers[row].segment
        self._controller.edit(remove_row(doc, row), f"Remove row {row + 1} ({segment})")
        remaining = self.model.rowCount()
        if remaining:
            self.table.setCurrentIndex(self.model.index(min(row, remaining - 1), column))

    def actions_with_shortcuts(self) -> list[QAction]:
        """The page's own keyboard actions (Insert, Delete, Ctrl+Shift+Up/Down)."""
        return [self.add_action, self.remove_action, self.move_up_action, self.move_down_action]

    def move_current(self, offset: int) -> None:
        row = self.current_row()
        doc = self._controller.document
        if row is None or not self._customized():
            return
        to = row + offset
        if not 0 <= to < len(doc.identifiers):
            return
        direction = "up" if offset < 0 else "down"
        # The table's current cell follows the moved row (the model emits rowsMoved).
        self._controller.edit(move_row(doc, row, to), f"Move row {row + 1} {direction}")

    # -- building ----------------------------------------------------------------------

    def _build(self) -> None:
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Always there: a bar that came and went with the notes below would narrow the
        # page and re-wrap the explanations above the table, moving every control.
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._scroll = scroll
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        content = QWidget()
        content.setObjectName("eventSettingsContent")
        scroll.setWidget(content)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(10)

        self.header = PageHeader("Event settings", "")
        layout.addWidget(self.header)
        layout.addWidget(self._build_setup_choice())
        # Every control sits above what comes and goes (the current cell's hint, notes,
        # the banner), so nothing moves under the mouse between two clicks.
        settings = QHBoxLayout()
        settings.setSpacing(12)
        settings.addWidget(self._build_connection_settings(), 1)
        settings.addWidget(self._build_custom_identifiers(), 1)
        layout.addLayout(settings)

        header = QHBoxLayout()
        self.identifiers_heading = QLabel("&Identifiers")
        self.identifiers_heading.setFont(heading_font(self.identifiers_heading.font(), 1.1))
        self.row_counter = QLabel()
        self.row_counter.setObjectName("rowCounter")
        self.row_counter.setAccessibleName("Identifier count")
        # Shown beside the counter, with the counter in the error colour, when over a limit.
        self.row_counter_icon = QLabel()
        self.row_counter_icon.setObjectName("rowCounterIcon")
        side = self.row_counter.fontMetrics().height()
        self.row_counter_icon.setFixedSize(side, side)
        self.row_counter_icon.hide()
        self._counter_over = False
        self.table = IdentifierTableView(self.model, self.delegate)
        self.table.setAccessibleName("Identifiers")
        self.table.setAccessibleDescription(TABLE_DESCRIPTION)
        self.identifiers_heading.setBuddy(self.table)
        # The row buttons on the heading's line, over the table: they never move, and
        # the findings under the table stay in sight at 1280x800.
        header.addWidget(self.identifiers_heading)
        header.addSpacing(16)
        header.addLayout(self._build_row_buttons())
        header.addStretch(1)
        header.addWidget(self.row_counter_icon)
        header.addWidget(self.row_counter)
        layout.addSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self.table)
        self.cell_detail = FindingDetail("cellDetail", placeholder=NO_CELL_HINT)
        self.cell_detail.setAccessibleName("About the current cell")
        self.cell_detail.fixRequested.connect(self._apply_fix)
        # Room for the hint and a two-line finding, kept even when there is nothing to
        # say, so what follows does not jump as the arrow keys move between cells.
        lines = self.cell_detail.fontMetrics().lineSpacing()
        self.cell_detail.setMinimumHeight(3 * lines + 8)
        self.cell_detail.text_label.setAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        )
        layout.addWidget(self.cell_detail)

        self.identifier_notes = FieldFindings("identifiers")
        layout.addWidget(self.identifier_notes)
        self.banner = MobileIdsBanner()
        self.banner.turnOnRequested.connect(lambda: self._set_send_mobile_ids(True))
        self.banner.hide()
        layout.addWidget(self.banner)
        self.destination_notes = _secondary_label()
        self.destination_notes.setTextFormat(Qt.TextFormat.RichText)
        self.destination_notes.setAccessibleName("Notes about the destination")
        layout.addWidget(self.destination_notes)
        layout.addStretch(1)

    def _build_setup_choice(self) -> QWidget:
        box = QGroupBox("Setup")
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(10)
        self.default_radio = QRadioButton("&Default Setup")
        self.default_radio.setAccessibleName("Default Setup")
        self.default_explanation = _secondary_label()
        self.customized_radio = QRadioButton("C&ustomized Setup")
        self.customized_radio.setAccessibleName("Customized Setup")
        self.customized_explanation = _secondary_label()
        self.setup_group = QButtonGroup(self)
        self.setup_group.addButton(self.default_radio)
        self.setup_group.addButton(self.customized_radio)
        self.default_radio.toggled.connect(self._on_setup_toggled)
        top = Qt.AlignmentFlag.AlignTop
        # Line the explanation's first line up with the radio button's text.
        offset = max(0, (self.default_radio.sizeHint().height() - self.fontMetrics().height()) // 2)
        for label in (self.default_explanation, self.customized_explanation):
            label.setContentsMargins(0, offset, 0, 0)
        grid.addWidget(self.default_radio, 0, 0, top)
        grid.addWidget(self.default_explanation, 0, 1, top)
        grid.addWidget(self.customized_radio, 1, 0, top)
        grid.addWidget(self.customized_explanation, 1, 1, top)
        grid.setColumnStretch(1, 1)
        return box

    def _build_connection_settings(self) -> QWidget:
        box = QGroupBox("Connection settings")
        layout = QVBoxLayout(box)
        layout.setSpacing(2)
        self.send_mobile_ids_checkbox = QCheckBox("Send &Mobile IDs")
        self.send_mobile_ids_checkbox.setAccessibleName("Send Mobile IDs")
        self.send_mobile_ids_checkbox.toggled.connect(self._on_send_mobile_ids_toggled)
        self.send_mobile_ids_explanation = _secondary_label()
        self.send_mobile_ids_explanation.setContentsMargins(INDENT, 0, 0, 0)
        layout.addWidget(self.send_mobile_ids_checkbox, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.send_mobile_ids_explanation)
        layout.addStretch(1)
        return box

    def _build_row_buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        self.add_button = QPushButton("+ &Add Identifier")
        self.add_button.setAccessibleName("Add identifier")
        self.add_button.setToolTip("Add an identifier row (Insert in the table)")
        self.remove_button = QPushButton("&Remove")
        self.remove_button.setAccessibleName("Remove identifier")
        self.remove_button.setToolTip("Remove the selected row (Delete in the table)")
        self.move_up_button = QPushButton("Move u&p")
        self.move_up_button.setAccessibleName("Move identifier up")
        self.move_up_button.setToolTip("Move the selected row up (Ctrl+Shift+Up)")
        self.move_down_button = QPushButton("Move do&wn")
        self.move_down_button.setAccessibleName("Move identifier down")
        self.move_down_button.setToolTip("Move the selected row down (Ctrl+Shift+Down)")
        self.add_button.clicked.connect(self.add_identifier)
        self.remove_button.clicked.connect(self.remove_current)
        self.move_up_button.clicked.connect(lambda: self.move_current(-1))
        self.move_down_button.clicked.connect(lambda: self.move_current(1))
        for button in (
            self.add_button,
            self.remove_button,
            self.move_up_button,
            self.move_down_button,
        ):
            buttons.addWidget(button)
        return buttons

    def _build_custom_identifiers(self) -> QWidget:
        box = QGroupBox("Identifiers of the space")
        layout = QVBoxLayout(box)
        layout.setSpacing(4)
        row = QHBoxLayout()
        label = QLabel("&Custom identifiers")
        self.custom_identifiers_edit = QLineEdit()
        self.custom_identifiers_edit.setAccessibleName("Custom identifiers")
        self.custom_identifiers_edit.setPlaceholderText("e.g. phone, loyalty_id")
        self.custom_identifiers_edit.setClearButtonEnabled(True)
        self.custom_identifiers_edit.editingFinished.connect(self._commit_custom_identifiers)
        label.setBuddy(self.custom_identifiers_edit)
        row.addWidget(label)
        row.addWidget(self.custom_identifiers_edit, 1)
        hint = _secondary_label(
            "Identifier types your space's Identity Resolution settings add to the "
            "defaults, separated by commas. They are offered in the Segment identifier list."
        )
        layout.addLayout(row)
        layout.addWidget(hint)
        layout.addStretch(1)
        return box

    def _build_actions(self) -> None:
        def action(
            text: str,
            keys: QKeySequence,
            slot: Callable[[], None],
            owner: QWidget,
            context: Qt.ShortcutContext,
        ) -> QAction:
            act = QAction(text, owner)
            act.setShortcut(keys)
            act.setShortcutContext(context)
            act.triggered.connect(slot)
            owner.addAction(act)
            return act

        in_table = Qt.ShortcutContext.WidgetShortcut
        on_page = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.add_action = action(
            "Add identifier",
            QKeySequence(Qt.Key.Key_Insert),
            self.add_identifier,
            self.table,
            in_table,
        )
        self.remove_action = action(
            "Remove identifier",
            QKeySequence(QKeySequence.StandardKey.Delete),
            self.remove_current,
            self.table,
            in_table,
        )
        self.move_up_action = action(
            "Move identifier up",
            QKeySequence("Ctrl+Shift+Up"),
            lambda: self.move_current(-1),
            self,
            on_page,
        )
        self.move_down_action = action(
            "Move identifier down",
            QKeySequence("Ctrl+Shift+Down"),
            lambda: self.move_current(1),
            self,
            on_page,
        )
        self.table.installEventFilter(self)
        selection = self.table.selectionModel()
        selection.currentChanged.connect(lambda *_: self._update_row_buttons())
        selection.currentChanged.connect(lambda *_: self._show_cell_detail())

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [
            self.default_radio,
            self.customized_radio,
            self.send_mobile_ids_checkbox,
            self.custom_identifiers_edit,
            self.table,
            # The current cell's one-click fix, one Tab from the cell it fixes.
            self.cell_detail.fix_button,
            self.add_button,
            self.remove_button,
            self.move_up_button,
            self.move_down_button,
            self.banner.turn_on_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- following the document ---------------------------------------------------------

    def _on_document_changed(self, _before: IdSyncDocument, after: IdSyncDocument) -> None:
        self._sync(after)

    def _sync(self, doc: IdSyncDocument) -> None:
        spec = self._destination_spec(doc)
        customized = doc.setup is Setup.CUSTOMIZED
        self._syncing = True
        try:
            self.default_radio.setChecked(not customized)
            self.customized_radio.setChecked(customized)
            self.send_mobile_ids_checkbox.setChecked(doc.send_mobile_ids)
        finally:
            self._syncing = False

        name = (
            spec.name
            if spec is not None
            else (doc.destination.name or doc.destination.slug if doc.destination else "")
        )
        self.header.description.setText(
            f"Choose which identifiers Segment sends to {name}, as which destination "
            f"field, and which of each profile's values."
            if name
            else "Choose which identifiers Segment sends to the destination, as which "
            "destination field, and which of each profile's values."
        )
        self.default_explanation.setText(self._default_explanation(spec))
        self.customized_explanation.setText(
            f"You choose up to {MAX_ROWS} identifiers, the destination field each one fills "
            f"and which values are sent; at most {MAX_ALL_ROWS} rows may send all values."
        )

        self.table.setEnabled(customized)
        self.add_button.setEnabled(customized and len(doc.identifiers) < MAX_ROWS)
        self.add_button.setToolTip(
            "Add an identifier row (Insert in the table)"
            if len(doc.identifiers) < MAX_ROWS
            else f"Segment accepts at most {MAX_ROWS} identifiers; remove one to add another."
        )
        self.add_action.setEnabled(self.add_button.isEnabled())
        self.add_action.setToolTip(
            self.add_button.toolTip()
            if customized
            else "Default Setup sends no rows of its own; choose Customized Setup"
        )
        self._update_row_buttons()
        self.table.set_placeholder_text(
            "No identifiers yet. Press “+ Add Identifier” to add the first one."
            if customized
            else "Default Setup sends what Segment chooses. Choose Customized Setup to "
            "list your own identifiers."
        )
        self.row_counter.setText(self._counter_text(doc))
        # Default Setup sends none of the kept rows: they cannot be over a limit.
        self._counter_over = customized and (
            len(doc.identifiers) > MAX_ROWS or self._using_all(doc) > MAX_ALL_ROWS
        )
        self._style_counter()
        self._show_cell_detail()

        self.send_mobile_ids_checkbox.setEnabled(
            doc.send_mobile_ids or spec is None or spec.supports_mobile_ids
        )
        self.send_mobile_ids_explanation.setText(self._mobile_explanation(spec))
        mobile_ad_ids = self._catalog.mobile_ad_ids()
        mobile_rows = [row.segment for row in doc.identifiers if row.segment in mobile_ad_ids]
        unique_mobile = list(dict.fromkeys(mobile_rows))
        needs_setting = spec is None or spec.send_mobile_ids_setting
        self.banner.show_for(
            unique_mobile if customized and not doc.send_mobile_ids and needs_setting else []
        )

        if parse_identifier_list(self.custom_identifiers_edit.text()) != doc.custom_identifiers:
            self.custom_identifiers_edit.setText(", ".join(doc.custom_identifiers))

        notes = (*spec.constraints.notes, *spec.notes) if spec is not None else ()
        self.destination_notes.setVisible(bool(notes))
        self.destination_notes.setText(
            f"<b>{_escape(spec.name)}:</b> " + " ".join(_escape(n) for n in notes)
            if spec is not None and notes
            else ""
        )

    def _show_findings(self, findings: list[Finding]) -> None:
        """Findings about the identifiers as a whole (not one cell) go under the table."""
        general = [
            f
            for f in sort_findings(findings)
            if f.row is None and (f.area is Area.IDENTIFIERS or f.field == "send_mobile_ids")
        ]
        self.identifier_notes.set_findings(general)
        self._show_cell_detail()

    def _show_cell_detail(self) -> None:
        """The current cell's findings in full, where the keyboard can read them."""
        index = self.table.currentIndex()
        if not self._customized():
            self.cell_detail.show_findings([], DEFAULT_SETUP_HINT)
            self.table.setAccessibleDescription(TABLE_DESCRIPTION)
            return
        if not index.isValid():
            self.cell_detail.show_findings([])
            self.table.setAccessibleDescription(TABLE_DESCRIPTION)
            return
        self.cell_detail.show_findings(self.model.findings_at(index), CELL_HINT)
        # Screen readers hear the current cell's findings with the table, as they are
        # shown under it.
        self.table.setAccessibleDescription(self.cell_detail.accessibleDescription())

    def _apply_fix(self, fix: FindingFix) -> None:
        self._controller.edit(
            apply_fix(self._controller.document, fix), f"{fix.label} in row {fix.row + 1}"
        )
        index = self.model.index(fix.row, column_for_field(fix.field))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.table.setCurrentIndex(index)

    def _update_row_buttons(self) -> None:
        customized = self._customized()
        row = self.current_row()
        count = self.model.rowCount()
        has_row = customized and row is not None and row < count
        self.remove_button.setEnabled(has_row)
        self.move_up_button.setEnabled(has_row and row is not None and row > 0)
        self.move_down_button.setEnabled(has_row and row is not None and row < count - 1)
        self.remove_action.setEnabled(self.remove_button.isEnabled())
        self.move_up_action.setEnabled(self.move_up_button.isEnabled())
        self.move_down_action.setEnabled(self.move_down_button.isEnabled())
        # Said in the status bar when the shortcut of a disabled action is pressed.
        if not customized:
            why = "Default Setup sends no rows of its own; choose Customized Setup"
        elif not has_row:
            why = "select a row first"
        else:
            why = ""
        self.remove_action.setToolTip(why or "Remove the selected row")
        self.move_up_action.setToolTip(why or "the first row cannot move up")
        self.move_down_action.setToolTip(why or "the last row cannot move down")

    # -- edits from the controls --------------------------------------------------------

    def _on_setup_toggled(self, default_checked: bool) -> None:
        if self._syncing:
            return
        setup = Setup.DEFAULT if default_checked else Setup.CUSTOMIZED
        doc = self._controller.document
        if doc.setup is not setup:
            self._controller.edit(choose_setup(doc, setup, self._catalog), f"Choose {setup.label}")

    def _on_send_mobile_ids_toggled(self, checked: bool) -> None:
        if not self._syncing:
            self._set_send_mobile_ids(checked)

    def _set_send_mobile_ids(self, on: bool) -> None:
        doc = self._controller.document
        if doc.send_mobile_ids != on:
            self._controller.edit(
                set_send_mobile_ids(doc, on),
                "Turn on Send Mobile IDs" if on else "Turn off Send Mobile IDs",
            )

    def _commit_custom_identifiers(self) -> None:
        doc = self._controller.document
        wanted = parse_identifier_list(self.custom_identifiers_edit.text())
        if wanted != doc.custom_identifiers:
            self._controller.edit(
                set_custom_identifiers(doc, wanted), "Change custom identifiers"
            )
        self.custom_identifiers_edit.setText(
            ", ".join(self._controller.document.custom_identifiers)
        )

    # -- helpers -----------------------------------------------------------------------

    def _customized(self) -> bool:
        return self._controller.document.setup is Setup.CUSTOMIZED

    def _checked_setup_radio(self) -> QRadioButton:
        return self.customized_radio if self._customized() else self.default_radio

    def _destination_spec(self, doc: IdSyncDocument) -> DestinationSpec | None:
        return self._catalog.destination(doc.destination.slug) if doc.destination else None

    def _reveal(self, widget: QWidget) -> None:
        self._scroll.ensureWidgetVisible(widget)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _style_counter(self) -> None:
        """Over a limit, the counter turns into a warning: error colour, icon, words."""
        over = self._counter_over
        palette = self.row_counter.palette()
        wanted = (
            severity_color(Severity.ERROR, QGuiApplication.palette())
            if over
            else QGuiApplication.palette().color(QPalette.ColorRole.WindowText)
        )
        if palette.color(QPalette.ColorRole.WindowText) != wanted:
            palette.setColor(QPalette.ColorRole.WindowText, wanted)
            self.row_counter.setPalette(palette)
        font = self.row_counter.font()
        if font.bold() != over:
            font.setBold(over)
            self.row_counter.setFont(font)
        if over:
            side = self.row_counter.fontMetrics().height()
            self.row_counter_icon.setPixmap(severity_icon(Severity.ERROR).pixmap(side, side))
        self.row_counter_icon.setVisible(over)
        self.row_counter.setAccessibleDescription(
            "Over Segment's limit: change or remove rows" if over else ""
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A disabled action's key would otherwise scroll the page or do nothing visible.
        if (
            watched is self.table
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
        ):
            pressed = QKeySequence(event.keyCombination())
            for action in self.actions_with_shortcuts():
                if not action.isEnabled() and pressed in action.shortcuts():
                    self.shortcutRefused.emit(action)
                    return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        changed = event.type() in (
            QEvent.Type.PaletteChange,
            QEvent.Type.ApplicationPaletteChange,
        )
        if changed and hasattr(self, "row_counter_icon"):  # not while being built
            self._style_counter()

    @staticmethod
    def _using_all(doc: IdSyncDocument) -> int:
        return sum(1 for row in doc.identifiers if row.strategy is Strategy.ALL)

    @classmethod
    def _counter_text(cls, doc: IdSyncDocument) -> str:
        rows = len(doc.identifiers)
        if doc.setup is Setup.DEFAULT:
            kept = f"{rows} kept, not sent" if rows else "none of your own"
            return f"Default Setup: identifiers chosen by Segment · {kept}"
        using_all = cls._using_all(doc)

        def over(count: int, limit: int) -> str:
            return f" ({count - limit} too many)" if count > limit else ""

        return (
            f"{rows} of {MAX_ROWS} identifiers{over(rows, MAX_ROWS)} · "
            f"{using_all} of {MAX_ALL_ROWS} using All{over(using_all, MAX_ALL_ROWS)}"
        )

    @staticmethod
    def _default_explanation(spec: DestinationSpec | None) -> str:
        return f"Segment chooses: it sends {default_setup_sends(spec)}."

    @staticmethod
    def _mobile_explanation(spec: DestinationSpec | None) -> str:
        text = (
            "Segment sends ios.idfa and android.idfa values only when this is on. It belongs "
            "to the destination's connection settings in Segment."
        )
        if spec is not None and not spec.supports_mobile_ids:
            text += f" {spec.name} is not known to accept mobile advertising IDs."
        return text


class _SecondaryLabel(QLabel):
    """Explanations: wrapped, selectable, in the palette's secondary text colour, which
    follows a switch between light and dark."""

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._tint()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ApplicationPaletteChange:
            self._tint()

    def _tint(self) -> None:
        palette = self.palette()
        wanted = secondary_text_color(QGuiApplication.palette())
        if palette.color(QPalette.ColorRole.WindowText) != wanted:
            palette.setColor(QPalette.ColorRole.WindowText, wanted)
            self.setPalette(palette)


def _secondary_label(text: str = "") -> QLabel:
    return _SecondaryLabel(text)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
