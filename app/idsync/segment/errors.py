"""Typed failures of the Segment Public API, each with a message that says what to do.

Messages are shown as they are in dialogs and on the command line, so they never carry
the token: the client redacts it from anything the server echoes before building one.
"""

from __future__ import annotations

TOKEN_HELP = (
    "create a new token in Segment (Settings > Workspace settings > Access Management > "
    "Tokens, role Workspace Owner) and connect again"
)


class SegmentError(Exception):
    """Base of every failure the client reports; ``str(error)`` is the user message."""

    status: int | None = None

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status

    def __str__(self) -> str:
        return self.message


class AuthError(SegmentError):
    """401/403, or no usable token at all."""


class NotFoundError(SegmentError):
    """404; ``resource`` names what was looked up (e.g. "audience aud_1 in space spa_1")."""

    def __init__(self, message: str, *, resource: str, status: int | None = 404) -> None:
        super().__init__(message, status=status)
        self.resource = resource


class ConflictError(SegmentError):
    """409: the request clashes with the current state (e.g. already connected)."""


class ValidationFailed(SegmentError):
    """400/422: Segment refused the body; ``field`` names the offending field when known."""

    def __init__(self, message: str, *, field: str | None, status: int | None = 422) -> None:
        super().__init__(message, status=status)
        self.field = field


class RateLimited(SegmentError):
    """429 that did not clear within the wait the client allows itself."""

    def __init__(self, message: str, *, retry_after: float | None) -> None:
        super().__init__(message, status=429)
        self.retry_after = retry_after


class ServerError(SegmentError):
    """5xx: a problem on Segment's side."""


class NetworkError(SegmentError):
    """The connection could not be made or was dropped (refused, DNS, reset)."""


class NotConnected(NetworkError):
    """The connection could not be made (refused, DNS, TLS, connect timeout): the
    request never left, so a write it carried cannot have been applied."""


class RequestTimeout(SegmentError):
    """The server did not answer within the timeout."""


class Cancelled(SegmentError):
    """The person cancelled; raised between requests and during waits, never mid-write."""


class UnexpectedResponse(SegmentError):
    """A success status whose body is not the documented JSON envelope."""


class InvalidBaseUrl(SegmentError):
    """A custom base URL that is not https (and not a loopback address) or not a URL."""


# Also reachable as ``errors.TimeoutError``; import ``RequestTimeout`` to keep the builtin
# TimeoutError unshadowed in the importing module.
TimeoutError = RequestTimeout
