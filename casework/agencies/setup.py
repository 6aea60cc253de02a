"""The commune's agencies as its administrator keeps them: a school added by name (a
commune has as many as it has), and an agency retired or brought back. Retired agencies
get no new tasks (routing reads active ones only) and keep their tasks' history; one that
still has tasks to do cannot be retired until those are handed on."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from casework import text
from casework.agencies.models import Agency, AgencyKind
from casework.cases.models import Task, TaskStatus
from casework.errors import Conflict, FieldError, InvalidInput

LIVE_TASKS = (TaskStatus.open, TaskStatus.accepted)


class AgencyHasTasks(Conflict):
    code = "agency_has_tasks"


class LeadOfficeNeeded(Conflict):
    """The culture and social office leads every case: the commune keeps one."""

    code = "lead_office_needed"


def add_school(session: Session, *, commune_id: int, name: str) -> Agency:
    """A school of the commune (mầm non, tiểu học, THCS…). Flushes, never commits."""
    key = text.fold(name)
    schools = session.exec(
        select(Agency).where(Agency.commune_id == commune_id, Agency.kind == AgencyKind.school)
    ).all()
    same = next((school for school in schools if text.fold(school.name) == key), None)
    if same is not None:
        raise InvalidInput([FieldError(("school",), "school_exists", {"existing": same.name})])
    school = Agency(commune_id=commune_id, kind=AgencyKind.school, name=name)
    session.add(school)
    session.flush()
    return school


def set_active(session: Session, *, agency_id: int, active: bool) -> Agency:
    """Retire the agency (no new tasks) or bring it back."""
    agency = session.get_one(Agency, agency_id)
    if not active and agency.kind == AgencyKind.culture_social:
        others = session.execute(
            sa.select(sa.func.count()).where(
                Agency.commune_id == agency.commune_id,
                Agency.kind == AgencyKind.culture_social,
                Agency.is_active,
                Agency.id != agency.id,
            )
        ).scalar_one()
        if not others:
            raise LeadOfficeNeeded()
    if not active:
        live = session.execute(
            sa.select(sa.func.count()).where(
                Task.agency_id == agency_id, Task.status.in_(LIVE_TASKS)
            )
        ).scalar_one()
        if live:
            raise AgencyHasTasks(count=live)
    agency.is_active = active
    session.add(agency)
    session.flush()
    return agency
