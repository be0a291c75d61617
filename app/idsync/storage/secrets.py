"""Where the Segment API token lives: the OS keyring, the environment, or this session.

Order when reading: ``SEGMENT_PUBLIC_API_TOKEN`` (so pipelines need no keyring), then the
keyring entry for the base URL, then a token kept in memory for this session. When no
usable keyring exists (none installed, or it fails), tokens stay in memory only and
``storage_kind`` says so, so the UI can tell the person they must paste it again next
time. The token is never written to a file and never logged.
"""

from __future__ import annotations

import logging
import os
import threading
from enum import Enum
from typing import Final
from urllib.parse import urlsplit

from idsync import APP_ID

log = logging.getLogger(__name__)

SERVICE_NAME: Final = APP_ID
TOKEN_ENV_VAR: Final = "SEGMENT_PUBLIC_API_TOKEN"

# Base URL (account) -> token, for this process only.
_session_tokens: dict[str, str] = {}
_session_lock = threading.Lock()


class StorageKind(str, Enum):
    KEYRING = "keyring"
    ENVIRONMENT = "environment"
    SESSION = "session"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS: Final = {
    StorageKind.KEYRING: "Saved in the system keychain.",
    StorageKind.ENVIRONMENT: f"Taken from the {TOKEN_ENV_VAR} environment variable.",
    StorageKind.SESSION: (
        "No system keychain is available: the token is kept for this session only and "
        "must be entered again after the app closes."
    ),
}


def account_for(base_url: str) -> str:
    """The keyring account name for a base URL: scheme://host[:port][/path], lower-cased
    host, no trailing slash, so the same server always finds the same entry."""
    parts = urlsplit(base_url.strip())
    host = (parts.hostname or "").lower()
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    path = parts.path.rstrip("/")
    return f"{parts.scheme.lower()}://{host}{path}" if host else base_url.strip()


def environment_token() -> str | None:
    value = os.environ.get(TOKEN_ENV_VAR, "").strip()
    return value or None


# keyring (and its backends' discovery) is imported at the first token question, not at
# start-up: most sessions of the window and every headless command never ask one.


def keyring_usable() -> bool:
    """False when keyring has only its fail or null backend (nothing would be stored)."""
    import keyring
    import keyring.backends.fail
    import keyring.backends.null

    try:
        backend = keyring.get_keyring()
    except Exception:  # keyring's own discovery can fail on broken installs
        return False
    return not isinstance(backend, (keyring.backends.fail.Keyring, keyring.backends.null.Keyring))


class TokenStore:
    """The token for one base URL (each region and custom URL has its own)."""

    def __init__(self, base_url: str) -> None:
        self.account = account_for(base_url)
        self._keyring_failed = False

    @property
    def storage_kind(self) -> StorageKind:
        """Where the token in use comes from, or where ``save`` would put it."""
        if environment_token() is not None:
            return StorageKind.ENVIRONMENT
        if self._keyring_failed or not keyring_usable():
            return StorageKind.SESSION
        return StorageKind.KEYRING

    def get(self) -> str | None:
        env = environment_token()
        if env is not None:
            return env
        if not self._keyring_failed and keyring_usable():
            import keyring

            try:
                stored = keyring.get_password(SERVICE_NAME, self.account)
            except Exception as exc:  # any backend failure: fall back to the session
                self._note_failure("read", exc)
            else:
                if stored:
                    return stored
        with _session_lock:
            return _session_tokens.get(self.account)

    def save(self, token: str) -> StorageKind:
        """Store ``token`` in the keyring, or for this session only when that is not
        possible; returns where it went."""
        token = token.strip()
        if not token:
            raise ValueError("The token is empty; paste the token from Segment.")
        if not self._keyring_failed and keyring_usable():
            import keyring

            try:
                keyring.set_password(SERVICE_NAME, self.account, token)
            except Exception as exc:
                self._note_failure("save", exc)
            else:
                with _session_lock:
                    _session_tokens.pop(self.account, None)
                return StorageKind.KEYRING
        with _session_lock:
            _session_tokens[self.account] = token
        return StorageKind.SESSION

    def forget(self) -> None:
        """Remove the stored token (keyring and session); the environment is untouched."""
        with _session_lock:
            _session_tokens.pop(self.account, None)
        if self._keyring_failed or not keyring_usable():
            return
        import keyring
        from keyring.errors import PasswordDeleteError

        try:
            keyring.delete_password(SERVICE_NAME, self.account)
        except PasswordDeleteError:
            pass  # nothing was stored
        except Exception as exc:
            self._note_failure("delete", exc)

    def _note_failure(self, action: str, exc: Exception) -> None:
        from keyring.errors import KeyringError

        self._keyring_failed = True
        # Only the exception type: a backend's message could quote what it was given.
        kind = "keyring error" if isinstance(exc, KeyringError) else "unexpected error"
        log.warning(
            "The system keychain failed to %s the token (%s: %s); keeping it for this "
            "session only.",
            action,
            kind,
            type(exc).__name__,
        )


def clear_session_tokens() -> None:
    """Forget every in-memory token (tests, and 'sign out everywhere')."""
    with _session_lock:
        _session_tokens.clear()
