"""The background worker on its own: results, progress, cancel during a wait, and a bug
reaching the person as a message instead of a traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from idsync.segment.cancel import interruptible_sleep
from idsync.segment.errors import SegmentError
from idsync.ui.push.worker import JobContext, TaskRunner


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.cancel_all()
    assert tasks.wait(5000)


def test_result_and_progress_arrive_on_the_ui_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    def job(context: JobContext) -> int:
        context.report("halfway")
        return 42

    worker = runner.start(job)
    progress: list[str] = []
    worker.signals.progress.connect(progress.append)
    with qtbot.waitSignal(worker.signals.finished, timeout=5000) as finished:
        runner.launch(worker)
    assert finished.args == [42]
    qtbot.waitUntil(lambda: progress == ["halfway"])
    qtbot.waitUntil(lambda: runner.active_count == 0)


def test_cancel_wakes_a_waiting_job(qtbot: QtBot, runner: TaskRunner) -> None:
    def job(context: JobContext) -> None:
        context.report("waiting")
        interruptible_sleep(30.0, context.cancel)

    worker = runner.start(job)
    with qtbot.waitSignal(worker.signals.progress, timeout=5000):
        runner.launch(worker)
    with qtbot.waitSignal(worker.signals.cancelled, timeout=5000) as cancelled:
        worker.cancel()
    assert "Nothing further was sent" in cancelled.args[0]
    assert worker.is_cancelled


def test_an_unexpected_error_becomes_a_plain_message(
    qtbot: QtBot, runner: TaskRunner, caplog: pytest.LogCaptureFixture
) -> None:
    def job(context: JobContext) -> None:
        raise KeyError("Bearer sgp_secret_in_a_bug")

    worker = runner.start(job, name="broken job")
    with qtbot.waitSignal(worker.signals.failed, timeout=5000) as failed:
        runner.launch(worker)
    error = failed.args[0]
    assert isinstance(error, SegmentError)
    assert "Something unexpected went wrong" in str(error)
    assert "KeyError" in str(error)
    assert "sgp_secret_in_a_bug" not in str(error)
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in logged] == ["broken job failed with KeyError"]
