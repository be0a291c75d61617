"""Damaged state never blocks: every file the app keeps for itself, with every kind of
damage, is moved aside as NAME.damaged-<time>, reported once, and the app goes on."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from idsync.core.model import AudienceTarget, DestinationRef, IdSyncDocument
from idsync.storage.autosave import claim_orphans
from idsync.storage.damage import DamagedFile, StateFile, take_reports
from idsync.storage.history import HistoryStore
from idsync.storage.settings import Settings, load_settings, save_settings, settings_path
from tests.helpers.damage import DAMAGE, DAMAGE_KINDS
from tests.helpers.history import START, write_legacy_entry
from tests.helpers.recovery import leave_crashed_recovery

pytestmark = pytest.mark.timeout(60)  # a FIFO read that blocks fails here, not at 300 s

CONNECTED = IdSyncDocument(
    name="Kept",
    target=AudienceTarget(space_id="spa_1", audience_id="aud_1"),
    destination=DestinationRef(slug="facebook-custom-audiences", instance_id="dst_1"),
)


def _the_one_report(path: Path, kind: StateFile) -> DamagedFile:
    [report] = take_reports()
    assert report.kind is kind
    assert report.path == path
    assert report.aside is not None, report.move_error
    assert report.aside.name.startswith(f"{path.name}.damaged-")
    assert os.path.lexists(report.aside), "kept for whoever wants to look"
    assert not os.path.lexists(path)
    assert str(path) in report.message and "moved aside" in report.message
    return report


@pytest.mark.parametrize("damage", DAMAGE_KINDS)
def test_damaged_settings_give_defaults(damage: str) -> None:
    save_settings(Settings(last_step="review"))
    path = settings_path()
    DAMAGE[damage](path)
    assert load_settings() == Settings()
    _the_one_report(path, StateFile.SETTINGS)
    # Next start: nothing damaged any more, nothing reported again.
    assert load_settings() == Settings()
    assert take_reports() == []
    save_settings(Settings(last_step="review"))
    assert load_settings().last_step == "review"


@pytest.mark.parametrize("damage", DAMAGE_KINDS)
def test_a_damaged_recovery_file_is_not_offered(damage: str) -> None:
    path = leave_crashed_recovery(CONNECTED)
    DAMAGE[damage](path)
    assert claim_orphans() == []
    _the_one_report(path, StateFile.RECOVERY)
    assert claim_orphans() == []
    assert take_reports() == []


@pytest.mark.parametrize("damage", DAMAGE_KINDS)
def test_a_damaged_history_entry_is_skipped_and_counted(
    damage: str, idsync_home: Path
) -> None:
    # The entries of the JSON-entry store of earlier versions, read once for the import.
    folder = idsync_home / "data" / "history" / "kept"
    write_legacy_entry(folder, CONNECTED, key="untitled", when=START)
    path = folder / "20200101T000000.000000Z-save.json"
    DAMAGE[damage](path)
    [kept] = HistoryStore().entries()
    assert kept.name == CONNECTED.name
    [report] = take_reports()
    assert (report.kind, report.path) == (StateFile.HISTORY, path)
    assert report.aside is not None, report.move_error
    # Moved aside, then kept with the imported folder.
    assert os.path.lexists(idsync_home / "data" / "history.imported" / "kept" / report.aside.name)
    assert HistoryStore().entries() == [kept]
    assert take_reports() == []


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("recent_files", "/not/a/list.json", []),
        ("recent_files", [1, None, {"a": 1}, "/kept.json"], ["/kept.json"]),
        ("segment_endpoint", ["us"], ""),
        ("segment_base_url", {"url": "https://x"}, ""),
        ("custom_identifiers", [[["phone"]]], []),
    ],
)
def test_a_wrong_value_costs_only_its_own_setting(
    field: str, value: object, expected: object
) -> None:
    settings_path().write_text(
        json.dumps({field: value, "last_step": "review"}), encoding="utf-8"
    )
    settings = load_settings()
    assert getattr(settings, field) == expected
    assert settings.last_step == "review"
    assert take_reports() == []
