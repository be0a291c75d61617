"""Synchronous client for the Segment Public API calls the app needs (no Qt).

One instance per base URL and token. Every attempt goes through the rate limiter; GETs
are retried on 5xx and dropped connections; a 429 waits for Retry-After within a bound.
Writes (POST/PATCH) are never retried after they may have reached Segment: a re-run
re-reads the live state first, which is the safe way to continue.
"""

from __future__ import annotations

import json
import logging
import random
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from idsync import __version__
from idsync.segment.cancel import CancelToken, Sleeper, interruptible_sleep
from idsync.segment.errors import (
    TOKEN_HELP,
    AuthError,
    ConflictError,
    NetworkError,
    NotConnected,
    NotFoundError,
    RateLimited,
    RequestTimeout,
    SegmentError,
    ServerError,
    UnexpectedResponse,
    ValidationFailed,
)
from idsync.segment.models import (
    Audience,
    Connection,
    JsonObject,
    Space,
    WriteResult,
)
from idsync.segment.ratelimit import RateLimiter
from idsync.segment.regions import Region, is_loopback_host, normalize_base_url, region_of

log = logging.getLogger(__name__)

ALPHA_MEDIA_TYPE = "application/vnd.segment.v1alpha+json"
ACCEPT = f"{ALPHA_MEDIA_TYPE}, application/json"
SEARCH_TYPES = ("NAME", "KEY", "DEFINITION")

_MAX_PAGES = 1000
_MAX_ID_LENGTH = 255
_TOKEN_SHAPE = re.compile(r"[\x21-\x7e]+")


@dataclass(frozen=True)
class RetryPolicy:
    """Bounds on waiting: how often and how long the client tries before it gives up."""

    get_attempts: int = 4
    backoff_initial: float = 0.5
    backoff_max: float = 8.0
    rate_limit_retries: int = 3
    max_rate_limit_wait: float = 60.0
    # A number in [0, 1); spreads the waits of many clients so they do not retry in step.
    jitter: Callable[[], float] = field(default=random.random, compare=False, repr=False)

    def backoff(self, retry_number: int) -> float:
        """Exponential, capped at ``backoff_max``, with "equal jitter": between half and
        all of the exponential step."""
        step = min(self.backoff_max, self.backoff_initial * (2**retry_number))
        return float(step / 2 + step / 2 * self.jitter())


