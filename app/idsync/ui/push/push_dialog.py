"""Push to Segment in four steps: Plan (read the live connection, show the diff, the exact
request and the API's limits) → Confirm (an explicit, non-default button) → Push (off the
UI thread, with Cancel) → Result (the connection read back and compared)."""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any, Final

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from idsync.core.findings import Finding, Severity
from idsync.core.model import IdSyncDocument
from idsync.core.plan import PlanAction, PushPlan, make_plan
from idsync.core.wording import plural
from idsync.push.engine import PushEngine
from idsync.push.history import PushHistory
from idsync.push.outcome import ReadPlan, Status, Target, TargetOutcome
from idsync.push.wording import (
    NOTHING_TO_PUSH,
    other_connections_text,
    outcome_headline,
    outcome_lines,
    plan_summary,
    request_line,
    row_text,
    target_text,
)
from idsync.segment.errors import SegmentError
from idsync.ui.push.diff_view import DiffTable
from idsync.ui.push.session import SegmentSession
from idsync.ui.push.status import StatusLine
from idsync.ui.push.worker import Job, JobContext, Worker
from idsync.ui.severity_style import severity_word
from idsync.ui.theme import heading_font
from idsync.ui.widgets import CodeView


class PushStep(IntEnum):
    PLAN = 0
    CONFIRM = 1
    PROGRESS = 2
    RESULT = 3


_STEP_NAMES: Final = ("Plan", "Confirm", "Push", "Result")
STALE_PLAN: Final = (
    "The live connection changed after you reviewed the plan, so nothing was written. "
    "Review the updated plan below."
)


def _bullets(items: Sequence[str]) -> str:
    return (
        "<ul style='margin-left:-20px'>"
        + "".join(f"<li>{html.escape(item)}</li>" for item in items)
        + "</ul>"
    )


