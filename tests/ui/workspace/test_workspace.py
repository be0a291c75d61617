"""The review workspace (File > Open Folder…, `idsync FOLDER`): every config of a folder in
a sortable, filterable table, checked off the UI thread with progress and Cancel, watched
for changes, double-click to open in the editor."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from idsync.core.catalog import Catalog
from idsync.core.model import IdentifierRow, Strategy
from idsync.review.checked import check_file
from idsync.ui.main_window import MainWindow
from idsync.ui.workspace import scanner
from idsync.ui.workspace.model import Column, WorkspaceFilter, WorkspaceModel
from idsync.ui.workspace.panel import WorkspacePanel
from tests.helpers.dialogs import DialogDriver
from tests.helpers.documents import BROKEN_JSON, CLEAN, MOBILE_WITHOUT_TOGGLE, ROW_ERROR, write
from tests.helpers.windows import double_click
from tests.helpers.workspace import open_folder_by_menu


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "configs"
    write(root / "clean.json", CLEAN)
    write(root / "team" / "wrong.json", ROW_ERROR.replace(name="Wrong key"))
    mobile = MOBILE_WITHOUT_TOGGLE.replace(name="Mobile")
    write(root / "team" / "mobile.json", mobile)
    (root / "broken.json").write_bytes(BROKEN_JSON)
    (root / "notes.txt").write_text("not a config")
    hidden = root / ".git"
    hidden.mkdir()
    (hidden / "ignored.json").write_bytes(BROKEN_JSON)
    return root


def _open(qtbot: QtBot, window: MainWindow, folder: Path, monkeypatch: pytest.MonkeyPatch
          ) -> WorkspacePanel:
    return open_folder_by_menu(qtbot, window, folder, monkeypatch)


def _column(panel: WorkspacePanel, column: Column) -> list[str]:
    proxy = panel.proxy
    return [str(proxy.index(row, column).data()) for row in range(proxy.rowCount())]


def test_model_passes_the_model_tester(
    qtmodeltester: object, folder: Path, catalog: Catalog
) -> None:
    model = WorkspaceModel(folder)
    model.add_pending(sorted(folder.rglob("*.json")))
    model.update([check_file(folder / "clean.json", catalog),
                  check_file(folder / "broken.json", catalog)])
    proxy = WorkspaceFilter()
    proxy.setSourceModel(model)
    proxy.sort(Column.ERRORS, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    qtmodeltester.check(proxy)  # type: ignore[attr-defined]


def test_open_folder_lists_every_config_with_its_counts(
    qtbot: QtBot, window: MainWindow, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = _open(qtbot, window, folder, monkeypatch)
    assert panel.isVisible()
    assert sorted(_column(panel, Column.NAME)) == sorted(
        ["Facebook email", "Wrong key", "Mobile", "broken.json"]
    ), "subfolders are searched; hidden folders and other files are not"
    rows = {
        panel.proxy.index(r, Column.NAME).data(): [
            panel.proxy.index(r, c).data() for c in Column
        ]
        for r in range(panel.proxy.rowCount())
    }
    (_name, path, target, destination, setup, count, errors, warnings, notes,
     modified) = rows["Wrong key"]
    assert path == str(Path("team") / "wrong.json")
    assert (target, destination, setup, count) == (
        "spa_1 / aud_1", "Facebook Custom Audiences", "Customized Setup", "2"
    )
    assert (errors, warnings) == ("1", "0") and int(notes) > 0 and modified
    assert rows["Mobile"][Column.WARNINGS] == "1"
    broken = rows["broken.json"]
    assert broken[Column.TARGET].startswith("Unreadable: Expecting ',' delimiter")
    tip = panel.proxy.index(_column(panel, Column.NAME).index("broken.json"), Column.NAME).data(
        Qt.ItemDataRole.ToolTipRole
    )
    assert ":5:3:" in tip
    assert panel.status_label.text() == "4 configs · 1 with errors · 1 unreadable"


def test_sort_and_filter_by_clicks_and_keys(
    qtbot: QtBot, window: MainWindow, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = _open(qtbot, window, folder, monkeypatch)
    header = panel.table.horizontalHeader()
    x = header.sectionViewportPosition(Column.ERRORS) + header.sectionSize(Column.ERRORS) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    if panel.table.horizontalHeader().sortIndicatorOrder() is Qt.SortOrder.AscendingOrder:
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert header.sortIndicatorSection() == Column.ERRORS
    assert header.sortIndicatorOrder() is Qt.SortOrder.DescendingOrder
    assert _column(panel, Column.NAME)[0] == "broken.json", "unreadable sorts as the worst"
    assert _column(panel, Column.NAME)[1] == "Wrong key"

    qtbot.keyClicks(panel.filter_edit, "mob")
    assert _column(panel, Column.NAME) == ["Mobile"]
    assert panel.status_label.text().endswith("1 shown")
    panel.filter_edit.clear()
    panel.errors_only.click()
    assert sorted(_column(panel, Column.NAME)) == ["Wrong key", "broken.json"]
    qtbot.keyClicks(panel.filter_edit, "team")  # the path matches too
    assert _column(panel, Column.NAME) == ["Wrong key"]


def test_double_click_opens_in_the_editor_with_the_unsaved_prompt(
    qtbot: QtBot, window: MainWindow, folder: Path, dialogs: DialogDriver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    panel = _open(qtbot, window, folder, monkeypatch)
    window.controller.edit(window.controller.document.replace(name="draft"), "n")
    row = _column(panel, Column.NAME).index("Wrong key")
    rect = panel.table.visualRect(panel.proxy.index(row, Column.TARGET))
    dialogs.expect("unsavedChangesDialog", QMessageBox.StandardButton.Cancel)
    double_click(qtbot, panel.table.viewport(), rect.center())
    assert window.controller.document.name == "draft", "Cancel keeps the work"
    dialogs.expect("unsavedChangesDialog", QMessageBox.StandardButton.Discard)
    double_click(qtbot, panel.table.viewport(), rect.center())
    assert window.controller.path == folder / "team" / "wrong.json"
    assert window.controller.document.name == "Wrong key"
    assert [d.name for d in dialogs.seen] == ["unsavedChangesDialog"] * 2


def test_rows_refresh_when_files_change_appear_and_go(
    qtbot: QtBot, window: MainWindow, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = _open(qtbot, window, folder, monkeypatch)
    fixed = ROW_ERROR.replace(name="Wrong key").with_rows(
        [IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.LAST)]
    )
    write(folder / "team" / "wrong.json", fixed)  # an atomic save, as the editor does
    qtbot.waitUntil(lambda: "Wrong key" in _column(panel, Column.NAME) and _row(panel, "Wrong key")[
        Column.ERRORS] == "0")
    write(folder / "new" / "added.json", CLEAN.replace(name="Added"))
    qtbot.waitUntil(lambda: "Added" in _column(panel, Column.NAME) and not panel.busy)
    (folder / "clean.json").unlink()
    qtbot.waitUntil(lambda: "Facebook email" not in _column(panel, Column.NAME) and not panel.busy)
    assert len(_column(panel, Column.NAME)) == 4


def _row(panel: WorkspacePanel, name: str) -> list[str]:
    row = _column(panel, Column.NAME).index(name)
    return [str(panel.proxy.index(row, c).data()) for c in Column]


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Holds the checker at its first file until the test lets it go."""
    opened = threading.Event()
    real = scanner.check_file

    def held(path: Path, catalog: Catalog) -> object:
        opened.wait(30)
        return real(path, catalog)

    monkeypatch.setattr(scanner, "check_file", held)
    yield opened
    opened.set()


