"""Fixtures for tests that talk to the API sandbox over loopback: a live sandbox, clients
with fast (recorded) waits, and a guard that the token never reaches a file or a log line.

A pytest plugin, loaded by the root conftest; ``token_never_leaks`` is used by the
modules that talk to the sandbox (autouse in tests/segment).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from idsync.segment.client import ALPHA_MEDIA_TYPE, RetryPolicy, SegmentClient
from idsync.segment.ratelimit import RateLimiter
from idsync.segment.sandbox import Sandbox
from tests.helpers.keyrings import TokenRegistry, assert_tokens_absent
from tests.helpers.network import RecordingSleeper

ClientFactory = Callable[..., SegmentClient]


@pytest.fixture
def secrets_used() -> TokenRegistry:
    return TokenRegistry()


@pytest.fixture
def token_never_leaks(
    secrets_used: TokenRegistry, caplog: pytest.LogCaptureFixture, idsync_home: Path
) -> Iterator[None]:
    caplog.set_level(logging.DEBUG)
    yield
    assert_tokens_absent(secrets_used.tokens, caplog, idsync_home)


@pytest.fixture
def sandbox(secrets_used: TokenRegistry) -> Iterator[Sandbox]:
    with Sandbox() as running:
        secrets_used.add(running.token)
        yield running



@pytest.fixture
def http(sandbox: Sandbox) -> Iterator[httpx.Client]:
    """A plain HTTP client on the sandbox, for tests of the server's own answers."""
    with httpx.Client(
        base_url=sandbox.url,
        headers={"Authorization": f"Bearer {sandbox.token}", "Content-Type": ALPHA_MEDIA_TYPE},
        trust_env=False,
    ) as client:
        yield client

@pytest.fixture
def sleeper() -> RecordingSleeper:
    return RecordingSleeper()


@pytest.fixture
def make_client(sandbox: Sandbox, sleeper: RecordingSleeper) -> Iterator[ClientFactory]:
    clients: list[SegmentClient] = []

    def factory(**overrides: Any) -> SegmentClient:
        options: dict[str, Any] = {
            "base_url": sandbox.url,
            "timeout": 5.0,
            "retry": RetryPolicy(backoff_initial=0.01, backoff_max=0.05),
            "limiter": RateLimiter(1000, 60.0),
            "sleep": sleeper,
        }
        options.update(overrides)
        token = options.pop("token", sandbox.token)
        client = SegmentClient(token, **options)
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.close()


def first_error(response: httpx.Response) -> dict[str, Any]:
    """The first error of an answer that must be Segment's error envelope and nothing else."""
    payload = response.json()
    assert set(payload) == {"errors"}
    error: dict[str, Any] = payload["errors"][0]
    return error
