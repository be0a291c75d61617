"""The Push dialog end to end against a real sandbox: plan → confirm → push → result."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from idsync.core.catalog import Catalog
from idsync.core.findings import Finding
from idsync.core.model import IdSyncDocument, Strategy
from idsync.core.rules import validate
from idsync.push.outcome import TargetOutcome
from idsync.segment.sandbox import Sandbox
from idsync.storage.history import HistoryEntry, HistoryEvent, HistoryStore
from idsync.ui.controller import DocumentController
from idsync.ui.push.actions import PushActions
from idsync.ui.push.push_dialog import NOTHING_TO_PUSH, PushDialog, PushStep
from idsync.ui.push.session import SegmentSession
from idsync.ui.push.status import StatusKind
from tests.helpers.push_support import (
    ITERABLE,
    SEEDED_ITERABLE_ROWS,
    SPACE,
    TokenRegistry,
    click,
    fast_session,
    iterable_document,
    live_rows,
    row,
)

pytest_plugins = ("tests.helpers.push_support",)
pytestmark = pytest.mark.usefixtures("token_guard")

HIGH_VALUE = "aud_high_value"
SEEDED_ENTRIES = [
    {"externalId": "email", "strategy": "last", "mapTo": "email"},
    {"externalId": "user_id", "strategy": "last", "mapTo": "userId"},
]
FIRST_EMAIL_ROWS = (row("email", "email", Strategy.FIRST), row("user_id", "userId"))
FIRST_EMAIL_ENTRIES = [
    {"externalId": "email", "strategy": "first", "mapTo": "email"},
    {"externalId": "user_id", "strategy": "last", "mapTo": "userId"},
]


def open_push(
    qtbot: QtBot,
    segment_session: SegmentSession,
    doc: IdSyncDocument,
    findings: Sequence[Finding],
) -> PushDialog:
    dialog = PushDialog(segment_session, doc, findings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def wait_plan(qtbot: QtBot, dialog: PushDialog) -> None:
    qtbot.waitUntil(
        lambda: (
            not dialog.busy
            and (dialog.plan is not None or dialog.plan_status.kind is StatusKind.ERROR)
        ),
        timeout=8000,
    )


def confirm_and_push(qtbot: QtBot, dialog: PushDialog) -> None:
    click(qtbot, dialog.next_button)
    assert dialog.step is PushStep.CONFIRM
    click(qtbot, dialog.push_button)


def wait_result(qtbot: QtBot, dialog: PushDialog) -> None:
    qtbot.waitUntil(lambda: dialog.step is PushStep.RESULT and not dialog.busy, timeout=10000)


def writes(sandbox: Sandbox) -> int:
    return sandbox.count(method="POST") + sandbox.count(method="PATCH")


def test_push_create_connects_and_verifies(
    qtbot: QtBot, connected_session: SegmentSession, live_sandbox: Sandbox, catalog: Catalog
) -> None:
    doc = iterable_document(
        "aud_churn_risk", (row("email", "email"), row("user_id", "userId", Strategy.FIRST))
    )
    dialog = open_push(qtbot, connected_session, doc, validate(doc, catalog))
    assert dialog.step is PushStep.PLAN
    wait_plan(qtbot, dialog)

    assert dialog.plan_headline.text() == "Connect the destination to the audience"
    assert dialog.diff.lines() == [
        "+ Added | 1 | Whole row | — | email -> email (last)",
        "+ Added | 2 | Whole row | — | user_id -> userId (first)",
    ]
    assert dialog.request_line.text() == (
        f"POST /spaces/{SPACE}/audiences/aud_churn_risk/destination-connections"
    )
    body = dialog.body_view.text.toPlainText()
    assert f'"id": "{ITERABLE}"' in body
    assert '"strategy": "first"' in body
    bar = dialog.plan_tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    assert dialog.plan_tabs.currentIndex() == 1
    click(qtbot, dialog.body_view.copy_button)
    assert QGuiApplication.clipboard().text() == body
    notes = dialog.plan_notes.text()
    assert "about five minutes" in notes
    assert "not resynced" in notes
    assert writes(live_sandbox) == 0

    click(qtbot, dialog.next_button)
    assert dialog.step is PushStep.CONFIRM
    assert dialog.push_button.text() == f"Push to {SPACE}/aud_churn_risk"
    assert not dialog.push_button.isDefault()
    assert not dialog.push_button.autoDefault()
    assert dialog.back_button.isDefault()

    with qtbot.waitSignal(dialog.pushed, timeout=10000) as pushed:
        click(qtbot, dialog.push_button)
    wait_result(qtbot, dialog)
    assert isinstance(pushed.args[0], TargetOutcome)
    assert dialog.result_headline.text() == f"Pushed to {SPACE}/aud_churn_risk"
    assert "Live configuration matches" in dialog.result_text.text()
    assert live_rows(live_sandbox, "aud_churn_risk", ITERABLE) == [
        {"externalId": "email", "strategy": "last", "mapTo": "email"},
        {"externalId": "user_id", "strategy": "first", "mapTo": "userId"},
    ]
    assert live_sandbox.count(method="POST") == 1


def test_push_update_shows_the_changed_strategy(
    qtbot: QtBot, connected_session: SegmentSession, live_sandbox: Sandbox, catalog: Catalog
) -> None:
    doc = iterable_document(HIGH_VALUE, FIRST_EMAIL_ROWS)
    dialog = open_push(qtbot, connected_session, doc, validate(doc, catalog))
    wait_plan(qtbot, dialog)

    assert dialog.plan_headline.text() == "Update the live connection"
    assert dialog.diff.lines() == [
        "~ Changed | 1 | Strategy of email | Last added (last) | First added (first)",
        "= Same | 2 | Whole row | user_id -> userId (last) | user_id -> userId (last)",
    ]
    assert "connection ii_high_value_iterable" in dialog.plan_target.text()
    assert dialog.request_line.text().startswith("PATCH ")
    assert dialog.request_line.text().endswith("/ii_high_value_iterable")
    assert "1 change to the live list" in dialog.plan_summary.text()

    confirm_and_push(qtbot, dialog)
    wait_result(qtbot, dialog)
    assert "Live configuration matches" in dialog.result_text.text()
    assert live_rows(live_sandbox, HIGH_VALUE, ITERABLE) == FIRST_EMAIL_ENTRIES
    assert live_sandbox.count(method="PATCH") == 1


def test_push_unchanged_has_nothing_to_push(
    qtbot: QtBot, connected_session: SegmentSession, live_sandbox: Sandbox, catalog: Catalog
) -> None:
    doc = iterable_document(HIGH_VALUE, SEEDED_ITERABLE_ROWS)
    dialog = open_push(qtbot, connected_session, doc, validate(doc, catalog))
    wait_plan(qtbot, dialog)
    assert dialog.plan_headline.text() == NOTHING_TO_PUSH
    # The live list is still shown, so the person can see what "matches" means.
    assert dialog.diff.lines() == [
        "= Same | 1 | Whole row | email -> email (last) | email -> email (last)",
        "= Same | 2 | Whole row | user_id -> userId (last) | user_id -> userId (last)",
    ]
    assert not dialog.next_button.isEnabled()
    assert dialog.close_button.isDefault()
    assert dialog.request_line.text() == "No request: nothing is sent."
    # Enter takes the default button: Close.
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert writes(live_sandbox) == 0


def test_push_with_error_findings_is_refused_without_any_request(
    qtbot: QtBot,
    connected_session: SegmentSession,
    live_sandbox: Sandbox,
    catalog: Catalog,
    doc_controller: DocumentController,
    plain_window: QMainWindow,
) -> None:
    six = tuple(row(name, name) for name in ("email", "user_id", "anonymous_id", "a", "b", "c"))
    doc = iterable_document(HIGH_VALUE, six)
    findings = validate(doc, catalog)
    assert any(f.is_error for f in findings)

    dialog = open_push(qtbot, connected_session, doc, findings)
    wait_plan(qtbot, dialog)
    assert dialog.plan_headline.text() == "Cannot push"
    assert dialog.plan_reasons.isVisible()
    assert "IDS102 (row 6)" in dialog.plan_reasons.text()
    assert "nothing will be sent" in dialog.plan_reasons.text()
    assert not dialog.plan_tabs.isVisible()
    assert not dialog.next_button.isEnabled()
    assert live_sandbox.count() == 0

    # From the menu, Push is off and says why.
    doc_controller.load(doc, None)
    actions = PushActions(plain_window, doc_controller, connected_session)
    assert not actions.push_action.isEnabled()
    assert actions.push_action.toolTip().startswith("Fix the 1 error first")


def test_rate_limit_then_success(
    qtbot: QtBot, connected_session: SegmentSession, live_sandbox: Sandbox, catalog: Catalog
) -> None:
    doc = iterable_document(HIGH_VALUE, FIRST_EMAIL_ROWS)
    dialog = open_push(qtbot, connected_session, doc, validate(doc, catalog))
    wait_plan(qtbot, dialog)
    live_sandbox.fail_next(1, status=429, retry_after=1, method="PATCH")

    confirm_and_push(qtbot, dialog)
    wait_result(qtbot, dialog)
    assert live_sandbox.count(method="PATCH", status=429) == 1
    assert live_sandbox.count(method="PATCH", status=200) == 1
    assert "Live configuration matches" in dialog.result_text.text()
    assert live_rows(live_sandbox, HIGH_VALUE, ITERABLE) == FIRST_EMAIL_ENTRIES


def test_cancel_while_waiting_on_the_rate_limit_writes_nothing(
    qtbot: QtBot, connected_session: SegmentSession, live_sandbox: Sandbox, catalog: Catalog
) -> None:
    doc = iterable_document(HIGH_VALUE, FIRST_EMAIL_ROWS)
    dialog = open_push(qtbot, connected_session, doc, validate(doc, catalog))
    wait_plan(qtbot, dialog)
    live_sandbox.fail_next(1, status=429, retry_after=30, method="PATCH")

    confirm_and_push(qtbot, dialog)
    qtbot.waitUntil(lambda: live_sandbox.count(status=429) == 1, timeout=8000)
    assert dialog.step is PushStep.PROGRESS
    assert not dialog.close_button.isVisible()
    click(qtbot, dialog.cancel_button)
    assert "Cancelling" in dialog.progress_text.text()

    wait_result(qtbot, dialog)
    assert dialog.result_headline.text() == "Cancelled"
    assert "Nothing was written" in dialog.result_text.text()
    assert live_rows(live_sandbox, HIGH_VALUE, ITERABLE) == SEEDED_ENTRIES
    assert live_sandbox.count(method="PATCH", status=200) == 0


def test_cancel_during_the_write_leaves_old_or_new_and_says_which(
    qtbot: QtBot, connected_session: SegmentSession, live_sandbox: Sandbox, catalog: Catalog
) -> None:
    doc = iterable_document(HIGH_VALUE, FIRST_EMAIL_ROWS)
    dialog = open_push(qtbot, connected_session, doc, validate(doc, catalog))
    wait_plan(qtbot, dialog)
    live_sandbox.slow(0.5)

    confirm_and_push(qtbot, dialog)
    qtbot.waitUntil(lambda: "Sending PATCH" in dialog.progress_text.text(), timeout=8000)
    click(qtbot, dialog.cancel_button)
    wait_result(qtbot, dialog)
    live_sandbox.clear_faults()

    now = live_rows(live_sandbox, HIGH_VALUE, ITERABLE)
    assert now in (SEEDED_ENTRIES, FIRST_EMAIL_ENTRIES), "half-written connection"
    if now == SEEDED_ENTRIES:
        assert dialog.result_headline.text() == "Cancelled"
    else:
        assert dialog.result_headline.text().startswith("Pushed to")
        assert "before you cancelled" in dialog.result_text.text()


def test_the_window_keeps_working_while_the_plan_loads(
    qtbot: QtBot, connected_session: SegmentSession, live_sandbox: Sandbox, catalog: Catalog
) -> None:
    live_sandbox.slow(1.5, count=1)
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    doc = iterable_document(HIGH_VALUE, FIRST_EMAIL_ROWS)
    dialog = open_push(qtbot, connected_session, doc, validate(doc, catalog))
    assert dialog.busy
    assert dialog.plan_status.kind is StatusKind.BUSY
    qtbot.waitUntil(lambda: len(ticks) >= 10)
    # The event loop ran ten timer ticks and the plan is still on its way.
    assert dialog.busy
    assert dialog.plan_status.busy.isVisible()
    wait_plan(qtbot, dialog)
    timer.stop()
    assert dialog.plan_headline.text() == "Update the live connection"


def test_a_plan_that_changed_meanwhile_is_shown_again_and_nothing_is_written(
    qtbot: QtBot, connected_session: SegmentSession, live_sandbox: Sandbox, catalog: Catalog
) -> None:
    doc = iterable_document(HIGH_VALUE, FIRST_EMAIL_ROWS)
    # Someone else changes the connection in Segment right after the plan is read: a
    # plan of any age is read again before the write.
    live_sandbox.after_next(
        lambda state: state.set_id_sync(
            SPACE, HIGH_VALUE, ITERABLE, [{"externalId": "email", "strategy": "all"}]
        ),
        method="GET",
    )
    dialog = open_push(qtbot, connected_session, doc, validate(doc, catalog))
    wait_plan(qtbot, dialog)

    confirm_and_push(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.stale_banner.isVisible(), timeout=8000)
    assert dialog.step is PushStep.PLAN
    banner = dialog.stale_banner.text()
    assert "changed after you reviewed the plan" in banner
    assert (
        "Changed since the plan: row 2 removed: user_id -&gt; userId (last); row 1 "
        "destination: email -&gt; (none); row 1 strategy: last -&gt; all." in banner
    )
    assert dialog.diff.lines() == [
        "~ Changed | 1 | Destination field (mapTo) of email | (none) | email",
        "~ Changed | 1 | Strategy of email | All (all) | First added (first)",
        "+ Added | 2 | Whole row | — | user_id -> userId (last)",
    ]
    assert live_sandbox.count(method="PATCH") == 0


def test_enter_on_the_confirm_step_goes_back_instead_of_pushing(
    qtbot: QtBot, connected_session: SegmentSession, live_sandbox: Sandbox, catalog: Catalog
) -> None:
    doc = iterable_document(HIGH_VALUE, FIRST_EMAIL_ROWS)
    dialog = open_push(qtbot, connected_session, doc, validate(doc, catalog))
    wait_plan(qtbot, dialog)
    click(qtbot, dialog.next_button)
    assert dialog.step is PushStep.CONFIRM
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.step is PushStep.PLAN
    assert writes(live_sandbox) == 0


def test_refused_token_during_push_then_retry_plans_again(
    qtbot: QtBot,
    connected_session: SegmentSession,
    live_sandbox: Sandbox,
    catalog: Catalog,
    used_tokens: TokenRegistry,
) -> None:
    doc = iterable_document(HIGH_VALUE, FIRST_EMAIL_ROWS)
    dialog = open_push(qtbot, connected_session, doc, validate(doc, catalog))
    wait_plan(qtbot, dialog)
    real = live_sandbox.token
    live_sandbox.token = used_tokens.add("sbx_rotated_token")  # the token was revoked

    confirm_and_push(qtbot, dialog)
    wait_result(qtbot, dialog)
    status = dialog.result_status
    assert status.kind is StatusKind.ERROR
    assert "token was refused (HTTP 401)" in status.text
    assert "nothing is applied twice" in status.text
    assert live_sandbox.count(method="PATCH", status=200) == 0
    assert live_rows(live_sandbox, HIGH_VALUE, ITERABLE) == SEEDED_ENTRIES

    live_sandbox.token = real
    click(qtbot, status.retry_button)
    assert dialog.step is PushStep.PLAN
    wait_plan(qtbot, dialog)
    assert dialog.plan_headline.text() == "Update the live connection"


def test_unknown_audience_is_named_with_retry(
    qtbot: QtBot, connected_session: SegmentSession, live_sandbox: Sandbox, catalog: Catalog
) -> None:
    doc = iterable_document("aud_missing", FIRST_EMAIL_ROWS)
    dialog = open_push(qtbot, connected_session, doc, validate(doc, catalog))
    wait_plan(qtbot, dialog)
    status = dialog.plan_status
    assert status.kind is StatusKind.ERROR
    assert "could not find audience aud_missing in space spa_test_main (HTTP 404)" in status.text
    assert status.retry_button.isVisible()
    assert not dialog.next_button.isEnabled()


def test_segment_refusing_the_body_names_the_field(
    qtbot: QtBot, connected_session: SegmentSession, live_sandbox: Sandbox
) -> None:
    # Six rows and no findings: the server-side limit is what stops it.
    six = tuple(row(name, name) for name in ("email", "user_id", "anonymous_id", "a", "b", "c"))
    dialog = open_push(qtbot, connected_session, iterable_document(HIGH_VALUE, six), ())
    wait_plan(qtbot, dialog)
    confirm_and_push(qtbot, dialog)
    wait_result(qtbot, dialog)
    text = dialog.result_status.text
    assert "in field idSyncConfiguration (HTTP 422)" in text
    assert "at most 5 entries" in text
    assert dialog.result_status.retry_button.isVisible()
    assert live_rows(live_sandbox, HIGH_VALUE, ITERABLE) == SEEDED_ENTRIES


def test_server_gone_before_the_push_gives_the_network_message(
    qtbot: QtBot, connected_session: SegmentSession, live_sandbox: Sandbox, catalog: Catalog
) -> None:
    doc = iterable_document(HIGH_VALUE, FIRST_EMAIL_ROWS)
    dialog = open_push(qtbot, connected_session, doc, validate(doc, catalog))
    wait_plan(qtbot, dialog)
    live_sandbox.stop()
    confirm_and_push(qtbot, dialog)
    wait_result(qtbot, dialog)
    assert "Could not connect to 127.0.0.1" in dialog.result_status.text


def test_a_slow_server_times_out_with_a_message(
    qtbot: QtBot, live_sandbox: Sandbox, catalog: Catalog, memory_keyring: object
) -> None:
    from idsync.segment.endpoints import ConnectionProfile, EndpointKind

    segment_session = fast_session(timeout=0.3)
    try:
        segment_session.connect_to(
            ConnectionProfile.create(EndpointKind.CUSTOM, live_sandbox.url),
            live_sandbox.token,
            remember=False,
        )
        live_sandbox.slow(1.0, count=1)
        doc = iterable_document(HIGH_VALUE, FIRST_EMAIL_ROWS)
        dialog = open_push(qtbot, segment_session, doc, validate(doc, catalog))
        wait_plan(qtbot, dialog)
        assert "did not answer within 0.3 s" in dialog.plan_status.text
        click(qtbot, dialog.plan_status.retry_button)
        wait_plan(qtbot, dialog)
        assert dialog.plan_headline.text() == "Update the live connection"
    finally:
        segment_session.shutdown()


def test_push_from_the_menu_shortcut(
    qtbot: QtBot,
    connected_session: SegmentSession,
    live_sandbox: Sandbox,
    doc_controller: DocumentController,
    plain_window: QMainWindow,
) -> None:
    doc_controller.load(iterable_document(HIGH_VALUE, FIRST_EMAIL_ROWS), None)
    actions = PushActions(plain_window, doc_controller, connected_session)
    actions.install(plain_window.menuBar().addMenu("&Segment"))
    assert actions.push_action.isEnabled()
    plain_window.activateWindow()
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is plain_window.windowHandle())

    qtbot.keyClick(
        plain_window,
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = actions.dialog
    assert isinstance(dialog, PushDialog)
    wait_plan(qtbot, dialog)
    confirm_and_push(qtbot, dialog)
    wait_result(qtbot, dialog)
    assert live_rows(live_sandbox, HIGH_VALUE, ITERABLE) == FIRST_EMAIL_ENTRIES


def test_journey_push_is_refused_and_says_to_export_instead(
    qtbot: QtBot, connected_session: SegmentSession, live_sandbox: Sandbox, catalog: Catalog
) -> None:
    from idsync.core.model import JourneyTarget

    doc = iterable_document(HIGH_VALUE, FIRST_EMAIL_ROWS).replace(
        target=JourneyTarget(space_id=SPACE, journey_id="jou_1", step="Welcome")
    )
    dialog = open_push(qtbot, connected_session, doc, validate(doc, catalog))
    wait_plan(qtbot, dialog)
    assert dialog.plan_headline.text() == "Cannot push"
    reasons = dialog.plan_reasons.text()
    assert "Journey steps have no ID Sync field" in reasons
    assert "export" in reasons.lower()
    assert not dialog.next_button.isEnabled()
    assert writes(live_sandbox) == 0


def test_going_back_to_default_setup_is_refused_with_the_reason(
    qtbot: QtBot, connected_session: SegmentSession, live_sandbox: Sandbox, catalog: Catalog
) -> None:
    from idsync.core.model import Setup

    # The seeded connection has customized rows; an empty list would change nothing.
    doc = iterable_document(HIGH_VALUE, SEEDED_ITERABLE_ROWS).replace(setup=Setup.DEFAULT)
    dialog = open_push(qtbot, connected_session, doc, validate(doc, catalog))
    wait_plan(qtbot, dialog)
    assert dialog.plan_headline.text() == "Cannot push"
    assert "Default Setup" in dialog.plan_reasons.text()
    assert "Segment app" in dialog.plan_reasons.text()
    assert not dialog.next_button.isEnabled()
    assert writes(live_sandbox) == 0


def test_the_window_and_the_cli_say_the_same_about_the_same_push(
    qtbot: QtBot,
    connected_session: SegmentSession,
    live_sandbox: Sandbox,
    catalog: Catalog,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from idsync.cli import main
    from idsync.storage.documents import write_document
    from idsync.storage.secrets import TOKEN_ENV_VAR

    doc = iterable_document(HIGH_VALUE, FIRST_EMAIL_ROWS)
    path = tmp_path / "iterable.json"
    write_document(path, doc)
    monkeypatch.setenv(TOKEN_ENV_VAR, live_sandbox.token)
    assert main(["push", "--yes", "--base-url", live_sandbox.url, str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    start = next(i for i, line in enumerate(out) if line.startswith("  result: "))
    cli_text = [out[start].removeprefix("  result: ")]
    cli_text += [line.removeprefix("    ") for line in out[start + 1 :] if line.startswith("    ")]

    # The same push again from the window, over the same live connection as before.
    with live_sandbox.state.lock:
        for connection in live_sandbox.state.connections[(SPACE, HIGH_VALUE)]:
            if connection["destinationId"] == ITERABLE:
                connection["idSyncConfiguration"] = SEEDED_ENTRIES
    dialog = open_push(qtbot, connected_session, doc, validate(doc, catalog))
    wait_plan(qtbot, dialog)
    confirm_and_push(qtbot, dialog)
    wait_result(qtbot, dialog)
    window_text = [dialog.result_headline.text(), *dialog.result_text.text().split("\n")]

    assert window_text == cli_text
    assert "✓ Live configuration matches" in window_text[1]
    # One recording route: both pushes are kept alike, with the same outcome.
    window_entry, cli_entry = pushes()
    assert window_entry.detail == cli_entry.detail
    assert cli_entry.detail.endswith(": applied and verified")
    assert HistoryStore().load(window_entry) == HistoryStore().load(cli_entry) == doc


def test_a_push_history_cannot_keep_is_said_in_the_result_as_in_the_cli(
    qtbot: QtBot,
    connected_session: SegmentSession,
    live_sandbox: Sandbox,
    catalog: Catalog,
) -> None:
    from idsync.storage.paths import history_database

    folder = history_database().parent
    for leftover in folder.iterdir():
        leftover.unlink()
    folder.rmdir()
    folder.write_text("a file where the state folder should be", encoding="utf-8")
    doc = iterable_document(HIGH_VALUE, FIRST_EMAIL_ROWS)
    dialog = open_push(qtbot, connected_session, doc, validate(doc, catalog))
    wait_plan(qtbot, dialog)
    with qtbot.waitSignal(dialog.pushed, timeout=10000) as pushed:
        confirm_and_push(qtbot, dialog)
    wait_result(qtbot, dialog)
    outcome = pushed.args[0]
    assert isinstance(outcome, TargetOutcome)
    assert outcome.history_note is not None
    assert "History could not keep this version" in outcome.history_note
    assert outcome.history_note in dialog.result_text.text()
    assert live_sandbox.count(method="PATCH") == 1


# -- outcomes with no blind spots -------------------------------------------------------


def pushes() -> list[HistoryEntry]:
    """The pushes kept in history, newest first."""
    return [e for e in HistoryStore().entries() if e.event is HistoryEvent.PUSH]


def push_results() -> list[str]:
    return [e.detail.rpartition(": ")[2] for e in pushes()]


def test_segment_storing_other_rows_is_said_to_differ_and_kept_so(
    qtbot: QtBot, connected_session: SegmentSession, live_sandbox: Sandbox, catalog: Catalog
) -> None:
    live_sandbox.store_other_rows([{"externalId": "email", "strategy": "all"}], method="PATCH")
    doc = iterable_document(HIGH_VALUE, FIRST_EMAIL_ROWS)
    dialog = open_push(qtbot, connected_session, doc, validate(doc, catalog))
    wait_plan(qtbot, dialog)
    with qtbot.waitSignal(dialog.pushed, timeout=10000):
        confirm_and_push(qtbot, dialog)
    wait_result(qtbot, dialog)
    assert dialog.result_headline.text() == (
        f"Pushed to {SPACE}/{HIGH_VALUE}, but the live configuration differs"
    )
    assert dialog.result_status.kind is StatusKind.ERROR
    assert "✗ Segment took the push but the live configuration differs" in (
        dialog.result_status.text
    )
    assert "Live configuration matches" not in dialog.result_text.text()
    assert push_results() == ["applied, differs"]


def test_a_late_apply_after_a_504_is_found_by_the_retry_not_connected_twice(
    qtbot: QtBot, connected_session: SegmentSession, live_sandbox: Sandbox, catalog: Catalog
) -> None:
    live_sandbox.apply_late(method="POST", status=504, after_requests=2)
    doc = iterable_document("aud_churn_risk", FIRST_EMAIL_ROWS)
    dialog = open_push(qtbot, connected_session, doc, validate(doc, catalog))
    wait_plan(qtbot, dialog)
    confirm_and_push(qtbot, dialog)
    wait_result(qtbot, dialog)
    status = dialog.result_status
    assert dialog.result_headline.text() == "Not applied"
    assert "Not applied yet as far as Segment shows; it may still apply" in status.text
    assert "nothing is applied twice" not in status.text
    assert push_results() == ["not applied yet (answer lost; it may still apply)"]

    click(qtbot, status.retry_button)
    wait_plan(qtbot, dialog)
    assert dialog.plan_headline.text() == NOTHING_TO_PUSH
    assert "is now settled in History: applied" in dialog.stale_banner.text()
    assert not dialog.next_button.isEnabled()
    connections = live_sandbox.state.connections[(SPACE, "aud_churn_risk")]
    assert [c["destinationId"] for c in connections] == [ITERABLE]
    assert live_sandbox.count(method="POST") == 1
    assert push_results()[0].startswith("applied (settled by a later read;")


def test_an_unknown_push_is_kept_then_settled_in_place_by_the_next_plan(
    qtbot: QtBot, connected_session: SegmentSession, live_sandbox: Sandbox, catalog: Catalog
) -> None:
    from idsync.segment.sandbox import LostAnswer

    live_sandbox.lose_answer_after_apply(LostAnswer.DROP, method="PATCH")
    # The plan's read and the read right before the write pass; every read after fails.
    live_sandbox.after_next(
        lambda state: live_sandbox.fail_next(10, status=500, method="GET"), method="GET", count=2
    )
    doc = iterable_document(HIGH_VALUE, FIRST_EMAIL_ROWS)
    dialog = open_push(qtbot, connected_session, doc, validate(doc, catalog))
    wait_plan(qtbot, dialog)
    confirm_and_push(qtbot, dialog)
    wait_result(qtbot, dialog)
    assert dialog.result_headline.text() == "Unknown whether the push was applied"
    assert push_results() == ["unknown (answer lost, could not read back)"]

    live_sandbox.clear_faults()
    again = open_push(qtbot, connected_session, doc, validate(doc, catalog))
    wait_plan(qtbot, again)
    assert again.plan_headline.text() == NOTHING_TO_PUSH
    assert "is now settled in History: applied" in again.stale_banner.text()
    assert push_results() == [
        "applied (settled by a later read; it was unknown (answer lost, could not read back))"
    ]


def test_a_refused_token_in_the_plan_names_the_region_and_workspace(
    qtbot: QtBot,
    connected_session: SegmentSession,
    live_sandbox: Sandbox,
    catalog: Catalog,
    used_tokens: TokenRegistry,
) -> None:
    live_sandbox.token = used_tokens.add("sbx_rotated_token_2")
    doc = iterable_document(HIGH_VALUE, FIRST_EMAIL_ROWS)
    dialog = open_push(qtbot, connected_session, doc, validate(doc, catalog))
    wait_plan(qtbot, dialog)
    text = dialog.plan_status.text
    assert "token was refused (HTTP 401)" in text
    assert "US and EU workspaces have separate tokens" in text
    assert f"the workspace that holds audience {HIGH_VALUE} in space {SPACE}" in text


def test_a_failed_plan_read_says_what_could_not_be_read(
    qtbot: QtBot, connected_session: SegmentSession, live_sandbox: Sandbox, catalog: Catalog
) -> None:
    live_sandbox.fail_next(1, status=422, method="GET")
    doc = iterable_document(HIGH_VALUE, FIRST_EMAIL_ROWS)
    dialog = open_push(qtbot, connected_session, doc, validate(doc, catalog))
    wait_plan(qtbot, dialog)
    text = dialog.plan_status.text
    assert (
        f"Could not read the destination connections of audience {HIGH_VALUE} in space "
        f"{SPACE}: Segment answered HTTP 422." in text
    )
    assert "Fix the config" not in text and "refused the change" not in text
    assert dialog.plan_status.retry_button.isVisible()


def test_every_error_of_segments_envelope_is_shown(
    qtbot: QtBot, connected_session: SegmentSession, live_sandbox: Sandbox, catalog: Catalog
) -> None:
    live_sandbox.fail_next(
        1,
        status=422,
        method="PATCH",
        errors=[("first problem", "idSyncConfiguration"), ("second problem", "connectionSettings")],
    )
    doc = iterable_document(HIGH_VALUE, FIRST_EMAIL_ROWS)
    dialog = open_push(qtbot, connected_session, doc, validate(doc, catalog))
    wait_plan(qtbot, dialog)
    confirm_and_push(qtbot, dialog)
    wait_result(qtbot, dialog)
    assert (
        "Segment said: first problem (field idSyncConfiguration); second problem (field "
        "connectionSettings)." in dialog.result_status.text
    )


def test_four_rows_using_all_are_refused_by_the_sandbox_as_by_segment(
    qtbot: QtBot, connected_session: SegmentSession, live_sandbox: Sandbox
) -> None:
    # No findings given: only the sandbox's own limit stands between this and Segment.
    four = tuple(row(name, name, Strategy.ALL) for name in ("email", "user_id", "a", "b"))
    dialog = open_push(qtbot, connected_session, iterable_document(HIGH_VALUE, four), ())
    wait_plan(qtbot, dialog)
    confirm_and_push(qtbot, dialog)
    wait_result(qtbot, dialog)
    text = dialog.result_status.text
    assert "in field idSyncConfiguration (HTTP 422)" in text
    assert "at most 3 entries with the strategy all; got 4" in text
    assert live_rows(live_sandbox, HIGH_VALUE, ITERABLE) == SEEDED_ENTRIES


def test_two_connections_to_one_destination_are_flagged_in_the_plan(
    qtbot: QtBot, connected_session: SegmentSession, live_sandbox: Sandbox, catalog: Catalog
) -> None:
    live_sandbox.state.connect(
        SPACE, HIGH_VALUE, ITERABLE, [{"externalId": "email", "strategy": "last"}],
        connection_id="ii_made_elsewhere",
    )
    doc = iterable_document(HIGH_VALUE, FIRST_EMAIL_ROWS)
    dialog = open_push(qtbot, connected_session, doc, validate(doc, catalog))
    wait_plan(qtbot, dialog)
    banner = dialog.stale_banner.text()
    assert dialog.stale_banner.isVisible()
    assert "has 2 connections to destination dst_iterable" in banner
    assert "The push updates ii_high_value_iterable only" in banner
    confirm_and_push(qtbot, dialog)
    wait_result(qtbot, dialog)
    assert "has 2 connections" in dialog.result_text.text()
    assert live_sandbox.count(method="POST") == 0
