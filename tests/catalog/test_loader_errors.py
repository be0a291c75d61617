"""Broken catalog copies give a CatalogError that names the file, the field and the line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from idsync.catalog import DESTINATIONS_FILE, IDENTIFIERS_FILE, CatalogError, load_catalog_from
from idsync.catalog.loader import MAX_FILE_BYTES
from tests.helpers.jsonfiles import read_json, write_json


def _line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    seen = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not in {path}")


def _load_error(folder: Path) -> CatalogError:
    with pytest.raises(CatalogError) as caught:
        load_catalog_from(folder)
    return caught.value


def test_a_valid_copy_loads(catalog_copy: Path) -> None:
    catalog = load_catalog_from(catalog_copy)
    assert catalog.destination("personas-facebook-custom-audiences") is not None
    assert catalog.custom_identifier_kinds, "the kinds of custom identifier names are read too"


def _index_of(data: dict[str, Any], segment_slug: str) -> int:
    return next(
        i for i, d in enumerate(data["destinations"]) if d.get("segment_slug") == segment_slug
    )


def test_json_syntax_error_names_file_line_and_column(catalog_copy: Path) -> None:
    path = catalog_copy / DESTINATIONS_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('"segment_slug": "braze",', '"segment_slug": "braze"', 1), encoding="utf-8"
    )
    # The decoder stops at the next key, on the line after the damaged one.
    expected_line = _line_of(path, '"segment_slug": "braze"') + 1

    error = _load_error(catalog_copy)

    assert error.path == path
    assert error.line == expected_line
    assert error.column is not None
    message = str(error)
    assert str(path) in message
    assert message.startswith(f"{path}:{expected_line}:{error.column}: ")
    assert "not valid JSON" in message


def test_wrong_type_names_the_field_the_destination_and_its_line(catalog_copy: Path) -> None:
    path = catalog_copy / DESTINATIONS_FILE
    data = read_json(path)
    index = _index_of(data, "zendesk")
    data["destinations"][index]["supports_mobile_ids"] = "sometimes"
    write_json(path, data)

    error = _load_error(catalog_copy)

    assert error.field == f'destinations[{index}] ("zendesk").supports_mobile_ids'
    assert error.line == _line_of(path, '"supports_mobile_ids": "sometimes"')
    assert str(path) in str(error)
    assert "'sometimes' is not true or false" in str(error)


def test_missing_field_points_at_the_entry_that_lacks_it(catalog_copy: Path) -> None:
    path = catalog_copy / IDENTIFIERS_FILE
    data = read_json(path)
    del data["identifiers"][2]["name"]
    write_json(path, data)
    entry_line = _line_of(path, '"id": "group_id"') - 1  # the entry's opening brace

    error = _load_error(catalog_copy)

    assert error.path == path
    assert error.field == 'identifiers[2] ("group_id").name'
    assert error.line == entry_line
    assert "is required but missing — add it" in str(error)


def test_unknown_field_is_reported_with_its_name(catalog_copy: Path) -> None:
    path = catalog_copy / DESTINATIONS_FILE
    data = read_json(path)
    data["destinations"][4]["colour"] = "blue"
    write_json(path, data)

    error = _load_error(catalog_copy)

    assert error.field is not None
    assert error.field.endswith(".colour")
    assert error.line == _line_of(path, '"colour": "blue"')
    assert "is not a known field" in str(error)


def test_duplicate_slug_is_refused_at_the_second_entry(catalog_copy: Path) -> None:
    path = catalog_copy / DESTINATIONS_FILE
    data = read_json(path)
    assert data["destinations"][-1]["slug"] == "destination-function"
    data["destinations"][-1]["slug"] = "iterable"
    write_json(path, data)

    error = _load_error(catalog_copy)

    assert error.line == _line_of(path, '"slug": "iterable"')
    assert "used by an earlier destination" in str(error)


def test_duplicate_segment_slug_is_refused_at_the_second_entry(catalog_copy: Path) -> None:
    path = catalog_copy / DESTINATIONS_FILE
    data = read_json(path)
    index = _index_of(data, "actions-webhook-audiences")
    data["destinations"][index]["segment_slug"] = "iterable"
    write_json(path, data)

    error = _load_error(catalog_copy)

    assert "'iterable' is used by an earlier destination" in str(error)
    assert error.field is not None
    assert error.field.startswith(f"destinations[{index}]")
    # The second entry: its opening brace, or its slug line.
    second = _line_of(path, '"segment_slug": "iterable"', occurrence=2)
    assert error.line is not None and second - 1 <= error.line <= second


def test_slug_differing_from_segment_slug_is_refused(catalog_copy: Path) -> None:
    path = catalog_copy / DESTINATIONS_FILE
    data = read_json(path)
    index = _index_of(data, "braze")
    data["destinations"][index]["slug"] = "braze-classic"
    write_json(path, data)

    error = _load_error(catalog_copy)

    assert "differs from segment_slug 'braze'" in str(error)
    assert error.line == _line_of(path, '"slug": "braze-classic"')


def test_duplicate_identifier_is_refused(catalog_copy: Path) -> None:
    path = catalog_copy / IDENTIFIERS_FILE
    data = read_json(path)
    data["identifiers"].append(dict(data["identifiers"][0]))
    write_json(path, data)

    error = _load_error(catalog_copy)

    assert error.path == path
    assert "listed twice" in str(error)


def test_default_identifier_naming_an_unknown_identifier_is_refused(catalog_copy: Path) -> None:
    path = catalog_copy / DESTINATIONS_FILE
    data = read_json(path)
    facebook = data["destinations"][0]
    assert facebook["segment_slug"] == "personas-facebook-custom-audiences"
    facebook["default_identifiers"] = ["email", "e_mail"]
    write_json(path, data)

    error = _load_error(catalog_copy)

    assert error.field is not None
    assert "default_identifiers[1]" in error.field
    assert "'e_mail' is not an identifier" in str(error)
    assert error.line == _line_of(path, '"e_mail"')


def test_matcher_identifier_must_exist(catalog_copy: Path) -> None:
    path = catalog_copy / DESTINATIONS_FILE
    data = read_json(path)
    google = data["destinations"][_index_of(data, "adwords-remarketing-lists")]
    google["constraints"]["matcher_identifiers"] = ["mail"]
    write_json(path, data)

    error = _load_error(catalog_copy)

    assert "'mail' is not an identifier" in str(error)
    assert error.field is not None
    assert "constraints.matcher_identifiers[0]" in error.field


@pytest.mark.parametrize("list_name", ["preset_keys", "known_fields"])
def test_a_repeated_field_key_is_refused(catalog_copy: Path, list_name: str) -> None:
    path = catalog_copy / DESTINATIONS_FILE
    data = read_json(path)
    slug = "personas-facebook-custom-audiences" if list_name == "preset_keys" else "braze"
    fields = data["destinations"][_index_of(data, slug)][list_name]
    fields.append(dict(fields[0]))
    write_json(path, data)

    error = _load_error(catalog_copy)

    assert f"key {fields[0]['key']!r} repeats" in str(error)
    assert error.field is not None
    assert f'.{list_name}[{len(fields) - 1}] ("{fields[0]["key"]}").key' in error.field


def test_an_unknown_value_kind_is_refused(catalog_copy: Path) -> None:
    path = catalog_copy / DESTINATIONS_FILE
    data = read_json(path)
    data["destinations"][0]["preset_keys"][0]["kind"] = "shoe_size"
    write_json(path, data)

    error = _load_error(catalog_copy)

    assert error.field is not None
    assert error.field.endswith('preset_keys[0] ("EMAIL").kind')
    assert error.line == _line_of(path, '"shoe_size"')


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"identifier_mode": "free"}, "only allowed with identifier_mode preset"),
        ({"preset_keys": []}, "needs at least one entry"),
        ({"segment_slug": "Facebook Audiences"}, "is not a slug"),
        ({"kind": "warehouse"}, "'warehouse' is not one of destination, function"),
    ],
)
def test_inconsistent_destination_is_refused(
    catalog_copy: Path, change: dict[str, object], expected: str
) -> None:
    path = catalog_copy / DESTINATIONS_FILE
    data = read_json(path)
    data["destinations"][0].update(change)
    write_json(path, data)

    error = _load_error(catalog_copy)

    assert expected in str(error)
    assert error.field is not None
    assert error.field.startswith("destinations[0]")


def test_non_boolean_strings_are_not_coerced(catalog_copy: Path) -> None:
    # A lax reader would take "true" for true; the catalog must say what it means.
    path = catalog_copy / IDENTIFIERS_FILE
    data = read_json(path)
    data["identifiers"][0]["legacy"] = "true"
    write_json(path, data)

    assert "'true' is not true or false" in str(_load_error(catalog_copy))


def test_other_problems_are_counted(catalog_copy: Path) -> None:
    path = catalog_copy / DESTINATIONS_FILE
    data = read_json(path)
    del data["destinations"][2]["name"]
    del data["destinations"][3]["name"]
    del data["destinations"][4]["name"]
    write_json(path, data)

    error = _load_error(catalog_copy)

    assert error.more == 2
    assert "2 more problems" in str(error)


def test_top_level_array_is_refused(catalog_copy: Path) -> None:
    path = catalog_copy / IDENTIFIERS_FILE
    path.write_text("[]\n", encoding="utf-8")

    error = _load_error(catalog_copy)

    assert error.line == 1
    assert "one JSON object" in str(error)


def test_empty_list_is_refused(catalog_copy: Path) -> None:
    write_json(catalog_copy / DESTINATIONS_FILE, {"destinations": []})

    error = _load_error(catalog_copy)

    assert error.field == "destinations"


def test_missing_file_is_named(catalog_copy: Path) -> None:
    (catalog_copy / DESTINATIONS_FILE).unlink()

    error = _load_error(catalog_copy)

    assert error.path == catalog_copy / DESTINATIONS_FILE
    assert "missing" in str(error)


def test_non_utf8_file_is_refused_with_its_line(catalog_copy: Path) -> None:
    path = catalog_copy / IDENTIFIERS_FILE
    path.write_bytes(b'{\n  "identifiers": [\n    "\xff"\n  ]\n}\n')

    error = _load_error(catalog_copy)

    assert error.line == 3
    assert "not UTF-8" in str(error)


def test_oversized_file_is_refused_before_parsing(catalog_copy: Path) -> None:
    path = catalog_copy / IDENTIFIERS_FILE
    path.write_bytes(b" " * (MAX_FILE_BYTES + 1))

    assert "more than a catalog can be" in str(_load_error(catalog_copy))


def test_message_says_what_to_do(catalog_copy: Path) -> None:
    (catalog_copy / IDENTIFIERS_FILE).write_text("{", encoding="utf-8")

    assert "Correct the file" in str(_load_error(catalog_copy))


def test_a_lone_surrogate_escape_in_a_catalog_is_refused_where_it_is(catalog_copy: Path) -> None:
    # A destination's name is copied into documents, which could then never be saved.
    path = catalog_copy / DESTINATIONS_FILE
    text = path.read_text(encoding="utf-8")
    name = read_json(path)["destinations"][0]["name"]
    at = text.index(json.dumps(name))
    path.write_text(
        text[:at] + json.dumps(name)[:-1] + '\\ud800"' + text[at + len(json.dumps(name)) :],
        encoding="utf-8",
    )
    error = _load_error(catalog_copy)
    assert "unpaired UTF-16 surrogate escape" in str(error)
    assert error.line == text.count("\n", 0, at) + 1
