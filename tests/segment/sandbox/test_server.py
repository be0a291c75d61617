"""idsync.segment.sandbox.server: the token, the record of requests and `idsync sandbox`,
spoken to with plain HTTP over loopback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from idsync.segment.sandbox import Sandbox
from tests.helpers.keyrings import TokenRegistry
from tests.helpers.sandbox import first_error

SPACE = "spa_example_marketing"
AUDIENCE = "aud_example_high_value"
CONNECTIONS = f"/spaces/{SPACE}/audiences/{AUDIENCE}/destination-connections"


def test_missing_or_wrong_token_gets_401_envelope(sandbox: Sandbox) -> None:
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": sandbox.token}):
        response = httpx.get(f"{sandbox.url}/spaces", headers=headers, trust_env=False)
        assert response.status_code == 401
        assert first_error(response)["type"] == "unauthorized"


def test_requests_are_recorded_without_the_token(sandbox: Sandbox, http: httpx.Client) -> None:
    http.get("/spaces")
    recorded = sandbox.requests[-1]
    assert (recorded.method, recorded.path, recorded.status) == ("GET", "/spaces", 200)
    assert sandbox.token not in repr(sandbox.requests)


def test_idsync_sandbox_command_prints_url_and_token_and_stops_on_ctrl_c(
    secrets_used: TokenRegistry, idsync_home: Path
) -> None:
    token = secrets_used.add("sbx_cli_test_token")
    root = Path(__file__).resolve().parents[3]
    process = subprocess.Popen(
        [sys.executable, "-m", "idsync", "sandbox", "--token", token],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "IDSYNC_HOME": str(idsync_home)},
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        second = process.stdout.readline()
        assert first.startswith("Segment API sandbox running at http://127.0.0.1:")
        assert second.strip() == f"Token: {token}"
        url = first.rsplit(" ", 1)[1].strip()
        response = httpx.get(
            f"{url}/spaces", headers={"Authorization": f"Bearer {token}"}, trust_env=False
        )
        assert response.status_code == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
        if process.stderr is not None:
            process.stderr.close()
