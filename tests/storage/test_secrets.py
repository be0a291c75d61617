"""Token storage with real keyring backend classes (the OS keychain is not available here)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.fail
import pytest
from keyring.errors import KeyringError

from idsync.storage.secrets import (
    SERVICE_NAME,
    TOKEN_ENV_VAR,
    StorageKind,
    TokenStore,
    account_for,
    clear_session_tokens,
)
from tests.helpers.keyrings import MemoryKeyring

US = "https://api.segmentapis.com"
EU = "https://eu1.api.segmentapis.com"
TOKEN = "sgp_test_token_0123456789"


class BrokenKeyring(keyring.backend.KeyringBackend):
    """A keyring that exists but fails (a locked or misconfigured keychain)."""

    priority = 1

    def __init__(self) -> None:
        pass  # see MemoryKeyring.__init__

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringError(f"locked while reading {username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError(f"cannot store {password}")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringError("locked")


@pytest.fixture(autouse=True)
def isolated_keyring(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, idsync_home: Path
) -> Iterator[None]:
    previous = keyring.get_keyring()
    monkeypatch.delenv(TOKEN_ENV_VAR, raising=False)
    clear_session_tokens()
    caplog.set_level(logging.DEBUG)
    yield
    keyring.set_keyring(previous)
    clear_session_tokens()
    records = [*caplog.get_records("setup"), *caplog.get_records("call"), *caplog.records]
    assert all(TOKEN not in r.getMessage() for r in records)
    for path in idsync_home.rglob("*"):
        assert not path.is_file() or TOKEN.encode() not in path.read_bytes()


def _kind(store: TokenStore) -> StorageKind:
    return store.storage_kind


@pytest.fixture
def memory() -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


def test_saves_in_the_keyring_under_the_app_service(memory: MemoryKeyring) -> None:
    store = TokenStore(US)
    assert store.storage_kind is StorageKind.KEYRING
    assert store.save(f"  {TOKEN}\n") is StorageKind.KEYRING
    assert memory.entries == {(SERVICE_NAME, US): TOKEN}
    assert TokenStore(US + "/").get() == TOKEN


def test_each_region_has_its_own_token(memory: MemoryKeyring) -> None:
    TokenStore(US).save(TOKEN)
    assert TokenStore(EU).get() is None
    TokenStore(EU).save("eu-token")
    assert TokenStore(US).get() == TOKEN
    assert TokenStore(EU).get() == "eu-token"


def test_forget_removes_it(memory: MemoryKeyring) -> None:
    store = TokenStore(US)
    store.save(TOKEN)
    store.forget()
    assert store.get() is None
    assert memory.entries == {}
    store.forget()  # nothing stored: still fine


def test_environment_variable_overrides(
    memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    TokenStore(US).save("stored-token")
    monkeypatch.setenv(TOKEN_ENV_VAR, TOKEN)
    store = TokenStore(US)
    assert store.get() == TOKEN
    assert store.storage_kind is StorageKind.ENVIRONMENT
    monkeypatch.setenv(TOKEN_ENV_VAR, "   ")
    assert store.get() == "stored-token"


def test_without_a_keyring_backend_the_token_lives_for_the_session() -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]
    store = TokenStore(US)
    assert store.storage_kind is StorageKind.SESSION
    assert "this session only" in store.storage_kind.label
    assert store.save(TOKEN) is StorageKind.SESSION
    assert TokenStore(US).get() == TOKEN  # another store in the same session sees it
    clear_session_tokens()
    assert TokenStore(US).get() is None


def test_a_failing_keyring_falls_back_to_the_session(caplog: pytest.LogCaptureFixture) -> None:
    keyring.set_keyring(BrokenKeyring())
    store = TokenStore(US)
    assert _kind(store) is StorageKind.KEYRING  # looks usable until it fails
    assert store.save(TOKEN) is StorageKind.SESSION
    assert _kind(store) is StorageKind.SESSION
    assert store.get() == TOKEN
    assert any("keychain failed" in r.getMessage() for r in caplog.records)
    store.forget()
    assert store.get() is None


def test_reading_from_a_failing_keyring_does_not_raise() -> None:
    keyring.set_keyring(BrokenKeyring())
    store = TokenStore(US)
    assert store.get() is None
    assert store.storage_kind is StorageKind.SESSION


def test_empty_token_is_refused(memory: MemoryKeyring) -> None:
    with pytest.raises(ValueError, match="empty"):
        TokenStore(US).save("   ")
    assert memory.entries == {}


def test_account_names() -> None:
    assert account_for("HTTPS://API.segmentapis.com/") == "https://api.segmentapis.com"
    assert account_for("http://127.0.0.1:8080") == "http://127.0.0.1:8080"
    assert account_for("https://proxy.example.com/segment/") == (
        "https://proxy.example.com/segment"
    )
