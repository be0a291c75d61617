"""What every rule needs to know about a document, worked out once per validation."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from idsync.core.catalog import Catalog, DestinationSpec
from idsync.core.model import IdentifierRow, IdSyncDocument, Setup


@dataclass(frozen=True)
class RuleContext:
    doc: IdSyncDocument
    catalog: Catalog
    spec: DestinationSpec | None
    """The catalog entry for the chosen destination; None when none is chosen or unknown."""
    customized: bool
    rows: tuple[IdentifierRow, ...]
    """The rows that will be sent: Default Setup sends none of them."""

    @classmethod
    def build(cls, doc: IdSyncDocument, catalog: Catalog) -> RuleContext:
        slug = doc.destination.slug if doc.destination is not None else ""
        customized = doc.setup is Setup.CUSTOMIZED
        return cls(
            doc=doc,
            catalog=catalog,
            spec=catalog.destination(slug) if slug else None,
            customized=customized,
            rows=doc.identifiers if customized else (),
        )

    @cached_property
    def matcher_index(self) -> int | None:
        """The row the destination matches profiles on: the first row for one of its
        matcher identifiers (None when none, or no destination is known). Three rules
        ask, for every document."""
        if self.spec is None:
            return None
        matchers = self.spec.constraints.matcher_identifiers
        return next((i for i, row in enumerate(self.rows) if row.segment in matchers), None)

    @property
    def destination_name(self) -> str:
        if self.spec is not None:
            return self.spec.name
        if self.doc.destination is not None:
            return self.doc.destination.name or self.doc.destination.slug or "the destination"
        return "the destination"
