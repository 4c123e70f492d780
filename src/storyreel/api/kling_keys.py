"""The access/secret key pairs this server issues for its Kling-compatible API.

    store = KeyStore.for_root(Path("films"))     # films/.studio/kling-keys.json
    pair = store.create("editing suite")         # the secret is shown only now
    store.secrets()                              # {access key: secret} of live keys
    store.revoke(pair.access_key)

The file also holds the secret that signs video download links. It is written to a
temporary name and renamed into place with mode 0600 (its folder 0700): it holds every
secret of the server. The server re-reads it when it changes, so keys created or
revoked from the command line count at once, without a restart.
"""

from __future__ import annotations

import os
import secrets
import threading
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from storyreel.errors import StoryreelError
from storyreel.files import atomic_path

STUDIO_DIR = ".studio"
KEYS_FILE = "kling-keys.json"
# Kling's keys are 32 characters; a secret of 32 random bytes is what HS256 wants.
_ACCESS_BYTES = 16
_SECRET_BYTES = 32


class KeyStoreError(StoryreelError):
    """The key file cannot be read, or names a key that does not exist."""


class KeyRecord(BaseModel):
    model_config = ConfigDict(extra="ignore")

    access_key: str
    secret_key: str
    name: str = ""
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class KeyFile(BaseModel):
    model_config = ConfigDict(extra="ignore")

    version: int = 1
    # Signs the download links of finished videos (HMAC); made with the file.
    url_secret: str = Field(default_factory=lambda: secrets.token_hex(_SECRET_BYTES))
    keys: list[KeyRecord] = []


def keys_path(root: Path) -> Path:
    return Path(root) / STUDIO_DIR / KEYS_FILE


class KeyStore:
    """One key file; every read is checked against the file's stat, so a change made by
    another process (the CLI) is picked up on the next request."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None
        self._cached: KeyFile | None = None

    @classmethod
    def for_root(cls, root: Path) -> KeyStore:
        return cls(keys_path(root))

    # --- reading ------------------------------------------------------------------------

    def load(self) -> KeyFile:
        """The file's contents; a missing file is created (empty, with a URL secret), so
        the link secret stays the same across restarts."""
        with self._lock:
            try:
                stat = self.path.stat()
            except FileNotFoundError:
                fresh = KeyFile()
                self._write(fresh)
                return fresh
            stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
            if self._cached is not None and stamp == self._stamp:
                return self._cached
            try:
                data = KeyFile.model_validate_json(self.path.read_bytes())
            except (OSError, ValidationError) as error:
                raise KeyStoreError(
                    f"{self.path} cannot be read ({type(error).__name__}); restore it from a "
                    "backup, or delete it and create new keys with `storyreel kling-keys create`"
                ) from None
            self._cached, self._stamp = data, stamp
            return data

    def secrets(self) -> dict[str, str]:
        """{access key: secret key} of the keys that are not revoked."""
        return {k.access_key: k.secret_key for k in self.load().keys if k.active}

    def revoked(self) -> set[str]:
        return {k.access_key for k in self.load().keys if not k.active}

    def url_secret(self) -> bytes:
        return self.load().url_secret.encode()

    def records(self) -> list[KeyRecord]:
        return list(self.load().keys)

    # --- writing ------------------------------------------------------------------------

    def create(self, name: str = "") -> KeyRecord:
        record = KeyRecord(
            access_key=f"ak{secrets.token_hex(_ACCESS_BYTES)}",
            secret_key=secrets.token_hex(_SECRET_BYTES),
            name=name.strip(),
            created_at=datetime.now(UTC),
        )
        data = self.load()
        self._save(data.model_copy(update={"keys": [*data.keys, record]}))
        return record

    def revoke(self, access_key: str) -> KeyRecord:
        data = self.load()
        for index, record in enumerate(data.keys):
            if record.access_key == access_key:
                if not record.active:
                    return record
                done = record.model_copy(update={"revoked_at": datetime.now(UTC)})
                keys = [*data.keys[:index], done, *data.keys[index + 1 :]]
                self._save(data.model_copy(update={"keys": keys}))
                return done
        raise KeyStoreError(
            f"no key {access_key!r} in {self.path}; `storyreel kling-keys list` shows them"
        )

    def _save(self, data: KeyFile) -> None:
        with self._lock:
            self._write(data)

    def _write(self, data: KeyFile) -> None:
        folder = self.path.parent
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
        text = data.model_dump_json(indent=2) + "\n"
        with atomic_path(self.path) as tmp:
            # Created 0600 from the start: the secrets are never readable by others,
            # not even for the moment between writing and a chmod.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
        self._cached, self._stamp = None, None
