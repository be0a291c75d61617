"""Test support for secrets: a real in-memory keyring backend, and the token-leak check.

Every test that handles an API token registers it; afterwards no log record of any test
phase and no file (or file name) under the app's temp home may contain it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """A working keyring backend that keeps passwords in a dict.

    keyring discovers every KeyringBackend subclass and chains the viable ones into its
    default backend; a priority that raises keeps these test backends (and subclasses
    that block on purpose) out of that, so only ``keyring.set_keyring`` installs them.
    """

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("a test backend, installed only with keyring.set_keyring")

    def __init__(self) -> None:
        # KeyringBackend.__init__ only reads KEYRING_PROPERTY_* variables; skipping it
        # keeps the environment of the test run out of the backend.
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("no such entry")


class TokenRegistry:
    """Every token a test handled (real or wrong): none may reach a file or a log."""

    def __init__(self) -> None:
        self.tokens: set[str] = set()

    def add(self, token: str) -> str:
        self.tokens.add(token)
        return token


def assert_tokens_absent(
    tokens: set[str], caplog: pytest.LogCaptureFixture, home: Path
) -> None:
    # caplog.records alone holds only the current (teardown) phase.
    records = [*caplog.get_records("setup"), *caplog.get_records("call"), *caplog.records]
    for token in tokens:
        for record in records:
            text = f"{record.getMessage()} {record.exc_text or ''}"
            assert token not in text, f"the token leaked into a log line of {record.name}"
        for path in home.rglob("*"):
            assert token not in path.name, f"the token is in a file name: {path}"
            if path.is_file():
                assert token.encode() not in path.read_bytes(), f"the token is in {path}"
