"""The JSON-level read of a document: the same words as a full read, without the model."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from idsync.storage.document_text import DocumentError, read_document_json
from idsync.storage.documents import read_document

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "content", [None, b"", b"{\n", b"\xff\xfe{}", b"[1, 2"], ids=[
        "missing", "empty", "broken", "not-utf8", "unclosed",
    ],
)
def test_a_file_that_is_not_json_fails_as_the_full_read_fails(
    tmp_path: Path, content: bytes | None
) -> None:
    path = tmp_path / "doc.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DocumentError) as light:
        read_document_json(path)
    with pytest.raises(DocumentError) as full:
        read_document(path)
    assert str(light.value) == str(full.value)
    assert (light.value.line, light.value.column) == (full.value.line, full.value.column)


def test_json_that_is_not_a_document_is_left_to_the_full_read(tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_text('{"format": "something-else"}', encoding="utf-8")
    assert read_document_json(path) == {"format": "something-else"}
    with pytest.raises(DocumentError):
        read_document(path)


def test_it_loads_neither_the_model_nor_its_reader() -> None:
    script = (
        "import sys, idsync.storage.document_text; "
        "print(sorted(m for m in ('pydantic', 'idsync.core.model') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
