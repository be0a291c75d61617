"""``idsync push`` and ``idsync sandbox``: push documents to Segment with a plan first.

Never imports Qt. The push itself is the engine's (:mod:`idsync.push.engine`), and every line
about a plan or an outcome comes from :mod:`idsync.push.wording`, as in the window.

Exit codes of ``push`` (the worst target decides):
  0   everything applied and read back equal, or already in place
  10  changes pending: planned but not written (--dry-run, or no --yes)
  1   refused: error findings, not pushable, or the live connection changed since the
      plan (re-run to see the new plan; what changed is named)
  2   unreadable input or a usage error
  3   failed: network or API error, no token, a write Segment did not apply (or not
      yet: it may still apply), or one whose outcome is unknown
  4   applied, but the connection read back differs from what was sent
  130 cancelled with Ctrl-C (targets not yet started are untouched)
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
from typing import Any

from idsync.catalog import CatalogError, load_catalog
from idsync.cli.output import error, out, report
from idsync.core.api_mapping import ApiLimitation
from idsync.core.editing import set_audience_ids
from idsync.core.model import IdSyncDocument
from idsync.core.plan import PlanAction, make_plan
from idsync.core.rules import validate
from idsync.core.wording import plural
from idsync.push.engine import PushEngine
from idsync.push.history import PushHistory
from idsync.push.outcome import (
    EXIT_CANCELLED,
    EXIT_FAILED,
    EXIT_UNREADABLE,
    PushRun,
    ReadPlan,
    Status,
    Target,
    TargetOutcome,
    exit_code,
)
from idsync.push.wording import (
    action_text,
    change_lines,
    outcome_headline,
    outcome_lines,
    target_text,
)
from idsync.segment.cancel import CancelToken
from idsync.segment.client import SegmentClient
from idsync.segment.errors import SegmentError
from idsync.segment.regions import resolve_base_url
from idsync.storage.documents import DocumentError, read_document
from idsync.storage.secrets import TOKEN_ENV_VAR, TokenStore


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
        targets, unreadable = _load_targets(args, audiences)
    except CatalogError as exc:
        return out.fail(EXIT_FAILED, f"the shipped destination catalog cannot be loaded: {exc}")
    apply = bool(args.yes) and not args.dry_run
    offline = [make_plan(t.document, None, t.findings) for t in targets]
    if all(plan.action is PlanAction.REFUSED for plan in offline):
        # Every target is refused before any request: no token or network needed.
        run = PushRun()
        for index, (target, plan) in enumerate(zip(targets, offline, strict=True)):
            outcome = TargetOutcome(ReadPlan(target, plan, None), Status.REFUSED, base_url)
            run.outcomes.append(outcome)
            out.item(index, len(targets), outcome)
        return out.finish(run, unreadable, base_url=base_url, apply=apply, dry_run=args.dry_run)
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
    with client, _cancel_on_interrupt(cancel, out):
        engine = PushEngine(client, history=PushHistory())
        run = engine.run(targets, apply=apply, on_outcome=out.item)
    return out.finish(run, unreadable, base_url=base_url, apply=apply, dry_run=args.dry_run)


def _load_targets(
    args: argparse.Namespace, audiences: list[str]
) -> tuple[list[Target], list[_Unreadable]]:
    targets: list[Target] = []
    unreadable: list[_Unreadable] = []
    catalog = None
    for path in args.files:
        try:
            doc = read_document(path)
        except DocumentError as exc:
            unreadable.append(_Unreadable(path, str(exc)))
            continue
        doc = set_audience_ids(doc, space_id=args.space or None, audience_id=args.audience or None)
        if catalog is None:
            catalog = load_catalog()
        labelled: list[tuple[str, IdSyncDocument]] = [(path, doc)]
        if audiences:
            labelled = [
                (f"{path} -> {audience}", set_audience_ids(doc, audience_id=audience))
                for audience in audiences
            ]
        for label, target_doc in labelled:
            findings = tuple(validate(target_doc, catalog))
            targets.append(Target(label, target_doc, findings, source_path=path))
    return targets, unreadable


def _split_ids(text: str) -> list[str]:
    seen: list[str] = []
    for part in text.split(","):
        value = part.strip()
        if value and value not in seen:
            seen.append(value)
    return seen


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
            error(message)
        return code

    def note(self, message: str) -> None:
        report(message)

    def item(self, index: int, total: int, outcome: TargetOutcome) -> None:
        if self.json:
            return
        for line in _item_lines(index, total, outcome):
            _print(line)

    def finish(
        self,
        run: PushRun,
        unreadable: list[_Unreadable],
        *,
        base_url: str,
        apply: bool,
        dry_run: bool,
    ) -> int:
        code = exit_code(run, unreadable)
        notes = _unique_notes(run)
        if self.json:
            _print(
                json.dumps(
                    _json_report(run, unreadable, notes, base_url, apply, dry_run, code),
                    indent=2,
                    ensure_ascii=False,
                )
            )
            return code
        for problem in unreadable:
            report(problem.message)
        if notes:
            _print("Notes:")
            for note in notes:
                _print(f"  - {note.message}")
        _print(_summary_line(run, unreadable))
        pending = run.count(Status.PENDING)
        if pending and dry_run:
            _print(f"Dry run: nothing was written ({plural(pending, 'change')} pending).")
        elif pending:
            _print(
                f"Nothing was written. Run again with --yes to apply {plural(pending, 'change')}."
            )
        if run.count(Status.STALE):
            _print("The live configuration changed since the plan: re-run to see the new plan.")
        if run.count(Status.APPLIED_DIFFERS):
            _print(
                "Segment took a push but holds other rows than were sent (exit code 4): "
                "compare with `idsync diff --live FILE`."
            )
        if run.cancelled or code == EXIT_CANCELLED:
            _print("Cancelled: targets not started were left untouched; run again to continue.")
        return code


def _item_lines(index: int, total: int, outcome: TargetOutcome) -> Iterator[str]:
    plan = outcome.plan
    yield f"[{index + 1}/{total}] {outcome.target.label}"
    yield f"  target: {target_text(plan, outcome.target.document)}"
    yield f"  plan: {action_text(plan)}"
    if plan.action is not PlanAction.REFUSED:
        yield from (f"    {line}" for line in change_lines(plan.changes))
    if plan.writes and plan.body is not None:
        yield f"  body: {json.dumps(plan.body, ensure_ascii=False)}"
    yield f"  result: {outcome_headline(outcome)}"
    yield from (f"    {line}" for line in outcome_lines(outcome))


def _summary_line(run: PushRun, unreadable: Sequence[_Unreadable]) -> str:
    parts = [f"{run.count(status)} {status.value}" for status in Status if run.count(status)]
    if unreadable:
        parts.append(f"{len(unreadable)} unreadable")
    total = len(run.outcomes) + len(unreadable)
    return f"{plural(total, 'target')}: {', '.join(parts) or 'nothing to do'}."


def _unique_notes(run: PushRun) -> list[ApiLimitation]:
    notes: list[ApiLimitation] = []
    for outcome in run.outcomes:
        if outcome.plan.action is PlanAction.REFUSED:
            continue
        notes.extend(note for note in outcome.plan.notes if note not in notes)
    return notes


def _json_report(
    run: PushRun,
    unreadable: Sequence[_Unreadable],
    notes: Sequence[ApiLimitation],
    base_url: str,
    apply: bool,
    dry_run: bool,
    code: int,
) -> dict[str, Any]:
    return {
        "base_url": base_url,
        "mode": "dry-run" if dry_run else ("apply" if apply else "plan"),
        "items": [_json_item(o) for o in run.outcomes]
        + [{"label": u.label, "status": "unreadable", "error": u.message} for u in unreadable],
        "notes": [{"code": n.code, "message": n.message} for n in notes],
        "summary": {s.value: run.count(s) for s in Status} | {"unreadable": len(unreadable)},
        "cancelled": run.cancelled,
        "requests": run.requests,
        "exit_code": code,
    }


def _json_item(outcome: TargetOutcome) -> dict[str, Any]:
    plan = outcome.plan
    return {
        "label": outcome.target.label,
        "status": outcome.status.value,
        "action": plan.action.value,
        "space_id": plan.space_id,
        "audience_id": plan.audience_id,
        "destination_id": plan.destination_id,
        "connection_id": outcome.connection_id,
        "method": plan.method,
        "reasons": list(plan.reasons),
        "changes": change_lines(plan.changes),
        "body": plan.body,
        "findings": [f.to_json() for f in outcome.target.findings if f.is_error],
        "result": outcome_lines(outcome),
        "answer_lost": outcome.answer_lost,
        "verified": outcome.matches,
        "changed_since_plan": list(outcome.changed_since_plan),
    }


def _print(line: str) -> None:
    # Through the CLI's own writer: a console that cannot show a character still gets the
    # line, so a label never stops a run halfway.
    out(line)
    sys.stdout.flush()
