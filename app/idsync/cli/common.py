"""What several commands need: the shipped catalog, and the rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from idsync.cli.output import error

if TYPE_CHECKING:
    from idsync.core.catalog import Catalog
    from idsync.core.findings import Finding
    from idsync.core.model import IdSyncDocument


def load_catalog_or_none() -> Catalog | None:
    """The shipped catalog, or None after saying why it cannot be used."""
    # Seam "command": only the commands that read the catalog load it.
    from idsync.catalog import load_catalog

    try:
        return load_catalog()
    except Exception as exc:
        # The catalog's own error names the file and says to reinstall.
        error(f"the shipped destination catalog cannot be loaded: {exc}")
        return None


def validate(doc: IdSyncDocument, catalog: Catalog) -> list[Finding]:
    # Seam "command": only the commands that check a document load the rules.
    from idsync.core.rules import validate as check

    return check(doc, catalog)
