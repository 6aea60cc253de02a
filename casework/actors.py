"""Who is acting: a person (with a role) or the system (timers)."""

from __future__ import annotations

from dataclasses import dataclass

from casework.accounts.models import Role


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    role: Role | None
    commune_id: int | None
    agency_id: int | None = None
    username: str | None = None
    # Set when the request came with an API token: its id and the scopes it was granted.
    # A browser session has no scopes of its own: the role alone decides.
    token_id: int | None = None
    scopes: frozenset[str] | None = None
    # A province administrator's province (its official name, as ``Commune.province``);
    # their ``commune_id`` is the commune they chose to work in, if any.
    province: str | None = None

    @property
    def is_system(self) -> bool:
        return self.user_id is None


SYSTEM = Actor(user_id=None, role=None, commune_id=None)