def _wrapping_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class PushDialog(QDialog):
    """Plans on open. Every push that sent a write (applied, applied but differing, not
    applied, unknown) is kept in history by the engine, as in the CLI; ``pushed`` is then
    emitted with its TargetOutcome (``history_note`` says when it could not be kept)."""

    pushed = Signal(object)

    def __init__(
        self,
        session: SegmentSession,
        document: IdSyncDocument,
        findings: Sequence[Finding],
        parent: QWidget | None = None,
        *,
        source_path: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pushDialog")
        self.setWindowTitle("Push to Segment")
        self.resize(920, 700)
        self.session = session
        self.document = document
        self.findings = tuple(findings)
        self.target = Target("document", document, self.findings, source_path)
        self.read: ReadPlan | None = None
        self.outcome: TargetOutcome | None = None
        self._worker: Worker | None = None
        self._cancelling = False

        self.step_label = QLabel()
        self.step_label.setObjectName("pushSteps")
        self.step_label.setTextFormat(Qt.TextFormat.RichText)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_plan_page())
        self.stack.addWidget(self._build_confirm_page())
        self.stack.addWidget(self._build_progress_page())
        self.stack.addWidget(self._build_result_page())

        self.back_button = QPushButton("Back to plan")
        self.back_button.setObjectName("backButton")
        self.next_button = QPushButton("Next: Confirm…")
        self.next_button.setObjectName("nextButton")
        self.push_button = QPushButton("Push")
        self.push_button.setObjectName("pushButton")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelPushButton")
        self.close_button = QPushButton("Close")
        self.close_button.setObjectName("closeButton")
        # Enter must never write to Segment: the push button is never a default button.
        self.push_button.setAutoDefault(False)
        self.push_button.setDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        for button in (self.next_button, self.push_button, self.cancel_button, self.close_button):
            buttons.addWidget(button)
        self.back_button.clicked.connect(self._back_to_plan)
        self.next_button.clicked.connect(self._to_confirm)
        self.push_button.clicked.connect(self._start_push)
        self.cancel_button.clicked.connect(self._cancel_work)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.step_label)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)

        self._start_plan()

    # -- pages ---------------------------------------------------------------------

    def _build_plan_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("planPage")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.plan_status = StatusLine("planStatus")
        self.plan_status.retryRequested.connect(self._start_plan)
        self.stale_banner = _wrapping_label("staleBanner")
        self.stale_banner.setVisible(False)
        self.plan_headline = QLabel()
        self.plan_headline.setObjectName("planHeadline")
        self.plan_headline.setFont(heading_font(self.font(), 1.3))
        self.plan_headline.setWordWrap(True)
        self.plan_target = _wrapping_label("planTarget")
        self.plan_reasons = _wrapping_label("planReasons")
        self.plan_summary = _wrapping_label("planSummary")

        self.diff = DiffTable()
        self.request_line = QLabel()
        self.request_line.setObjectName("requestLine")
        self.request_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body_view = CodeView("requestBody")
        self.body_view.set_accessible_label("Request body")
        body_page = QWidget()
        body_layout = QVBoxLayout(body_page)
        body_layout.addWidget(self.request_line)
        body_layout.addWidget(self.body_view, 1)
        changes_page = QWidget()
        changes_layout = QVBoxLayout(changes_page)
        changes_layout.addWidget(self.plan_summary)
        changes_layout.addWidget(self.diff, 1)
        self.plan_tabs = QTabWidget()
        self.plan_tabs.setObjectName("planTabs")
        self.plan_tabs.addTab(changes_page, "&Changes")
        self.plan_tabs.addTab(body_page, "&Request body")

        self.notes_box = QGroupBox("Good to know before pushing")
        notes_layout = QVBoxLayout(self.notes_box)
        self.plan_notes = _wrapping_label("planNotes")
        notes_layout.addWidget(self.plan_notes)

        layout.addWidget(self.plan_status)
        layout.addWidget(self.stale_banner)
        layout.addWidget(self.plan_headline)
        layout.addWidget(self.plan_target)
        layout.addWidget(self.plan_reasons)
        layout.addWidget(self.plan_tabs, 1)
        layout.addWidget(self.notes_box)
        # Takes the free space when the tabs are hidden (refused, errors), so the text
        # stays together at the top instead of spreading over the page.
        layout.addStretch(0)
        return page

    def _build_confirm_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("confirmPage")
        layout = QVBoxLayout(page)
        self.confirm_headline = QLabel()
        self.confirm_headline.setObjectName("confirmHeadline")
        self.confirm_headline.setFont(heading_font(self.font(), 1.3))
        self.confirm_headline.setWordWrap(True)
        self.confirm_text = _wrapping_label("confirmText")
        layout.addWidget(self.confirm_headline)
        layout.addWidget(self.confirm_text)
        layout.addStretch(1)
        return page

    def _build_progress_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("progressPage")
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        self.progress_text = QLabel("Pushing…")
        self.progress_text.setObjectName("progressText")
        self.progress_text.setWordWrap(True)
        self.progress_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setAccessibleName("Push in progress")
        layout.addWidget(self.progress_text)
        layout.addWidget(self.progress_bar)
        layout.addStretch(2)
        return page

    def _build_result_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("resultPage")
        layout = QVBoxLayout(page)
        self.result_headline = QLabel()
        self.result_headline.setObjectName("resultHeadline")
        self.result_headline.setFont(heading_font(self.font(), 1.3))
        self.result_headline.setWordWrap(True)
        self.result_text = _wrapping_label("resultText")
        # Plain text: the outcome's words are shared with the CLI, line for line.
        self.result_text.setTextFormat(Qt.TextFormat.PlainText)
        self.result_status = StatusLine("resultStatus")
        self.result_status.retryRequested.connect(self._start_plan)
        layout.addWidget(self.result_headline)
        layout.addWidget(self.result_status)
        layout.addWidget(self.result_text)
        layout.addStretch(1)
        return page

    # -- step changes --------------------------------------------------------------

    @property
    def step(self) -> PushStep:
        return PushStep(self.stack.currentIndex())

    @property
    def busy(self) -> bool:
        return self._worker is not None

    def _show_step(self, step: PushStep) -> None:
        self.stack.setCurrentIndex(int(step))
        parts = []
        for index, name in enumerate(_STEP_NAMES):
            text = f"{index + 1}. {name}"
            parts.append(f"<b>[{text}]</b>" if index == step else html.escape(text))
        self.step_label.setText(" &nbsp;→&nbsp; ".join(parts))
        self.step_label.setAccessibleName(
            f"Step {int(step) + 1} of {len(_STEP_NAMES)}: {_STEP_NAMES[step]}"
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        step = self.step
        plan = self.plan
        writes = plan is not None and plan.writes and not self.busy
        self.back_button.setVisible(step is PushStep.CONFIRM)
        self.next_button.setVisible(step is PushStep.PLAN)
        self.next_button.setEnabled(writes)
        self.push_button.setVisible(step is PushStep.CONFIRM)
        self.cancel_button.setVisible(self.busy)
        self.cancel_button.setEnabled(not self._cancelling)
        self.close_button.setVisible(not (self.busy and step is PushStep.PROGRESS))
        if step is PushStep.CONFIRM:
            self.back_button.setDefault(True)
            self.back_button.setFocus()
        elif step is PushStep.PLAN and writes:
            self.next_button.setDefault(True)
        else:
            self.close_button.setDefault(True)
        self.push_button.setDefault(False)

    @property
    def plan(self) -> PushPlan | None:
        return self.read.plan if self.read is not None else None

    # -- plan ----------------------------------------------------------------------

    def _start_plan(self) -> None:
        self._show_step(PushStep.PLAN)
        self.read = None
        self._show_plan_contents(False)
        offline = make_plan(self.document, None, self.findings)
        if offline.action is PlanAction.REFUSED:
            # Error findings and documents the API cannot carry need no request.
            self._set_read(ReadPlan(self.target, offline, None))
            return
        self.plan_status.set_busy(
            f"Reading the live connection of audience {offline.audience_id} in space "
            f"{offline.space_id}…"
        )
        target = self.target

        def job(context: JobContext) -> ReadPlan:
            with self.session.new_client(context.cancel) as client:
                # History settles earlier pushes of unknown outcome with this read.
                engine = PushEngine(client, history=PushHistory(), clock=self.session.clock)
                return engine.read_plan(target)

        self._run(job, "plan push", self._plan_ready, self._plan_failed, self._plan_cancelled)

    def _plan_ready(self, read: ReadPlan) -> None:
        if not self._accepts_signal():
            return
        self._worker = None
        self._set_read(read)

    def _set_read(self, read: ReadPlan) -> None:
        self.read = read
        self.plan_status.clear()
        self._show_plan(read.plan)
        said = [read.settled] if read.settled else []
        if read.others:
            said.append(other_connections_text(read.plan, read.plan.connection_id, read.others))
        if said:
            self.stale_banner.setText("<br>".join(html.escape(line) for line in said))
            self.stale_banner.setVisible(True)
        self._update_buttons()

    def _plan_failed(self, error: SegmentError) -> None:
        if not self._accepts_signal():
            return
        self._worker = None
        self.plan_status.set_error(f"Nothing can be planned yet. {error}")
        self._update_buttons()

    def _plan_cancelled(self, _message: str) -> None:
        if not self._accepts_signal():
            return
        self._worker = None
        self._cancelling = False
        self.plan_status.set_error("Cancelled before the plan was ready.")
        self._update_buttons()

    def _show_plan_contents(self, visible: bool) -> None:
        for widget in (self.plan_headline, self.plan_target, self.plan_tabs, self.notes_box):
            widget.setVisible(visible)
        self.plan_reasons.setVisible(False)
        if not visible:
            self.stale_banner.setVisible(False)

    def _show_plan(self, plan: PushPlan) -> None:
        self._show_plan_contents(True)
        self.plan_headline.setText(
            NOTHING_TO_PUSH if plan.action is PlanAction.UNCHANGED else plan.action.label
        )
        self.plan_target.setText(html.escape(target_text(plan, self.document)))
        refused = plan.action is PlanAction.REFUSED
        self.plan_tabs.setVisible(not refused)
        self.notes_box.setVisible(bool(plan.notes) and not refused)
        if refused:
            refused_word = severity_word(Severity.ERROR, self.palette(), "Refused:")
            self.plan_reasons.setText(
                f"{refused_word} nothing will be "
                f"sent. Fix these first (they are listed on the Review step too):"
                + _bullets(plan.reasons)
            )
            self.plan_reasons.setVisible(True)
            return
        self.diff.set_changes(plan.changes, plan.new_rows)
        self.diff.setVisible(bool(plan.changes) or bool(plan.new_rows))
        self.plan_summary.setText(html.escape(plan_summary(plan)))
        if plan.body is not None and plan.action is not PlanAction.UNCHANGED:
            self.request_line.setText(request_line(plan))
            self.body_view.set_content(json.dumps(plan.body, indent=2, ensure_ascii=False))
        else:
            self.request_line.setText("No request: nothing is sent.")
            self.body_view.set_content(
                "Nothing to send: the live connection already matches.", available=False
            )
        self.plan_notes.setText(_bullets([note.message for note in plan.notes]))

    # -- confirm -------------------------------------------------------------------

    def _to_confirm(self) -> None:
        plan = self.plan
        if plan is None or not plan.writes:
            return
        where = f"{plan.space_id}/{plan.audience_id}"
        self.push_button.setText(f"Push to {where}")
        self.push_button.setAccessibleName(
            f"Push to space {plan.space_id}, audience {plan.audience_id}"
        )
        self.confirm_headline.setText(f"Push to {where}?")
        if plan.action is PlanAction.CREATE:
            what = (
                f"This connects destination {plan.destination_id} to audience "
                f"{plan.audience_id} in space {plan.space_id}"
            )
            what += (
                f" with {plural(len(plan.new_rows), 'identifier')}."
                if plan.new_rows
                else " with Segment's default identifiers."
            )
        else:
            what = (
                f"This replaces the whole ID Sync list of connection {plan.connection_id} "
                f"with {plural(len(plan.new_rows), 'identifier')} "
                f"({plural(len(plan.changes), 'change')})."
            )
        after = (
            "<p>After the push the connection sends:</p>"
            + _bullets([row_text(r) for r in plan.new_rows])
            if plan.new_rows
            else ""
        )
        self.confirm_text.setText(
            f"<p>{html.escape(what)}</p>"
            + after
            + "<p>Segment keeps no history of ID Sync settings and cannot undo this. This app "
            "keeps the pushed version under File &gt; History; to go back, push the earlier "
            "list again (the plan shows the live list as it is now).</p>"
            + _bullets([note.message for note in plan.notes])
        )
        self._show_step(PushStep.CONFIRM)

    def _back_to_plan(self) -> None:
        self._show_step(PushStep.PLAN)

    # -- push ----------------------------------------------------------------------

    def _start_push(self) -> None:
        read = self.read
        if read is None or not read.plan.writes or self.busy:
            return
        self._show_step(PushStep.PROGRESS)
        self.progress_text.setText(f"Pushing to {read.plan.space_id}/{read.plan.audience_id}…")

        def job(context: JobContext) -> TargetOutcome:
            with self.session.new_client(context.cancel) as client:
                # The push is kept in history by the engine, as the CLI's push is.
                engine = PushEngine(
                    client, history=PushHistory(), progress=context.report,
                    clock=self.session.clock,
                )
                return engine.push(read)

        worker = self._run(job, "push", self._push_done, self._push_failed, self._push_cancelled)
        worker.signals.progress.connect(self._push_progress)

    def _push_progress(self, message: str) -> None:
        if self._accepts_signal() and not self._cancelling:
            self.progress_text.setText(message)

    def _push_done(self, outcome: TargetOutcome) -> None:
        if not self._accepts_signal():
            return
        self._worker = None
        self._cancelling = False
        if outcome.status is Status.STALE:
            # Nothing was written: show the plan over the live connection as it is now.
            self.read = outcome.read
            self._show_step(PushStep.PLAN)
            self._show_plan(outcome.plan)
            changed = "; ".join(outcome.changed_since_plan)
            self.stale_banner.setText(
                f"<b>{html.escape(STALE_PLAN)}</b>"
                + (f"<br>Changed since the plan: {html.escape(changed)}." if changed else "")
            )
            self.stale_banner.setVisible(True)
            self._update_buttons()
            return
        self.outcome = outcome
        self._show_result(outcome)
        if outcome.sent:
            self.pushed.emit(outcome)

    def _push_failed(self, error: SegmentError) -> None:
        if not self._accepts_signal():
            return
        self._worker = None
        self._cancelling = False
        self.result_headline.setText("The push did not complete")
        self.result_status.set_error(
            f"{error} Retry reads the live connection again and plans afresh, so nothing is "
            "applied twice."
        )
        self.result_text.setText("")
        self._show_step(PushStep.RESULT)

    def _push_cancelled(self, _message: str) -> None:
        if not self._accepts_signal():
            return
        self._worker = None
        self._cancelling = False
        self.result_headline.setText("Cancelled")
        self.result_status.clear()
        self.result_text.setText(
            html.escape("Nothing was written: the live connection is as it was before.")
        )
        self._show_step(PushStep.RESULT)

    def _show_result(self, outcome: TargetOutcome) -> None:
        """The outcome in the words the CLI uses too (idsync.push.wording)."""
        self.result_headline.setText(outcome_headline(outcome))
        lines = outcome_lines(outcome)
        if outcome.status in (Status.APPLIED, Status.CANCELLED, Status.UNCHANGED):
            self.result_status.clear()
            self.result_text.setText("\n".join(lines))
        else:
            self.result_status.set_error(" ".join(lines))
            self.result_text.setText("")
        self._show_step(PushStep.RESULT)

    # -- workers -------------------------------------------------------------------

    def _run(
        self,
        job: Job,
        name: str,
        finished: Callable[[Any], None],
        failed: Callable[[SegmentError], None],
        cancelled: Callable[[str], None],
    ) -> Worker:
        worker = self.session.tasks.start(job, name=name)
        worker.signals.finished.connect(finished)
        worker.signals.failed.connect(failed)
        worker.signals.cancelled.connect(cancelled)
        self._worker = worker
        self._cancelling = False
        self._update_buttons()
        self.session.tasks.launch(worker)
        return worker

    def _accepts_signal(self) -> bool:
        worker = self._worker
        return worker is not None and self.sender() is worker.signals

    def _cancel_work(self) -> None:
        if self._worker is None:
            return
        self._cancelling = True
        self._worker.cancel()
        if self.step is PushStep.PROGRESS:
            self.progress_text.setText(
                "Cancelling… a request already on its way to Segment is let finish, so the "
                "connection ends up either as it was or fully updated."
            )
        self._update_buttons()

    def reject(self) -> None:
        if self.busy and self.step is PushStep.PROGRESS:
            # Closing mid-push would hide whether the write happened: cancel and stay.
            self._cancel_work()
            return
        if self._worker is not None:
            self._worker.cancel()
            self._worker = None
        super().reject()
