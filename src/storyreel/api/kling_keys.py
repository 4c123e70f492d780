"""The access/secret key pairs this server issues for its Kling-compatible API.

    store = KeyStore.for_root(Path("films"))     # the server's store (films/.studio/store.db)
    pair = store.create("editing suite")         # the secret is shown only now
    store.secrets()                              # {access key: secret} of live keys
    store.revoke(pair.access_key)

The keys, and the secret that signs video download links, live in the server's store
(`storyreel.store.server`: a 0600 SQLite file, or PostgreSQL). Every read asks the
database, so keys created or revoked from the command line count at once, without a
restart. A key file of older versions (`.studio/kling-keys.json`) is taken over on
first start and renamed `kling-keys.json.migrated`.
"""

from __future__ import annotations

import logging
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from storyreel.errors import StoryreelError
from storyreel.store.records import KlingKeyRecord
from storyreel.store.server import STATE_DIR, ServerStore, open_server_store

log = logging.getLogger(__name__)

KEYS_FILE = "kling-keys.json"
MIGRATED = ".migrated"
# Kling's keys are 32 characters; a secret of 32 random bytes is what HS256 wants.
_ACCESS_BYTES = 16
_SECRET_BYTES = 32

KeyRecord = KlingKeyRecord


class KeyStoreError(StoryreelError):
    """The key file cannot be read, or names a key that does not exist."""


class KeyFile(BaseModel):
    """The key file of older versions, read once to take it over."""

    model_config = ConfigDict(extra="ignore")

    version: int = 1
    url_secret: str = Field(default_factory=lambda: secrets.token_hex(_SECRET_BYTES))
    keys: list[KeyRecord] = []


def keys_path(root: Path) -> Path:
    """Where older versions kept the keys."""
    return Path(root) / STATE_DIR / KEYS_FILE


def migrate_key_file(store: ServerStore, path: Path) -> bool:
    """Take over an old key file: its keys and link secret go into the store in one
    transaction, then the file is renamed `*.migrated`. Safe to run again after a
    crash between the two (keys already there are kept as they are). True when a file
    was taken over."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return False
    try:
        data = KeyFile.model_validate_json(raw)
    except ValidationError:
        raise KeyStoreError(
            f"{path} (the key file of an older storyreel) cannot be read; restore it from "
            "a backup, or delete it and create new keys with `storyreel kling-keys create`"
        ) from None
    store.import_kling_keys(data.url_secret, data.keys)
    os.replace(path, path.with_name(path.name + MIGRATED))
    log.info("took %d Kling keys over from %s into the server's store", len(data.keys), path)
    return True


class KeyStore:
    """The server's key pairs, in its store."""

    def __init__(self, store: ServerStore, root: Path) -> None:
        self.store = store
        migrate_key_file(store, keys_path(root))

    @classmethod
    def for_root(cls, root: Path) -> KeyStore:
        """The key pairs of the server whose projects live in `root`."""
        return cls(open_server_store(root), root)

    @property
    def path(self) -> Path | None:
        """The SQLite file that holds the keys; None on a database server."""
        return self.store.path

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KeyStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading ------------------------------------------------------------------------

    def secrets(self) -> dict[str, str]:
        """{access key: secret key} of the keys that are not revoked."""
        return {k.access_key: k.secret_key for k in self.records() if k.active}

    def revoked(self) -> set[str]:
        return {k.access_key for k in self.records() if not k.active}

    def url_secret(self) -> bytes:
        return self.store.kling_url_secret().encode()

    def records(self) -> list[KeyRecord]:
        return self.store.kling_keys()

    # --- writing ------------------------------------------------------------------------

    def create(self, name: str = "") -> KeyRecord:
        record = KeyRecord(
            access_key=f"ak{secrets.token_hex(_ACCESS_BYTES)}",
            secret_key=secrets.token_hex(_SECRET_BYTES),
            name=name.strip(),
            created_at=datetime.now(UTC),
        )
        self.store.add_kling_key(record)
        return record

    def revoke(self, access_key: str) -> KeyRecord:
        done = self.store.revoke_kling_key(access_key, datetime.now(UTC))
        if done is None:
            raise KeyStoreError(
                f"no key {access_key!r} on this server; `storyreel kling-keys list` shows them"
            )
        return done
