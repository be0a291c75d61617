"""ID Sync Configurator: draft, check, review and push Segment Engage ID Sync settings."""

__version__ = "0.1.0"
APP_NAME = "ID Sync Configurator"
APP_ID = "idsync-configurator"
DESKTOP_ID = "io.github.idsync_configurator.IdSyncConfigurator"
"""The reverse-DNS id of the desktop entry, the AppStream component and the icon."""
HOMEPAGE = "https://github.com/idsync-configurator/idsync-configurator"
LICENSE = "MIT"
