"""The sandbox's HTTP server: listening on loopback in a thread of its own, reading each
request, asking the faults and the routes, answering in Segment's envelopes, and
recording what came; ``idsync sandbox`` runs it until Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import secrets
import socket
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from idsync.segment.sandbox.failure import ApiFailure, JsonObject
from idsync.segment.sandbox.faults import FaultSwitches, HeldWrite, LostAnswer
from idsync.segment.sandbox.routes import Routes
from idsync.segment.sandbox.state import SandboxState

log = logging.getLogger(__name__)

_MAX_BODY_BYTES = 1_000_000


@dataclass
class RecordedRequest:
    """One request as the sandbox saw it (the Authorization header is never kept)."""

    method: str
    path: str
    status: int
    at: float
    accept: str = ""
    content_type: str = ""


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
        path = urlsplit(self.path).path
        status = 500
        try:
            write = HeldWrite(
                self.command,
                self.path,
                self._read_body(),
                self.headers.get("Authorization", ""),
                self.headers.get("Content-Type", ""),
            )
            payload = sandbox._answer(write, arrived)
            status, headers = 200, {}
            lost = sandbox._lost_answer(self.command)
            if lost is not None:
                sandbox._record(RecordedRequest(self.command, path, 200, arrived))
                self._lose_answer(lost)
                return
        except ApiFailure as failure:
            status, payload, headers = failure.status, failure.envelope(), failure.headers
        except Exception:  # a sandbox bug must still answer with the documented envelope
            log.exception("sandbox: unexpected error")
            internal = ApiFailure(500, "The sandbox hit an internal error.", type_="internal")
            status, payload, headers = 500, internal.envelope(), {}
        sandbox._answered(self.command)
        sandbox._record(
            RecordedRequest(
                self.command,
                path,
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


class Sandbox(FaultSwitches):
    """The local server, with its faults to switch. Use as a context manager::

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
        super().__init__()
        self.host = host
        self.requested_port = port
        self.token = token or f"sbx_{secrets.token_urlsafe(18)}"
        self.state = state if state is not None else SandboxState.seeded()
        self.routes = Routes(self.state, self._other_rows)
        # How long LostAnswer.HANG keeps a connection silent.
        self.hang_seconds = 10.0
        self.requests: list[RecordedRequest] = []
        self._record_lock = threading.Lock()
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

    def serve_until_stopped(self) -> None:
        """Block until the server's thread ends (Ctrl-C raises KeyboardInterrupt here)."""
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout=0.5)

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what happened -------------------------------------------------------------

    def count(self, *, method: str | None = None, status: int | None = None) -> int:
        with self._record_lock:
            return sum(
                1
                for r in self.requests
                if (method is None or r.method == method) and (status is None or r.status == status)
            )

    def _record(self, request: RecordedRequest) -> None:
        with self._record_lock:
            self.requests.append(request)

    # -- one request ---------------------------------------------------------------

    def _answer(self, request: HeldWrite, arrived: float) -> JsonObject:
        """The data answer to ``request``, after the faults had their say; ApiFailure
        for every refusal."""
        for late in self._due_late_writes():
            try:
                self._route(late)
            except ApiFailure as failure:
                # Applied late into a state that changed meanwhile, Segment refuses it as
                # it would have then (409 when the destination is connected by now).
                log.debug("sandbox: a late write was refused: %s", failure.message)
        admission = self._admit(request.method, arrived)
        if admission.delay:
            self._stopping.wait(admission.delay)
        if admission.refusal is not None:
            raise admission.refusal
        if self._authorized(request.authorization):
            self._hold_late_write(request)
        return self._route(request)

    def _route(self, request: HeldWrite) -> JsonObject:
        if not self._authorized(request.authorization):
            raise ApiFailure(
                401,
                "Unauthorized: the token is missing, invalid or expired.",
                type_="unauthorized",
            )
        parts = urlsplit(request.path)
        return self.routes.dispatch(
            request.method,
            parts.path,
            parse_qs(parts.query),
            request.body,
            content_type=request.content_type,
        )

    def _authorized(self, authorization: str) -> bool:
        return authorization == f"Bearer {self.token}"

    def _answered(self, method: str) -> None:
        for change in self._due_changes(method):
            with self.state.lock:
                change(self.state)


def _seed_summary(state: SandboxState) -> Iterator[str]:
    for space in state.spaces:
        audiences = state.audiences[space["id"]]
        yield f"  space {space['id']} ({space['name']}): {len(audiences)} audiences"


def run(args: argparse.Namespace) -> int:
    """``idsync sandbox``: serve on ``--port`` until Ctrl-C, saying where and with which
    token."""
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
    for line in _seed_summary(sandbox.state):
        print(line, file=out)
    print(
        f"Try: SEGMENT_PUBLIC_API_TOKEN={sandbox.token} idsync push --base-url {sandbox.url} "
        "--dry-run FILE",
        file=out,
    )
    print("Press Ctrl-C to stop.", file=out, flush=True)
    try:
        sandbox.serve_until_stopped()
    except KeyboardInterrupt:
        print("Stopping the sandbox.", file=out)
    finally:
        sandbox.stop()
    return 0
