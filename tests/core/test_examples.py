"""The shipped examples, checked both ways against the real catalog: the valid ones have no
errors, and each invalid one triggers exactly the error its file is named after."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.catalog import load_catalog
from app.core.catalog import Catalog
from app.core.findings import Severity
from app.core.model import IdSyncDocument
from app.core.rules import RULES, validate

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
INVALID = EXAMPLES / "invalid"
VALID_NAMES = {
    "facebook-custom-audiences.json",
    "google-ads-remarketing-lists.json",
    "destination-function.json",
    "journey-step.json",
}
ERROR_CODES = sorted(code for code, info in RULES.items() if info.severity is Severity.ERROR)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def load(path: Path) -> IdSyncDocument:
    return IdSyncDocument.model_validate_json(path.read_bytes())


def test_the_valid_examples_are_there() -> None:
    assert {p.name for p in EXAMPLES.glob("*.json")} == VALID_NAMES


@pytest.mark.parametrize("name", sorted(VALID_NAMES))
def test_valid_example_has_no_errors(name: str, catalog: Catalog) -> None:
    doc = load(EXAMPLES / name)
    errors = [f"{f.code} {f.message}" for f in validate(doc, catalog) if f.is_error]
    assert errors == []
    assert doc.destination is not None and catalog.destination(doc.destination.slug) is not None


def test_every_error_code_has_an_invalid_example() -> None:
    expected = {f"{code}-{RULES[code].name}.json" for code in ERROR_CODES}
    assert {p.name for p in INVALID.glob("*.json")} == expected


@pytest.mark.parametrize("code", ERROR_CODES)
def test_invalid_example_triggers_exactly_its_error(code: str, catalog: Catalog) -> None:
    doc = load(INVALID / f"{code}-{RULES[code].name}.json")
    assert {f.code for f in validate(doc, catalog) if f.is_error} == {code}


@pytest.mark.parametrize(
    "path", sorted(EXAMPLES.rglob("*.json")), ids=lambda p: str(p.relative_to(EXAMPLES))
)
def test_examples_are_in_canonical_form(path: Path) -> None:
    """Byte for byte what saving the document writes, so a save makes no diff."""
    text = path.read_text(encoding="utf-8")
    assert text == load(path).model_dump_json(indent=2) + "\n"
    assert load(path).name and load(path).notes
    assert re.fullmatch(r"[a-z0-9-]+\.json|IDS\d{3}-[a-z0-9-]+\.json", path.name)
