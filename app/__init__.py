"""ID Sync Configurator: draft, check, review and push Segment Engage ID Sync settings."""

__version__ = "0.1.0"
APP_NAME = "ID Sync Configurator"
APP_ID = "idsync-configurator"
