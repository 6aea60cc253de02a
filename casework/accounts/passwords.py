"""Password hashing (argon2id via pwdlib) and the minimum password policy."""

from __future__ import annotations

from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from casework.config import Settings
from casework.errors import FieldError, InvalidInput

# A few passwords people reach for first; the length rule catches most of the rest.
COMMON = frozenset(
    {"1234567890", "0123456789", "12345678910", "matkhau123", "password123", "qwertyuiop",
     "abc1234567", "1111111111", "123456789a", "admin12345", "casework123"}
)  # fmt: skip


@lru_cache(maxsize=4)
def _hasher(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHash:
    return PasswordHash(
        (Argon2Hasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism),)
    )


def hasher(settings: Settings) -> PasswordHash:
    """argon2id with the settings' cost (tests and the demo seed use cheaper ones)."""
    return _hasher(
        settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism
    )


def hash_password(settings: Settings, password: str) -> str:
    return hasher(settings).hash(password)


# Verifying against this when the account does not exist takes as long as a real check,
# so the answer's timing does not tell whether a username exists.
_DUMMY: dict[tuple[int, int, int], str] = {}


def verify(settings: Settings, password: str, stored: str | None) -> tuple[bool, str | None]:
    """Whether ``password`` matches; and a new hash when the stored one used older costs."""
    if stored is None:
        key = (settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism)
        if key not in _DUMMY:
            _DUMMY[key] = hash_password(settings, "not a real password")
        hasher(settings).verify(password, _DUMMY[key])
        return False, None
    return hasher(settings).verify_and_update(password, stored)


def check_policy(settings: Settings, password: str, *, username: str, field: str) -> None:
    """At least ``password_min_length`` characters, not the username, not a common one."""
    problems = []
    if len(password) < settings.password_min_length:
        params = {"min_length": settings.password_min_length}
        problems.append(FieldError((field,), "password_too_short", params))
    elif (
        password.lower() in COMMON or username.lower() in password.lower() or len(set(password)) < 4
    ):
        problems.append(FieldError((field,), "password_too_common"))
    if problems:
        raise InvalidInput(problems)