def test_cancel_stops_checking_and_says_what_is_left(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, gate: threading.Event,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = tmp_path / "many"
    for index in range(60):
        write(root / f"doc{index:02d}.json", CLEAN)
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *_a, **_k: str(root))
    )
    window.review_actions.open_folder_action.trigger()
    panel = window.review_actions.panel
    assert panel is not None
    qtbot.waitUntil(lambda: panel.model.rowCount() == 60)  # listed, not yet checked
    assert panel.cancel_button.isVisible() and panel.progress.isVisible()
    with qtbot.waitSignal(panel.scanFinished) as finished:
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
        gate.set()
    assert finished.args == [True]
    pending = [entry for entry in panel.model.entries() if entry.pending]
    assert 0 < len(pending) < 60
    assert not panel.cancel_button.isVisible()
    assert panel.status_label.text().startswith(f"Cancelled: {len(pending)} files not checked")
    assert "Checking…" in _column(panel, Column.TARGET)
    with qtbot.waitSignal(panel.scanFinished):
        panel.refresh_button.click()
    assert not any(entry.pending for entry in panel.model.entries())


def test_a_thousand_files_arrive_in_batches_without_resets(
    qtbot: QtBot, catalog: Catalog, tmp_path: Path
) -> None:
    root = tmp_path / "thousand"
    doc = write(root / "seed.json", CLEAN).read_bytes()
    for index in range(999):
        (root / f"d{index // 100}" / f"doc{index:03d}.json").parent.mkdir(exist_ok=True)
        (root / f"d{index // 100}" / f"doc{index:03d}.json").write_bytes(doc)
    panel = WorkspacePanel(catalog)
    qtbot.addWidget(panel)
    inserts: list[int] = []
    resets: list[int] = []
    changes: list[int] = []
    panel.model.rowsInserted.connect(lambda _p, first, last: inserts.append(last - first + 1))
    panel.model.dataChanged.connect(lambda *_a: changes.append(1))
    with qtbot.waitSignal(panel.scanFinished, timeout=120_000):
        panel.open_folder(root)
        panel.model.modelReset.connect(lambda: resets.append(1))
    assert panel.model.rowCount() == 1000
    assert inserts == [1000], "one insert for the listing"
    assert resets == [], "no reset while checking"
    assert len(changes) <= 1000 // scanner.BATCH + 1, "results arrive in batches"
    assert panel.status_label.text() == "1000 configs · 0 with errors"
    panel.shutdown()


