"""The shipped examples, checked against the real catalog: the valid ones have no errors
or warnings, each invalid one triggers exactly the error its file is named after, and each
one in warnings/ exactly the warning its file is named after."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from idsync.catalog import load_catalog
from idsync.core.catalog import Catalog
from idsync.core.findings import Severity
from idsync.core.model import IdSyncDocument
from idsync.core.rules import RULES, validate

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
INVALID = EXAMPLES / "invalid"
WARNINGS = EXAMPLES / "warnings"
VALID_NAMES = {
    "facebook-custom-audiences.json",
    "facebook-custom-audiences-actions.json",
    "google-ads-remarketing-lists.json",
    "google-ads-mobile-id-matcher.json",
    "destination-function.json",
    "journey-step.json",
}
ERROR_CODES = sorted(code for code, info in RULES.items() if info.severity is Severity.ERROR)
WARNING_EXAMPLE_CODES = (
    "IDS103", "IDS105", "IDS106", "IDS107", "IDS108", "IDS109", "IDS110", "IDS111",
    "IDS201", "IDS202", "IDS310", "IDS311", "IDS312", "IDS313", "IDS314",
)  # fmt: skip


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def load(path: Path) -> IdSyncDocument:
    return IdSyncDocument.model_validate_json(path.read_bytes())


def test_the_valid_examples_are_there() -> None:
    assert {p.name for p in EXAMPLES.glob("*.json")} == VALID_NAMES


@pytest.mark.parametrize("name", sorted(VALID_NAMES))
def test_valid_example_has_no_errors_or_warnings(name: str, catalog: Catalog) -> None:
    doc = load(EXAMPLES / name)
    problems = [
        f"{f.code} {f.message}" for f in validate(doc, catalog) if f.severity is not Severity.INFO
    ]
    assert problems == []
    assert doc.destination is not None and catalog.destination(doc.destination.slug) is not None


def test_google_example_matches_on_a_mobile_id_without_an_email_row(catalog: Catalog) -> None:
    doc = load(EXAMPLES / "google-ads-mobile-id-matcher.json")
    assert doc.destination is not None
    assert doc.destination.slug == "adwords-remarketing-lists"
    segments = [row.segment for row in doc.identifiers]
    assert "email" not in segments
    assert set(segments) & catalog.mobile_ad_ids()


def test_every_error_code_has_an_invalid_example() -> None:
    expected = {f"{code}-{RULES[code].name}.json" for code in ERROR_CODES}
    assert {p.name for p in INVALID.glob("*.json")} == expected


@pytest.mark.parametrize("code", ERROR_CODES)
def test_invalid_example_triggers_exactly_its_error(code: str, catalog: Catalog) -> None:
    doc = load(INVALID / f"{code}-{RULES[code].name}.json")
    assert {f.code for f in validate(doc, catalog) if f.is_error} == {code}


def test_the_warning_examples_are_there_and_named_after_warnings() -> None:
    expected = {f"{code}-{RULES[code].name}.json" for code in WARNING_EXAMPLE_CODES}
    assert {p.name for p in WARNINGS.glob("*.json")} == expected
    for code in WARNING_EXAMPLE_CODES:
        assert RULES[code].severity is Severity.WARNING, code


@pytest.mark.parametrize("code", WARNING_EXAMPLE_CODES)
def test_warning_example_triggers_exactly_its_warning_and_no_error(
    code: str, catalog: Catalog
) -> None:
    findings = validate(load(WARNINGS / f"{code}-{RULES[code].name}.json"), catalog)
    assert [f.code for f in findings if f.is_error] == []
    assert {f.code for f in findings if f.severity is Severity.WARNING} == {code}


@pytest.mark.parametrize(
    "path", sorted(EXAMPLES.rglob("*.json")), ids=lambda p: str(p.relative_to(EXAMPLES))
)
def test_examples_are_in_canonical_form(path: Path) -> None:
    """Byte for byte what saving the document writes, so a save makes no diff."""
    text = path.read_text(encoding="utf-8")
    assert text == json.dumps(load(path).to_json_data(), indent=2, ensure_ascii=False) + "\n"
    assert load(path).name and load(path).notes
    assert re.fullmatch(r"[a-z0-9-]+\.json|IDS\d{3}-[a-z0-9-]+\.json", path.name)
