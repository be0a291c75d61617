"""The window's first stage: the frame paints before the model, the rules and the catalog
are loaded, then ``populate`` fills it; a person who closes or drops a file on the frame
in between loses nothing and breaks nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from pytestqt.qtbot import QtBot

from idsync import APP_NAME
from idsync.core.catalog import Catalog
from idsync.editor.steps import Step
from idsync.storage.settings import Settings, load_settings, save_settings
from idsync.ui.main_window import MainWindow
from tests.helpers.windows import close_window

ROOT = Path(__file__).resolve().parents[2]


def _frame(qtbot: QtBot) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_frame_shows_the_steps_and_the_menu_titles_and_says_it_is_opening(
    qtbot: QtBot,
) -> None:
    window = _frame(qtbot)
    assert not window.populated
    assert window.windowTitle() == APP_NAME
    assert [window.sidebar.item(i).text() for i in range(window.sidebar.count())] == [
        "Target", "Destination", "Event settings", "Review",
    ]
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&View", "&Segment", "&Help"]
    # Empty menus would open as blank popups: they wait until there is something in them.
    assert not any(action.isEnabled() for action in window.menuBar().actions())
    assert window.statusBar().currentMessage() == "Opening…"
    window.close()


def test_populate_fills_the_frame_as_the_one_step_constructor_does(
    qtbot: QtBot, catalog: Catalog
) -> None:
    save_settings(Settings(last_step=Step.DESTINATION.value))
    window = _frame(qtbot)
    assert window.sidebar.currentRow() == Step.DESTINATION.position  # marked at once
    window.populate(catalog)
    window.start([])
    assert window.populated
    assert window.windowTitle() == f"Untitled[*] — {APP_NAME}"
    assert all(action.isEnabled() for action in window.menuBar().actions())
    # The menu itself, not QAction.menu(): PySide6 6.10.0-6.11.1 wrap that one dead.
    segment = window.segment_menu
    assert window.menuBar().actions()[3] == segment.menuAction()
    assert segment.objectName() == "segmentMenu"
    assert [a.objectName() for a in window.file_menu.actions()][:2] == [
        "newAction", "openAction",
    ]
    assert window.statusBar().currentMessage() != "Opening…"
    assert window.current_step is Step.DESTINATION  # the remembered step, as before
    assert window.stack.currentWidget() is window.pages[Step.DESTINATION]
    close_window(window)


def test_closing_the_frame_before_it_is_filled_keeps_the_remembered_step(
    qtbot: QtBot,
) -> None:
    save_settings(Settings(last_step=Step.REVIEW.value))
    window = _frame(qtbot)
    assert window.close()
    settings = load_settings()
    assert settings.last_step == Step.REVIEW.value
    assert settings.window_geometry  # the size and place are kept as at any close


def test_a_file_dropped_on_the_frame_is_refused_not_lost_in_a_crash(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = _frame(qtbot)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "doc.json"))])
    drop = QDropEvent(
        QPoint(10, 10).toPointF(), Qt.DropAction.CopyAction, mime,
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)
    assert not drop.isAccepted()
    window.close()


def test_the_frame_and_the_app_module_load_no_model_rules_or_catalog() -> None:
    """What the first paint waits for: Qt and the frame's own modules, nothing more."""
    script = textwrap.dedent(
        """
        import json, sys
        import idsync.cli.window, idsync.ui.application, idsync.ui.self_test
        print(json.dumps(sorted(sys.modules)))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = set(__import__("json").loads(done.stdout))
    heavy = {"pydantic", "idsync.core.model", "idsync.core.catalog", "idsync.core.rules",
             "idsync.catalog", "idsync.storage.documents", "httpx", "keyring", "multiprocessing"}
    assert heavy & loaded == set()


def test_the_window_is_opened_without_building_the_command_line_parser() -> None:
    script = textwrap.dedent(
        """
        import sys
        from idsync.cli import _run
        import idsync.cli.window
        idsync.cli.window.launch_gui = lambda paths, commands: print(sorted(commands)) or 0
        _run([])
        print("argparse" in sys.modules, "idsync.cli.parser" in sys.modules)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    names, loaded = done.stdout.splitlines()
    assert "check" in names and "push" in names
    assert loaded == "False False"


def test_the_filled_window_loads_no_message_box_until_one_is_shown(tmp_path: Path) -> None:
    """Seam "first use": QMessageBox's Python type is built when a message box is first
    shown, not at every start."""
    script = textwrap.dedent(
        """
        import sys
        from idsync.catalog import load_catalog
        from idsync.ui.application import create_application
        from idsync.ui.main_window import MainWindow

        app = create_application()
        window = MainWindow()
        window.show()
        window.populate(load_catalog())
        window.start([])
        print("idsync.ui.dialogs" in sys.modules, "idsync.segment.client" in sys.modules)
        window.close()
        """
    )
    env = {**os.environ, "IDSYNC_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        check=True,
    )
    assert done.stdout.split() == ["False", "False"]
