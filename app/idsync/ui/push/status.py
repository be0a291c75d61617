"""One line that says what a network step is doing: busy, done, or failed with Retry.

State is always said in words ("Loading…", "Error:"), never by colour or a spinner alone.
"""

from __future__ import annotations

import html
from enum import Enum

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from idsync.core.findings import Severity
from idsync.ui.severity_style import severity_word


class StatusKind(str, Enum):
    IDLE = "idle"
    BUSY = "busy"
    OK = "ok"
    ERROR = "error"


class StatusLine(QWidget):
    retryRequested = Signal()

    def __init__(self, name: str, *, stacked: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        layout = QHBoxLayout()
        outer.addLayout(layout)
        self.busy = QProgressBar()
        self.busy.setObjectName(f"{name}Busy")
        self.busy.setRange(0, 0)  # indeterminate: the API gives no total
        self.busy.setTextVisible(False)
        self.busy.setFixedWidth(64)
        self.busy.setMaximumHeight(12)
        self.busy.setAccessibleName("Working")
        self.busy.setVisible(False)
        self.label = QLabel()
        self.label.setObjectName(f"{name}Text")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.retry_button = QPushButton("Retry")
        self.retry_button.setObjectName(f"{name}Retry")
        self.retry_button.setAutoDefault(False)
        self.retry_button.setVisible(False)
        self.retry_button.clicked.connect(self.retryRequested)
        layout.addWidget(self.busy, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)
        if stacked:
            outer.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignLeft)
        else:
            layout.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignTop)
        self.kind = StatusKind.IDLE
        self._plain = ""

    @property
    def text(self) -> str:
        """The message as plain text (what a screen reader gets)."""
        return self._plain

    def clear(self) -> None:
        self._show(StatusKind.IDLE, "", "")

    def set_busy(self, message: str) -> None:
        self._show(StatusKind.BUSY, message, html.escape(message))

    def set_ok(self, message: str) -> None:
        self._show(StatusKind.OK, message, html.escape(message))

    def set_error(self, message: str, *, retry: bool = True) -> None:
        word = severity_word(Severity.ERROR, self.palette(), "Error:")
        rich = f"{word} {html.escape(message)}"
        self._show(StatusKind.ERROR, f"Error: {message}", rich, retry=retry)

    def _show(self, kind: StatusKind, plain: str, rich: str, *, retry: bool = False) -> None:
        self.kind = kind
        self._plain = plain
        self.label.setText(rich)
        self.label.setAccessibleName(plain)
        self.busy.setVisible(kind is StatusKind.BUSY)
        self.retry_button.setVisible(kind is StatusKind.ERROR and retry)
        self.setVisible(kind is not StatusKind.IDLE)
