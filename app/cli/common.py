"""What several commands need: the shipped catalog, and the rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.cli.output import error

if TYPE_CHECKING:
    from app.core.catalog import Catalog
    from app.core.findings import Finding
    from app.core.model import IdSyncDocument


def load_catalog_or_none() -> Catalog | None:
    """The shipped catalog, or None after saying why it cannot be used."""
    # Seam "command": only the commands that read the catalog load it.
    from app.catalog import load_catalog

    try:
        return load_catalog()
    except Exception as exc:
        # The catalog's own error names the file and says to reinstall.
        error(f"the shipped destination catalog cannot be loaded: {exc}")
        return None


def validate(doc: IdSyncDocument, catalog: Catalog) -> list[Finding]:
    # Seam "command": only the commands that check a document load the rules.
    from app.core.rules import validate as check

    return check(doc, catalog)
