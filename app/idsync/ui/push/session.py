"""The connection to Segment for this run of the app: where, with which token, and the
workers that talk to it.

The token lives only in this object's memory (and, when the person asks, in the system
keyring through ``TokenStore``); the ``ConnectionProfile`` that settings could keep holds
the region or base URL and never the token.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QCoreApplication, QObject, Signal

from idsync.segment.cancel import CancelToken
from idsync.segment.endpoints import ConnectionProfile, EndpointKind
from idsync.segment.errors import AuthError
from idsync.segment.ratelimit import RateLimiter
from idsync.storage.secrets import StorageKind, TokenStore, environment_token
from idsync.ui.push.worker import TaskRunner

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    # The API client (httpx) and the sandbox load when the person first connects.
    from idsync.segment.client import RetryPolicy, SegmentClient
    from idsync.segment.sandbox import Sandbox

ClientFactory = Callable[[CancelToken | None], "SegmentClient"]

NOT_CONNECTED: Final = (
    "Not connected to Segment. Choose Segment > Connect to Segment… and enter a token "
    "(or pick the local sandbox)."
)


class SegmentSession(QObject):
    """The current connection; widgets ask it for clients and listen to connectedChanged."""

    connectedChanged = Signal(bool)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        timeout: float = 20.0,
        retry: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks = TaskRunner(self)
        self.timeout = timeout
        self.retry = retry
        # One limiter for every client of the session, so browsing and pushing together
        # stay under Segment's per-minute limit.
        self.limiter = limiter if limiter is not None else RateLimiter()
        # The push engine's clock: how old a plan's live read is (tests move it by hand).
        self.clock: Callable[[], float] = time.monotonic
        self._profile: ConnectionProfile | None = None
        # The endpoint of an earlier run, offered first by the Connect dialog.
        self.last_profile: ConnectionProfile | None = None
        self._factory: ClientFactory | None = None
        self._storage: StorageKind | None = None
        self._sandbox: Sandbox | None = None
        app = QCoreApplication.instance()
        if app is not None:
            # Waits for running requests and stops the sandbox even if nobody calls it.
            app.aboutToQuit.connect(self.shutdown)

    # -- state ---------------------------------------------------------------------

    @property
    def profile(self) -> ConnectionProfile | None:
        return self._profile

    @property
    def is_connected(self) -> bool:
        return self._factory is not None

    @property
    def storage_kind(self) -> StorageKind | None:
        """Where the token in use is kept; None for the sandbox (nothing to keep)."""
        return self._storage

    @property
    def description(self) -> str:
        if self._profile is None:
            return "Not connected"
        return f"Connected to {self._profile.label}"

    # -- clients -------------------------------------------------------------------

    def factory_for(self, base_url: str, token: str) -> ClientFactory:
        """Clients for ``base_url`` and ``token`` (used by Test connection before OK)."""

        def make(cancel: CancelToken | None) -> SegmentClient:
            # Seam "first use": the API client (httpx) loads at the first connection.
            from idsync.segment.client import SegmentClient

            return SegmentClient(
                token,
                base_url=base_url,
                timeout=self.timeout,
                limiter=self.limiter,
                retry=self.retry,
                cancel=cancel,
            )

        return make

    def new_client(self, cancel: CancelToken | None) -> SegmentClient:
        """A client for the current connection; raises AuthError when not connected."""
        if self._factory is None:
            raise AuthError(NOT_CONNECTED)
        return self._factory(cancel)

    # -- tokens --------------------------------------------------------------------

    def token_for(self, profile: ConnectionProfile, typed: str) -> str | None:
        """The token a connection to ``profile`` would use: the sandbox's own, else the
        environment variable, else what was typed, else what the keyring holds.

        Reading the keyring can wait on an unlock prompt: call this from a worker.
        """
        if profile.kind is EndpointKind.SANDBOX:
            sandbox = self._sandbox
            return sandbox.token if sandbox is not None else None
        env = environment_token()
        if env is not None:
            return env
        if typed.strip():
            return typed.strip()
        return TokenStore(profile.base_url).get()

    def connect_to(
        self, profile: ConnectionProfile, token: str, *, remember: bool
    ) -> StorageKind | None:
        """Use ``profile`` and ``token`` from now on; returns where the token is kept."""
        storage: StorageKind | None
        if profile.kind is EndpointKind.SANDBOX:
            storage = None  # a new sandbox makes a new token: nothing worth keeping
        elif environment_token() is not None:
            storage = StorageKind.ENVIRONMENT
        elif remember:
            storage = TokenStore(profile.base_url).save(token)
        else:
            # Unticked "Remember": keep it in this object only and drop any saved copy.
            TokenStore(profile.base_url).forget()
            storage = StorageKind.SESSION
        self._profile = profile
        self._storage = storage
        self._factory = self.factory_for(profile.base_url, token)
        log.info("Connected to %s", profile.label)
        self.connectedChanged.emit(True)
        return storage

    def sign_out(self) -> None:
        """Forget the connection for this run (a saved token stays in the keyring)."""
        if self._factory is None:
            return
        self.tasks.cancel_all()
        self._profile = None
        self._factory = None
        self._storage = None
        self.connectedChanged.emit(False)

    # -- sandbox -------------------------------------------------------------------

    @property
    def sandbox(self) -> Sandbox | None:
        return self._sandbox

    def start_sandbox(self) -> Sandbox:
        """The session's practice server on 127.0.0.1, started on first use.

        Raises OSError when no loopback port can be opened.
        """
        if self._sandbox is None:
            # Seam "first use": the sandbox (http.server) loads when it is chosen.
            from idsync.segment.sandbox import Sandbox

            self._sandbox = Sandbox().start()
            log.info("Started the local sandbox at %s", self._sandbox.url)
        return self._sandbox

    def shutdown(self, wait_msecs: int = 10_000) -> None:
        """Cancel running work, wait for it, and stop the sandbox (at app exit)."""
        self.tasks.cancel_all()
        self.tasks.wait(wait_msecs)
        if self._sandbox is not None:
            self._sandbox.stop()
            self._sandbox = None
