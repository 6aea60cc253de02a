"""Narrative fields encrypted at rest: AES-256-GCM, with the key id in every value.

A column typed ``EncryptedText`` or ``EncryptedJSON`` stores
``enc1:<key id>:<base64(nonce ‖ ciphertext)>``; the column's own name is bound in as
associated data, so a value copied into another column does not decrypt. New values use
the first key of ``CASEWORK_DATA_KEYS``; older keys stay listed for reading until
``casework keys reencrypt`` has rewritten every value with the current one.

The keyring is process-wide (column types cannot take dependencies): entry points
install it from the settings before they touch the database (``install``).
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from casework.keys import Keys

PREFIX = "enc1"


class KeyringMissing(RuntimeError):
    pass


class UndecryptableValue(RuntimeError):
    """A stored value that no listed key opens (a removed key, or an edited row)."""


class Keyring:
    def __init__(self, keys: tuple[tuple[str, bytes], ...]) -> None:
        self.current_id = keys[0][0]
        self._ciphers = {key_id: AESGCM(key) for key_id, key in keys}

    def encrypt(self, plaintext: str, *, purpose: str) -> str:
        nonce = os.urandom(12)
        sealed = self._ciphers[self.current_id].encrypt(nonce, plaintext.encode(), purpose.encode())
        return f"{PREFIX}:{self.current_id}:{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, stored: str, *, purpose: str) -> str:
        prefix, key_id, encoded = (stored.split(":", 2) + ["", ""])[:3]
        cipher = self._ciphers.get(key_id)
        if prefix != PREFIX or cipher is None:
            raise UndecryptableValue(f"{purpose}: no key {key_id!r} for this value")
        raw = base64.b64decode(encoded)
        try:
            return cipher.decrypt(raw[:12], raw[12:], purpose.encode()).decode()
        except InvalidTag:
            raise UndecryptableValue(f"{purpose}: value does not authenticate") from None

    @staticmethod
    def key_id_of(stored: str) -> str:
        return stored.split(":", 2)[1]


_keyring: Keyring | None = None


def install(keys: Keys) -> Keyring:
    """Make ``keys`` the process's keyring (idempotent for the same keys)."""
    global _keyring
    _keyring = Keyring(keys.data_keys)
    return _keyring


def keyring() -> Keyring:
    if _keyring is None:
        raise KeyringMissing("the encryption keyring is not installed (casework.crypto.install)")
    return _keyring


class EncryptedText(sa.types.TypeDecorator[str]):
    """Text encrypted in the database, plain ``str`` in Python. ``purpose`` names the column."""

    impl = sa.Text
    cache_ok = True

    def __init__(self, purpose: str) -> None:
        super().__init__()
        self.purpose = purpose

    def process_bind_param(self, value: str | None, dialect: sa.Dialect) -> str | None:
        return None if value is None else keyring().encrypt(value, purpose=self.purpose)

    def process_result_value(self, value: str | None, dialect: sa.Dialect) -> str | None:
        return None if value is None else keyring().decrypt(value, purpose=self.purpose)


class EncryptedFieldsJSON(sa.types.TypeDecorator[Any]):
    """A JSON object whose narrative members (``fields``) are encrypted one by one.

    The other members stay plain JSON, so SQL can still read structural ones (a history
    entry's ``deadline_id`` or ``kind``) while notes and reasons are sealed.
    """

    impl = sa.JSON
    cache_ok = True

    def __init__(self, purpose: str, fields: tuple[str, ...]) -> None:
        super().__init__()
        self.purpose = purpose
        self.fields = fields

    def seal(self, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        ring = keyring()
        return {
            key: ring.encrypt(
                json.dumps(item, ensure_ascii=False, default=str), purpose=f"{self.purpose}.{key}"
            )
            if key in self.fields and item is not None
            else item
            for key, item in value.items()
        }

    def open(self, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        ring = keyring()
        return {
            key: json.loads(ring.decrypt(item, purpose=f"{self.purpose}.{key}"))
            if key in self.fields and isinstance(item, str)
            else item
            for key, item in value.items()
        }

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> Any:
        return self.seal(value)

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> Any:
        return self.open(value)


def encrypted_columns(metadata: sa.MetaData) -> list[tuple[sa.Table, sa.Column[Any]]]:
    """Every encrypted column of the schema (for re-encryption after a key change)."""
    return [
        (table, column)
        for table in metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, EncryptedText | EncryptedFieldsJSON)
    ]


def reencrypt(connection: sa.Connection, metadata: sa.MetaData) -> int:
    """Rewrite every value not under the current key; returns how many were rewritten."""
    ring = keyring()
    rewritten = 0
    for table, column in encrypted_columns(metadata):
        pk = list(table.primary_key.columns)
        kind = column.type
        raw = sa.column(column.name, kind.impl)  # the stored form, not decrypted
        rows = connection.execute(
            sa.select(*pk, raw).select_from(table).where(raw.is_not(None))
        ).all()
        for row in rows:
            stored = row[-1]
            if isinstance(kind, EncryptedText):
                if Keyring.key_id_of(stored) == ring.current_id:
                    continue
                fresh: Any = ring.encrypt(
                    ring.decrypt(stored, purpose=kind.purpose), purpose=kind.purpose
                )
            else:
                sealed = [v for k, v in stored.items() if k in kind.fields and isinstance(v, str)]
                if all(Keyring.key_id_of(v) == ring.current_id for v in sealed):
                    continue
                fresh = kind.seal(kind.open(stored))
            connection.execute(
                sa.update(table)
                .where(*(c == v for c, v in zip(pk, row[:-1], strict=True)))
                .values({column.name: sa.literal(fresh, kind.impl)})
            )
            rewritten += 1
    return rewritten
