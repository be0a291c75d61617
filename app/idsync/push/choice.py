"""What "Choose from workspace" picked, and the document edit it makes through
``core.editing`` (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass

from idsync.core.editing import (
    choose_destination,
    choose_target_kind,
    set_audience_ids,
    set_instance_id,
)
from idsync.core.model import AudienceTarget, IdSyncDocument
from idsync.segment.models import Connection


@dataclass(frozen=True)
class WorkspaceChoice:
    space_id: str
    audience_id: str
    # The audience's destination connection, when one was picked.
    connection: Connection | None = None

    @property
    def instance_id(self) -> str:
        """The destination instance id the document stores (what Push connects to)."""
        if self.connection is None:
            return ""
        return self.connection.destination_id


def apply_choice(doc: IdSyncDocument, choice: WorkspaceChoice) -> IdSyncDocument:
    """The document with the chosen space, audience and destination instance.

    A connection to a different destination than the document's replaces the
    destination (slug and name from Segment), so the instance id never points at a
    destination the rows were not written for without the person seeing it change.
    """
    if not isinstance(doc.target, AudienceTarget):
        doc = choose_target_kind(doc, "audience")
    doc = set_audience_ids(doc, space_id=choice.space_id, audience_id=choice.audience_id)
    connection = choice.connection
    if connection is None:
        return doc
    current = doc.destination
    if current is not None and (not connection.slug or connection.slug == current.slug):
        return set_instance_id(doc, choice.instance_id)
    return choose_destination(
        doc,
        connection.slug or connection.destination_id,
        name=connection.name,
        instance_id=choice.instance_id,
    )
