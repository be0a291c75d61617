"""Strategy preview: what an ID Sync document would send for one sample profile.

The sample is a Profile API ``external_ids`` response (docs/sources.md), read into
records by ``idsync.core.profile``. For each
identifier row the preview shows the values each strategy picks, which destination field
they go to, and how many events the row causes; rows that send nothing say why.

How values are ordered, and so what ``first`` and ``last`` pick:

* A profile's values of one identifier type are ordered by ``created_at`` (compared as
  instants, so offsets are honoured, down to nanoseconds when the text has them).
* Values with the same ``created_at`` are ordered by the value itself (plain string
  order). The result therefore never depends on the order of the items in the response.
* A value listed more than once for the same type counts once, at its earliest
  ``created_at``: it was added then, and Segment sends one event per value.
* ``first`` is the earliest value, ``last`` the latest, ``all`` every value in that order.
  ``last`` by ``created_at`` is an approximation: Segment describes it as the most
  recently *updated* value, which the Profile API does not expose (docs/sources.md,
  "The Profile API").
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Final

from idsync.core.catalog import DEFAULT_SETUP_IDENTIFIERS, Catalog
from idsync.core.model import IdentifierRow, IdSyncDocument, Setup, Strategy
from idsync.core.profile import ExternalId, ProfileIdentities
from idsync.core.wording import join_and, plural

MOBILE_AD_ID_TYPES: Final[frozenset[str]] = frozenset({"ios.idfa", "android.idfa"})
"""Identifier types Segment sends only with Send Mobile IDs on (the shipped catalog's
``mobile_ad_id`` identifiers; pass the catalog's own set to :func:`preview` if it differs)."""


LAST_IS_APPROXIMATE: Final = (
    "Last added is estimated from created_at: Segment picks the most recently updated "
    "value, which the Profile API does not show."
)
AUDIENCE_EXIT_NOTE: Final = (
    "Event counts are for the profile entering the audience; Audience Exited ignores "
    "ID Sync and sends every identifier combination."
)

def pick(values: Sequence[ExternalId], strategy: Strategy) -> tuple[ExternalId, ...]:
    """The values a strategy picks from values already in ``created_at`` order."""
    if not values:
        return ()
    if strategy is Strategy.FIRST:
        return (values[0],)
    if strategy is Strategy.LAST:
        return (values[-1],)
    return tuple(values)


class RowOutcome(str, Enum):
    """Whether a row sends anything for this profile, and if not, why."""

    SENT = "sent"
    NO_VALUE = "no-value"
    MOBILE_IDS_OFF = "mobile-ids-off"
    NO_IDENTIFIER = "no-identifier"


@dataclass(frozen=True)
class RowPreview:
    """What one identifier row does for the sample profile."""

    row: int | None
    """0-based row of the document; None for the rows Default Setup implies."""
    segment: str
    destination: str
    """The destination field (mapTo); empty when the row sets none."""
    strategy: Strategy
    values: tuple[ExternalId, ...]
    """Every value of ``segment`` on the profile, in ``created_at`` order."""
    outcome: RowOutcome
    reason: str = ""
    """Why nothing is sent, in words for the person; empty when the row sends."""

    @property
    def picked(self) -> tuple[ExternalId, ...]:
        """What the row's strategy picks (even when the row ends up sending nothing)."""
        return pick(self.values, self.strategy)

    def picks_for(self, strategy: Strategy) -> tuple[ExternalId, ...]:
        """What another strategy would pick on this row, for comparison."""
        return pick(self.values, strategy)

    @property
    def events(self) -> int:
        """One event per value sent: all sends each value, first/last at most one."""
        return len(self.picked) if self.outcome is RowOutcome.SENT else 0


@dataclass(frozen=True)
class StrategyPreview:
    setup: Setup
    rows: tuple[RowPreview, ...]
    unsent_types: tuple[str, ...]
    """Identifier types on the profile that no row sends."""
    notes: tuple[str, ...] = field(default=())

    @property
    def total_events(self) -> int:
        return sum(row.events for row in self.rows)

    def render_text(self) -> str:
        return _render(self)


def preview_in_catalog(
    doc: IdSyncDocument, identities: ProfileIdentities, catalog: Catalog
) -> StrategyPreview:
    """``preview`` with Default Setup and the mobile IDs as the catalog gives them."""
    spec = catalog.destination(doc.destination.slug) if doc.destination is not None else None
    if spec is None:
        return preview(doc, identities, mobile_ad_ids=catalog.mobile_ad_ids())
    # Where the docs say to ignore Send Mobile IDs (Snap), nothing is held back for it.
    held_back = catalog.mobile_ad_ids() if spec.send_mobile_ids_setting else frozenset()
    return preview(
        doc,
        identities,
        default_strategy=spec.default_strategy,
        default_identifiers=spec.default_identifiers,
        mobile_ad_ids=held_back,
    )


def preview(
    doc: IdSyncDocument,
    identities: ProfileIdentities,
    *,
    default_strategy: Strategy = Strategy.LAST,
    default_identifiers: tuple[str, ...] = DEFAULT_SETUP_IDENTIFIERS,
    mobile_ad_ids: Collection[str] = MOBILE_AD_ID_TYPES,
) -> StrategyPreview:
    """What ``doc`` would send for the profile in ``identities``.

    ``default_strategy`` and ``default_identifiers`` are what Segment's Default Setup
    sends to the destination (the catalog's ``DestinationSpec``); they matter only for
    Default Setup.
    ``mobile_ad_ids`` are the identifier types held back while Send Mobile IDs is off.
    """
    notes: list[str] = []
    if doc.setup is Setup.DEFAULT:
        rows = tuple(
            _row_preview(
                None,
                IdentifierRow(segment=segment, strategy=default_strategy),
                identities,
                doc.send_mobile_ids,
                mobile_ad_ids,
            )
            for segment in default_identifiers
        )
        notes.append(
            f"Default Setup: Segment sends {default_strategy.label.lower()} "
            f"{join_and(list(default_identifiers))} under the destination's own field names; "
            f"custom identifiers are not sent."
        )
        if doc.identifiers:
            notes.append(
                f"The document's {len(doc.identifiers)} identifier row(s) are ignored "
                f"until Customized Setup is chosen."
            )
    else:
        rows = tuple(
            _row_preview(index, row, identities, doc.send_mobile_ids, mobile_ad_ids)
            for index, row in enumerate(doc.identifiers)
        )
        if not rows:
            notes.append("Customized Setup has no identifier rows, so nothing is sent.")
    if any(row.strategy is Strategy.LAST and len(row.values) > 1 for row in rows):
        notes.append(LAST_IS_APPROXIMATE)
    tied = [
        row.segment
        for row in rows
        if row.outcome is RowOutcome.SENT and row.strategy is not Strategy.ALL and _has_tie(row)
    ]
    if tied:
        notes.append(
            f"Some values of {', '.join(sorted(set(tied)))} were added at the same instant; "
            f"they are ordered by the value itself, so first and last between them are a "
            f"tie-break, not a fact."
        )
    if identities.has_more:
        notes.append(
            "The sample is one page of the profile's external ids (cursor.has_more is "
            "true): fetch the rest for exact picks and counts."
        )
    if any(row.events for row in rows):
        notes.append(AUDIENCE_EXIT_NOTE)
    sent = {row.segment for row in rows if row.outcome is RowOutcome.SENT}
    unsent = tuple(t for t in identities.types() if t not in sent)
    return StrategyPreview(setup=doc.setup, rows=rows, unsent_types=unsent, notes=tuple(notes))


def _has_tie(row: RowPreview) -> bool:
    instants = [(value.created_at, value.created_at_extra_ns) for value in row.values]
    return len(set(instants)) < len(instants)


def _row_preview(
    index: int | None,
    row: IdentifierRow,
    identities: ProfileIdentities,
    send_mobile_ids: bool,
    mobile_ad_ids: Collection[str],
) -> RowPreview:
    segment = row.segment.strip()
    values = identities.values_of(segment) if segment else ()
    if not segment:
        outcome = RowOutcome.NO_IDENTIFIER
        reason = "this row has no Segment identifier: nothing is sent for this row"
    elif segment in mobile_ad_ids and not send_mobile_ids:
        outcome = RowOutcome.MOBILE_IDS_OFF
        held = f" ({plural(len(values), 'value')} held back)" if values else ""
        reason = (
            f"{segment} is a mobile advertising ID and Send Mobile IDs is off: nothing is "
            f"sent for this row{held}. Turn on Send Mobile IDs to send it."
        )
    elif not values:
        outcome = RowOutcome.NO_VALUE
        reason = f"this profile has no {segment}: nothing is sent for this row"
    else:
        outcome, reason = RowOutcome.SENT, ""
    return RowPreview(
        row=index,
        segment=segment,
        destination=row.destination.strip(),
        strategy=row.strategy,
        values=values,
        outcome=outcome,
        reason=reason,
    )


def _render(result: StrategyPreview) -> str:
    lines = [
        f"Strategy preview ({result.setup.label}): "
        f"{plural(result.total_events, 'event')} for this profile"
    ]
    if not result.rows:
        lines.append("  (no identifier rows)")
    for number, row in enumerate(result.rows, start=1):
        label = f"{number}." if row.row is not None else "-"
        field_name = row.destination or "(destination's default field)"
        lines.append(
            f"{label} {row.segment or '(empty)'} -> {field_name} | {row.strategy.label} | "
            f"{plural(row.events, 'event')}"
        )
        if row.outcome is RowOutcome.SENT:
            for value in row.picked:
                lines.append(f"     sends {value.value}  (added {value.created_at_utc_text})")
        else:
            lines.append(f"     {row.reason}")
        if len(row.values) > 1:
            alternatives = ", ".join(f"{s.value}: {_summary(row.picks_for(s))}" for s in Strategy)
            lines.append(f"     would pick  {alternatives}")
    if result.unsent_types:
        lines.append("Not sent by any row: " + ", ".join(result.unsent_types))
    for note in result.notes:
        lines.append(f"Note: {note}")
    return "\n".join(lines)


def _summary(picked: tuple[ExternalId, ...]) -> str:
    if len(picked) == 1:
        return picked[0].value
    return plural(len(picked), "value")
