"""The words of a push, for the window and the CLI alike (plain text, no Qt).

Both sides render plans and outcomes only through these functions, so the same push
reads the same wherever it ran.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from idsync.core.diff import RowChange, diff_rows
from idsync.core.model import IdentifierRow, IdSyncDocument, JourneyTarget
from idsync.core.plan import PlanAction, PushPlan
from idsync.core.wording import plural
from idsync.push.outcome import CHECK_CANCELLED, Status, TargetOutcome

NOTHING_TO_PUSH: Final = "Nothing to push: the live connection already matches this document."
SAFE_TO_RERUN: Final = (
    "Running the push again is safe: it reads the live connection first, so nothing is "
    "applied twice."
)
MAY_STILL_APPLY: Final = (
    "Not applied yet as far as Segment shows; it may still apply. A later push lists the "
    "audience's connections first and updates the one it finds, so the destination is "
    "never connected twice; check the result after a minute."
)
# How each push ends in history (the detail's last part); ``settle`` rewrites the last two.
RESULT_APPLIED: Final = "applied"
RESULT_DIFFERS: Final = "applied, differs"
RESULT_NOT_APPLIED: Final = "not applied"
RESULT_MAY_STILL_APPLY: Final = "not applied yet (answer lost; it may still apply)"
RESULT_UNKNOWN: Final = "unknown (answer lost, could not read back)"


# -- plans -------------------------------------------------------------------------------


def action_text(plan: PushPlan) -> str:
    """create / update / no change / refused, with the HTTP method."""
    return {
        PlanAction.CREATE: "create (POST: connect the destination to the audience)",
        PlanAction.UPDATE: "update (PATCH: replace the whole ID Sync list)",
        PlanAction.UNCHANGED: "no change (the live connection already matches)",
        PlanAction.REFUSED: "refused",
    }[plan.action]


def request_line(plan: PushPlan) -> str:
    """``PATCH /spaces/…/destination-connections/…``: the request the plan would send."""
    base = f"/spaces/{plan.space_id}/audiences/{plan.audience_id}/destination-connections"
    if plan.action is PlanAction.CREATE:
        return f"POST {base}"
    if plan.action is PlanAction.UPDATE:
        return f"PATCH {base}/{plan.connection_id}"
    return ""


def target_text(plan: PushPlan, doc: IdSyncDocument) -> str:
    parts = [f"space {plan.space_id or '(none)'}"]
    if isinstance(doc.target, JourneyTarget):
        parts.append(
            f"journey {doc.target.journey_id or '(none)'} step {doc.target.step or '(none)'}"
        )
    else:
        parts.append(f"audience {plan.audience_id or '(none)'}")
    if plan.destination_id:
        name = doc.destination.name if doc.destination else ""
        parts.append(f"destination {name + ' ' if name else ''}({plan.destination_id})")
    if plan.connection_id:
        parts.append(f"connection {plan.connection_id}")
    return ", ".join(parts)


def plan_summary(plan: PushPlan) -> str:
    if plan.action is PlanAction.UNCHANGED:
        return NOTHING_TO_PUSH
    if plan.action is PlanAction.REFUSED:
        return "Refused: nothing will be sent."
    if plan.action is PlanAction.CREATE:
        if not plan.new_rows:
            return (
                "The destination will be connected with Default Setup: Segment chooses the "
                "identifiers (no idSyncConfiguration is sent)."
            )
        return (
            f"The destination is not connected to this audience yet. Pushing connects "
            f"it with {plural(len(plan.new_rows), 'identifier')}."
        )
    kept = len(plan.new_rows) - sum(1 for c in plan.changes if c.new_index is not None)
    return (
        f"{plural(len(plan.changes), 'change')} to the live list. The whole list is sent "
        f"(the API replaces it), {plural(max(0, kept), 'row')} unchanged."
    )


def row_text(row: IdentifierRow) -> str:
    target = row.destination or "(no mapTo)"
    return f"{row.segment} → {target}, {row.strategy.label}"


def change_lines(changes: Sequence[RowChange]) -> list[str]:
    return [line for change in changes for line in change.render()]


# -- outcomes ----------------------------------------------------------------------------


def outcome_headline(outcome: TargetOutcome) -> str:
    plan = outcome.plan
    where = f"{plan.space_id}/{plan.audience_id}"
    return {
        Status.APPLIED: f"Pushed to {where}",
        Status.APPLIED_DIFFERS: f"Pushed to {where}, but the live configuration differs",
        Status.UNCHANGED: "No change needed",
        Status.PENDING: "Not written (planned)",
        Status.REFUSED: "Refused: nothing was sent",
        Status.STALE: "Not pushed: the live connection changed",
        Status.NOT_APPLIED: "Not applied",
        Status.UNKNOWN: "Unknown whether the push was applied",
        Status.FAILED: "The push did not complete",
        Status.CANCELLED: "Cancelled",
        Status.SKIPPED: "Not attempted",
    }[outcome.status]


def outcome_lines(outcome: TargetOutcome) -> list[str]:
    """What happened and what to do next, one sentence group per line."""
    return [*_status_lines(outcome), *_other_connection_lines(outcome)]


def other_connections_text(plan: PushPlan, chosen: str | None, others: Sequence[str]) -> str:
    """Said when the audience has more than one connection to the destination."""
    every = ", ".join([*([chosen] if chosen else []), *others])
    return (
        f"Audience {plan.audience_id} has {len(others) + (1 if chosen else 0)} connections "
        f"to destination {plan.destination_id} ({every}); this app never makes a second one. "
        f"The push {'updates ' + chosen + ' only' if chosen else 'touches none of them'}: "
        "remove the extra connection in Segment."
    )


def _other_connection_lines(outcome: TargetOutcome) -> list[str]:
    if outcome.others_after:
        return [other_connections_text(outcome.plan, outcome.connection_id, outcome.others_after)]
    if outcome.read.others:
        return [
            other_connections_text(outcome.plan, outcome.plan.connection_id, outcome.read.others)
        ]
    return []


def _status_lines(outcome: TargetOutcome) -> list[str]:
    status = outcome.status
    plan = outcome.plan
    if status in (Status.APPLIED, Status.APPLIED_DIFFERS):
        return [*_settled_lines(outcome), *_applied_lines(outcome)]
    if status is Status.UNCHANGED:
        return [*_settled_lines(outcome), NOTHING_TO_PUSH]
    if status is Status.PENDING:
        return [f"{plan.method} would be sent; nothing was written."]
    if status is Status.REFUSED:
        return list(plan.reasons)
    if status is Status.STALE:
        changed = "; ".join(outcome.changed_since_plan)
        return [
            "The live connection changed after the plan was made, so nothing was written. "
            "Review the new plan and push again.",
            *([f"Changed since the plan: {changed}."] if changed else []),
        ]
    if status is Status.NOT_APPLIED:
        if outcome.not_sent:
            first = "The request never reached Segment, so the change was not applied."
        elif outcome.answer_lost:
            return [
                "Segment's answer was lost; the connection was read back and holds what it "
                "held before.",
                *([outcome.error] if outcome.error else []),
                MAY_STILL_APPLY,
            ]
        else:
            first = "Segment did not apply the change."
        return [first, *([outcome.error] if outcome.error else []), SAFE_TO_RERUN]
    if status is Status.UNKNOWN:
        return [
            "Segment's answer was lost and the connection could not be read back, so it is "
            "not known whether the change was applied.",
            *([outcome.error] if outcome.error else []),
            "History keeps it as unknown until a later read settles it. Running the push "
            "again reads the connection first: it settles this, and updates the connection "
            "it finds rather than connecting the destination twice.",
        ]
    if status is Status.FAILED:
        return [
            *_settled_lines(outcome),
            "Nothing was sent: the live connection could not be read.",
            *([outcome.error] if outcome.error else []),
            SAFE_TO_RERUN,
        ]
    if status is Status.CANCELLED:
        return ["Nothing was written: the live connection is as it was before."]
    return [outcome.error or "Not attempted: nothing was sent."]


def _applied_lines(outcome: TargetOutcome) -> list[str]:
    plan = outcome.plan
    lines: list[str] = []
    if outcome.answer_lost:
        lines.append(
            "Segment's answer was lost, so the connection was read back: it holds the rows "
            "sent, so the change is applied."
        )
    if outcome.check_skipped == CHECK_CANCELLED:
        lines.append(
            "Segment received the change before you cancelled, so it is applied. The check "
            "that reads the connection back was skipped: open Push again to see the live "
            "configuration."
        )
    elif outcome.check_skipped is not None:
        lines.append(
            "Segment applied the change; reading it back to check was not possible "
            f"({outcome.check_skipped}). Open Push again to see the live configuration."
        )
    elif outcome.matches is True:
        lines.append(
            f"✓ Live configuration matches: connection {outcome.connection_id} now has the "
            f"{plural(len(plan.new_rows), 'identifier')} pushed."
        )
    elif outcome.status is Status.APPLIED_DIFFERS and outcome.live_after is not None:
        differences = change_lines(diff_rows(plan.new_rows, outcome.live_after))
        lines.append(
            "✗ Segment took the push but the live configuration differs from what was "
            "pushed (pushed → live): " + "; ".join(d.removeprefix("- ") for d in differences)
        )
        lines.append(
            "Open Push again to see the live list, then push again or fix the document."
        )
    elif outcome.live_after is not None:
        rows = ", ".join(f"{r.segment} ({r.strategy.value})" for r in outcome.live_after)
        lines.append(f"Connected with Segment's default identifiers: {rows or 'none'}.")
    lines.extend(
        note.message for note in plan.notes if note.code in ("new-data-only", "no-resync")
    )
    if outcome.history_note is not None:
        lines.append(outcome.history_note)
    return lines


def outcome_text(outcome: TargetOutcome) -> str:
    """Headline and lines, as both the window and the CLI show them."""
    return "\n".join([outcome_headline(outcome), *outcome_lines(outcome)])


def _settled_lines(outcome: TargetOutcome) -> list[str]:
    settled = outcome.read.settled
    return [settled] if settled else []


def changes_since(reviewed: PushPlan, fresh: PushPlan) -> list[str]:
    """What changed in the live connection between two reads, in the diff's words."""
    lines: list[str] = []
    if fresh.connection_id != reviewed.connection_id:
        lines.append(
            f"connection {reviewed.connection_id or '(none)'} → "
            f"{fresh.connection_id or '(none)'}"
        )
    if fresh.live_rows != reviewed.live_rows:
        changes = change_lines(diff_rows(reviewed.live_rows or (), fresh.live_rows or ()))
        lines.extend(line.removeprefix("- ") for line in changes)
    if not lines and fresh.body != reviewed.body:
        lines.append("the request the plan would send")
    return lines


def history_result(outcome: TargetOutcome) -> str:
    """How a push that sent a write ended, in the words every push entry in history uses
    (it starts with one of the RESULT_ phrases)."""
    status = outcome.status
    if status is Status.APPLIED_DIFFERS:
        return RESULT_DIFFERS + (" (answer lost, read back)" if outcome.answer_lost else "")
    if status is Status.NOT_APPLIED:
        if outcome.answer_lost:
            return RESULT_MAY_STILL_APPLY
        return RESULT_NOT_APPLIED + (" (never reached Segment)" if outcome.not_sent else "")
    if status is Status.UNKNOWN:
        return RESULT_UNKNOWN
    if outcome.answer_lost:
        return f"{RESULT_APPLIED} (answer lost, confirmed by reading back)"
    if outcome.check_skipped is not None:
        return f"{RESULT_APPLIED}, not verified"
    if outcome.matches is None:
        return RESULT_APPLIED
    return f"{RESULT_APPLIED} and verified"
