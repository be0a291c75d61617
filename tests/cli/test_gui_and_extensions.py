"""How `idsync` reaches the editor, found through the ordinary import system.

The tests put
real modules on ``idsync.ui.__path__`` in a temp folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import idsync
import idsync.ui
from tests.helpers.cli import run
from tests.helpers.documents import CLEAN, write

FAKE_EDITOR = '''
opened = []

def run_gui(paths):
    opened.append(list(paths))
    return 7
'''


@pytest.fixture
def editor_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "ui_override"
    folder.mkdir()
    monkeypatch.setattr(idsync.ui, "__path__", [str(folder), *idsync.ui.__path__])
    monkeypatch.delitem(sys.modules, "idsync.ui.application", raising=False)
    return folder


def _opened() -> list[list[str]]:
    return sys.modules["idsync.ui.application"].opened  # type: ignore[no-any-return]


def test_no_arguments_opens_the_editor(
    editor_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (editor_folder / "application.py").write_text(FAKE_EDITOR)
    result = run(capsys)
    assert result.code == 7
    assert _opened() == [[]]


def test_a_file_argument_opens_it_in_the_editor(
    editor_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (editor_folder / "application.py").write_text(FAKE_EDITOR)
    doc = write(tmp_path / "clean.json", CLEAN)
    assert run(capsys, str(doc)).code == 7
    assert _opened() == [[str(doc)]]


def test_a_folder_argument_opens_the_review_workspace(
    editor_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (editor_folder / "application.py").write_text(FAKE_EDITOR)
    folder = tmp_path / "configs"
    write(folder / "clean.json", CLEAN)
    assert run(capsys, str(folder)).code == 7
    assert _opened() == [[str(folder)]]


def test_a_file_named_like_a_command_runs_the_command(
    editor_folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (editor_folder / "application.py").write_text(FAKE_EDITOR)
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "schema", CLEAN)
    result = run(capsys, "schema")
    assert result.code == 0
    assert '"$schema"' in result.out
    assert "idsync.ui.application" not in sys.modules


def test_missing_pyside6_is_one_clear_line(
    editor_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (editor_folder / "application.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'PySide6'\", name='PySide6')\n"
    )
    result = run(capsys)
    assert result.code == 2
    assert result.err_lines == [
        "idsync: the desktop editor needs PySide6: run `pip install PySide6-Essentials`. "
        "The CLI commands (`idsync check`, `idsync export` ...) work without it."
    ]


def test_missing_qt_system_library_names_the_library(
    editor_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (editor_folder / "application.py").write_text(
        "raise ImportError('libEGL.so.1: cannot open shared object file', name='PySide6.QtGui')\n"
    )
    result = run(capsys)
    assert result.code == 2
    assert "libEGL.so.1" in result.err and "Qt system libraries" in result.err
    assert len(result.err_lines) == 1


