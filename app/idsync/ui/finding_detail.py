"""The findings of one place (the current cell, the chosen finding) in full: severity,
code, message, whether it is a Segment limit or a house rule with a link to its source,
and the one-click fix when the rule offers one.

Keyboard users read it here: a cell's tooltip appears only under the mouse.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QWidget,
)

from idsync.core.findings import Finding, FindingFix, sort_findings, source_title
from idsync.ui.focus_ring import LinkLabel
from idsync.ui.severity_style import severity_word
from idsync.ui.theme import secondary_text_color


def _link(url: str) -> str:
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(source_title(url))}</a>'


def basis_html(finding: Finding) -> str:
    """'Segment limit (Segment's docs)' or 'Segment recommendation (…)' with the source
    linked, or 'House rule', and the page behind the fact it applies when there is one."""
    if finding.is_house_rule:
        text = "House rule (this app's own check)"
    else:
        text = f"{html.escape(finding.basis)} ({_link(finding.source)})"
    if finding.reference:
        text += f"; the field's meaning: {_link(finding.reference)}"
    return text


class FindingDetail(QFrame):
    """Emits ``fixRequested(FindingFix)`` when its fix button is pressed."""

    fixRequested = Signal(object)

    def __init__(
        self, object_name: str, placeholder: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        # Shown when there is nothing to say, so the pane keeps its place (a list above
        # it does not jump between clicks); empty hides the pane instead.
        self._placeholder = placeholder
        self.setObjectName(object_name)
        self.text_label = LinkLabel()
        self.text_label.setObjectName(f"{object_name}:text")
        self.text_label.setWordWrap(True)
        self.text_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.text_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # A wrapped label's own minimum assumes a narrow column (several lines for one
        # sentence); its height for the width it really gets is what the layout should use.
        self.text_label.setMinimumSize(1, 1)
        # As tall as its text: a list above it keeps the room it does not need.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.fix_button = QPushButton()
        self.fix_button.setObjectName(f"{object_name}:fix")
        self.fix_button.setAccessibleName("Apply the suggested fix")
        self.fix_button.setVisible(False)
        self.fix_button.clicked.connect(self._on_fix)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(12)
        layout.addWidget(self.text_label, 1)
        layout.addWidget(self.fix_button, 0, Qt.AlignmentFlag.AlignTop)
        self._findings: list[Finding] = []
        self._hint = ""
        self._fix: FindingFix | None = None

    @property
    def fix(self) -> FindingFix | None:
        return self._fix

    def reserve_lines(self, lines: int) -> None:
        """Keep the pane as tall as ``lines`` lines of text whatever it shows, so a list
        above it never moves between a click and the next (a longer text scrolls)."""
        layout = self.layout()
        assert layout is not None
        scroll = QScrollArea()
        scroll.setObjectName(f"{self.objectName()}:scroll")
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The text inside takes the focus (its links); the area itself is no tab stop.
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.removeWidget(self.text_label)
        scroll.setWidget(self.text_label)
        assert isinstance(layout, QHBoxLayout)
        layout.insertWidget(0, scroll, 1)
        layout.setContentsMargins(0, 2, 0, 2)
        text_height = lines * self.fontMetrics().lineSpacing() + 4
        scroll.setFixedHeight(text_height)
        self.setFixedHeight(text_height + 4)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def show_findings(self, findings: Sequence[Finding], hint: str = "") -> None:
        self._findings = sort_findings(list(findings))
        self._hint = hint
        self._fix = next((f.fix for f in self._findings if f.fix is not None), None)
        self._render()

    def _render(self) -> None:
        parts = []
        for finding in self._findings:
            parts.append(
                f"{severity_word(finding.severity, self.palette())} "
                f"{html.escape(finding.code)}: {html.escape(finding.message)} "
                f"<i>{basis_html(finding)}</i>"
            )
        muted = secondary_text_color(self.palette()).name()
        hint = self._hint or ("" if self._findings else self._placeholder)
        if hint:
            parts.append(f'<span style="color:{muted}">{html.escape(hint)}</span>')
        self.text_label.setText("<br>".join(parts))
        description = " ".join(
            f"{f.severity.label} {f.code}: {f.message} {f.basis}." for f in self._findings
        )
        self.text_label.setAccessibleName(description or hint)
        self.setAccessibleDescription(" ".join(p for p in (description, hint) if p))
        if self._fix is not None:
            self.fix_button.setText(self._fix.label)
            self.fix_button.setAccessibleName(
                f"{self._fix.label} in row {self._fix.row + 1}"
            )
        self.fix_button.setVisible(self._fix is not None)
        self.setVisible(bool(parts))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._render()

    def _on_fix(self) -> None:
        if self._fix is not None:
            self.fixRequested.emit(self._fix)
