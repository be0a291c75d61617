"""The recovery file: written atomically with the original path, read back, damaged files
reported (never silently lost), removed on request."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.model import IdentifierRow, IdSyncDocument, JourneyTarget, Strategy
from app.storage.autosave import (
    AutosaveError,
    autosave_path,
    read_autosave,
    remove_autosave,
    set_aside_autosave,
    write_autosave,
)


def draft() -> IdSyncDocument:
    return IdSyncDocument(
        name="Draft",
        target=JourneyTarget(space_id="spa_1", journey_id="jou_1", step="Send"),
        identifiers=(IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.ALL),),
    )


def test_no_file_means_nothing_to_recover() -> None:
    assert read_autosave() is None


def test_round_trip_keeps_document_and_original_path(idsync_home: Path, tmp_path: Path) -> None:
    original = tmp_path / "config.json"
    path = write_autosave(draft(), original)
    assert path == autosave_path()
    assert path.is_relative_to(idsync_home / "state")
    recovery = read_autosave()
    assert recovery is not None
    assert recovery.document == draft()
    assert recovery.original_path == original
    assert recovery.saved_at is not None


def test_a_new_document_has_no_original_path() -> None:
    write_autosave(draft(), None)
    recovery = read_autosave()
    assert recovery is not None and recovery.original_path is None


def test_remove_is_quiet_when_there_is_nothing() -> None:
    write_autosave(draft(), None)
    remove_autosave()
    remove_autosave()
    assert not autosave_path().exists()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{ not json", "damaged (line 1"),
        ('{"format": "something-else"}', "not one this app wrote"),
        ('{"format": "idsync-autosave", "document": {"format": "idsync-config", "version": 1,'
         ' "identifiers": [{"segment": "email", "strategy": "often"}]}}', "no usable document"),
    ],
)
def test_damaged_files_raise_a_clear_error(content: str, words: str) -> None:
    autosave_path().write_text(content)
    with pytest.raises(AutosaveError) as caught:
        read_autosave()
    assert words in str(caught.value)
    assert str(autosave_path()) in str(caught.value)


def test_a_recovery_file_from_before_format_2_is_migrated() -> None:
    write_autosave(draft(), None)
    payload = json.loads(autosave_path().read_text())
    payload["document"]["version"] = 1
    payload["document"]["destination"] = {
        "slug": "google-ads-remarketing-lists",
        "name": "Google Ads Remarketing Lists",
        "instance_id": "ii_1",
    }
    payload["document"]["identifiers"] = [
        {"segment": "ios.idfa", "destination": "mobile_id", "strategy": "last"}
    ]
    autosave_path().write_text(json.dumps(payload))
    recovery = read_autosave()
    assert recovery is not None
    document = recovery.document
    assert document.version == 2
    assert document.destination is not None
    assert document.destination.slug == "adwords-remarketing-lists"
    assert document.identifiers[0].destination == "mobile_advertising_id"


def test_set_aside_keeps_the_damaged_file() -> None:
    autosave_path().write_text("{ not json")
    aside = set_aside_autosave()
    assert aside is not None and aside.read_text() == "{ not json"
    assert read_autosave() is None
    assert set_aside_autosave() is None


def test_file_is_readable_json_with_the_document_inline() -> None:
    write_autosave(draft(), None)
    payload = json.loads(autosave_path().read_text())
    assert payload["format"] == "idsync-autosave"
    assert payload["document"]["name"] == "Draft"
