"""The secrets Casework needs: the session-signing key and the narrative encryption keys.

Production (``CASEWORK_ENV=production``) takes both from the environment and refuses to
start without them. Development (the default, what ``make run`` uses) takes what the
environment sets and generates the rest once into ``CASEWORK_SECRETS_FILE``
(``var/secrets.json``, readable by its owner only), so the demo needs no configuration.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from casework.config import Settings


class MissingKeys(RuntimeError):
    """Production settings without the keys: fail before serving anything."""


@dataclass(frozen=True)
class Keys:
    secret_key: str
    data_keys: tuple[tuple[str, bytes], ...]  # (key id, 32-byte key); the first encrypts


def new_data_key(key_id: str) -> str:
    """A fresh AES-256 key in the ``id:base64`` form CASEWORK_DATA_KEYS takes."""
    return f"{key_id}:{base64.b64encode(secrets.token_bytes(32)).decode()}"


def parse_data_keys(value: str) -> tuple[tuple[str, bytes], ...]:
    """``id:base64,id:base64`` → ((id, key), …); every key must be 32 bytes (AES-256)."""
    keys: list[tuple[str, bytes]] = []
    for part in (p.strip() for p in value.split(",")):
        if not part:
            continue
        key_id, sep, encoded = part.partition(":")
        if not sep or not key_id.isalnum():
            raise MissingKeys("CASEWORK_DATA_KEYS: each key is 'id:base64' with an alphanumeric id")
        key = base64.b64decode(encoded)
        if len(key) != 32:
            raise MissingKeys(f"CASEWORK_DATA_KEYS: key {key_id!r} is not 32 bytes")
        keys.append((key_id, key))
    if not keys:
        raise MissingKeys("CASEWORK_DATA_KEYS is empty")
    if len({k for k, _ in keys}) != len(keys):
        raise MissingKeys("CASEWORK_DATA_KEYS: a key id is repeated")
    return tuple(keys)


def _development_file(path: Path) -> dict[str, str]:
    """Read the generated secrets, creating them first if this is the first start.

    Several server processes may start at once: the file is created exclusively, and a
    process that loses the race reads the winner's file.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        content = json.dumps(
            {"secret_key": secrets.token_urlsafe(48), "data_keys": new_data_key("dev1")}
        )
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(content)
    for _ in range(50):  # the winner may still be writing
        text = path.read_text()
        if text:
            return json.loads(text)
    raise MissingKeys(f"{path} is empty")


def load_keys(settings: Settings) -> Keys:
    """The keys from the settings, or (development only) from the generated file."""
    secret = settings.secret_key.get_secret_value() if settings.secret_key else None
    data = settings.data_keys.get_secret_value() if settings.data_keys else None
    if secret is None or data is None:
        if settings.env == "production":
            missing = [
                name
                for name, value in (("CASEWORK_SECRET_KEY", secret), ("CASEWORK_DATA_KEYS", data))
                if value is None
            ]
            raise MissingKeys(
                f"Production settings need {' and '.join(missing)} (see the README, "
                "'Keys and key rotation')."
            )
        generated = _development_file(settings.secrets_file)
        secret = secret or generated["secret_key"]
        data = data or generated["data_keys"]
    if len(secret) < 32:
        raise MissingKeys("CASEWORK_SECRET_KEY must be at least 32 characters")
    return Keys(secret_key=secret, data_keys=parse_data_keys(data))
