"""The client against the sandbox over real loopback sockets."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from idsync.segment.cancel import CancelToken
from idsync.segment.client import ACCEPT, ALPHA_MEDIA_TYPE, RetryPolicy, SegmentClient
from idsync.segment.errors import (
    AuthError,
    Cancelled,
    ConflictError,
    InvalidBaseUrl,
    NetworkError,
    NotConnected,
    NotFoundError,
    RateLimited,
    RequestTimeout,
    SegmentError,
    ServerError,
    ValidationFailed,
)
from idsync.segment.sandbox import LostAnswer, RateLimitHint, Sandbox
from tests.helpers.keyrings import TokenRegistry
from tests.helpers.network import RecordingSleeper, closed_port
from tests.helpers.sandbox import ClientFactory

SPACE = "spa_example_marketing"
AUDIENCE = "aud_example_high_value"
FACEBOOK_CONNECTION = "ii_high_value_facebook"


def _rows(*entries: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"externalId": e, "strategy": s, "mapTo": m} for e, s, m in entries]


# -- reading -------------------------------------------------------------------------


def test_list_spaces_follows_pagination(sandbox: Sandbox, make_client: ClientFactory) -> None:
    client = make_client(page_size=1)
    spaces = client.list_spaces()
    assert [s.id for s in spaces] == ["spa_example_marketing", "spa_demo_mobile"]
    # One page per space: the client followed pagination.next to the end.
    assert sandbox.count(method="GET") == 2


def test_list_audiences_pages_and_search(sandbox: Sandbox, make_client: ClientFactory) -> None:
    client = make_client(page_size=4)
    audiences = client.list_audiences(SPACE)
    assert len(audiences) == 6
    assert audiences[0].id == AUDIENCE
    assert audiences[-1].audience_type == "ACCOUNTS"
    assert sandbox.count() == 2
    found = client.list_audiences(SPACE, search="buyers")
    assert [a.id for a in found] == ["aud_lapsed_buyers"]


def test_list_connections_reads_id_sync(make_client: ClientFactory) -> None:
    connections = make_client().list_connections(SPACE, AUDIENCE)
    facebook = next(c for c in connections if c.id == FACEBOOK_CONNECTION)
    assert facebook.destination_id == "dst_example_facebook"
    # metadata.slug is Segment's own slug, which the catalog and documents store too.
    assert facebook.slug == "personas-facebook-custom-audiences"
    assert facebook.id_sync_configuration == tuple(
        _rows(("email", "last", "EMAIL"), ("phone", "all", "PHONE"))
    )


def test_requests_carry_the_documented_media_types(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    client = make_client()
    client.list_spaces()
    client.update_destination_for_audience(
        SPACE, AUDIENCE, FACEBOOK_CONNECTION, {"idSyncConfiguration": _rows(("email", "all", ""))}
    )
    get, patch = sandbox.requests
    assert get.accept == ACCEPT
    assert patch.content_type == ALPHA_MEDIA_TYPE
    assert get.content_type == ""


# -- writing -------------------------------------------------------------------------


def test_create_connects_destination(sandbox: Sandbox, make_client: ClientFactory) -> None:
    body = {
        "destination": {"id": "dst_example_google_ads", "type": "destination"},
        "idSyncConfiguration": _rows(("email", "last", "email"), ("phone", "last", "phone")),
    }
    result = make_client().add_destination_to_audience(SPACE, AUDIENCE, body)
    assert result.connection_id
    stored = sandbox.state.find_connection(SPACE, AUDIENCE, "dst_example_google_ads")
    assert stored is not None
    assert stored["id"] == result.connection_id
    assert stored["idSyncConfiguration"] == body["idSyncConfiguration"]
    assert result.id_sync_configuration == tuple(body["idSyncConfiguration"])


def test_update_replaces_the_whole_array(sandbox: Sandbox, make_client: ClientFactory) -> None:
    new = _rows(("email", "all", "EMAIL"))
    result = make_client().update_destination_for_audience(
        SPACE, AUDIENCE, FACEBOOK_CONNECTION, {"idSyncConfiguration": new}
    )
    assert result.connection_id == FACEBOOK_CONNECTION
    stored = sandbox.state.connection(SPACE, AUDIENCE, FACEBOOK_CONNECTION)
    assert stored is not None and stored["idSyncConfiguration"] == new


def test_update_with_same_array_changes_nothing(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    before = sandbox.state.connection(SPACE, AUDIENCE, FACEBOOK_CONNECTION)
    assert before is not None
    make_client().update_destination_for_audience(
        SPACE, AUDIENCE, FACEBOOK_CONNECTION, {"idSyncConfiguration": before["idSyncConfiguration"]}
    )
    after = sandbox.state.connection(SPACE, AUDIENCE, FACEBOOK_CONNECTION)
    assert after is not None
    assert after["idSyncConfiguration"] == before["idSyncConfiguration"]


def test_update_with_empty_array_is_a_no_op(sandbox: Sandbox, make_client: ClientFactory) -> None:
    before = sandbox.state.connection(SPACE, AUDIENCE, FACEBOOK_CONNECTION)
    result = make_client().update_destination_for_audience(
        SPACE, AUDIENCE, FACEBOOK_CONNECTION, {"idSyncConfiguration": []}
    )
    assert before is not None
    assert result.id_sync_configuration == tuple(before["idSyncConfiguration"])


# -- errors --------------------------------------------------------------------------


def test_wrong_token_is_auth_error_without_the_token(
    make_client: ClientFactory, secrets_used: TokenRegistry
) -> None:
    wrong = secrets_used.add("sbx_wrong-token-value-123")
    with pytest.raises(AuthError) as caught:
        make_client(token=wrong).list_spaces()
    message = str(caught.value)
    assert caught.value.status == 401
    assert "token was refused" in message and "create a new token" in message
    assert wrong not in message


def test_unknown_audience_is_not_found_naming_it(make_client: ClientFactory) -> None:
    with pytest.raises(NotFoundError) as caught:
        make_client().list_connections(SPACE, "aud_missing")
    assert caught.value.resource == f"audience aud_missing in space {SPACE}"
    assert "aud_missing" in str(caught.value)


def test_unknown_connection_is_not_found(make_client: ClientFactory) -> None:
    with pytest.raises(NotFoundError) as caught:
        make_client().update_destination_for_audience(
            SPACE, AUDIENCE, "ii_missing", {"idSyncConfiguration": _rows(("email", "last", ""))}
        )
    assert "ii_missing" in caught.value.resource


@pytest.mark.parametrize(
    ("entries", "field"),
    [
        ([{"externalId": f"id{i}", "strategy": "last"} for i in range(6)], "idSyncConfiguration"),
        ([{"externalId": "email", "strategy": "newest"}], "idSyncConfiguration[0].strategy"),
        (
            [{"externalId": "email", "strategy": "last"}, {"strategy": "all"}],
            "idSyncConfiguration[1].externalId",
        ),
    ],
)
def test_invalid_body_is_validation_failed_with_field(
    sandbox: Sandbox, make_client: ClientFactory, entries: list[dict[str, str]], field: str
) -> None:
    before = sandbox.state.connection(SPACE, AUDIENCE, FACEBOOK_CONNECTION)
    with pytest.raises(ValidationFailed) as caught:
        make_client().update_destination_for_audience(
            SPACE, AUDIENCE, FACEBOOK_CONNECTION, {"idSyncConfiguration": entries}
        )
    assert caught.value.field == field
    assert caught.value.status == 422
    assert field in str(caught.value)
    assert sandbox.state.connection(SPACE, AUDIENCE, FACEBOOK_CONNECTION) == before


def test_connecting_twice_is_a_conflict(make_client: ClientFactory) -> None:
    body = {"destination": {"id": "dst_example_facebook", "type": "destination"}}
    with pytest.raises(ConflictError) as caught:
        make_client().add_destination_to_audience(SPACE, AUDIENCE, body)
    assert caught.value.status == 409


def test_429_waits_for_retry_after_then_succeeds(
    sandbox: Sandbox, make_client: ClientFactory, sleeper: RecordingSleeper
) -> None:
    sandbox.fail_next(2, status=429, retry_after=3)
    spaces = make_client().list_spaces()
    assert len(spaces) == 2
    assert sleeper.waits == [3.0, 3.0]
    assert sandbox.count(status=429) == 2
    assert sandbox.count(status=200) == 1


def test_429_on_a_write_is_retried_too(
    sandbox: Sandbox, make_client: ClientFactory, sleeper: RecordingSleeper
) -> None:
    # A 429 means the request was not processed, so repeating the write is safe.
    sandbox.fail_next(1, status=429, retry_after=1, method="PATCH")
    make_client().update_destination_for_audience(
        SPACE, AUDIENCE, FACEBOOK_CONNECTION, {"idSyncConfiguration": _rows(("email", "all", ""))}
    )
    assert sleeper.waits == [1.0]
    assert sandbox.count(method="PATCH", status=200) == 1


def test_429_beyond_the_bound_gives_rate_limited(
    sandbox: Sandbox, make_client: ClientFactory, sleeper: RecordingSleeper
) -> None:
    sandbox.fail_next(1, status=429, retry_after=600)
    with pytest.raises(RateLimited) as caught:
        make_client(retry=RetryPolicy(max_rate_limit_wait=60)).list_spaces()
    assert caught.value.retry_after == 600
    assert "600" in str(caught.value)
    assert sleeper.waits == []


def test_429_that_never_clears_gives_up_after_the_bound(
    sandbox: Sandbox, make_client: ClientFactory, sleeper: RecordingSleeper
) -> None:
    sandbox.fail_next(10, status=429, retry_after=1)
    with pytest.raises(RateLimited):
        make_client(retry=RetryPolicy(rate_limit_retries=2)).list_spaces()
    assert sleeper.waits == [1.0, 1.0]
    assert sandbox.count(status=429) == 3


def test_500_then_success_on_get(
    sandbox: Sandbox, make_client: ClientFactory, sleeper: RecordingSleeper
) -> None:
    sandbox.fail_next(2, status=500)
    connections = make_client().list_connections(SPACE, AUDIENCE)
    assert {c.id for c in connections} >= {FACEBOOK_CONNECTION}
    assert sandbox.count(status=500) == 2
    assert len(sleeper.waits) == 2
    assert sleeper.waits[1] > sleeper.waits[0]  # backoff grows


def test_500_on_get_gives_up_after_the_attempts(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    sandbox.fail_next(10, status=503)
    with pytest.raises(ServerError) as caught:
        make_client(retry=RetryPolicy(get_attempts=3, backoff_initial=0.0)).list_spaces()
    assert caught.value.status == 503
    assert sandbox.count(status=503) == 3


def test_500_on_a_write_is_not_retried(sandbox: Sandbox, make_client: ClientFactory) -> None:
    sandbox.fail_next(1, status=500, method="PATCH")
    with pytest.raises(ServerError):
        make_client().update_destination_for_audience(
            SPACE, AUDIENCE, FACEBOOK_CONNECTION, {"idSyncConfiguration": _rows(("a", "all", ""))}
        )
    assert sandbox.count(method="PATCH") == 1


def test_timeout(sandbox: Sandbox, make_client: ClientFactory) -> None:
    sandbox.slow(2.0, count=1)
    with pytest.raises(RequestTimeout) as caught:
        make_client(timeout=0.3).list_spaces()
    assert "did not answer within 0.3 s" in str(caught.value)
    assert sandbox.token not in str(caught.value)


def test_connection_refused_is_network_error_after_retries(
    make_client: ClientFactory, sleeper: RecordingSleeper
) -> None:
    client = make_client(base_url=f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(NetworkError) as caught:
        client.list_spaces()
    assert "Could not connect to 127.0.0.1" in str(caught.value)
    assert len(sleeper.waits) == client.retry.get_attempts - 1
    assert client.request_count == client.retry.get_attempts


def test_connection_refused_on_a_write_is_not_retried(
    make_client: ClientFactory, sleeper: RecordingSleeper
) -> None:
    client = make_client(base_url=f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(NotConnected) as caught:
        client.add_destination_to_audience(
            SPACE, AUDIENCE, {"destination": {"id": "x", "type": "destination"}}
        )
    assert client.request_count == 1
    assert sleeper.waits == []
    assert "the request was not sent" in str(caught.value)


# A write's failure says what happened to the request, never whether Segment applied it:
# the push engine decides that by reading the connection back.
_VERDICTS = ("may or may not", "applied", "try again", "run the push again")


@pytest.mark.parametrize(
    "mode", [LostAnswer.HANG, LostAnswer.DROP, LostAnswer.STATUS_503, LostAnswer.GARBLED]
)
def test_a_lost_write_answer_is_worded_neutrally(
    sandbox: Sandbox, make_client: ClientFactory, mode: LostAnswer
) -> None:
    sandbox.hang_seconds = 5.0
    sandbox.lose_answer_after_apply(mode, method="PATCH")
    client = make_client(timeout=0.5)
    with pytest.raises(SegmentError) as caught:
        client.update_destination_for_audience(
            SPACE,
            AUDIENCE,
            FACEBOOK_CONNECTION,
            {"idSyncConfiguration": _rows(("email", "all", ""))},
        )
    message = str(caught.value).lower()
    assert not [verdict for verdict in _VERDICTS if verdict in message], message


def test_cancelled_client_sends_nothing(sandbox: Sandbox, make_client: ClientFactory) -> None:
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        make_client(cancel=cancel).list_spaces()
    assert sandbox.count() == 0


def test_cancel_during_a_429_wait_stops_the_retry(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    cancel = CancelToken()

    def cancel_instead_of_waiting(seconds: float, token: CancelToken | None) -> None:
        cancel.cancel()
        assert token is cancel
        token.raise_if_cancelled()

    sandbox.fail_next(1, status=429, retry_after=5)
    with pytest.raises(Cancelled):
        make_client(cancel=cancel, sleep=cancel_instead_of_waiting).list_spaces()
    assert sandbox.count() == 1


# -- tokens and URLs -----------------------------------------------------------------


@pytest.mark.parametrize("token", ["", "   ", "two words", "line\nbreak"])
def test_unusable_tokens_are_refused_before_any_request(token: str) -> None:
    with pytest.raises(AuthError):
        SegmentClient(token, base_url="https://api.segmentapis.com")


def test_plain_http_to_a_remote_host_is_refused() -> None:
    with pytest.raises(InvalidBaseUrl) as caught:
        SegmentClient("tok", base_url="http://api.example.com")
    assert "https" in str(caught.value)


class _EchoingHandler(BaseHTTPRequestHandler):
    """A careless server that repeats the Authorization header in its error message."""

    def do_GET(self) -> None:
        body = json.dumps(
            {
                "errors": [
                    {"type": "unauthorized", "message": f"bad {self.headers['Authorization']}"}
                ]
            }
        ).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def echoing_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EchoingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_token_echoed_by_a_server_is_redacted(
    echoing_server: str, secrets_used: TokenRegistry
) -> None:
    token = secrets_used.add("tok_echo_me_please_42")
    with (
        SegmentClient(token, base_url=echoing_server) as client,
        pytest.raises(AuthError) as caught,
    ):
        client.list_spaces()
    assert token not in str(caught.value)
    assert "[token]" in str(caught.value)


def test_ms_before_next_is_used_without_retry_after() -> None:
    from idsync.segment.client import _rate_limit_wait

    response = httpx.Response(
        429,
        json={
            "errors": [{"type": "RequestError", "message": "slow", "data": {"msBeforeNext": 1500}}]
        },
    )
    assert _rate_limit_wait(response) == 1.5
    assert _rate_limit_wait(httpx.Response(429, headers={"Retry-After": "4"})) == 4.0
    assert _rate_limit_wait(httpx.Response(429)) is None


@pytest.mark.parametrize(
    ("hint", "retry_after", "low", "high"),
    [
        (RateLimitHint.RETRY_AFTER, 3, 3.0, 3.0),
        (RateLimitHint.RESET_SECONDS, 3, 3.0, 3.0),
        # An HTTP date has whole seconds, counted from the server's own Date header.
        (RateLimitHint.RESET_DATE, 3, 3.0, 4.0),
        (RateLimitHint.MS_BEFORE_NEXT, 1.5, 1.5, 1.5),
    ],
)
def test_each_rate_limit_hint_sets_the_wait(
    sandbox: Sandbox,
    make_client: ClientFactory,
    sleeper: RecordingSleeper,
    hint: RateLimitHint,
    retry_after: float,
    low: float,
    high: float,
) -> None:
    sandbox.fail_next(1, status=429, retry_after=retry_after, hint=hint)
    assert len(make_client().list_spaces()) == 2
    (wait,) = sleeper.waits
    assert low <= wait <= high


def test_a_429_without_a_hint_backs_off_exponentially_with_jitter(
    sandbox: Sandbox, make_client: ClientFactory, sleeper: RecordingSleeper
) -> None:
    sandbox.fail_next(3, status=429, hint=RateLimitHint.NONE)
    policy = RetryPolicy(backoff_initial=1.0, backoff_max=3.0, jitter=lambda: 0.5)
    assert len(make_client(retry=policy).list_spaces()) == 2
    # Steps 1, 2, 4 capped at 3; each wait between half and all of its step.
    assert sleeper.waits == [0.75, 1.5, 2.25]


def test_backoff_stays_within_half_and_all_of_the_capped_step() -> None:
    low = RetryPolicy(backoff_initial=1.0, backoff_max=8.0, jitter=lambda: 0.0)
    high = RetryPolicy(backoff_initial=1.0, backoff_max=8.0, jitter=lambda: 0.999999)
    assert [low.backoff(n) for n in range(5)] == [0.5, 1.0, 2.0, 4.0, 4.0]
    assert all(high.backoff(n) < min(8.0, 2.0**n) for n in range(10))


def test_rate_limit_reset_as_a_unix_time_counts_from_the_servers_clock() -> None:
    from idsync.segment.client import _rate_limit_wait

    date = "Sun, 06 Nov 1994 08:49:37 GMT"  # 784111777 as a Unix time
    # Larger than any wait: a Unix time, compared with the server's Date.
    epoch = httpx.Response(429, headers={"Date": date, "X-RateLimit-Reset": "1784111782"})
    assert _rate_limit_wait(epoch) == pytest.approx(1784111782 - 784111777)
    dated = httpx.Response(
        429, headers={"Date": date, "X-RateLimit-Reset": "Sun, 06 Nov 1994 08:49:44 GMT"}
    )
    assert _rate_limit_wait(dated) == 7.0
    assert _rate_limit_wait(httpx.Response(429, headers={"X-RateLimit-Reset": "soon"})) is None


# -- what a failed read says, and a refused token ------------------------------------


@pytest.mark.parametrize("status", [400, 409, 422])
def test_a_failed_read_says_what_could_not_be_read_never_a_change(
    sandbox: Sandbox, make_client: ClientFactory, status: int
) -> None:
    sandbox.fail_next(1, status=status, method="GET")
    with pytest.raises(SegmentError) as caught:
        make_client().list_connections(SPACE, AUDIENCE)
    message = str(caught.value)
    assert message.startswith(
        f"Could not read the destination connections of audience {AUDIENCE} in space "
        f"{SPACE}: Segment answered HTTP {status}."
    )
    assert "Try again" in message or "try again" in message
    for wrong in ("Fix the config", "push again", "refused the change"):
        assert wrong not in message


def test_a_failed_read_of_the_spaces_names_them(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    sandbox.fail_next(1, status=422, method="GET")
    with pytest.raises(ValidationFailed, match="Could not read the workspace's spaces"):
        make_client().list_spaces()


def test_every_error_of_an_envelope_is_in_the_message(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    sandbox.fail_next(
        1,
        status=422,
        method="PATCH",
        errors=[("first problem", "idSyncConfiguration"), ("second problem", "connectionSettings")],
    )
    with pytest.raises(ValidationFailed) as caught:
        make_client().update_destination_for_audience(
            SPACE,
            AUDIENCE,
            FACEBOOK_CONNECTION,
            {"idSyncConfiguration": _rows(("email", "all", ""))},
        )
    assert caught.value.field == "idSyncConfiguration"
    assert (
        "Segment said: first problem (field idSyncConfiguration); second problem (field "
        "connectionSettings)." in str(caught.value)
    )


def test_a_refused_token_at_a_custom_url_names_regions_and_the_workspace(
    make_client: ClientFactory, secrets_used: TokenRegistry
) -> None:
    with pytest.raises(AuthError) as caught:
        make_client(token=secrets_used.add("sbx_not_this_one")).list_connections(SPACE, AUDIENCE)
    message = str(caught.value)
    assert "token was refused (HTTP 401)" in message
    assert "US and EU workspaces have separate tokens" in message
    assert f"the workspace that holds audience {AUDIENCE} in space {SPACE}" in message
    assert "create a new token" in message


def _refusing(request: httpx.Request) -> httpx.Response:
    """Segment's answer to a token of another region (its servers cannot run here)."""
    return httpx.Response(
        401, json={"errors": [{"type": "unauthorized", "message": "Unauthorized"}]}
    )


@pytest.mark.parametrize(
    ("region", "other", "other_url"),
    [("us", "EU", "https://eu1.api.segmentapis.com"), ("eu", "US", "https://api.segmentapis.com")],
)
def test_a_refused_token_names_the_other_region(region: str, other: str, other_url: str) -> None:
    from idsync.segment.regions import Region

    base_url = Region(region).base_url
    with SegmentClient(
        "token_of_another_region",
        base_url=base_url,
        transport=httpx.MockTransport(_refusing),
        retry=RetryPolicy(backoff_initial=0.01, backoff_max=0.05),
    ) as client, pytest.raises(AuthError) as caught:
        client.list_spaces()
    message = str(caught.value)
    assert f"This is the {region.upper()} region" in message
    assert f"connect to {other} ({other_url}) if the workspace is there" in message
    assert "the workspace you mean to use" in message
    assert "token_of_another_region" not in message
