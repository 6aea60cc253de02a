"""Who owns a case (người phụ trách): the supervisor assigns, or reassigns, a caseworker of
the commune; a caseworker takes a case nobody has yet.

The owner is who "the caseworker" means for the case: messages addressed to the caseworker
go to them (``casework.agencies.directory``), and the case is among their "hồ sơ của tôi".
Each change is one entry of the case's history (who did it, when, from whom to whom, why)
and bumps the case's version, so a change made on a page someone else had open is
refused, not silently overwritten. The new owner gets a message carrying only the case
code (NĐ56 Đ33), unless they took the case themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session

from casework import notices
from casework.accounts.models import Role, User
from casework.actors import Actor
from casework.agencies.directory import OWNERS
from casework.authz import policy
from casework.authz.policy import Action
from casework.cases import service as case_service
from casework.cases.flow import ConcurrentChange
from casework.cases.models import CaseStatus, ProtectionCase
from casework.errors import CaseworkError, Conflict, FieldError, InvalidInput

# Who may own a case: the commune's caseworkers, and its supervisor (who may keep one).
OWNER_ROLES = OWNERS
ASSIGNED = "case_assigned"
TAKEN = "case_taken"


class AssignBySupervisorOnly(CaseworkError):
    status_code = 403
    code = "assign_supervisor_only"


class AlreadyOwned(Conflict):
    """Taking a case someone already has: the supervisor reassigns it instead."""

    code = "case_already_owned"


class ClosedCase(Conflict):
    code = "case_closed_no_owner"


@dataclass(frozen=True)
class Owner:
    id: int
    full_name: str
    role: Role


def owners(session: Session, *, commune_id: int) -> list[Owner]:
    """The commune's active people who may own a case, by name (the assign form's list)."""
    rows = session.execute(
        sa.select(User.id, User.full_name, User.role)
        .where(User.commune_id == commune_id, User.is_active, User.role.in_(OWNER_ROLES))
        .order_by(User.full_name, User.id)
    ).all()
    return [Owner(id_, name, Role(role)) for id_, name, role in rows]


def owner_name(session: Session, *, case: ProtectionCase) -> str | None:
    """The full name of the case's owner, or None while nobody has it."""
    if case.assigned_caseworker_id is None:
        return None
    return session.get_one(User, case.assigned_caseworker_id).full_name


def _check(case: ProtectionCase, expected_version: int | None) -> None:
    if case.status == CaseStatus.closed:
        raise ClosedCase(code=case.code)
    if expected_version is not None and expected_version != case.version:
        raise ConcurrentChange(code=case.code)


def assign(
    session: Session,
    actor: Actor,
    *,
    case: ProtectionCase,
    caseworker_id: int,
    reason: str | None,
    expected_version: int,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """The supervisor gives the (locked) case to a caseworker or supervisor of its commune."""
    if not policy.role_may(actor.role, Action.case_assign):
        raise AssignBySupervisorOnly()
    _check(case, expected_version)
    person = session.get(User, caseworker_id)
    if (
        person is None
        or not person.is_active
        or person.commune_id != case.commune_id
        or person.role not in OWNER_ROLES
    ):
        raise InvalidInput([FieldError(("caseworker_id",), "owner_not_eligible")])
    if person.id == case.assigned_caseworker_id:
        raise InvalidInput(
            [FieldError(("caseworker_id",), "owner_unchanged", {"name": person.full_name})]
        )
    change_owner(
        session, actor, case=case, to=person, event=ASSIGNED, reason=reason, now=now, tz=tz
    )


def take(
    session: Session,
    actor: Actor,
    *,
    case: ProtectionCase,
    expected_version: int | None,
    now: datetime,
) -> None:
    """A caseworker (or the supervisor) takes the (locked) case nobody has yet."""
    if not policy.role_may(actor.role, Action.case_take) or actor.user_id is None:
        raise AssignBySupervisorOnly()
    _check(case, expected_version)
    if case.assigned_caseworker_id is not None:
        raise AlreadyOwned(name=owner_name(session, case=case) or "")
    person = session.get_one(User, actor.user_id)
    change_owner(session, actor, case=case, to=person, event=TAKEN, reason=None, now=now, tz=None)


def change_owner(
    session: Session,
    actor: Actor,
    *,
    case: ProtectionCase,
    to: User,
    event: str,
    reason: str | None,
    now: datetime,
    tz: ZoneInfo | None,
) -> None:
    previous = case.assigned_caseworker_id
    case.assigned_caseworker_id = to.id
    case.updated_at = now
    session.add(case)
    session.flush()  # the version check and bump (the ORM's version column)
    payload: dict[str, object] = {"from_user_id": previous, "to_user_id": to.id}
    if reason:
        payload["reason"] = reason
    case_service.record_event(
        session, case=case, event=event, now=now, actor_id=actor.user_id, payload=payload
    )
    if tz is not None and to.id != actor.user_id:
        notices.send(
            session,
            kind="case.assigned",
            people=[to],
            case=case,
            dedupe=f"case:{case.id}:owner:v{case.version}",
            now=now,
            tz=tz,
        )
