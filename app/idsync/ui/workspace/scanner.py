"""Checking a folder off the UI thread: a QRunnable that lists the documents, checks the
new and changed ones, and reports in batches through signals, with Cancel.

The signals' QObject lives on the UI thread, so every slot runs there (queued); the task
itself touches no widget and no model.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from PySide6.QtCore import QObject, QRunnable, Signal

from idsync.core.catalog import Catalog
from idsync.review.checked import CheckedFile, check_file, document_files

BATCH: Final = 25
"""Results per signal: enough to keep a thousand files from flooding the event loop,
few enough that the table fills visibly."""


class ScanSignals(QObject):
    """Every signal carries the scan's number first, so late signals of a scan that was
    replaced can be told apart and ignored."""

    listed = Signal(int, object, object)  # (all files now: list[Path], removed: list[Path])
    checked = Signal(int, object)  # list[CheckedFile]
    progress = Signal(int, int, int)  # (done, total to check)
    finished = Signal(int, bool)  # cancelled


class ScanTask(QRunnable):
    """List ``root``; check every file whose modification time is not ``known``'s."""

    def __init__(
        self,
        root: Path,
        catalog: Catalog,
        known: Mapping[Path, float | None] | None = None,
        *,
        number: int = 0,
    ) -> None:
        super().__init__()
        self.number = number
        self.setAutoDelete(False)  # the owner keeps it until ``finished``
        self.root = root
        self.catalog = catalog
        self.known = dict(known or {})
        self.signals = ScanSignals()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            self._scan()
        finally:
            self.signals.finished.emit(self.number, self._cancel.is_set())

    def _scan(self) -> None:
        files = list(document_files(self.root))
        present = set(files)
        removed = [path for path in self.known if path not in present]
        self.signals.listed.emit(self.number, files, removed)
        todo = [path for path in files if _changed(path, self.known)]
        total = len(todo)
        self.signals.progress.emit(self.number, 0, total)
        batch: list[CheckedFile] = []
        for done, path in enumerate(todo, start=1):
            if self._cancel.is_set():
                break
            batch.append(check_file(path, self.catalog))
            if len(batch) >= BATCH or done == total:
                self.signals.checked.emit(self.number, batch)
                self.signals.progress.emit(self.number, done, total)
                batch = []
        if batch:
            self.signals.checked.emit(self.number, batch)


def _changed(path: Path, known: Mapping[Path, float | None]) -> bool:
    if path not in known or known[path] is None:
        return True
    try:
        return os.stat(path).st_mtime != known[path]
    except OSError:
        return True
