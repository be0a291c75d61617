"""Field- and row-level differences between documents."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from idsync.core.diff import RowChange, RowChangeKind, diff_documents, diff_rows
from idsync.core.model import (
    AudienceTarget,
    DestinationRef,
    IdentifierRow,
    IdSyncDocument,
    JourneyTarget,
    Setup,
    Strategy,
)
from tests.helpers.strategies import documents
from tests.helpers.strategies import rows as generated_rows

EMAIL = IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.LAST)
PHONE = IdentifierRow(segment="phone", destination="PHONE", strategy=Strategy.ALL)
IDFA = IdentifierRow(segment="ios.idfa", destination="MADID", strategy=Strategy.ALL)
USER = IdentifierRow(segment="user_id", destination="EXTERN_ID", strategy=Strategy.FIRST)


def _doc(**changes: Any) -> IdSyncDocument:
    base = IdSyncDocument(
        name="fb",
        target=AudienceTarget(space_id="spa", audience_id="aud"),
        destination=DestinationRef(slug="facebook-custom-audiences", instance_id="dst"),
        identifiers=(EMAIL, PHONE),
    )
    return base.replace(**changes)


def _kinds(changes: tuple[RowChange, ...]) -> list[tuple[str, int | None, int | None]]:
    return [(c.kind.value, c.old_index, c.new_index) for c in changes]


def test_identical_documents_have_no_diff() -> None:
    diff = diff_documents(_doc(), _doc())
    assert diff.is_empty
    assert diff.render_text() == []


def test_strategy_change_is_field_level() -> None:
    changed = PHONE.replace(strategy=Strategy.LAST)
    diff = diff_documents(_doc(), _doc(identifiers=(EMAIL, changed)))
    assert diff.render_text() == ["- row 2 strategy: all -> last"]
    (change,) = diff.rows
    assert change.kind is RowChangeKind.CHANGED and not change.moved
    assert [(f.field, f.old, f.new) for f in change.fields] == [("strategy", "all", "last")]


def test_document_fields_in_document_order() -> None:
    new = _doc(
        name="Facebook",
        setup=Setup.DEFAULT,
        send_mobile_ids=True,
        custom_identifiers=("phone",),
        destination=DestinationRef(slug="facebook-custom-audiences", instance_id="dst_2"),
    )
    assert diff_documents(_doc(), new).render_text() == [
        "- name: 'fb' -> 'Facebook'",
        "- destination.instance_id: 'dst' -> 'dst_2'",
        "- setup: customized -> default",
        "- send_mobile_ids: off -> on",
        "- custom_identifiers: [] -> ['phone']",
    ]


def test_target_kind_change_lists_each_id() -> None:
    new = _doc(target=JourneyTarget(space_id="spa", journey_id="jou", step="Welcome"))
    assert diff_documents(_doc(), new).render_text() == [
        "- target.kind: audience -> journey",
        "- target.audience_id: 'aud' -> (none)",
        "- target.journey_id: (none) -> 'jou'",
        "- target.step: (none) -> 'Welcome'",
    ]


def test_destination_chosen_and_removed() -> None:
    lines = diff_documents(_doc(destination=None), _doc()).render_text()
    assert lines == [
        "- destination.slug: (none) -> 'facebook-custom-audiences'",
        "- destination.name: (none) -> ''",
        "- destination.kind: (none) -> destination",
        "- destination.instance_id: (none) -> 'dst'",
    ]
    back = diff_documents(_doc(), _doc(destination=None)).render_text()
    assert back[0] == "- destination.slug: 'facebook-custom-audiences' -> (none)"


def test_added_row() -> None:
    changes = diff_rows((EMAIL, PHONE), (EMAIL, PHONE, IDFA))
    assert _kinds(changes) == [("added", None, 2)]
    assert changes[0].render() == ["- row 3 added: ios.idfa -> MADID (all)"]


def test_inserting_a_row_does_not_move_the_rows_below() -> None:
    changes = diff_rows((EMAIL, PHONE), (IDFA, EMAIL, PHONE))
    assert _kinds(changes) == [("added", None, 0)]


def test_removed_row() -> None:
    changes = diff_rows((EMAIL, PHONE, IDFA), (EMAIL, IDFA))
    assert _kinds(changes) == [("removed", 1, None)]
    assert changes[0].render() == ["- row 2 removed: phone -> PHONE (all)"]


def test_swapped_rows_report_one_move() -> None:
    changes = diff_rows((EMAIL, PHONE, IDFA), (PHONE, EMAIL, IDFA))
    assert len(changes) == 1
    assert changes[0].kind is RowChangeKind.MOVED
    assert changes[0].render() in (
        ["- row 1 moved to row 2: email -> EMAIL (last)"],
        ["- row 2 moved to row 1: phone -> PHONE (all)"],
    )


def test_row_moved_to_the_end() -> None:
    changes = diff_rows((EMAIL, PHONE, IDFA, USER), (PHONE, IDFA, USER, EMAIL))
    assert [c.render() for c in changes] == [["- row 1 moved to row 4: email -> EMAIL (last)"]]


def test_edited_row_is_matched_by_segment_identifier_even_after_a_move() -> None:
    edited = PHONE.replace(destination="PHONE_NUMBER", strategy=Strategy.LAST)
    changes = diff_rows((EMAIL, PHONE, IDFA), (IDFA, edited, EMAIL))
    edits = [c for c in changes if c.kind is RowChangeKind.CHANGED]
    assert len(edits) == 1
    assert (edits[0].old_index, edits[0].new_index) == (1, 1)
    assert [f.field for f in edits[0].fields] == ["destination", "strategy"]
    assert not any(c.kind in (RowChangeKind.ADDED, RowChangeKind.REMOVED) for c in changes)


def test_row_retyped_in_place_is_matched_by_position() -> None:
    changes = diff_rows((EMAIL, PHONE), (EMAIL, USER))
    assert _kinds(changes) == [("changed", 1, 1)]
    assert changes[0].render() == [
        "- row 2 segment: phone -> user_id",
        "- row 2 destination: PHONE -> EXTERN_ID",
        "- row 2 strategy: all -> first",
    ]


def test_unrelated_rows_at_other_positions_are_added_and_removed() -> None:
    changes = diff_rows((EMAIL, PHONE, IDFA), (USER, EMAIL, IDFA))
    assert _kinds(changes) == [("removed", 1, None), ("added", None, 0)]


def test_changed_and_moved_row_says_where_it_was() -> None:
    edited = EMAIL.replace(strategy=Strategy.ALL)
    changes = diff_rows((EMAIL, PHONE, IDFA), (PHONE, IDFA, edited))
    lines = [line for c in changes for line in c.render()]
    assert lines == ["- row 3 (was row 1) strategy: last -> all"]


def test_empty_destination_reads_as_no_map_to() -> None:
    bare = IdentifierRow(segment="email", destination="")
    assert diff_rows((), (bare,))[0].render() == ["- row 1 added: email -> (no mapTo) (last)"]
    edit = diff_rows((bare,), (EMAIL,))[0].render()
    assert edit == ["- row 1 destination: (none) -> EMAIL"]


def test_duplicate_rows_are_matched_one_to_one() -> None:
    changes = diff_rows((EMAIL, EMAIL), (EMAIL,))
    assert _kinds(changes) == [("removed", 1, None)]


def _apply(old: tuple[IdentifierRow, ...], changes: tuple[RowChange, ...], size: int) -> list[Any]:
    """Rebuild the new list from the old one and the changes alone."""
    rebuilt: list[Any] = [None] * size
    touched_old = {c.old_index for c in changes if c.old_index is not None}
    placed_new = {c.new_index for c in changes if c.new_index is not None}
    for change in changes:
        if change.new_index is not None:
            rebuilt[change.new_index] = change.new_row
    # Rows not mentioned kept their relative order and fill the remaining slots.
    untouched = iter(row for i, row in enumerate(old) if i not in touched_old)
    for index in range(size):
        if index not in placed_new:
            rebuilt[index] = next(untouched)
    assert next(untouched, None) is None
    return rebuilt


@given(st.lists(generated_rows, max_size=6), st.lists(generated_rows, max_size=6))
def test_changes_describe_the_new_rows_exactly(
    old: list[IdentifierRow], new: list[IdentifierRow]
) -> None:
    changes = diff_rows(tuple(old), tuple(new))
    assert _apply(tuple(old), changes, len(new)) == new
    assert (not changes) == (old == new)
    for change in changes:
        if change.kind is RowChangeKind.CHANGED:
            assert change.fields
        assert change.render()


@given(documents, documents)
def test_document_diff_is_empty_exactly_when_equal(a: IdSyncDocument, b: IdSyncDocument) -> None:
    diff = diff_documents(a, b)
    assert diff.is_empty == (a == b)
    assert diff_documents(a, a).is_empty
    assert all(line.startswith("- ") for line in diff.render_text())


def test_a_long_table_with_a_block_moved_and_rows_edited_reports_just_those() -> None:
    # Thousands of rows: pairing by lookup and the ordered run by patience sorting keep
    # this to a moment (benchmarks/outputs_scale.py measures it); the answer is the same
    # as for a short table.
    rows = [IdentifierRow(segment=f"trait_{n}", destination=f"F{n}") for n in range(5000)]
    edited = [row.replace(destination=row.destination + "_v2") if n % 100 == 0 else row
              for n, row in enumerate(rows)]
    new = edited[:1000] + edited[1100:] + edited[1000:1100]  # a block moved to the end
    changes = diff_rows(rows, new)
    moved = [c for c in changes if c.kind is RowChangeKind.MOVED]
    changed = [c for c in changes if c.kind is RowChangeKind.CHANGED]
    assert sorted(c.old_index for c in moved) == [n for n in range(1000, 1100) if n % 100]
    assert sorted(c.old_index for c in changed) == list(range(0, 5000, 100))
    assert [c.moved for c in changed if c.old_index == 1000] == [True]
    assert len(changes) == len(moved) + len(changed)
