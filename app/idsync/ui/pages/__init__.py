"""The editor's step pages (the Event settings page lives in idsync.ui.identifiers)."""
