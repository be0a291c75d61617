"""Step 1, Target: the audience or journey step the ID Sync belongs to, and the document's name."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from idsync.core.editing import choose_target_kind, set_name, set_notes, set_target_field
from idsync.core.findings import Area, Finding
from idsync.core.model import IdSyncDocument, JourneyTarget
from idsync.ui.controller import DocumentController
from idsync.ui.widgets import FieldFindings, PageHeader, mark_line_edit

# Fields of the target, in the order they are shown: (document field, label, accessible
# description, placeholder).
_TARGET_FIELDS = (
    ("target.space_id", "Spa&ce id", "The Engage space's id", "e.g. spa_9f2KxQe7LmN3"),
    ("target.audience_id", "&Audience id", "The audience's id in the space",
     "e.g. aud_2bLq8TtW5vYx"),
    ("target.journey_id", "&Journey id", "The journey's id in the space",
     "e.g. jou_7Rk1mPz0QaS4"),
    ("target.step", "S&tep", "The id or name of the journey step that sends to the destination",
     "e.g. Send to Facebook"),
)


class TargetPage(QWidget):
    """Every keystroke is an edit; consecutive keystrokes in one field are one undo step."""

    def __init__(self, controller: DocumentController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("targetPage")
        self._controller = controller
        self._syncing = False

        header = PageHeader(
            "Target",
            "Where this ID Sync applies: an audience, or a step of a journey, in an Engage space.",
        )

        kind_box = QGroupBox("Sync from")
        self.audience_radio = QRadioButton("A&udience")
        self.audience_radio.setObjectName("audienceRadio")
        self.audience_radio.setAccessibleName("Target an audience")
        self.journey_radio = QRadioButton("Journey ste&p")
        self.journey_radio.setObjectName("journeyRadio")
        self.journey_radio.setAccessibleName("Target a journey step")
        self._kind_group = QButtonGroup(self)
        self._kind_group.addButton(self.audience_radio)
        self._kind_group.addButton(self.journey_radio)
        kind_row = QHBoxLayout(kind_box)
        kind_row.addWidget(self.audience_radio)
        kind_row.addWidget(self.journey_radio)
        kind_row.addStretch(1)
        self.audience_radio.clicked.connect(lambda: self._choose_kind("audience"))
        self.journey_radio.clicked.connect(lambda: self._choose_kind("journey"))

        ids_box = QGroupBox("Ids in Segment")
        self._ids_form = QFormLayout(ids_box)
        self.fields: dict[str, QLineEdit] = {}
        self.field_findings: dict[str, FieldFindings] = {}
        self._labels: dict[str, QLabel] = {}
        for field, label, description, placeholder in _TARGET_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(field)
            edit.setPlaceholderText(placeholder)
            edit.setAccessibleName(label.replace("&", ""))
            edit.setAccessibleDescription(description)
            edit.setClearButtonEnabled(True)
            edit.textEdited.connect(self._target_editor(field, label.replace("&", "").lower()))
            findings = FieldFindings(field)
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(edit)
            column.addWidget(findings)
            label_widget = QLabel(label)
            label_widget.setBuddy(edit)
            self._ids_form.addRow(label_widget, column)
            self.fields[field] = edit
            self.field_findings[field] = findings
            self._labels[field] = label_widget

        doc_box = QGroupBox("About this configuration")
        doc_form = QFormLayout(doc_box)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("name")
        self.name_edit.setAccessibleName("Configuration name")
        self.name_edit.setPlaceholderText("e.g. High-value customers → Facebook")
        self.name_edit.textEdited.connect(self._on_name_edited)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setObjectName("notes")
        self.notes_edit.setAccessibleName("Notes")
        self.notes_edit.setPlaceholderText("Why this configuration exists, who approved it…")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setMaximumHeight(self.fontMetrics().height() * 7)
        self.notes_edit.textChanged.connect(self._on_notes_changed)
        name_label = QLabel("&Name")
        name_label.setBuddy(self.name_edit)
        notes_label = QLabel("N&otes")
        notes_label.setBuddy(self.notes_edit)
        doc_form.addRow(name_label, self.name_edit)
        doc_form.addRow(notes_label, self.notes_edit)
        # One label column across both boxes, so the fields line up.
        labels = [*self._labels.values(), name_label, notes_label]
        label_width = max(form_label.sizeHint().width() for form_label in labels)
        for form_label in labels:
            form_label.setMinimumWidth(label_width)

        # The form scrolls rather than forcing a tall window; it keeps a readable width.
        content = QWidget()
        content.setMaximumWidth(880)
        column = QVBoxLayout(content)
        column.setContentsMargins(24, 20, 24, 20)
        column.addWidget(header)
        column.addWidget(kind_box)
        column.addWidget(ids_box)
        column.addWidget(doc_box)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Not a Tab stop of its own (it would show no focus): its controls are.
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        QWidget.setTabOrder(self.audience_radio, self.journey_radio)
        previous: QWidget = self.journey_radio
        for field, *_ in _TARGET_FIELDS:
            QWidget.setTabOrder(previous, self.fields[field])
            previous = self.fields[field]
        QWidget.setTabOrder(previous, self.name_edit)
        QWidget.setTabOrder(self.name_edit, self.notes_edit)

        controller.documentChanged.connect(self._on_document_changed)
        controller.findingsChanged.connect(self._show_findings)
        self._show_document(controller.document)
        self._show_findings(controller.findings)

    # --- edits ---------------------------------------------------------------------------

    def _target_editor(self, field: str, words: str) -> Callable[[str], None]:
        def edit(text: str) -> None:
            if self._syncing:
                return
            doc = self._controller.document
            self._controller.edit(set_target_field(doc, field, text), f"Edit {words}", field)

        return edit

    def _choose_kind(self, kind: str) -> None:
        doc = self._controller.document
        if doc.target.kind == kind:
            return
        if kind == "audience":
            self._controller.edit(choose_target_kind(doc, "audience"), "Target an audience")
        else:
            self._controller.edit(choose_target_kind(doc, "journey"), "Target a journey step")

    def _on_name_edited(self, text: str) -> None:
        if not self._syncing:
            doc = self._controller.document
            self._controller.edit(set_name(doc, text), "Edit name", "name")

    def _on_notes_changed(self) -> None:
        if self._syncing:
            return
        doc = self._controller.document
        text = self.notes_edit.toPlainText()
        self._controller.edit(set_notes(doc, text), "Edit notes", "notes")

    # --- showing the document -------------------------------------------------------------

    def _on_document_changed(self, _before: IdSyncDocument, after: IdSyncDocument) -> None:
        self._show_document(after)

    def _show_document(self, doc: IdSyncDocument) -> None:
        self._syncing = True
        try:
            journey = isinstance(doc.target, JourneyTarget)
            self.audience_radio.setChecked(not journey)
            self.journey_radio.setChecked(journey)
            values = {
                "target.space_id": doc.target.space_id,
                "target.audience_id": getattr(doc.target, "audience_id", ""),
                "target.journey_id": getattr(doc.target, "journey_id", ""),
                "target.step": getattr(doc.target, "step", ""),
            }
            visible = {
                "target.space_id": True,
                "target.audience_id": not journey,
                "target.journey_id": journey,
                "target.step": journey,
            }
            for field, edit in self.fields.items():
                # Only touch a field whose text differs, so the cursor stays put while typing.
                if edit.text() != values[field]:
                    edit.setText(values[field])
                self._ids_form.setRowVisible(self._labels[field], visible[field])
                # Showing a row shows every widget in it: keep a note with nothing to say
                # hidden (new findings are announced only when they differ).
                note = self.field_findings[field]
                note.setVisible(visible[field] and bool(note.findings))
            if self.name_edit.text() != doc.name:
                self.name_edit.setText(doc.name)
            if self.notes_edit.toPlainText() != doc.notes:
                self.notes_edit.setPlainText(doc.notes)
        finally:
            self._syncing = False

    def _show_findings(self, findings: list[Finding]) -> None:
        mine = [f for f in findings if f.area is Area.TARGET]
        for field, edit in self.fields.items():
            about = [f for f in mine if f.field == field]
            self.field_findings[field].set_findings(about)
            mark_line_edit(edit, about)

    # --- navigation -----------------------------------------------------------------------

    def focus_finding(self, finding: Finding) -> None:
        edit = self.fields.get(finding.field or "")
        if edit is None or not edit.isVisibleTo(self):
            edit = self.fields["target.space_id"]
        edit.setFocus()
        edit.selectAll()
