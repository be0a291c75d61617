from __future__ import annotations

import pytest

from idsync.segment.errors import InvalidBaseUrl
from idsync.segment.regions import Region, is_loopback_host, normalize_base_url, resolve_base_url


def test_regions() -> None:
    assert resolve_base_url("us") == "https://api.segmentapis.com"
    assert resolve_base_url(Region.EU) == "https://eu1.api.segmentapis.com"
    assert resolve_base_url("EU") == "https://eu1.api.segmentapis.com"
    assert resolve_base_url() == "https://api.segmentapis.com"


def test_custom_url_wins_and_loses_its_trailing_slash() -> None:
    assert resolve_base_url("eu", "https://proxy.example.com/segment/") == (
        "https://proxy.example.com/segment"
    )


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8080", "http://127.3.4.5", "http://[::1]:9000", "http://localhost:1"],
)
def test_plain_http_is_allowed_on_loopback(url: str) -> None:
    assert normalize_base_url(url) == url


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://api.segmentapis.com", "unencrypted"),
        ("http://10.0.0.1", "unencrypted"),
        ("http://128.0.0.1", "unencrypted"),
        ("ftp://api.segmentapis.com", "http(s)"),
        ("api.segmentapis.com", "http(s)"),
        ("https://", "http(s)"),
        ("https://host:notaport", "not a valid URL"),
        ("https://user:pw@host", "user name"),
        ("https://host/?q=1", "query"),
    ],
)
def test_bad_urls_get_a_clear_message(url: str, words: str) -> None:
    with pytest.raises(InvalidBaseUrl) as caught:
        normalize_base_url(url)
    assert words in str(caught.value)


def test_unknown_region() -> None:
    with pytest.raises(InvalidBaseUrl, match="'us' or 'eu'"):
        resolve_base_url("asia")


def test_loopback_detection() -> None:
    assert is_loopback_host("LOCALHOST")
    assert not is_loopback_host("localhost.example.com")
    assert not is_loopback_host("example.com")
    # Sub-names of localhost may be resolved through DNS: plain http is not safe there.
    assert not is_loopback_host("api.localhost")


def test_plain_http_to_a_localhost_sub_name_is_refused() -> None:
    with pytest.raises(InvalidBaseUrl, match="plain http"):
        normalize_base_url("http://anything.localhost:8080")


@pytest.mark.parametrize(
    "url",
    [
        "https://user:s3cr3t-token@api.example.com",
        "https://api.example.com/?token=s3cr3t-token",
        "https://api.example.com/#s3cr3t-token",
        "http://user:s3cr3t-token@remote.example.com",
    ],
)
def test_a_refused_url_is_shown_without_what_may_be_a_secret(url: str) -> None:
    with pytest.raises(InvalidBaseUrl) as refused:
        normalize_base_url(url)
    message = str(refused.value)
    assert "s3cr3t-token" not in message
    assert "example.com" in message

