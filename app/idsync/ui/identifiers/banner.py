"""The warning strip shown above the table when mobile IDs are chosen but not sent."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from idsync.core.findings import Severity
from idsync.ui.severity_style import severity_icon, severity_tint


class MobileIdsBanner(QFrame):
    """Says which rows hold mobile advertising IDs that Segment will not send, and
    offers to turn Send Mobile IDs on."""

    turnOnRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mobileIdsBanner")
        self.setAccessibleName("Send Mobile IDs warning")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._icon = QLabel(self)
        self._icon.setPixmap(severity_icon(Severity.WARNING).pixmap(24, 24))
        self._icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.turn_on_button = QPushButton("Turn on Send Mobile IDs", self)
        self.turn_on_button.setAccessibleName("Turn on Send Mobile IDs")
        self.turn_on_button.clicked.connect(self.turnOnRequested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(12)
        layout.addWidget(self._icon)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.turn_on_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self._apply_palette()

    def show_for(self, identifiers: Sequence[str]) -> None:
        """Show the warning for these mobile identifiers, or hide it when there are none."""
        if not identifiers:
            self.hide()
            return
        names = " and ".join(identifiers)
        them = "it" if len(identifiers) == 1 else "them"
        self.message.setText(
            f"Send Mobile IDs is off, so Segment will not send {names} even though the "
            f"table lists {them}. Turn on Send Mobile IDs, here and in the destination's "
            f"connection settings in Segment, or remove the {names} row."
        )
        self.setAccessibleDescription(self.message.text())
        self.show()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()

    def _apply_palette(self) -> None:
        # Blend from the application palette, not our own (which the style sheet sets).
        fill = severity_tint(Severity.WARNING, None, QPalette.ColorRole.Window)
        edge = severity_tint(Severity.WARNING, None, QPalette.ColorRole.Mid)
        style = (
            f"QFrame#mobileIdsBanner {{ background-color: {fill.name()}; "
            f"border: 1px solid {edge.name()}; border-radius: 6px; }}"
        )
        if self.styleSheet() != style:
            self.setStyleSheet(style)
