"""Who an agency is, and who in it (or in the commune) a message goes to."""

from __future__ import annotations

from sqlmodel import Session, select

from casework import text
from casework.accounts.models import Role, User
from casework.agencies.models import Agency, AgencyKind


def find_for_task(
    session: Session,
    *,
    commune_id: int,
    kind: AgencyKind,
    school_name: str | None = None,
    village_id: int | None = None,
) -> Agency | None:
    """The commune's agency of ``kind`` that a routed task goes to.

    A school task goes to the child's own school and a village task to the head of the
    child's own village; if the commune has no such agency the task cannot be routed.
    """
    statement = select(Agency).where(
        Agency.commune_id == commune_id, Agency.kind == kind, Agency.is_active
    )
    candidates = session.exec(statement.order_by(Agency.id)).all()
    if kind == AgencyKind.school:
        key = text.fold(school_name or "")
        return next((a for a in candidates if key and text.fold(a.name) == key), None)
    if kind == AgencyKind.village:
        return next((a for a in candidates if a.village_id == village_id), None)
    return candidates[0] if candidates else None


def members(session: Session, *, agency_id: int, roles: tuple[Role, ...]) -> list[User]:
    return list(
        session.exec(
            select(User)
            .where(User.agency_id == agency_id, User.role.in_(roles), User.is_active)
            .order_by(User.id)
        ).all()
    )


def commune_people(session: Session, *, commune_id: int, role: Role) -> list[User]:
    return list(
        session.exec(
            select(User)
            .where(User.commune_id == commune_id, User.role == role, User.is_active)
            .order_by(User.id)
        ).all()
    )


def lead_agency(session: Session, *, commune_id: int) -> Agency | None:
    """The culture and social office: the caseworkers' agency, lead on every case."""
    return find_for_task(session, commune_id=commune_id, kind=AgencyKind.culture_social)
