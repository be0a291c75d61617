"""A local stand-in for the Segment Public API endpoints the app uses.

Runs on 127.0.0.1 with in-memory sample data, so a new user can try a push without a
Segment account and tests can talk to real sockets. It follows the documented behaviour:
bearer token, ``{"data": ...}`` / ``{"errors": [...]}`` envelopes, cursor pagination,
422 for invalid bodies (with ``field``), PATCH replacing the whole array (an empty array
changes nothing), and switchable faults: queued error statuses, 429 with Retry-After,
slow answers, and a request-rate limit.

``idsync sandbox`` runs it until Ctrl-C and prints its URL and token.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import copy
import json
import logging
import math
import re
import secrets
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from enum import Enum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from app.segment.sandbox_state import (
    ApiFailure,
    JsonObject,
    SandboxState,
    checked_id_sync,
    checked_settings,
    json_body,
    no_other_keys,
    now_stamp,
)

log = logging.getLogger(__name__)


_MAX_BODY_BYTES = 1_000_000
_DEFAULT_PAGE_SIZE = 200


# -- faults --------------------------------------------------------------------------


class RateLimitHint(str, Enum):
    """Which hint a simulated 429 carries about when to come back."""

    RETRY_AFTER = "retry-after"  # Retry-After in whole seconds, and msBeforeNext
    RESET_SECONDS = "reset-seconds"  # X-RateLimit-Reset as seconds to wait
    RESET_DATE = "reset-date"  # X-RateLimit-Reset as an HTTP date
    MS_BEFORE_NEXT = "ms-before-next"  # only errors[].data.msBeforeNext
    NONE = "none"  # no hint at all


@dataclass
class _QueuedFault:
    status: int
    remaining: int
    retry_after: float | None
    method: str | None
    hint: RateLimitHint = RateLimitHint.RETRY_AFTER
    # The (message, field) errors of the answer's envelope; a generic one when empty.
    errors: tuple[tuple[str, str | None], ...] = ()


@dataclass
class RecordedRequest:
    """One request as the sandbox saw it (the Authorization header is never kept)."""

    method: str
    path: str
    status: int
    at: float
    accept: str = ""
    content_type: str = ""


class LostAnswer(str, Enum):
    """How the sandbox loses its answer to a write it has applied, as a real network or
    a struggling API can: the client cannot tell from the answer whether it was applied."""

    DROP = "drop"  # close the connection without answering (a reset)
    STATUS_503 = "503"  # answer 503 with the error envelope
    HANG = "hang"  # say nothing until the client has given up, then close
    GARBLED = "garbled"  # answer 200 with a body that is not JSON


@dataclass
class _AfterApply:
    mode: LostAnswer
    method: str | None
    remaining: int


@dataclass
class _LateWrite:
    """A write answered with an error before it was applied, applied later on."""

    method: str | None
    status: int
    after_requests: int
    # The held request once it came: (method, path, body, authorization, content type).
    held: tuple[str, str, bytes, str, str] | None = None
    # Requests still to arrive before the held write is applied.
    countdown: int = 0


@dataclass
class _OtherRows:
    """Store these entries instead of the ones a write sends (and answer 200)."""

    entries: list[JsonObject]
    method: str | None


@dataclass
class _AfterRequest:
    """Run ``action`` on the state right after the next ``remaining`` requests (of
    ``method``) were answered: someone else changing Segment meanwhile."""

    method: str | None
    remaining: int
    action: Callable[[SandboxState], None]


@dataclass
class _Faults:
    queued: deque[_QueuedFault] = field(default_factory=deque)
    after_apply: deque[_AfterApply] = field(default_factory=deque)
    late: deque[_LateWrite] = field(default_factory=deque)
    other_rows: deque[_OtherRows] = field(default_factory=deque)
    after_request: deque[_AfterRequest] = field(default_factory=deque)
    slow_seconds: float = 0.0
    slow_remaining: int | None = None
    rate_limit: tuple[int, float] | None = None
    accepted_at: deque[float] = field(default_factory=deque)


# -- HTTP ----------------------------------------------------------------------------

_ROUTES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("GET", re.compile(r"^/spaces$"), "list_spaces"),
    ("GET", re.compile(r"^/destinations$"), "list_destinations"),
    ("GET", re.compile(r"^/spaces/([^/]+)/audiences$"), "list_audiences"),
    (
        "GET",
        re.compile(r"^/spaces/([^/]+)/audiences/([^/]+)/destination-connections$"),
        "list_connections",
    ),
    (
        "POST",
        re.compile(r"^/spaces/([^/]+)/audiences/([^/]+)/destination-connections$"),
        "add_connection",
    ),
    (
        "PATCH",
        re.compile(r"^/spaces/([^/]+)/audiences/([^/]+)/destination-connections/([^/]+)$"),
        "update_connection",
    ),
    (
        "DELETE",
        re.compile(r"^/spaces/([^/]+)/audiences/([^/]+)/destination-connections/([^/]+)$"),
        "remove_connection",
    ),
    (
        "GET",
        re.compile(r"^/spaces/([^/]+)/audienceType/([^/]+)/supported-destinations$"),
        "supported_destinations",
    ),
)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Keep-alive connections would otherwise make server_close() wait for idle clients.
    block_on_close = False
    sandbox: Sandbox

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (timeout, cancel) leaves a broken pipe behind; that is
        # expected here and not worth a traceback on stderr.
        log.debug("sandbox: connection from %s ended abruptly", client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "idsync-sandbox"
    # Idle keep-alive connections are closed after this many seconds.
    timeout = 30

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    # Methods no route takes still get the routing's answer (405 with Allow, or 404),
    # in the error envelope like every other error.
    do_HEAD = do_OPTIONS = do_TRACE = do_CONNECT = do_PUT

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own errors (an unknown method, a malformed request line, a
        header too long) answer in Segment's JSON error envelope, not an HTML page."""
        if code == 501:
            # A method http.server has no handler for at all: not allowed on any path.
            code, message = 405, f"{self.command} is not supported."
        failure = ApiFailure(code, message or explain or "The request could not be read.")
        # An unreadable request line leaves http.server assuming HTTP/0.9, which has no
        # status line; answer as the HTTP/1.1 server this is.
        if getattr(self, "request_version", "HTTP/0.9") == "HTTP/0.9":
            self.request_version = self.protocol_version
        self.close_connection = True
        with contextlib.suppress(OSError):
            self._send(code, failure.envelope(), {"Connection": "close"})

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("sandbox: " + format, *args)

    def _handle(self) -> None:
        sandbox = self.server.sandbox
        arrived = time.monotonic()
        parts = urlsplit(self.path)
        status = 500
        try:
            body = self._read_body()
            sandbox._apply_due_late_writes()
            sandbox._before_request(self.command, arrived)
            sandbox._hold_late_write(
                self.command,
                parts.path,
                body,
                self.headers.get("Authorization", ""),
                self.headers.get("Content-Type", ""),
            )
            payload = sandbox._dispatch(
                self.command,
                parts.path,
                parse_qs(parts.query),
                body,
                authorization=self.headers.get("Authorization", ""),
                content_type=self.headers.get("Content-Type", ""),
            )
            status, headers = 200, {}
            lost = sandbox._lost_answer(self.command)
            if lost is not None:
                sandbox._record(RecordedRequest(self.command, parts.path, 200, arrived))
                self._lose_answer(lost)
                return
        except ApiFailure as failure:
            status, payload, headers = failure.status, failure.envelope(), failure.headers
        except Exception:  # a sandbox bug must still answer with the documented envelope
            log.exception("sandbox: unexpected error")
            internal = ApiFailure(500, "The sandbox hit an internal error.", type_="internal")
            status, payload, headers = 500, internal.envelope(), {}
        sandbox._after_request(self.command)
        sandbox._record(
            RecordedRequest(
                self.command,
                parts.path,
                status,
                arrived,
                accept=self.headers.get("Accept", ""),
                content_type=self.headers.get("Content-Type", ""),
            )
        )
        self._send(status, payload, headers)

    def _read_body(self) -> bytes:
        length_text = self.headers.get("Content-Length")
        if not length_text:
            return b""
        try:
            length = int(length_text)
        except ValueError:
            raise ApiFailure(400, "Content-Length is not a number.") from None
        if length > _MAX_BODY_BYTES:
            self.close_connection = True
            raise ApiFailure(413, "The request body is too large.")
        return self.rfile.read(length) if length > 0 else b""

    def _lose_answer(self, mode: LostAnswer) -> None:
        """The write is applied; now the client must not learn so from the answer."""
        if mode is LostAnswer.STATUS_503:
            failure = ApiFailure(503, "Service unavailable.", type_="internal")
            self._send(503, failure.envelope(), {})
            return
        if mode is LostAnswer.GARBLED:
            data = b"<html>Service temporarily unavailable</html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        if mode is LostAnswer.HANG:
            # Until the sandbox stops or well past any client timeout a test sets.
            self.server.sandbox._stopping.wait(self.server.sandbox.hang_seconds)
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _send(self, status: int, payload: JsonObject, headers: dict[str, str]) -> None:
        data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        # A HEAD answer has headers only; a body would corrupt the next kept-alive answer.
        if self.command != "HEAD":
            self.wfile.write(data)


