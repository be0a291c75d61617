"""How the sandbox refuses a request: Segment's ``{"errors": [...]}`` envelope with a
status and headers, raised from wherever the refusal is found (state, route or fault)."""

from __future__ import annotations

import math
import time
from email.utils import formatdate
from enum import Enum
from typing import Any

JsonObject = dict[str, Any]


class ApiFailure(Exception):
    """Answer the request with this status and error envelope."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type_: str = "RequestError",
        field: str | None = None,
        data: JsonObject | None = None,
        headers: dict[str, str] | None = None,
        more: tuple[tuple[str, str | None], ...] = (),
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type_ = type_
        self.field = field
        self.data = data
        self.headers = headers or {}
        # Further (message, field) problems of the same request: Segment lists every
        # error of a body in ``errors``, not only the first.
        self.more = more

    def envelope(self) -> JsonObject:
        error: JsonObject = {"type": self.type_, "message": self.message}
        if self.field is not None:
            error["field"] = self.field
        if self.data is not None:
            error["data"] = self.data
        errors = [error]
        for message, field in self.more:
            extra: JsonObject = {"type": self.type_, "message": message}
            if field is not None:
                extra["field"] = field
            errors.append(extra)
        return {"errors": errors}


class RateLimitHint(str, Enum):
    """Which hint a 429 carries about when to come back."""

    RETRY_AFTER = "retry-after"  # Retry-After in whole seconds, and msBeforeNext
    RESET_SECONDS = "reset-seconds"  # X-RateLimit-Reset as seconds to wait
    RESET_DATE = "reset-date"  # X-RateLimit-Reset as an HTTP date
    MS_BEFORE_NEXT = "ms-before-next"  # only errors[].data.msBeforeNext
    NONE = "none"  # no hint at all


def too_many_requests(
    seconds: float,
    consumed: int | None = None,
    *,
    hint: RateLimitHint = RateLimitHint.RETRY_AFTER,
) -> ApiFailure:
    """A 429 saying, as ``hint`` chooses, to come back in ``seconds``."""
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
