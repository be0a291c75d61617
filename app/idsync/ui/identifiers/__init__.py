"""The Event settings step: identifier table model, combo delegate and the page."""

from idsync.ui.identifiers.delegate import IdentifierDelegate
from idsync.ui.identifiers.page import EventSettingsPage
from idsync.ui.identifiers.table_model import FINDINGS_ROLE, IdentifierTableModel

__all__ = ["FINDINGS_ROLE", "EventSettingsPage", "IdentifierDelegate", "IdentifierTableModel"]
