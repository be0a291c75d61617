"""Help > About: version, licence, links, and the folders where the app keeps its files."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Final

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from idsync import APP_NAME, HOMEPAGE, LICENSE, __version__
from idsync.storage.paths import config_dir, history_database, state_dir
from idsync.ui.app_icon import app_icon
from idsync.ui.theme import heading_font

ID_SYNC_DOCS: Final = "https://segment.com/docs/engage/trait-activation/id-sync/"
PUBLIC_API_DOCS: Final = "https://docs.segmentapis.com/tag/Activations"
SUMMARY: Final = (
    "Draft, check, review and push Segment Engage ID Sync settings: which profile "
    "identifiers are sent to a destination, under which field, with which strategy."
)
_SELECTABLE: Final = (
    Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
)


def kept_folders() -> list[tuple[str, Path]]:
    """What the About box lists, in this order."""
    return [
        ("Settings", config_dir()),
        ("Recovery files", state_dir()),
        ("History", history_database()),
    ]


def _label(text: str, name: str, *, rich: bool = False, wrap: bool = False) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    flags = _SELECTABLE
    if rich:
        flags |= Qt.TextInteractionFlag.LinksAccessibleByMouse
        flags |= Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        label.setOpenExternalLinks(True)
    label.setTextInteractionFlags(flags)
    label.setWordWrap(wrap)
    return label


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(f"About {APP_NAME}")

        icon = QLabel()
        icon.setObjectName("aboutIcon")
        icon.setPixmap(app_icon().pixmap(64, 64))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.name_label = _label(APP_NAME, "aboutName")
        self.name_label.setFont(heading_font(self.font()))
        self.version_label = _label(f"Version {__version__}", "aboutVersion")
        self.license_label = _label(f"Licence: {LICENSE}", "aboutLicence")
        self.summary_label = _label(SUMMARY, "aboutSummary", wrap=True)
        # Wrapped text in a dialog gets as narrow as Qt can make it: give it a reading width.
        self.summary_label.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)

        links = [
            (f"{HOMEPAGE}#readme", f"{APP_NAME} documentation (README)"),
            (ID_SYNC_DOCS, "Segment: ID Sync documentation"),
            (PUBLIC_API_DOCS, "Segment Public API: Activations"),
        ]
        self.links_label = _label(
            "<br>".join(f'<a href="{escape(url)}">{escape(text)}</a>' for url, text in links),
            "aboutLinks",
            rich=True,
        )

        heading = _label("Where your files are kept", "aboutFoldersHeading")
        heading.setFont(heading_font(self.font(), 1.1))
        folders = QFormLayout()
        folders.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.folder_labels: dict[str, QLabel] = {}
        for title, path in kept_folders():
            value = _label(str(path), f"aboutFolder-{title}")
            value.setToolTip(str(path))
            self.folder_labels[title] = value
            folders.addRow(_label(f"{title}:", f"aboutFolderTitle-{title}"), value)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)

        text = QVBoxLayout()
        text.addWidget(self.name_label)
        text.addWidget(self.version_label)
        text.addSpacing(6)
        text.addWidget(self.summary_label)
        text.addSpacing(6)
        text.addWidget(self.license_label)
        text.addWidget(self.links_label)
        text.addSpacing(10)
        text.addWidget(heading)
        text.addLayout(folders)
        top = QHBoxLayout()
        top.setSpacing(16)
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(8)
        layout.addWidget(buttons)
        self.close_button.setFocus()