class SegmentClient:
    def __init__(
        self,
        token: str,
        *,
        base_url: str = Region.US.base_url,
        timeout: float = 20.0,
        limiter: RateLimiter | None = None,
        retry: RetryPolicy | None = None,
        cancel: CancelToken | None = None,
        sleep: Sleeper = interruptible_sleep,
        page_size: int = 100,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._token = _checked_token(token)
        self.base_url = normalize_base_url(base_url)
        self.host = urlsplit(self.base_url).hostname or self.base_url
        self.timeout = timeout
        self.limiter = limiter if limiter is not None else RateLimiter()
        self.retry = retry if retry is not None else RetryPolicy()
        self.cancel = cancel
        self.page_size = max(1, min(page_size, 1000))
        self._sleep = sleep
        self.request_count = 0
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout),
            headers={"Accept": ACCEPT, "User-Agent": f"idsync-configurator/{__version__}"},
            follow_redirects=False,
            # Proxy settings from the environment must not capture the local sandbox.
            trust_env=not is_loopback_host(self.host),
            transport=transport,
        )

    # -- lifecycle -----------------------------------------------------------------

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SegmentClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SegmentClient(base_url={self.base_url!r})"

    # -- operations ----------------------------------------------------------------

    def list_spaces(self) -> list[Space]:
        items = self._paginate(
            "/spaces", "spaces", subject="the workspace's spaces", reading="the workspace's spaces"
        )
        return [Space.from_json(item) for item in items]

    def list_audiences(
        self, space_id: str, search: str | None = None, search_type: str = "NAME"
    ) -> list[Audience]:
        params: dict[str, str] = {}
        if search:
            if search_type not in SEARCH_TYPES:
                raise ValueError(f"search_type must be one of {', '.join(SEARCH_TYPES)}")
            params = {"search.type": search_type, "search.query": search[:255]}
        path = f"/spaces/{_segment(space_id, 'space')}/audiences"
        items = self._paginate(
            path,
            "audiences",
            params=params,
            subject=f"space {space_id}",
            reading=f"the audiences of space {space_id}",
            max_count=200,
        )
        return [Audience.listed(item, space_id) for item in items]

    def list_connections(self, space_id: str, audience_id: str) -> list[Connection]:
        path = _connections_path(space_id, audience_id)
        items = self._paginate(
            path,
            "connections",
            subject=f"audience {audience_id} in space {space_id}",
            reading=(
                f"the destination connections of audience {audience_id} in space {space_id}"
            ),
        )
        return [Connection.from_json(item) for item in items]

    def find_connection(
        self,
        space_id: str,
        audience_id: str,
        destination_id: str,
        *,
        connection_id: str | None = None,
    ) -> Connection | None:
        """The audience's connection with the id ``connection_id`` when given and
        present, else its connection to the workspace destination ``destination_id``;
        None: not connected."""
        connections = self.list_connections(space_id, audience_id)
        return pick_connection(connections, destination_id, connection_id)

    def add_destination_to_audience(
        self,
        space_id: str,
        audience_id: str,
        body: Mapping[str, Any],
        *,
        wait_on_rate_limit: bool = True,
    ) -> WriteResult:
        """POST a connection. ``wait_on_rate_limit=False``: a 429 raises RateLimited
        at once (its ``retry_after`` says when), for a caller that reads the live state
        again after the wait before it writes."""
        data = self._request(
            "POST",
            _connections_path(space_id, audience_id),
            json_body=body,
            subject=f"audience {audience_id} in space {space_id}",
            wait_on_rate_limit=wait_on_rate_limit,
        )
        return WriteResult.from_json(data)

    def update_destination_for_audience(
        self,
        space_id: str,
        audience_id: str,
        connection_id: str,
        body: Mapping[str, Any],
        *,
        wait_on_rate_limit: bool = True,
    ) -> WriteResult:
        """PATCH a connection; ``wait_on_rate_limit`` as for a create."""
        path = f"{_connections_path(space_id, audience_id)}/{_segment(connection_id, 'connection')}"
        data = self._request(
            "PATCH",
            path,
            json_body=body,
            subject=f"connection {connection_id} on audience {audience_id} in space {space_id}",
            wait_on_rate_limit=wait_on_rate_limit,
        )
        return WriteResult.from_json(data)

    def pause(self, seconds: float) -> None:
        """Wait as the client waits between retries: cancel wakes it (raises Cancelled)."""
        self._sleep(max(0.0, seconds), self.cancel)

    # -- transport -----------------------------------------------------------------

    def _paginate(
        self,
        path: str,
        key: str,
        *,
        subject: str,
        reading: str,
        params: Mapping[str, str] | None = None,
        max_count: int = 1000,
    ) -> Iterator[JsonObject]:
        cursor: str | None = None
        seen: set[str] = set()
        for _ in range(_MAX_PAGES):
            query: dict[str, str] = dict(params or {})
            query["pagination.count"] = str(min(self.page_size, max_count))
            if cursor:
                query["pagination.cursor"] = cursor
            data = self._request("GET", path, params=query, subject=subject, reading=reading)
            items = data.get(key, [])
            if not isinstance(items, list):
                raise UnexpectedResponse(
                    f"{self.host} answered {key!r} with something other than a list; "
                    "check the base URL points at the Segment Public API."
                )
            yield from (item for item in items if isinstance(item, dict))
            pagination = data.get("pagination")
            following = pagination.get("next") if isinstance(pagination, dict) else None
            # A cursor seen before would loop forever: stop at the repeat.
            if not isinstance(following, str) or not following or following in seen:
                return
            seen.add(following)
            cursor = following

    def _request(
        self,
        method: str,
        path: str,
        *,
        subject: str,
        reading: str | None = None,
        params: Mapping[str, str] | None = None,
        json_body: Mapping[str, Any] | None = None,
        wait_on_rate_limit: bool = True,
    ) -> JsonObject:
        headers = {"Authorization": f"Bearer {self._token}"}
        content: bytes | None = None
        if json_body is not None:
            headers["Content-Type"] = ALPHA_MEDIA_TYPE
            content = json.dumps(json_body, separators=(",", ":")).encode("utf-8")
        is_read = method == "GET"
        retries = 0
        rate_limit_hits = 0
        while True:
            if self.cancel is not None:
                self.cancel.raise_if_cancelled()
            failure: SegmentError | None = None
            response: httpx.Response | None = None
            with self.limiter.slot(self.cancel):
                self.request_count += 1
                try:
                    response = self._http.request(
                        method, path, params=params, content=content, headers=headers
                    )
                except httpx.ConnectTimeout:
                    failure = self._not_connected(f"no connection within {self.timeout:g} s")
                except httpx.TimeoutException:
                    failure = self._timeout_error(method)
                except httpx.ConnectError as exc:
                    failure = self._not_connected(self._redact(str(exc)) or type(exc).__name__)
                except httpx.TransportError as exc:
                    failure = self._network_error(exc, method)
            if failure is not None:
                if is_read and isinstance(failure, NetworkError) and self._can_retry(retries):
                    log.info("%s %s: connection problem, retrying", method, path)
                    self._sleep(self.retry.backoff(retries), self.cancel)
                    retries += 1
                    continue
                raise failure
            assert response is not None
            status = response.status_code
            if 200 <= status < 300:
                return self._data(response)
            if status == 429:
                wait = _rate_limit_wait(response)
                # No hint from Segment: back off exponentially, as for a 5xx.
                bounded = wait if wait is not None else self.retry.backoff(rate_limit_hits)
                if (
                    wait_on_rate_limit
                    and rate_limit_hits < self.retry.rate_limit_retries
                    and bounded <= self.retry.max_rate_limit_wait
                ):
                    log.info("%s %s: rate limited, waiting %.1f s", method, path, bounded)
                    self._sleep(bounded, self.cancel)
                    rate_limit_hits += 1
                    continue
                raise self._error(response, subject, method, reading)
            if status >= 500 and is_read and self._can_retry(retries):
                log.info("%s %s: server error %d, retrying", method, path, status)
                self._sleep(self.retry.backoff(retries), self.cancel)
                retries += 1
                continue
            raise self._error(response, subject, method, reading)

    def _can_retry(self, retries_so_far: int) -> bool:
        return retries_so_far + 1 < self.retry.get_attempts

    def _data(self, response: httpx.Response) -> JsonObject:
        try:
            payload = response.json()
        except ValueError:
            payload = None
        data = payload.get("data") if isinstance(payload, dict) else None
        if not isinstance(data, dict):
            raise UnexpectedResponse(
                f"{self.host} answered HTTP {response.status_code} without the expected "
                "JSON data; check the base URL points at the Segment Public API."
            )
        return data

    def _redact(self, text: str) -> str:
        return text.replace(self._token, "[token]") if self._token else text

    # A write's failure says only what happened to the request: whether Segment applied
    # it is for the push engine to say, after reading the connection back.

    def _timeout_error(self, method: str) -> RequestTimeout:
        if method == "GET":
            return RequestTimeout(
                f"{self.host} did not answer within {self.timeout:g} s. Try again; if it "
                "keeps happening, check your network or raise the timeout."
            )
        return RequestTimeout(
            f"{self.host} did not answer the {method} within {self.timeout:g} s: the "
            "request was sent, its answer never came."
        )

    def _not_connected(self, reason: str) -> NotConnected:
        return NotConnected(
            f"Could not connect to {self.host} ({reason}), so the request was not sent. "
            "Check your internet connection and proxy settings, the region or base URL, "
            "or that the local sandbox is running."
        )

    def _network_error(self, exc: httpx.TransportError, method: str) -> NetworkError:
        reason = self._redact(str(exc)) or type(exc).__name__
        if method == "GET":
            return NetworkError(f"The connection to {self.host} dropped ({reason}). Try again.")
        return NetworkError(
            f"The connection to {self.host} dropped before the answer to the {method} "
            f"arrived ({reason}): the request was sent, its answer never came."
        )

    def _error(
        self, response: httpx.Response, subject: str, method: str, reading: str | None = None
    ) -> SegmentError:
        """The failure for an error answer: what could not be done, every error Segment
        listed, and what to try. A failed read never speaks of a change."""
        status = response.status_code
        details = _errors(response)
        first = details[0] if details else {}
        said = self._said(details)
        field = first.get("field") or None
        if status in (401, 403):
            return AuthError(
                f"The token was refused (HTTP {status}) by {self.host}.{said} "
                f"{self._token_hint(subject)} Otherwise, {TOKEN_HELP}.",
                status=status,
            )
        if status == 404:
            return NotFoundError(
                f"Segment could not find {subject} (HTTP 404).{said} Check the ids (copy "
                "them from the address bar in Segment) and that the token belongs to that "
                "workspace and region.",
                resource=subject,
            )
        if status == 429:
            wait = _rate_limit_wait(response)
            after = f" Wait {wait:.0f} s and" if wait is not None else " Wait a minute and"
            return RateLimited(
                f"Segment's rate limit was reached and did not clear in time (HTTP 429)."
                f"{after} run it again; a re-run continues where this one stopped.",
                retry_after=wait,
            )
        if method == "GET":
            return self._read_error(status, reading or subject, said, field)
        if status == 409:
            return ConflictError(
                f"Segment refused the change to {subject} because it conflicts with the "
                f"current state (HTTP 409).{said} Reload the live connection and try again.",
                status=status,
            )
        if status in (400, 413, 422):
            where = f" in field {field}" if field else ""
            return ValidationFailed(
                f"Segment refused the request for {subject}{where} (HTTP {status}).{said} "
                "Fix the config and push again.",
                field=field,
                status=status,
            )
        if status >= 500:
            return ServerError(
                f"Segment answered the {method} for {subject} with HTTP {status}.{said}",
                status=status,
            )
        return SegmentError(
            f"Segment answered HTTP {status} for {subject}.{said} Check the request and try again.",
            status=status,
        )

    def _read_error(
        self, status: int, reading: str, said: str, field: str | None
    ) -> SegmentError:
        what = f"Could not read {reading}: Segment answered HTTP {status}.{said}"
        if status >= 500:
            return ServerError(
                f"{what} Try again in a few minutes; see status.segment.com if it persists.",
                status=status,
            )
        if status in (400, 413, 422):
            return ValidationFailed(
                f"{what} Check the space and audience ids, and that the base URL "
                f"({self.base_url}) is the Segment Public API, then try again.",
                field=field,
                status=status,
            )
        return SegmentError(
            f"{what} Try again; if it keeps happening, check the base URL ({self.base_url}).",
            status=status,
        )

    def _said(self, details: list[dict[str, str]]) -> str:
        """Every error of the envelope, in Segment's words (token redacted)."""
        parts = []
        for detail in details:
            message = self._redact(detail.get("message", "")).strip().rstrip(".")
            field = detail.get("field")
            if message and field and len(details) > 1:
                message = f"{message} (field {field})"
            if message:
                parts.append(message)
        return f" Segment said: {'; '.join(parts)}." if parts else ""

    def _token_hint(self, subject: str) -> str:
        """Where a refused token may belong instead: the other region, another workspace."""
        region = region_of(self.base_url)
        workspace = (
            f"the workspace that holds {subject}"
            if subject and not subject.startswith("the workspace")
            else "the workspace you mean to use"
        )
        if region is None:
            return (
                f"Check that the token belongs to {workspace} and to the region this base "
                "URL serves (US and EU workspaces have separate tokens)."
            )
        other = Region.EU if region is Region.US else Region.US
        return (
            f"This is the {region.value.upper()} region ({region.label}); a token of a "
            f"workspace in the {other.value.upper()} region is refused here: connect to "
            f"{other.value.upper()} ({other.base_url}) if the workspace is there. Check "
            f"that the token belongs to {workspace}."
        )


