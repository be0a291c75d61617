"""Where the Public API lives: the US and EU regions, or a custom base URL.

A custom URL must use https, except on this machine (the local sandbox), because the
token travels in every request's headers.
"""

from __future__ import annotations

import ipaddress
from enum import Enum
from urllib.parse import urlsplit

from idsync.segment.errors import InvalidBaseUrl


class Region(str, Enum):
    US = "us"
    EU = "eu"

    @property
    def base_url(self) -> str:
        return _REGION_URLS[self]

    @property
    def label(self) -> str:
        return (
            "United States (api.segmentapis.com)"
            if self is Region.US
            else ("Europe (eu1.api.segmentapis.com)")
        )


_REGION_URLS = {
    Region.US: "https://api.segmentapis.com",
    Region.EU: "https://eu1.api.segmentapis.com",
}


def region_of(base_url: str) -> Region | None:
    """The region whose API ``base_url`` is; None for a custom base URL."""
    wanted = base_url.rstrip("/")
    return next((region for region, url in _REGION_URLS.items() if url == wanted), None)


def is_loopback_host(host: str) -> bool:
    """True for the name localhost and literal 127.0.0.0/8 and ::1 addresses.

    Sub-names like ``api.localhost`` are not trusted: some resolvers pass them on to DNS,
    and plain http would then carry the token to another machine.
    """
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalize_base_url(url: str) -> str:
    """Check a custom base URL and return it without a trailing slash.

    Raises InvalidBaseUrl with a message that says what to change.
    """
    text = url.strip()
    shown = _without_secrets(text)
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        _ = parts.port  # raises ValueError for a port that is not a number
    except ValueError as exc:
        raise InvalidBaseUrl(
            f"The base URL {shown!r} is not a valid URL ({exc}). "
            "Use e.g. https://api.segmentapis.com."
        ) from None
    if parts.scheme not in ("http", "https") or not host:
        raise InvalidBaseUrl(
            f"The base URL {shown!r} is not an http(s) URL with a host name. "
            "Use e.g. https://api.segmentapis.com."
        )
    if parts.scheme == "http" and not is_loopback_host(host):
        raise InvalidBaseUrl(
            f"The base URL {shown!r} uses plain http, which would send the token unencrypted. "
            "Use https, or http only for this machine (localhost, 127.0.0.1, ::1)."
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise InvalidBaseUrl(
            f"The base URL {shown!r} must not contain a user name, password, query or "
            "fragment. Give only scheme, host, optional port and path."
        )
    return text.rstrip("/")


def _without_secrets(url: str) -> str:
    """The URL as it may be shown: no user info, query or fragment (a pasted token may hide
    there)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.split("?", 1)[0].split("#", 1)[0].rsplit("@", 1)[-1]
    netloc = parts.netloc.rsplit("@", 1)[-1]
    hidden = "…" if (parts.query or parts.fragment or "@" in parts.netloc) else ""
    return f"{parts.scheme}://{netloc}{parts.path}{hidden}" if parts.scheme else netloc + hidden


def resolve_base_url(region: Region | str | None = None, base_url: str | None = None) -> str:
    """The base URL for a region or a custom URL (custom wins); US when neither is given."""
    if base_url:
        return normalize_base_url(base_url)
    if region is None:
        return Region.US.base_url
    try:
        return Region(region.lower() if isinstance(region, str) else region).base_url
    except ValueError:
        raise InvalidBaseUrl(
            f"Unknown region {region!r}. Choose 'us' or 'eu', or give a base URL."
        ) from None
