"""Small widgets shared by the step pages."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from idsync.core.findings import Finding, sort_findings
from idsync.ui.finding_detail import basis_html
from idsync.ui.severity_style import severity_icon, severity_word
from idsync.ui.theme import heading_font, monospace_font, secondary_text_color


class PageHeader(QWidget):
    """A step's title and one line saying what the step is for."""

    def __init__(self, title: str, description: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        layout.setSpacing(4)
        self.title = QLabel(title)
        self.title.setFont(heading_font(self.font()))
        self.title.setAccessibleName(f"{title} step")
        self.description = QLabel(description)
        self.description.setWordWrap(True)
        palette = self.description.palette()
        palette.setColor(QPalette.ColorRole.WindowText, secondary_text_color(self.palette()))
        self.description.setPalette(palette)
        layout.addWidget(self.title)
        layout.addWidget(self.description)


class FieldFindings(QLabel):
    """The findings about one field, shown right under it; hidden when there are none."""

    def __init__(self, field_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"findings:{field_name}")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setOpenExternalLinks(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setVisible(False)
        self._findings: list[Finding] = []

    @property
    def findings(self) -> list[Finding]:
        return list(self._findings)

    def set_findings(self, findings: list[Finding]) -> None:
        self._findings = sort_findings(findings)
        if not self._findings:
            self.clear()
            self.setAccessibleName("")
            self.setVisible(False)
            return
        lines = []
        for finding in self._findings:
            word = severity_word(finding.severity, self.palette(), f"{finding.severity.label}:")
            lines.append(
                f"{word} {html.escape(finding.message)} <i>{basis_html(finding)}</i>"
            )
        self.setText("<br>".join(lines))
        self.setAccessibleName(" ".join(f.message for f in self._findings))
        self.setVisible(True)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._findings:
            # Severity colours are picked for the palette: pick again after a theme switch.
            self.set_findings(self._findings)


def mark_line_edit(edit: QLineEdit, findings: list[Finding]) -> None:
    """Put the worst finding's icon inside the field, with the messages as its tooltip."""
    for action in edit.actions():
        if action.objectName() == "findingMark":
            edit.removeAction(action)
    if not findings:
        edit.setToolTip("")
        return
    worst = sort_findings(findings)[0]
    action = QAction(severity_icon(worst.severity, edit.palette()), worst.message, edit)
    action.setObjectName("findingMark")
    edit.addAction(action, QLineEdit.ActionPosition.TrailingPosition)
    edit.setToolTip("\n".join(f.message for f in sort_findings(findings)))


class CodeView(QWidget):
    """Read-only monospace text with a caption, a note line, Copy and (optionally) Export."""

    exportRequested = Signal()

    def __init__(
        self, name: str, *, export_label: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setVisible(False)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setFont(monospace_font())
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        # Tab moves on to the buttons instead of being swallowed by the editor.
        self.text.setTabChangesFocus(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.copy_button = QPushButton("Copy")
        self.copy_button.setObjectName(f"{name}Copy")
        self.copy_button.clicked.connect(self.copy)
        buttons.addWidget(self.copy_button)
        self.export_button: QPushButton | None = None
        if export_label:
            self.export_button = QPushButton(export_label)
            self.export_button.setObjectName(f"{name}Export")
            self.export_button.clicked.connect(self.exportRequested)
            buttons.addWidget(self.export_button)
        layout.addWidget(self.note)
        layout.addWidget(self.text, 1)
        layout.addLayout(buttons)

    def set_accessible_label(self, label: str) -> None:
        self.text.setAccessibleName(label)
        self.copy_button.setAccessibleName(f"Copy {label}")
        if self.export_button is not None:
            self.export_button.setAccessibleName(f"Export {label}")

    def set_content(self, text: str, note: str = "", available: bool = True) -> None:
        """Show ``text``; with ``available`` False the text is an explanation, not code."""
        if self.text.toPlainText() != text:
            self.text.setPlainText(text)
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.copy_button.setEnabled(available)
        if self.export_button is not None:
            self.export_button.setEnabled(available)
        self.text.setLineWrapMode(
            QPlainTextEdit.LineWrapMode.NoWrap if available
            else QPlainTextEdit.LineWrapMode.WidgetWidth
        )

    def copy(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.text.toPlainText())

    def sizeHint(self) -> QSize:
        return QSize(480, 240)