class Sandbox:
    """The local server. Use as a context manager::

    with Sandbox() as sandbox:
        client = SegmentClient(sandbox.token, base_url=sandbox.url)
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str | None = None,
        state: SandboxState | None = None,
    ) -> None:
        self.host = host
        self.requested_port = port
        self.token = token or f"sbx_{secrets.token_urlsafe(18)}"
        self.state = state if state is not None else SandboxState.seeded()
        self.default_page_size = _DEFAULT_PAGE_SIZE
        # How long LostAnswer.HANG keeps a connection silent.
        self.hang_seconds = 10.0
        self.requests: list[RecordedRequest] = []
        self._faults = _Faults()
        self._fault_lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the sandbox is not running")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> Sandbox:
        if self._server is not None:
            return self
        server = _Server((self.host, self.requested_port), _Handler)
        server.sandbox = self
        self._server = server
        self._stopping.clear()
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.1},
            daemon=True,
            name="idsync-sandbox",
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- faults --------------------------------------------------------------------

    def fail_next(
        self,
        count: int = 1,
        *,
        status: int = 500,
        retry_after: float | None = None,
        method: str | None = None,
        hint: RateLimitHint = RateLimitHint.RETRY_AFTER,
        errors: list[tuple[str, str | None]] | None = None,
    ) -> None:
        """Answer the next ``count`` requests (of ``method``, if given) with ``status``.

        A 429 says when to come back as ``hint`` chooses (``retry_after`` seconds).
        ``errors`` are the (message, field) pairs the envelope lists, in order.
        """
        fault = _QueuedFault(status, count, retry_after, method, hint, tuple(errors or ()))
        with self._fault_lock:
            self._faults.queued.append(fault)

    def lose_answer_after_apply(
        self, mode: LostAnswer, *, method: str | None = None, count: int = 1
    ) -> None:
        """Apply the next ``count`` successful requests (of ``method``, if given), then
        lose the answer as ``mode`` says."""
        with self._fault_lock:
            self._faults.after_apply.append(_AfterApply(mode, method, count))

    def apply_late(
        self, *, method: str | None = None, status: int = 504, after_requests: int = 1
    ) -> None:
        """Answer the next write (of ``method``) with ``status`` without applying it, then
        apply it just before the ``after_requests``-th request that follows is handled:
        Segment's gateway gave up on a write its backend carries out later."""
        with self._fault_lock:
            self._faults.late.append(_LateWrite(method, status, max(1, after_requests)))

    def store_other_rows(self, entries: list[JsonObject], *, method: str | None = None) -> None:
        """Make the next write (of ``method``) store ``entries`` as its
        idSyncConfiguration instead of what it sent, and answer 200 as usual."""
        with self._fault_lock:
            self._faults.other_rows.append(_OtherRows(copy.deepcopy(entries), method))

    def after_next(
        self, action: Callable[[SandboxState], None], *, method: str | None = None, count: int = 1
    ) -> None:
        """Run ``action`` on the state once the next ``count`` requests (of ``method``)
        have been answered, as a change someone else makes in Segment meanwhile."""
        with self._fault_lock:
            self._faults.after_request.append(_AfterRequest(method, count, action))

    def _hold_late_write(
        self, method: str, path: str, body: bytes, authorization: str, content_type: str
    ) -> None:
        if method not in ("POST", "PATCH") or authorization != f"Bearer {self.token}":
            return
        with self._fault_lock:
            for late in self._faults.late:
                if late.held is None and late.method in (None, method):
                    late.held = (method, path, body, authorization, content_type)
                    late.countdown = late.after_requests
                    break
            else:
                return
        raise ApiFailure(
            late.status, "Gateway timeout: the request took too long.", type_="internal"
        )

    def _apply_due_late_writes(self) -> None:
        due: list[tuple[str, str, bytes, str, str]] = []
        with self._fault_lock:
            for late in list(self._faults.late):
                if late.held is None:
                    continue
                late.countdown -= 1
                if late.countdown <= 0:
                    due.append(late.held)
                    self._faults.late.remove(late)
        for method, path, body, authorization, content_type in due:
            parts = urlsplit(path)
            try:
                self._dispatch(
                    method,
                    parts.path,
                    parse_qs(parts.query),
                    body,
                    authorization=authorization,
                    content_type=content_type,
                )
            except ApiFailure as failure:
                # Applied late into a state that changed meanwhile, Segment refuses it as
                # it would have then (409 when the destination is connected by now).
                log.debug("sandbox: a late write was refused: %s", failure.message)

    def _after_request(self, method: str) -> None:
        actions: list[Callable[[SandboxState], None]] = []
        with self._fault_lock:
            for pending in list(self._faults.after_request):
                if pending.method in (None, method):
                    pending.remaining -= 1
                    if pending.remaining <= 0:
                        actions.append(pending.action)
                        self._faults.after_request.remove(pending)
        for action in actions:
            with self.state.lock:
                action(self.state)

    def _other_rows(self, method: str) -> list[JsonObject] | None:
        with self._fault_lock:
            for other in self._faults.other_rows:
                if other.method in (None, method):
                    self._faults.other_rows.remove(other)
                    return copy.deepcopy(other.entries)
            return None

    def _lost_answer(self, method: str) -> LostAnswer | None:
        with self._fault_lock:
            for fault in self._faults.after_apply:
                if fault.remaining > 0 and fault.method in (None, method):
                    fault.remaining -= 1
                    return fault.mode
            return None

    def slow(self, seconds: float, count: int | None = None) -> None:
        """Delay the next ``count`` answers (every answer when None) by ``seconds``."""
        with self._fault_lock:
            self._faults.slow_seconds = seconds
            self._faults.slow_remaining = count

    def set_rate_limit(self, max_requests: int | None, period: float = 60.0) -> None:
        """Answer 429 once more than ``max_requests`` arrive within ``period`` seconds."""
        with self._fault_lock:
            self._faults.rate_limit = None if max_requests is None else (max_requests, period)
            self._faults.accepted_at.clear()

    def clear_faults(self) -> None:
        with self._fault_lock:
            self._faults = _Faults()

    # -- what happened -------------------------------------------------------------

    def count(self, *, method: str | None = None, status: int | None = None) -> int:
        with self._fault_lock:
            return sum(
                1
                for r in self.requests
                if (method is None or r.method == method) and (status is None or r.status == status)
            )

    def _record(self, request: RecordedRequest) -> None:
        with self._fault_lock:
            self.requests.append(request)

    # -- request pipeline ----------------------------------------------------------

    def _before_request(self, method: str, arrived: float) -> None:
        with self._fault_lock:
            faults = self._faults
            rate_limited = self._over_rate_limit(arrived)
            delay = 0.0
            if faults.slow_seconds > 0 and faults.slow_remaining != 0:
                delay = faults.slow_seconds
                if faults.slow_remaining is not None:
                    faults.slow_remaining -= 1
            queued = None
            if rate_limited is None:
                for fault in faults.queued:
                    if fault.method is None or fault.method == method:
                        fault.remaining -= 1
                        queued = fault
                        break
                while faults.queued and faults.queued[0].remaining <= 0:
                    faults.queued.popleft()
        if delay:
            self._stopping.wait(delay)
        if rate_limited is not None:
            raise rate_limited
        if queued is not None:
            if queued.status == 429:
                wait = queued.retry_after if queued.retry_after is not None else 1.0
                raise _too_many(wait, hint=queued.hint)
            kind = "internal" if queued.status >= 500 else "RequestError"
            if queued.errors:
                (message, field_name), *more = queued.errors
                raise ApiFailure(
                    queued.status, message, type_=kind, field=field_name, more=tuple(more)
                )
            raise ApiFailure(
                queued.status, f"Simulated failure (HTTP {queued.status}).", type_=kind
            )

    def _over_rate_limit(self, arrived: float) -> ApiFailure | None:
        limit = self._faults.rate_limit
        if limit is None:
            return None
        max_requests, period = limit
        window = self._faults.accepted_at
        # A request counts while it arrived less than ``period`` seconds ago.
        while window and window[0] <= arrived - period:
            window.popleft()
        if len(window) >= max_requests:
            return _too_many(window[0] + period - arrived, consumed=len(window))
        window.append(arrived)
        return None

    def _dispatch(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        body: bytes,
        *,
        authorization: str,
        content_type: str,
    ) -> JsonObject:
        if authorization != f"Bearer {self.token}":
            raise ApiFailure(
                401,
                "Unauthorized: the token is missing, invalid or expired.",
                type_="unauthorized",
            )
        allowed = []
        for route_method, pattern, name in _ROUTES:
            match = pattern.match(path)
            if not match:
                continue
            allowed.append(route_method)
            if route_method != method:
                continue
            args = [unquote(part) for part in match.groups()]
            payload: JsonObject | None = None
            if method in ("POST", "PATCH"):
                payload = json_body(body, content_type)
            handler: Callable[..., JsonObject] = getattr(self, f"_op_{name}")
            with self.state.lock:
                data = handler(*args, query=query, body=payload)
            return {"data": data}
        if allowed:
            raise ApiFailure(
                405,
                f"{method} is not supported on {path}.",
                type_="method-not-allowed",
                headers={"Allow": ", ".join(allowed)},
            )
        raise ApiFailure(404, f"No endpoint at {path}.", type_="not-found")

    # -- operations ----------------------------------------------------------------

    def _op_list_spaces(self, *, query: dict[str, list[str]], body: None) -> JsonObject:
        page, pagination = self._page(self.state.spaces, query, 1000)
        return {"spaces": copy.deepcopy(page), "pagination": pagination}

    def _op_list_destinations(self, *, query: dict[str, list[str]], body: None) -> JsonObject:
        # DestinationsApi.listDestinations: every destination of the workspace, which in
        # the sandbox means those of every space's source.
        instances = [d for space in self.state.spaces for d in self.state.destinations[space["id"]]]
        page, pagination = self._page(instances, query, 200)
        return {
            "destinations": [_destination_v1(d) for d in page],
            "pagination": pagination,
        }

    def _op_list_audiences(
        self, space_id: str, *, query: dict[str, list[str]], body: None
    ) -> JsonObject:
        self.state.require_space(space_id)
        audiences = self.state.audiences[space_id]
        needle = _param(query, "search", "query")
        if needle:
            kind = (_param(query, "search", "type") or "NAME").upper()
            if kind not in ("NAME", "KEY", "DEFINITION"):
                raise ApiFailure(422, f"Unknown search type {kind}.", field="search.type")
            attr = "key" if kind == "KEY" else "name"
            audiences = [a for a in audiences if needle.lower() in str(a.get(attr, "")).lower()]
        page, pagination = self._page(audiences, query, 200)
        return {"audiences": copy.deepcopy(page), "pagination": pagination}

    def _op_list_connections(
        self, space_id: str, audience_id: str, *, query: dict[str, list[str]], body: None
    ) -> JsonObject:
        self.state.require_audience(space_id, audience_id)
        connections = self.state.connections.get((space_id, audience_id), [])
        page, pagination = self._page(connections, query, 1000)
        return {"connections": copy.deepcopy(page), "pagination": pagination}

    def _op_supported_destinations(
        self, space_id: str, audience_type: str, *, query: dict[str, list[str]], body: None
    ) -> JsonObject:
        self.state.require_space(space_id)
        if audience_type not in ("USERS", "ACCOUNTS", "LINKED"):
            raise ApiFailure(422, f"Unknown audience type {audience_type}.", field="audienceType")
        slug = _param(query, "slug")
        # model/listSupportedDestinationsFromAudienceAlphaOutput.ts: an object keyed by
        # the destination's id, not an array.
        found = {
            d["id"]: {
                "id": d["id"],
                "name": d["name"],
                "slug": d["metadata"]["slug"],
                "metadata": copy.deepcopy(d["metadata"]),
                "actions": [],
            }
            for d in self.state.destinations[space_id]
            if not slug or d["metadata"]["slug"] == slug
        }
        return {"destinations": found}

    def _op_add_connection(
        self, space_id: str, audience_id: str, *, query: dict[str, list[str]], body: JsonObject
    ) -> JsonObject:
        self.state.require_audience(space_id, audience_id)
        destination = body.get("destination")
        if not isinstance(destination, dict):
            raise ApiFailure(422, "destination is required.", field="destination")
        destination_id = destination.get("id")
        if not isinstance(destination_id, str) or not destination_id:
            raise ApiFailure(422, "destination.id is required.", field="destination.id")
        if destination.get("type") not in ("destination", "warehouse"):
            raise ApiFailure(
                422, "destination.type must be destination or warehouse.", field="destination.type"
            )
        id_sync = checked_id_sync(body.get("idSyncConfiguration"), required=False)
        settings = checked_settings(body.get("connectionSettings"))
        no_other_keys(body, ("destination", "idSyncConfiguration", "connectionSettings"))
        self.state.require_destination(space_id, destination_id)
        if self.state.find_connection(space_id, audience_id, destination_id) is not None:
            raise ApiFailure(
                409,
                f"Destination {destination_id} is already connected to audience {audience_id}.",
                type_="conflict",
            )
        id_sync = self._other_rows("POST") or id_sync
        connection = self.state.connect(
            space_id, audience_id, destination_id, id_sync or None, settings=settings
        )
        data: JsonObject = {
            "connection": {"id": connection["id"]},
            "idSyncConfiguration": copy.deepcopy(connection["idSyncConfiguration"]),
        }
        if connection["connectionSettings"]:
            data["connectionSettings"] = copy.deepcopy(connection["connectionSettings"])
        return data

    def _op_update_connection(
        self,
        space_id: str,
        audience_id: str,
        connection_id: str,
        *,
        query: dict[str, list[str]],
        body: JsonObject,
    ) -> JsonObject:
        self.state.require_audience(space_id, audience_id)
        connection = self._connection(space_id, audience_id, connection_id)
        if "idSyncConfiguration" not in body and "connectionSettings" not in body:
            # model/updateDestinationForAudienceAlphaInput.ts: both fields are optional,
            # and an update that names neither has nothing to do.
            raise ApiFailure(
                400,
                "At least one of idSyncConfiguration or connectionSettings must be provided.",
                type_="BadRequest",
            )
        no_other_keys(body, ("idSyncConfiguration", "connectionSettings"))
        id_sync = checked_id_sync(body.get("idSyncConfiguration"), required=False)
        settings = checked_settings(body.get("connectionSettings"))
        id_sync = self._other_rows("PATCH") or id_sync
        # Documented: the array replaces the stored list; an empty one (or none) changes
        # nothing. Likewise an empty connectionSettings object.
        if id_sync:
            connection["idSyncConfiguration"] = id_sync
        if settings:
            connection["connectionSettings"] = settings
        if id_sync or settings:
            connection["updatedAt"] = now_stamp()
        return {
            "destination": {"id": connection["id"]},
            "idSyncConfiguration": copy.deepcopy(connection["idSyncConfiguration"]),
            "connectionSettings": copy.deepcopy(connection["connectionSettings"]),
        }

    def _op_remove_connection(
        self,
        space_id: str,
        audience_id: str,
        connection_id: str,
        *,
        query: dict[str, list[str]],
        body: None,
    ) -> JsonObject:
        self.state.require_audience(space_id, audience_id)
        connection = self._connection(space_id, audience_id, connection_id)
        self.state.connections[(space_id, audience_id)].remove(connection)
        return {"status": "SUCCESS"}

    def _connection(self, space_id: str, audience_id: str, connection_id: str) -> JsonObject:
        for connection in self.state.connections.get((space_id, audience_id), []):
            if connection["id"] == connection_id:
                return connection
        raise ApiFailure(
            404,
            f"Destination connection {connection_id} was not found on audience {audience_id}.",
            type_="not-found",
        )

    def _page(
        self, items: list[JsonObject], query: dict[str, list[str]], max_count: int
    ) -> tuple[list[JsonObject], JsonObject]:
        count_text = _param(query, "pagination", "count")
        cursor = _param(query, "pagination", "cursor")
        count = self.default_page_size if count_text is None else _int_or_none(count_text)
        if count is None or not 1 <= count <= max_count:
            raise ApiFailure(
                422,
                f"pagination.count must be a whole number from 1 to {max_count}.",
                field="pagination.count",
            )
        start = 0 if not cursor else _offset_from_cursor(cursor)
        page = items[start : start + count]
        end = start + len(page)
        pagination: JsonObject = {
            "current": _cursor(start),
            "totalEntries": len(items),
            "next": _cursor(end) if end < len(items) else None,
        }
        if start > 0:
            pagination["previous"] = _cursor(max(0, start - count))
        return page, pagination