def test_idsync_folder_opens_the_workspace(
    qtbot: QtBot, window: MainWindow, folder: Path
) -> None:
    window.start([str(folder)])
    panel = window.review_actions.panel
    assert panel is not None and panel.root == folder
    if panel.busy:
        with qtbot.waitSignal(panel.scanFinished):
            pass
    assert panel.model.rowCount() == 4
    assert window.controller.path is None, "the editor opens nothing by itself"


def test_export_report_of_the_folder(
    qtbot: QtBot, window: MainWindow, folder: Path, monkeypatch: pytest.MonkeyPatch,
    file_dialogs: object, tmp_path: Path,
) -> None:
    panel = _open(qtbot, window, folder, monkeypatch)
    target = tmp_path / "out" / "folder-report"
    target.parent.mkdir()
    file_dialogs.will_save(target)  # type: ignore[attr-defined]
    qtbot.mouseClick(panel.report_button, Qt.MouseButton.LeftButton)
    html = target.with_suffix(".html").read_text(encoding="utf-8")
    for name in ("Facebook email", "Wrong key", "Mobile", "broken.json"):
        assert name in html
    assert "Wrote the review report of 4 configs" in window.statusBar().currentMessage()


def test_export_review_report_of_the_open_config_escapes_every_value(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, file_dialogs: object
) -> None:
    hostile = ROW_ERROR.replace(name="<script>alert(1)</script>")
    path = write(tmp_path / "hostile.json", hostile)
    assert window.files.open_path(path)
    assert window.review_actions.report_action in window.file_menu.actions()
    target = tmp_path / "hostile-review.html"
    file_dialogs.will_save(target)  # type: ignore[attr-defined]
    window.review_actions.report_action.trigger()
    html = target.read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # The file by its name: a report handed on shows nothing of the reviewer's disk.
    assert "IDS104" in html and path.name in html and str(path.parent) not in html
    assert "Exported the review report" in window.statusBar().currentMessage()
    # Unsaved edits are reported as they stand, with the lines they will have.
    window.controller.edit(hostile.replace(name="Edited"), "name")
    file_dialogs.will_save(target)  # type: ignore[attr-defined]
    window.review_actions.report_action.trigger()
    html = target.read_text(encoding="utf-8")
    assert "Edited" in html and "(unsaved changes)" in html


def test_export_report_holds_what_the_filter_shows_and_asks_beside_the_folder(
    qtbot: QtBot, window: MainWindow, folder: Path, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    panel = _open(qtbot, window, folder, monkeypatch)
    qtbot.keyClicks(panel.filter_edit, "team")
    assert sorted(_column(panel, Column.NAME)) == ["Mobile", "Wrong key"]
    asked: list[str] = []
    target = tmp_path / "team-report.html"

    def save_dialog(_parent: object, _caption: str, start: str, *_args: object) -> tuple[str, str]:
        asked.append(start)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_dialog))
    qtbot.mouseClick(panel.report_button, Qt.MouseButton.LeftButton)
    assert Path(asked[0]).parent == folder.parent  # not inside the folder under review
    html = target.read_text(encoding="utf-8")
    assert "Wrong key" in html and "Mobile" in html
    assert "Facebook email" not in html and "broken.json" not in html
    assert "Wrote the review report of 2 configs (of 4, as filtered)" in (
        window.statusBar().currentMessage()
    )


def test_copies_of_one_config_are_told_apart_by_their_path(
    qtbot: QtBot, window: MainWindow, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for copy in ("a", "b"):
        write(folder / copy / "clean.json", CLEAN)
    panel = _open(qtbot, window, folder, monkeypatch)
    header = panel.table.horizontalHeader()
    assert not header.isSectionHidden(Column.PATH)
    assert panel.proxy.headerData(Column.PATH, Qt.Orientation.Horizontal) == "Path"
    named = zip(_column(panel, Column.NAME), _column(panel, Column.PATH), strict=True)
    paths = sorted(path for name, path in named if name == "Facebook email")
    assert paths == [str(Path(p) / "clean.json") for p in ("a", "b")] + ["clean.json"]
