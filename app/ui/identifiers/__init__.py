"""The Event settings step: identifier table model, combo delegate and the page."""

from app.ui.identifiers.delegate import IdentifierDelegate
from app.ui.identifiers.page import EventSettingsPage
from app.ui.identifiers.table_model import FINDINGS_ROLE, IdentifierTableModel

__all__ = ["FINDINGS_ROLE", "EventSettingsPage", "IdentifierDelegate", "IdentifierTableModel"]