def pick_connection(
    connections: list[Connection], destination_id: str, connection_id: str | None = None
) -> Connection | None:
    """The connection with the id ``connection_id`` when given and present, else the first
    connection to the workspace destination ``destination_id``; None: not connected."""
    if connection_id:
        for connection in connections:
            if connection.id == connection_id:
                return connection
    return next((c for c in connections if c.matches_destination(destination_id)), None)


def _checked_token(token: str) -> str:
    token = token.strip() if isinstance(token, str) else ""
    if not token:
        raise AuthError(f"No API token was given — {TOKEN_HELP}.")
    if not _TOKEN_SHAPE.fullmatch(token):
        raise AuthError(
            "The token contains spaces, line breaks or other characters a token never has; "
            "paste it again (copy only the token itself)."
        )
    return token


def _segment(value: str, what: str) -> str:
    """One path segment, percent-encoded, so an id can never change the path."""
    text = value.strip() if isinstance(value, str) else ""
    if not text or len(text) > _MAX_ID_LENGTH:
        raise ValidationFailed(
            f"The {what} id must be 1 to {_MAX_ID_LENGTH} characters; got {len(text)}. "
            f"Enter the {what} id from Segment.",
            field=f"{what}_id",
            status=None,
        )
    return quote(text, safe="")


