"""Whatever is in the file, `check` answers 0, 1 or 2 and never raises."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from idsync.cli import main
from idsync.core.model import IdSyncDocument
from idsync.storage.documents import dump_document
from tests.helpers.documents import ROW_ERROR, row_line, write
from tests.helpers.strategies import damaged_documents, documents, json_values

ROOT = Path(__file__).resolve().parents[2]
# capsys is not used: output goes to pytest's own capture, and each example only needs
# the exit code. The file is rewritten per example, so sharing the folder is safe.
FUZZ_SETTINGS = settings(
    max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def target(tmp_path: Path) -> Path:
    return tmp_path / "fuzz.json"


def _check(path: Path, data: bytes) -> int:
    path.write_bytes(data)
    code = main(["check", "--quiet", str(path)])
    assert code in (0, 1, 2)
    return code


@FUZZ_SETTINGS
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes(target: Path, data: bytes) -> None:
    _check(target, data)


@FUZZ_SETTINGS
@given(value=json_values)
def test_arbitrary_json(target: Path, value: object) -> None:
    _check(target, json.dumps(value).encode("utf-8"))


@FUZZ_SETTINGS
@given(data=damaged_documents())
def test_damaged_documents(target: Path, data: dict[str, object]) -> None:
    _check(target, json.dumps(data, ensure_ascii=False).encode("utf-8"))


@FUZZ_SETTINGS
@given(doc=documents)
def test_every_valid_document_is_readable(target: Path, doc: IdSyncDocument) -> None:
    assert _check(target, dump_document(doc)) in (0, 1)


def test_python_dash_m_app_check(tmp_path: Path) -> None:
    path = write(tmp_path / "wrong.json", ROW_ERROR)
    completed = subprocess.run(
        [sys.executable, "-m", "idsync", "check", "--quiet", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 1, completed.stderr
    assert completed.stdout.startswith(f"{path}:{row_line(path, 2)}:5: IDS104 error: ")
    assert completed.stderr == ""
