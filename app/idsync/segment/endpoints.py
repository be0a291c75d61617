"""Where the app talks to Segment: the kinds of endpoint and a profile of one (no Qt).

A ``ConnectionProfile`` is safe to remember between runs: it holds the region or base
URL, never the token. The window's ``SegmentSession`` connects with one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Final

from idsync.segment.regions import Region, normalize_base_url


class EndpointKind(str, Enum):
    US = "us"
    EU = "eu"
    CUSTOM = "custom"
    SANDBOX = "sandbox"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS: Final = {
    EndpointKind.US: Region.US.label,
    EndpointKind.EU: Region.EU.label,
    EndpointKind.CUSTOM: "Custom base URL",
    EndpointKind.SANDBOX: "Local sandbox (practice server on this computer)",
}


@dataclass(frozen=True)
class ConnectionProfile:
    """Where the app talks to: safe to remember between runs (it holds no secret)."""

    kind: EndpointKind
    base_url: str

    @classmethod
    def create(cls, kind: EndpointKind, base_url: str = "") -> ConnectionProfile:
        """Raises InvalidBaseUrl (with what to change) for a bad custom URL."""
        if kind is EndpointKind.US:
            return cls(kind, Region.US.base_url)
        if kind is EndpointKind.EU:
            return cls(kind, Region.EU.base_url)
        return cls(kind, normalize_base_url(base_url))

    @property
    def label(self) -> str:
        if self.kind is EndpointKind.SANDBOX:
            return f"the local sandbox ({self.base_url})"
        if self.kind is EndpointKind.CUSTOM:
            return self.base_url
        return self.kind.label