def _connections_path(space_id: str, audience_id: str) -> str:
    return (
        f"/spaces/{_segment(space_id, 'space')}/audiences/"
        f"{_segment(audience_id, 'audience')}/destination-connections"
    )


def _errors(response: httpx.Response) -> list[dict[str, str]]:
    """Every error of Segment's envelope, with its text members (and msBeforeNext)."""
    try:
        payload = response.json()
    except ValueError:
        return []
    errors = payload.get("errors") if isinstance(payload, dict) else None
    if not isinstance(errors, list):
        return []
    found_all: list[dict[str, str]] = []
    for item in errors:
        if not isinstance(item, dict):
            continue
        found = {k: item[k] for k in ("type", "message", "field") if isinstance(item.get(k), str)}
        data = item.get("data")
        if isinstance(data, dict) and isinstance(data.get("msBeforeNext"), (int, float)):
            found["msBeforeNext"] = str(data["msBeforeNext"])
        found_all.append(found)
    return found_all


def _rate_limit_wait(response: httpx.Response) -> float | None:
    """Seconds to wait after a 429, from the first hint present: ``Retry-After`` (seconds
    or an HTTP date), ``X-RateLimit-Reset`` (seconds to wait, a Unix time, or an HTTP
    date), then ``errors[].data.msBeforeNext``. None when Segment gave no hint."""
    now = _server_now(response)
    for name in ("Retry-After", "X-RateLimit-Reset"):
        wait = _seconds_until(response.headers.get(name, "").strip(), now)
        if wait is not None:
            return wait
    first = next(iter(_errors(response)), {})
    ms = first.get("msBeforeNext")
    if ms is not None:
        return max(0.0, float(ms) / 1000.0)
    return None


# A number this large is a Unix time, not a count of seconds to wait (about 2001-09-09).
_UNIX_TIME_FROM = 1_000_000_000


def _seconds_until(value: str, now: datetime) -> float | None:
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        pass
    else:
        if number != number or number in (float("inf"), float("-inf")):
            return None
        if number >= _UNIX_TIME_FROM:
            return max(0.0, number - now.timestamp())
        return max(0.0, number)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - now).total_seconds())


def _server_now(response: httpx.Response) -> datetime:
    """The server's clock when it answered (its Date header), else ours: a reset time is
    best compared with the clock that set it."""
    date = response.headers.get("Date")
    if date:
        try:
            when = parsedate_to_datetime(date)
        except (TypeError, ValueError, IndexError):
            when = None
        if when is not None:
            return when if when.tzinfo is not None else when.replace(tzinfo=timezone.utc)
    return datetime.now(timezone.utc)


# Exposed for callers that want to tell retryable failures from final ones.
TRANSIENT_ERRORS: tuple[type[SegmentError], ...] = (
    NetworkError,
    RequestTimeout,
    RateLimited,
    ServerError,
)
