"""``idsync push`` and ``idsync sandbox``: push documents to Segment with a plan first.

Registered into ``app.cli`` through ``register(subparsers)``; never imports Qt.

Exit codes of ``push`` (the worst item decides):
  0   nothing to change: every live connection already matches
  10  changes: applied with --yes, or planned (--dry-run, or no --yes)
  1   refused: a document has error findings or cannot be pushed (journey, default setup
      over a customized connection, no destination instance id)
  2   unreadable input or a usage error
  3   failed: network or API error, or no token
  130 cancelled with Ctrl-C (items not yet started are untouched)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from types import FrameType
from typing import Any, Final

from app.catalog import CatalogError, load_catalog
from app.core.diff import RowChange
from app.core.model import AudienceTarget, IdSyncDocument, JourneyTarget
from app.core.plan import PlanAction, PlanNote, PushPlan, make_plan
from app.core.wording import plural
from app.segment.bulk import BulkReport, ItemResult, ItemStatus, PushItem, push_items
from app.segment.cancel import CancelToken
from app.segment.client import SegmentClient
from app.segment.errors import SegmentError
from app.segment.regions import Region, resolve_base_url
from app.storage.documents import DocumentError, read_document
from app.storage.history import (
    HistoryEvent,
    HistoryStore,
    history_failure_reason,
    push_detail,
    push_outcome,
    pushed_connection,
)
from app.storage.secrets import TOKEN_ENV_VAR, TokenStore

EXIT_UNCHANGED: Final = 0
EXIT_REFUSED: Final = 1
EXIT_UNREADABLE: Final = 2
EXIT_FAILED: Final = 3
EXIT_CHANGED: Final = 10
EXIT_CANCELLED: Final = 130

# Worst first: the first of these any item has decides the exit code.
_EXIT_PRECEDENCE: Final = (EXIT_CANCELLED, EXIT_FAILED, EXIT_UNREADABLE, EXIT_REFUSED, EXIT_CHANGED)

_EXIT_HELP: Final = (
    "exit codes: 0 nothing to change, 10 changes applied or planned, 1 refused "
    "(error findings or not pushable), 2 unreadable input or usage error, 3 failed "
    "(network, API, no token), 130 cancelled"
)


def register(subparsers: Any) -> None:
    push = subparsers.add_parser(
        "push",
        help="push documents to Segment (plan first; writes only with --yes)",
        description="Read each live connection, show the plan (create / update / no change) "
        "with the row diff and the exact body, and write only with --yes. Re-running after "
        "a failure is safe: live state is read again, so applied items show no change.",
        epilog=_EXIT_HELP,
    )
    push.add_argument("files", nargs="+", metavar="FILE", help="ID Sync documents (.json)")
    where = push.add_mutually_exclusive_group()
    where.add_argument(
        "--region",
        choices=[r.value for r in Region],
        default=None,
        help="Segment region (default: us)",
    )
    where.add_argument(
        "--base-url",
        metavar="URL",
        help="custom API base URL (https, or http on localhost for the sandbox)",
    )
    push.add_argument("--space", metavar="ID", help="use this space id instead of the file's")
    audience = push.add_mutually_exclusive_group()
    audience.add_argument(
        "--audience", metavar="ID", help="use this audience id instead of the file's"
    )
    audience.add_argument(
        "--audiences",
        metavar="ID,ID...",
        help="apply one template FILE to each of these audiences",
    )
    push.add_argument("--dry-run", action="store_true", help="plan only; never writes")
    push.add_argument("--yes", action="store_true", help="write the planned changes")
    push.add_argument("--format", choices=["text", "json"], default="text")
    push.add_argument(
        "--timeout", type=float, default=20.0, metavar="SECONDS", help="per-request timeout"
    )
    push.set_defaults(handler=run_push)

    sandbox = subparsers.add_parser(
        "sandbox",
        help="run a local stand-in for the Segment API (try push without an account)",
        description="Serve the documented endpoints on 127.0.0.1 with sample data until "
        "Ctrl-C; prints the URL and the token it accepts.",
    )
    from app.segment import sandbox as sandbox_module

    sandbox_module.add_arguments(sandbox)
    sandbox.set_defaults(handler=sandbox_module.run)


@dataclass(frozen=True)
class _Unreadable:
    label: str
    message: str


def run_push(args: argparse.Namespace) -> int:
    out = _Output(args.format)
    try:
        base_url = resolve_base_url(args.region, args.base_url)
    except SegmentError as exc:
        return out.fail(EXIT_UNREADABLE, str(exc))
    audiences = _split_ids(args.audiences) if args.audiences else []
    if args.audiences and not audiences:
        return out.fail(EXIT_UNREADABLE, "--audiences needs at least one audience id")
    if audiences and len(args.files) != 1:
        return out.fail(
            EXIT_UNREADABLE,
            f"--audiences applies one template file to many audiences; got {len(args.files)} "
            "files. Give one FILE, or drop --audiences.",
        )
    if args.timeout <= 0:
        return out.fail(EXIT_UNREADABLE, "--timeout must be a positive number of seconds")

    try:
        items, unreadable = _load_items(args, audiences)
    except CatalogError as exc:
        return out.fail(
            EXIT_FAILED, f"the shipped destination catalog cannot be loaded ({exc}); reinstall"
        )
    apply = bool(args.yes) and not args.dry_run
    report = BulkReport()
    needs_live = any(
        make_plan(i.document, None, i.findings).action is not PlanAction.REFUSED for i in items
    )
    if needs_live:
        token = TokenStore(base_url).get()
        if not token:
            return out.fail(
                EXIT_FAILED,
                f"No Segment API token for {base_url}. Set {TOKEN_ENV_VAR}, or connect once "
                "in the app (it keeps the token in the system keychain).",
            )
        cancel = CancelToken()
        try:
            client = SegmentClient(token, base_url=base_url, timeout=args.timeout, cancel=cancel)
        except SegmentError as exc:
            return out.fail(EXIT_FAILED, str(exc))
        def on_result(index: int, total: int, result: ItemResult) -> None:
            out.item(index, total, result)
            if result.status is ItemStatus.APPLIED:
                _keep_in_history(result, out)

        with client, _cancel_on_interrupt(cancel, out):
            report = push_items(client, items, apply=apply, on_result=on_result)
    else:
        report = _offline_report(items, out)
    return out.finish(report, unreadable, base_url=base_url, apply=apply, dry_run=args.dry_run)


def _load_items(
    args: argparse.Namespace, audiences: list[str]
) -> tuple[list[PushItem], list[_Unreadable]]:
    from app.core.rules import validate

    items: list[PushItem] = []
    unreadable: list[_Unreadable] = []
    catalog = None
    for path in args.files:
        try:
            doc = read_document(path)
        except DocumentError as exc:
            unreadable.append(_Unreadable(path, str(exc)))
            continue
        doc = _with_overrides(doc, space=args.space, audience=args.audience)
        if catalog is None:
            catalog = load_catalog()
        targets = [(path, doc)]
        if audiences:
            targets = [
                (f"{path} -> {audience}", _with_overrides(doc, space=None, audience=audience))
                for audience in audiences
            ]
        for label, target_doc in targets:
            findings = tuple(validate(target_doc, catalog))
            items.append(PushItem(label, target_doc, findings, source_path=path))
    return items, unreadable


def _keep_in_history(result: ItemResult, out: _Output) -> None:
    """Segment keeps no ID Sync history, so every applied push is kept locally."""
    plan = result.plan
    if plan is None:
        return
    written = result.written.connection_id if result.written is not None else None
    detail = push_detail(
        space_id=plan.space_id,
        audience_id=plan.audience_id,
        connection_id=pushed_connection(plan, written),
        result=push_outcome(verified=result.verified),
    )
    try:
        HistoryStore().record(
            result.item.document,
            HistoryEvent.PUSH,
            source_path=result.item.source_path,
            detail=detail,
        )
    except (OSError, UnicodeEncodeError) as exc:
        reason = history_failure_reason(exc)
        out.note(f"warning: pushed, but the local history could not keep this version ({reason})")


def _with_overrides(
    doc: IdSyncDocument, *, space: str | None, audience: str | None
) -> IdSyncDocument:
    update: dict[str, str] = {}
    if space:
        update["space_id"] = space.strip()
    if audience and isinstance(doc.target, AudienceTarget):
        update["audience_id"] = audience.strip()
    if not update:
        return doc
    return doc.model_copy(update={"target": doc.target.model_copy(update=update)})


def _split_ids(text: str) -> list[str]:
    seen: list[str] = []
    for part in text.split(","):
        value = part.strip()
        if value and value not in seen:
            seen.append(value)
    return seen


def _offline_report(items: Sequence[PushItem], out: _Output) -> BulkReport:
    """Every item is refused before any request: report without a token or network."""
    report = BulkReport()
    for index, item in enumerate(items):
        plan = make_plan(item.document, None, item.findings)
        result = ItemResult(item, ItemStatus.REFUSED, plan=plan)
        report.results.append(result)
        out.item(index, len(items), result)
    return report


@contextlib.contextmanager
def _cancel_on_interrupt(cancel: CancelToken, out: _Output) -> Iterator[None]:
    """First Ctrl-C cancels between requests (nothing half-written); a second one stops
    at once."""
    try:
        previous = signal.getsignal(signal.SIGINT)
    except ValueError:
        yield
        return

    def on_interrupt(signum: int, frame: FrameType | None) -> None:
        if cancel.cancelled:
            signal.signal(signal.SIGINT, previous)
            raise KeyboardInterrupt
        cancel.cancel()
        out.note("Cancelling after the current request... (Ctrl-C again to stop at once)")

    try:
        signal.signal(signal.SIGINT, on_interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


# -- output --------------------------------------------------------------------------


class _Output:
    def __init__(self, fmt: str) -> None:
        self.json = fmt == "json"

    def fail(self, code: int, message: str) -> int:
        if self.json:
            _print(json.dumps({"error": message, "exit_code": code}, indent=2))
        else:
            print(f"error: {message}", file=sys.stderr)
        return code

    def note(self, message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    def item(self, index: int, total: int, result: ItemResult) -> None:
        if self.json:
            return
        for line in _item_lines(index, total, result):
            _print(line)

    def finish(
        self,
        report: BulkReport,
        unreadable: list[_Unreadable],
        *,
        base_url: str,
        apply: bool,
        dry_run: bool,
    ) -> int:
        code = exit_code(report, unreadable)
        notes = _unique_notes(report)
        if self.json:
            _print(
                json.dumps(
                    _json_report(report, unreadable, notes, base_url, apply, dry_run, code),
                    indent=2,
                    ensure_ascii=False,
                )
            )
            return code
        for problem in unreadable:
            print(f"{problem.message}", file=sys.stderr)
        if notes:
            _print("Notes:")
            for note in notes:
                _print(f"  - {note.message}")
        _print(_summary_line(report, unreadable))
        planned = report.count(ItemStatus.PLANNED)
        if planned and dry_run:
            _print(f"Dry run: nothing was written ({plural(planned, 'change')} planned).")
        elif planned:
            _print(
                f"Nothing was written. Run again with --yes to apply {plural(planned, 'change')}."
            )
        if report.cancelled:
            _print("Cancelled: items not started were left untouched; run again to continue.")
        elif report.count(ItemStatus.FAILED) or report.count(ItemStatus.SKIPPED):
            _print("Some items did not complete; running the same command again continues safely.")
        return code


def exit_code(report: BulkReport, unreadable: Sequence[object] = ()) -> int:
    present: set[int] = set()
    if report.cancelled:
        present.add(EXIT_CANCELLED)
    if unreadable:
        present.add(EXIT_UNREADABLE)
    for result in report.results:
        present.add(_STATUS_EXIT[result.status])
    for code in _EXIT_PRECEDENCE:
        if code in present:
            return code
    return EXIT_UNCHANGED


_STATUS_EXIT: Final = {
    ItemStatus.APPLIED: EXIT_CHANGED,
    ItemStatus.PLANNED: EXIT_CHANGED,
    ItemStatus.UNCHANGED: EXIT_UNCHANGED,
    ItemStatus.REFUSED: EXIT_REFUSED,
    ItemStatus.FAILED: EXIT_FAILED,
    ItemStatus.SKIPPED: EXIT_FAILED,
}


def _item_lines(index: int, total: int, result: ItemResult) -> Iterator[str]:
    plan = result.plan
    yield f"[{index + 1}/{total}] {result.item.label}"
    if plan is not None:
        yield f"  target: {_target_text(plan, result.item.document)}"
        yield f"  plan: {_plan_text(plan)}"
        for reason in plan.reasons:
            yield f"    - {reason}"
        if plan.action is not PlanAction.REFUSED:
            yield from (f"    {line}" for line in _change_lines(plan.changes))
        if plan.writes and plan.body is not None:
            yield f"  body: {json.dumps(plan.body, ensure_ascii=False)}"
    yield f"  result: {_result_text(result)}"


def _target_text(plan: PushPlan, doc: IdSyncDocument) -> str:
    parts = [f"space {plan.space_id or '(none)'}"]
    if isinstance(doc.target, JourneyTarget):
        parts.append(
            f"journey {doc.target.journey_id or '(none)'} step {doc.target.step or '(none)'}"
        )
    else:
        parts.append(f"audience {plan.audience_id or '(none)'}")
    if plan.destination_id:
        parts.append(f"destination {plan.destination_id}")
    if plan.connection_id:
        parts.append(f"connection {plan.connection_id}")
    return ", ".join(parts)


def _plan_text(plan: PushPlan) -> str:
    if plan.action is PlanAction.CREATE:
        return "create (POST: connect the destination to the audience)"
    if plan.action is PlanAction.UPDATE:
        return "update (PATCH: replace the whole ID Sync list)"
    if plan.action is PlanAction.UNCHANGED:
        return "no change (the live connection already matches)"
    return "refused"


def _change_lines(changes: Sequence[RowChange]) -> list[str]:
    lines: list[str] = []
    for change in changes:
        lines.extend(change.render())
    return lines


def _result_text(result: ItemResult) -> str:
    status = result.status
    if status is ItemStatus.APPLIED:
        if result.verified is True:
            return "applied (Segment answered with exactly the rows sent)"
        if result.verified is False:
            return "applied, but Segment answered with different rows: check the connection"
        return "applied"
    if status is ItemStatus.PLANNED:
        return "not written (planned)"
    if status is ItemStatus.UNCHANGED:
        return "unchanged"
    if status is ItemStatus.REFUSED:
        return "refused: nothing was sent"
    return f"{status.value}: {result.error or ''}".rstrip(": ")


def _summary_line(report: BulkReport, unreadable: Sequence[_Unreadable]) -> str:
    parts = [
        f"{report.count(status)} {status.value}" for status in ItemStatus if report.count(status)
    ]
    if unreadable:
        parts.append(f"{len(unreadable)} unreadable")
    total = len(report.results) + len(unreadable)
    return f"{plural(total, 'item')}: {', '.join(parts) or 'nothing to do'}."


def _unique_notes(report: BulkReport) -> list[PlanNote]:
    notes: list[PlanNote] = []
    for result in report.results:
        if result.plan is None or result.plan.action is PlanAction.REFUSED:
            continue
        for note in result.plan.notes:
            if note not in notes:
                notes.append(note)
    return notes


def _json_report(
    report: BulkReport,
    unreadable: Sequence[_Unreadable],
    notes: Sequence[PlanNote],
    base_url: str,
    apply: bool,
    dry_run: bool,
    code: int,
) -> dict[str, Any]:
    return {
        "base_url": base_url,
        "mode": "dry-run" if dry_run else ("apply" if apply else "plan"),
        "items": [_json_item(r) for r in report.results]
        + [{"label": u.label, "status": "unreadable", "error": u.message} for u in unreadable],
        "notes": [{"code": n.code, "message": n.message} for n in notes],
        "summary": {s.value: report.count(s) for s in ItemStatus} | {"unreadable": len(unreadable)},
        "cancelled": report.cancelled,
        "requests": report.requests,
        "exit_code": code,
    }


def _json_item(result: ItemResult) -> dict[str, Any]:
    plan = result.plan
    data: dict[str, Any] = {"label": result.item.label, "status": result.status.value}
    if plan is not None:
        data.update(
            {
                "action": plan.action.value,
                "space_id": plan.space_id,
                "audience_id": plan.audience_id,
                "destination_id": plan.destination_id,
                "connection_id": plan.connection_id,
                "method": plan.method,
                "reasons": list(plan.reasons),
                "changes": _change_lines(plan.changes),
                "body": plan.body,
            }
        )
    data["findings"] = [f.to_json() for f in result.item.findings if f.is_error]
    data["error"] = result.error
    data["verified"] = result.verified
    return data




def _print(line: str) -> None:
    print(line, flush=True)