def _destination_v1(instance: JsonObject) -> JsonObject:
    """A workspace destination as model/destinationV1.ts has it, with the metadata
    fields model/destinationMetadataV1.ts requires (the sandbox knows only a few)."""
    meta = instance["metadata"]
    return {
        "id": instance["id"],
        "name": instance["name"],
        "enabled": instance["enabled"],
        "sourceId": instance["sourceId"],
        "settings": copy.deepcopy(instance["settings"]),
        "metadata": {
            "id": meta["id"],
            "name": meta["name"],
            "slug": meta["slug"],
            "description": "",
            "logos": {"default": ""},
            "options": [],
            "status": "PUBLIC",
            "previousNames": [],
            "categories": [],
            "website": "",
            "components": [],
            "supportedFeatures": {},
            "supportedMethods": {},
            "supportedPlatforms": {},
            "actions": [],
            "presets": [],
        },
    }


def _too_many(
    seconds: float,
    consumed: int | None = None,
    *,
    hint: RateLimitHint = RateLimitHint.RETRY_AFTER,
) -> ApiFailure:
    wait = max(0.0, seconds)
    data: JsonObject = {"remainingPoints": 0}
    if hint in (RateLimitHint.RETRY_AFTER, RateLimitHint.MS_BEFORE_NEXT):
        data["msBeforeNext"] = math.ceil(wait * 1000)
    if consumed is not None:
        data["consumedPoints"] = consumed
    headers: dict[str, str] = {}
    if hint is RateLimitHint.RETRY_AFTER:
        headers["Retry-After"] = str(max(1, math.ceil(wait)))
    elif hint is RateLimitHint.RESET_SECONDS:
        headers["X-RateLimit-Reset"] = str(max(1, math.ceil(wait)))
    elif hint is RateLimitHint.RESET_DATE:
        # An HTTP date has whole seconds; the server's Date header is the clock it
        # counts from, so round up from now to the next whole second.
        headers["X-RateLimit-Reset"] = formatdate(
            math.ceil(time.time()) + max(1, math.ceil(wait)), usegmt=True
        )
    return ApiFailure(
        429, "Too many requests: the rate limit was exceeded.", data=data, headers=headers
    )


