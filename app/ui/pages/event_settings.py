"""The Event settings step: the identifier table page, or a stand-in while it is missing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.core.catalog import Catalog
from app.core.findings import Finding
from app.ui.controller import DocumentController
from app.ui.widgets import PageHeader


class StepPage(Protocol):
    def focus_finding(self, finding: Finding) -> None: ...


class EventSettingsPlaceholder(QWidget):
    """Shown only in a build without the identifier table; says so instead of failing."""

    def __init__(
        self,
        controller: DocumentController,
        catalog: Catalog,
        remembered_identifiers: Callable[[], Sequence[str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("eventSettingsPlaceholder")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(
            PageHeader("Event settings", "Which identifiers are sent, under which field.")
        )
        note = QLabel("The identifier table is not available in this build.")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addStretch(1)

    def focus_finding(self, finding: Finding) -> None:
        self.setFocus()


def event_settings_page(
    controller: DocumentController,
    catalog: Catalog,
    remembered_identifiers: Callable[[], Sequence[str]],
    parent: QWidget | None = None,
) -> QWidget:
    try:
        from app.ui.identifiers import EventSettingsPage
    except ImportError:
        return EventSettingsPlaceholder(controller, catalog, remembered_identifiers, parent)
    page: QWidget = EventSettingsPage(controller, catalog, remembered_identifiers, parent)
    return page
