"""idsync.core.preview: what each row would send for a sample profile."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idsync.catalog import load_catalog
from idsync.core.model import DestinationRef, IdentifierRow, IdSyncDocument, Setup, Strategy
from idsync.core.preview import (
    LAST_IS_APPROXIMATE,
    RowOutcome,
    pick,
    preview,
    preview_in_catalog,
)
from idsync.core.profile import ExternalId, ProfileIdentities, parse_external_ids
from tests.helpers.profiles import item, response

FIRST, LAST, ALL = Strategy.FIRST, Strategy.LAST, Strategy.ALL
UTC = timezone.utc
PROFILES = Path(__file__).resolve().parents[2] / "resources" / "profiles"


def doc(*rows: tuple[str, str, Strategy], mobile: bool = False) -> IdSyncDocument:
    return IdSyncDocument(
        send_mobile_ids=mobile,
        identifiers=tuple(IdentifierRow(segment=s, destination=d, strategy=k) for s, d, k in rows),
    )


# Three emails listed out of time order, on purpose.
THREE_EMAILS = response(
    item("email", "b@example.com", "2022-05-01T10:00:00Z"),
    item("email", "c@example.com", "2024-01-01T00:00:00.5Z"),
    item("email", "a@example.com", "2020-01-01T08:30:00Z"),
    item("user_id", "u1", "2020-01-01T08:30:00Z"),
    item("ios.idfa", "IDFA-1", "2023-03-03T03:03:03Z"),
    item("phone", "+15550001", "2021-06-06T06:06:06+02:00"),
)


def values(picked: tuple[ExternalId, ...]) -> list[str]:
    return [v.value for v in picked]


# --- picks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("strategy", "expected", "events"),
    [
        (FIRST, ["a@example.com"], 1),
        (LAST, ["c@example.com"], 1),
        (ALL, ["a@example.com", "b@example.com", "c@example.com"], 3),
    ],
)
def test_each_strategy_picks_by_created_at(
    strategy: Strategy, expected: list[str], events: int
) -> None:
    result = preview(doc(("email", "EMAIL", strategy)), parse_external_ids(THREE_EMAILS))
    (row,) = result.rows
    assert values(row.picked) == expected
    assert row.events == events
    assert row.outcome is RowOutcome.SENT
    assert row.destination == "EMAIL"
    assert row.row == 0
    assert result.total_events == events


def test_row_shows_what_the_other_strategies_would_pick() -> None:
    (row,) = preview(doc(("email", "EMAIL", LAST)), parse_external_ids(THREE_EMAILS)).rows
    assert values(row.picks_for(FIRST)) == ["a@example.com"]
    assert values(row.picks_for(ALL)) == ["a@example.com", "b@example.com", "c@example.com"]


def test_total_events_add_up_over_rows() -> None:
    result = preview(
        doc(
            ("email", "EMAIL", ALL),
            ("user_id", "EXTERN_ID", LAST),
            ("phone", "PHONE", FIRST),
            ("ios.idfa", "MADID", ALL),
            mobile=True,
        ),
        parse_external_ids(THREE_EMAILS),
    )
    assert [r.events for r in result.rows] == [3, 1, 1, 1]
    assert result.total_events == 6


def test_offsets_are_compared_as_instants() -> None:
    # 10:00+02:00 is 08:00 UTC, earlier than 09:00Z although it reads later.
    ids = parse_external_ids(
        [
            item("email", "later@example.com", "2024-01-01T09:00:00Z"),
            item("email", "earlier@example.com", "2024-01-01T10:00:00+02:00"),
        ]
    )
    (row,) = preview(doc(("email", "", FIRST)), ids).rows
    assert values(row.picked) == ["earlier@example.com"]


def test_nanoseconds_decide_the_order() -> None:
    ids = parse_external_ids(
        [
            item("email", "a@example.com", "2024-01-01T00:00:00.123456789Z"),
            item("email", "z@example.com", "2024-01-01T00:00:00.123456788Z"),
        ]
    )
    assert values(ids.values_of("email")) == ["z@example.com", "a@example.com"]


def test_ties_in_created_at_are_ordered_by_value_whatever_the_input_order() -> None:
    tied = [
        item("email", "m@example.com", "2020-07-01T00:00:00Z"),
        item("email", "b@example.com", "2020-07-01T00:00:00.000Z"),
        item("email", "x@example.com", "2020-07-01T02:00:00+02:00"),
    ]
    for ordering in (tied, list(reversed(tied)), [tied[1], tied[2], tied[0]]):
        ids = parse_external_ids(ordering)
        assert values(ids.values_of("email")) == ["b@example.com", "m@example.com", "x@example.com"]
        result = preview(doc(("email", "EMAIL", FIRST), ("email", "EMAIL", LAST)), ids)
        assert [values(r.picked) for r in result.rows] == [["b@example.com"], ["x@example.com"]]
        assert any("same instant" in note for note in result.notes)


def test_a_value_listed_twice_counts_once_at_its_earliest_time() -> None:
    ids = parse_external_ids(
        [
            item("email", "a@example.com", "2024-01-01T00:00:00Z", source_id="web"),
            item("email", "b@example.com", "2022-01-01T00:00:00Z"),
            item("email", "a@example.com", "2021-01-01T00:00:00Z", source_id="ios"),
        ]
    )
    (row,) = preview(doc(("email", "EMAIL", ALL)), ids).rows
    assert values(row.picked) == ["a@example.com", "b@example.com"]
    assert row.picked[0].source_id == "ios"
    assert row.events == 2


def test_pick_on_no_values_is_empty() -> None:
    assert [pick((), s) for s in Strategy] == [(), (), ()]


# --- rows that send nothing ------------------------------------------------------------


@pytest.mark.parametrize("strategy", list(Strategy))
def test_a_row_without_values_sends_nothing_and_says_so(strategy: Strategy) -> None:
    ids = parse_external_ids([item("email", "a@example.com", "2024-01-01T00:00:00Z")])
    (row,) = preview(doc(("ios.idfa", "MADID", strategy), mobile=True), ids).rows
    assert row.outcome is RowOutcome.NO_VALUE
    assert row.events == 0
    assert row.reason == "this profile has no ios.idfa: nothing is sent for this row"


@pytest.mark.parametrize("segment", ["ios.idfa", "android.idfa"])
def test_mobile_ad_ids_send_nothing_while_send_mobile_ids_is_off(segment: str) -> None:
    ids = parse_external_ids(
        [
            item(segment, "AD-1", "2024-01-01T00:00:00Z"),
            item(segment, "AD-2", "2024-02-01T00:00:00Z"),
        ]
    )
    (off,) = preview(doc((segment, "MADID", ALL), mobile=False), ids).rows
    assert off.outcome is RowOutcome.MOBILE_IDS_OFF
    assert off.events == 0
    assert values(off.picked) == ["AD-1", "AD-2"]  # still shown: what would go once on
    assert "Send Mobile IDs is off" in off.reason
    assert "Turn on Send Mobile IDs" in off.reason
    (on,) = preview(doc((segment, "MADID", ALL), mobile=True), ids).rows
    assert (on.outcome, on.events) == (RowOutcome.SENT, 2)


def test_mobile_ad_id_types_can_come_from_the_catalog() -> None:
    ids = parse_external_ids(THREE_EMAILS)
    (row,) = preview(doc(("phone", "PHONE", LAST)), ids, mobile_ad_ids={"phone"}).rows
    assert row.outcome is RowOutcome.MOBILE_IDS_OFF
    (row,) = preview(doc(("ios.idfa", "MADID", LAST)), ids, mobile_ad_ids=set()).rows
    assert row.outcome is RowOutcome.SENT


def test_an_empty_identifier_row_sends_nothing() -> None:
    (row,) = preview(doc(("  ", "EMAIL", LAST)), parse_external_ids(THREE_EMAILS)).rows
    assert (row.outcome, row.events) == (RowOutcome.NO_IDENTIFIER, 0)
    assert "no Segment identifier" in row.reason


def test_customized_setup_without_rows_sends_nothing() -> None:
    result = preview(doc(), parse_external_ids(THREE_EMAILS))
    assert result.rows == ()
    assert result.total_events == 0
    assert any("no identifier rows" in note for note in result.notes)


# --- Default Setup -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("default", "email", "total"),
    [
        (LAST, ["c@example.com"], 2),
        (FIRST, ["a@example.com"], 2),
        (ALL, ["a@example.com", "b@example.com", "c@example.com"], 4),
    ],
)
def test_default_setup_previews_email_and_user_id_with_the_catalog_strategy(
    default: Strategy, email: list[str], total: int
) -> None:
    draft = doc(("phone", "PHONE", ALL)).replace(setup=Setup.DEFAULT)
    result = preview(draft, parse_external_ids(THREE_EMAILS), default_strategy=default)
    assert [(r.segment, r.strategy, r.row) for r in result.rows] == [
        ("email", default, None),
        ("user_id", default, None),
    ]
    assert values(result.rows[0].picked) == email
    assert result.total_events == total
    assert "phone" in result.unsent_types
    assert any("ignored until Customized Setup" in note for note in result.notes)


def test_default_setup_can_send_other_identifiers() -> None:
    draft = doc().replace(setup=Setup.DEFAULT, send_mobile_ids=True)
    result = preview(
        draft,
        parse_external_ids(THREE_EMAILS),
        default_strategy=ALL,
        default_identifiers=("email", "ios.idfa", "android.idfa"),
    )
    assert [r.segment for r in result.rows] == ["email", "ios.idfa", "android.idfa"]
    assert result.total_events == 4  # three emails and one IDFA
    assert any("email, ios.idfa and android.idfa" in note for note in result.notes)


@pytest.mark.parametrize(
    ("slug", "segments", "strategy"),
    [
        ("personas-facebook-custom-audiences", ["email", "ios.idfa", "android.idfa"], ALL),
        ("adwords-remarketing-lists", ["email", "ios.idfa", "android.idfa"], LAST),
        ("braze", ["email", "user_id"], ALL),
        ("acme-unknown", ["email", "user_id"], LAST),
    ],
)
def test_default_setup_preview_follows_the_catalog(
    slug: str, segments: list[str], strategy: Strategy
) -> None:
    draft = doc().replace(setup=Setup.DEFAULT, destination=DestinationRef(slug=slug))
    result = preview_in_catalog(draft, parse_external_ids(THREE_EMAILS), load_catalog())
    assert [(r.segment, r.strategy) for r in result.rows] == [(s, strategy) for s in segments]
    # Mobile IDs wait for Send Mobile IDs in Default Setup too.
    outcomes = {r.segment: r.outcome for r in result.rows}
    if "ios.idfa" in outcomes:
        assert outcomes["ios.idfa"] is RowOutcome.MOBILE_IDS_OFF


def test_snap_sends_mobile_ids_without_send_mobile_ids() -> None:
    # Snap's docs say to ignore Send Mobile IDs (the catalog's send_mobile_ids_setting is
    # false, and IDS109 is skipped): the preview must not say the row is held back.
    draft = doc(("email", "email", LAST), ("ios.idfa", "ios_idfa", LAST)).replace(
        destination=DestinationRef(slug="actions-snap-audiences")
    )
    result = preview_in_catalog(draft, parse_external_ids(THREE_EMAILS), load_catalog())
    idfa = result.rows[1]
    assert idfa.outcome is RowOutcome.SENT
    assert idfa.events == 1


# --- notes ---------------------------------------------------------------------------


def test_unsent_types_lists_what_the_profile_has_but_no_row_sends() -> None:
    result = preview(
        doc(("email", "EMAIL", LAST), ("ios.idfa", "MADID", LAST)),
        parse_external_ids(THREE_EMAILS),
    )
    assert result.unsent_types == ("ios.idfa", "phone", "user_id")


def test_a_partial_page_is_flagged() -> None:
    partial = response(item("email", "a@example.com", "2024-01-01T00:00:00Z"), has_more=True)
    ids = parse_external_ids(partial)
    assert ids.has_more
    assert any("has_more" in note for note in preview(doc(), ids).notes)
    assert not parse_external_ids(THREE_EMAILS).has_more


def test_last_is_flagged_as_an_approximation_only_when_it_chooses() -> None:
    ids = parse_external_ids(THREE_EMAILS)
    assert LAST_IS_APPROXIMATE in preview(doc(("email", "", LAST)), ids).notes
    assert LAST_IS_APPROXIMATE not in preview(doc(("user_id", "", LAST)), ids).notes
    assert LAST_IS_APPROXIMATE not in preview(doc(("email", "", FIRST)), ids).notes


def test_render_text_shows_picks_counts_and_reasons() -> None:
    result = preview(
        doc(("email", "EMAIL", LAST), ("ios.idfa", "MADID", ALL), ("android.idfa", "", ALL)),
        parse_external_ids(THREE_EMAILS),
    )
    lines = result.render_text().splitlines()
    assert lines[0] == "Strategy preview (Customized Setup): 1 event for this profile"
    assert lines[1] == "1. email -> EMAIL | Last added | 1 event"
    assert lines[2] == "     sends c@example.com  (added 2024-01-01 00:00:00 UTC)"
    assert lines[3] == ("     would pick  first: a@example.com, last: c@example.com, all: 3 values")
    assert lines[4] == "2. ios.idfa -> MADID | All | 0 events"
    assert "Send Mobile IDs is off" in lines[5]
    assert lines[6] == "3. android.idfa -> (destination's default field) | All | 0 events"
    assert "Not sent by any row: ios.idfa, phone, user_id" in lines


# --- the shipped sample profiles -----------------------------------------------------


def load_sample(name: str) -> ProfileIdentities:
    return parse_external_ids(json.loads((PROFILES / name).read_text(encoding="utf-8")))


def test_the_sample_profiles_are_there_and_parse() -> None:
    names = sorted(p.name for p in PROFILES.glob("*.json"))
    assert names == ["android-app-user.json", "first-page-only.json", "returning-customer.json"]
    for name in names:
        assert load_sample(name).items


def test_returning_customer_sample() -> None:
    ids = load_sample("returning-customer.json")
    assert values(ids.values_of("email")) == [
        "jane.kim@example.com",
        "jane.kim@work.example.org",
        "jkim.shops@example.net",
    ]
    assert {"user_id", "ios.idfa", "phone"} <= set(ids.types())
    result = preview(
        doc(("email", "EMAIL", ALL), ("ios.idfa", "MADID", LAST), ("phone", "PHONE", LAST)),
        ids,
    )
    assert [r.events for r in result.rows] == [3, 0, 1]
    assert result.rows[1].outcome is RowOutcome.MOBILE_IDS_OFF


def test_android_sample_honours_offsets_and_has_no_email() -> None:
    ids = load_sample("android-app-user.json")
    assert values(ids.values_of("android.idfa")) == [
        "38400000-8cf0-11bd-b23e-10b96e40000d",
        "cdda802e-fb9c-47ad-9866-0794d394c912",
    ]
    (row,) = preview(doc(("email", "EMAIL", LAST)), ids).rows
    assert row.outcome is RowOutcome.NO_VALUE


def test_first_page_sample_is_partial_and_tied() -> None:
    ids = load_sample("first-page-only.json")
    assert ids.has_more
    assert values(ids.values_of("email")) == ["m.lopez@example.com", "maria.lopez@example.org"]


# --- properties ----------------------------------------------------------------------

TYPES = ["email", "user_id", "phone", "ios.idfa", "android.idfa"]
instants = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)


@st.composite
def profile_items(draw: st.DrawFn) -> list[tuple[dict[str, Any], tuple[datetime, int]]]:
    """Items as JSON, each with the instant it encodes (few instants, so ties happen)."""
    moments = draw(st.lists(st.tuples(instants, st.integers(0, 999)), min_size=1, max_size=4))
    result = []
    for _ in range(draw(st.integers(0, 12))):
        moment, extra = draw(st.sampled_from(moments))
        offset = timedelta(minutes=draw(st.sampled_from([0, 60, -300, 330, 840])))
        local = moment.astimezone(timezone(offset))
        suffix = draw(st.sampled_from(["Z", "+00:00"])) if not offset else local.strftime("%z")
        text = f"{local:%Y-%m-%dT%H:%M:%S}.{local.microsecond:06d}{extra:03d}{suffix}"
        kind = draw(st.sampled_from(TYPES))
        value = draw(st.sampled_from(["a", "b", "c", "d"]))
        result.append((item(kind, value, text), (moment, extra)))
    return result


rows_strategy = st.lists(
    st.tuples(st.sampled_from([*TYPES, "ga_client_id"]), st.just("F"), st.sampled_from(Strategy)),
    max_size=5,
)


@settings(max_examples=150, deadline=None)
@given(profile_items(), rows_strategy, st.booleans(), st.randoms(use_true_random=False))
def test_picks_follow_the_rules_for_any_profile(
    generated: list[tuple[dict[str, Any], tuple[datetime, int]]],
    rows: list[tuple[str, str, Strategy]],
    mobile: bool,
    rng: random.Random,
) -> None:
    items = [json_item for json_item, _ in generated]
    ids = parse_external_ids(response(*items))
    for parsed, (_, (moment, extra)) in zip(ids.items, generated, strict=True):
        assert (parsed.created_at, parsed.created_at_extra_ns) == (moment, extra)

    result = preview(doc(*rows, mobile=mobile), ids)
    for row in result.rows:
        everything = row.picks_for(ALL)
        keys = [v.order_key for v in everything]
        assert keys == sorted(keys)
        assert len({v.value for v in everything}) == len(everything)
        expected_values = {i["id"] for i in items if i["type"] == row.segment}
        assert {v.value for v in everything} == expected_values
        first, last = row.picks_for(FIRST), row.picks_for(LAST)
        assert set(first) <= set(everything) and set(last) <= set(everything)
        if everything:
            assert first[0].order_key == min(keys) and last[0].order_key == max(keys)
        blocked = row.segment in {"ios.idfa", "android.idfa"} and not mobile
        if blocked:
            assert (row.outcome, row.events) == (RowOutcome.MOBILE_IDS_OFF, 0)
        elif not everything:
            assert (row.outcome, row.events) == (RowOutcome.NO_VALUE, 0)
        elif row.strategy is ALL:
            assert row.events == len(everything)
        else:
            assert row.events == 1
    assert result.total_events == sum(r.events for r in result.rows)

    shuffled = list(items)
    rng.shuffle(shuffled)
    again = preview(doc(*rows, mobile=mobile), parse_external_ids(response(*shuffled)))
    assert again.render_text() == result.render_text()
