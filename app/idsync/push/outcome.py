"""What a push did, target by target: one outcome type for the window and the CLI.

Every status says whether Segment now holds what was sent, because that is what the
person (or the script) acts on next: re-run, fix the document, or nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Final

from idsync.core.findings import Finding
from idsync.core.model import IdentifierRow, IdSyncDocument
from idsync.core.plan import PushPlan


class Status(str, Enum):
    APPLIED = "applied"  # Segment holds what was sent (answered, or read back after a lost answer)
    APPLIED_DIFFERS = "applied-differs"  # Segment took the write but holds other rows than sent
    UNCHANGED = "unchanged"  # the live connection already matched: nothing sent
    PENDING = "pending"  # would write; not asked to (dry run, or no --yes)
    REFUSED = "refused"  # error findings or not pushable: nothing sent
    STALE = "stale"  # the live connection changed since the plan was shown: nothing sent
    # The write failed and Segment does not hold it; after a lost answer: not yet, as far
    # as the read-back shows (it may still apply; a re-run updates, never connects twice).
    NOT_APPLIED = "not-applied"
    UNKNOWN = "unknown"  # the answer was lost and the connection could not be read back
    FAILED = "failed"  # the live connection could not be read, so nothing was sent
    CANCELLED = "cancelled"  # cancelled before the write left: nothing sent
    SKIPPED = "skipped"  # not attempted: the run was cancelled or stopped earlier

# ``TargetOutcome.check_skipped`` when the cancel came after Segment had the write.
CHECK_CANCELLED: Final = "cancelled"


@dataclass(frozen=True)
class Target:
    """One document to push; ``label`` names it in reports (a file, or file -> audience)."""

    label: str
    document: IdSyncDocument
    findings: tuple[Finding, ...] = ()
    source_path: str | None = None


@dataclass(frozen=True)
class ReadPlan:
    """A plan and when its live read happened (``read_at`` on the engine's clock; None
    when no read was needed, as for a plan refused offline)."""

    target: Target
    plan: PushPlan
    read_at: float | None
    # The live connection as read (Segment's JSON; None: not connected, or not read).
    live: Mapping[str, object] | None = None
    # What history said when this read settled an earlier push of unknown outcome.
    settled: str | None = None
    # The API the read went to (pushes are kept and settled per base URL).
    base_url: str = ""
    # Further connections of the audience to the same destination (made outside this
    # app): the push touches the one it plans for, and says so.
    others: tuple[str, ...] = ()


@dataclass(frozen=True)
class TargetOutcome:
    read: ReadPlan
    status: Status
    base_url: str = ""
    # The client's message for the failure (never holds the token).
    error: str | None = None
    # The connection written to, as Segment answered or as read back.
    connection_id: str | None = None
    # The rows read back after the write (None: not read back).
    live_after: tuple[IdentifierRow, ...] | None = None
    # The write's answer was lost (timeout, reset, 5xx, unparseable 200): the status was
    # decided by reading the connection back, never guessed.
    answer_lost: bool = False
    # Set when the read-back after an answered write could not run (cancel, failure).
    check_skipped: str | None = None
    # Said when history could not keep an applied push (the push itself stands).
    history_note: str | None = None
    # The write never left: the connection could not be made (NOT_APPLIED, no read-back).
    not_sent: bool = False
    # STALE: what changed in the live connection between the plan and the write.
    changed_since_plan: tuple[str, ...] = ()
    # A write was attempted for this target (whatever became of it): history keeps it.
    sent: bool = False
    # Connections of the audience to the destination the read-back found besides the one
    # written: never made by this app, but said, so two are never left unseen.
    others_after: tuple[str, ...] = ()

    @property
    def target(self) -> Target:
        return self.read.target

    @property
    def plan(self) -> PushPlan:
        return self.read.plan

    @property
    def matches(self) -> bool | None:
        """Whether the rows read back are the rows sent (None: not compared)."""
        if self.live_after is None or not self.plan.new_rows:
            return None
        return self.live_after == self.plan.new_rows


@dataclass
class PushRun:
    outcomes: list[TargetOutcome] = field(default_factory=list)
    cancelled: bool = False
    requests: int = 0
    elapsed_seconds: float = 0.0

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status is status)


EXIT_OK: Final = 0
EXIT_REFUSED: Final = 1
EXIT_UNREADABLE: Final = 2
EXIT_FAILED: Final = 3
EXIT_DIFFERS: Final = 4
EXIT_PENDING: Final = 10
EXIT_CANCELLED: Final = 130

_STATUS_EXIT: Final = {
    Status.APPLIED: EXIT_OK,
    Status.APPLIED_DIFFERS: EXIT_DIFFERS,
    Status.UNCHANGED: EXIT_OK,
    Status.PENDING: EXIT_PENDING,
    Status.REFUSED: EXIT_REFUSED,
    Status.STALE: EXIT_REFUSED,
    Status.NOT_APPLIED: EXIT_FAILED,
    Status.UNKNOWN: EXIT_FAILED,
    Status.FAILED: EXIT_FAILED,
    Status.CANCELLED: EXIT_CANCELLED,
    Status.SKIPPED: EXIT_FAILED,
}
# Worst first: the first of these any target has decides the exit code.
_EXIT_PRECEDENCE: Final = (
    EXIT_CANCELLED,
    EXIT_FAILED,
    EXIT_DIFFERS,
    EXIT_UNREADABLE,
    EXIT_REFUSED,
    EXIT_PENDING,
)


def exit_code(run: PushRun, unreadable: Sequence[object] = ()) -> int:
    """0 applied and read back equal (or already in place), 10 changes pending (dry run),
    1 refused (or stale), 2 unreadable input, 3 failed or not applied, 4 applied but the
    connection read back differs, 130 cancelled; the worst present wins."""
    present = {_STATUS_EXIT[o.status] for o in run.outcomes}
    if run.cancelled:
        present.add(EXIT_CANCELLED)
    if unreadable:
        present.add(EXIT_UNREADABLE)
    return next((code for code in _EXIT_PRECEDENCE if code in present), EXIT_OK)