def _param(query: dict[str, list[str]], name: str, key: str | None = None) -> str | None:
    # Both documented spellings: pagination.count and pagination[count].
    names = [name] if key is None else [f"{name}.{key}", f"{name}[{key}]"]
    for candidate in names:
        values = query.get(candidate)
        if values:
            return values[0]
    return None


def _int_or_none(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def _offset_from_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, number = raw.partition(":")
        if prefix == "offset" and number.isdigit():
            return int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise ApiFailure(
        422, "pagination.cursor is not a cursor this API gave out.", field="pagination.cursor"
    )


def _iter_seed_summary(state: SandboxState) -> Iterator[str]:
    for space in state.spaces:
        audiences = state.audiences[space["id"]]
        yield f"  space {space['id']} ({space['name']}): {len(audiences)} audiences"


def run(args: argparse.Namespace) -> int:

    if not 0 <= args.port <= 65535:
        print(f"error: --port must be 0..65535, got {args.port}", file=sys.stderr)
        return 2
    sandbox = Sandbox(port=args.port, token=args.token)
    try:
        sandbox.start()
    except OSError as exc:
        print(
            f"error: could not listen on 127.0.0.1:{args.port} ({exc.strerror or exc}); "
            "choose another --port or leave it out.",
            file=sys.stderr,
        )
        return 3
    out = sys.stdout
    print(f"Segment API sandbox running at {sandbox.url}", file=out)
    print(f"Token: {sandbox.token}", file=out)
    print("Sample data:", file=out)
    for line in _iter_seed_summary(sandbox.state):
        print(line, file=out)
    print(
        f"Try: SEGMENT_PUBLIC_API_TOKEN={sandbox.token} idsync push --base-url {sandbox.url} "
        "--dry-run FILE",
        file=out,
    )
    print("Press Ctrl-C to stop.", file=out, flush=True)
    try:
        while sandbox._thread is not None and sandbox._thread.is_alive():
            sandbox._thread.join(timeout=0.5)
    except KeyboardInterrupt:
        print("Stopping the sandbox.", file=out)
    finally:
        sandbox.stop()
    return 0
