"""Which agency a task goes to (the rules live in ``casework.agencies.directory``)."""

from __future__ import annotations

from sqlmodel import Session, select

from casework.agencies.directory import AgencyRow, Directory
from casework.agencies.models import Agency
from casework.errors import NotFound


class AgencyNotFound(NotFound):
    code = "agency_not_found"


def find_for_task(
    session: Session,
    *,
    commune_id: int,
    kind: str,
    school_name: str | None = None,
    village_id: int | None = None,
) -> AgencyRow | None:
    """The commune's agency of ``kind`` that a routed task goes to, if it has one."""
    directory = Directory.load(session, commune_ids=[commune_id])
    return directory.agency_for_task(
        commune_id=commune_id, kind=kind, school_name=school_name, village_id=village_id
    )


def agencies_of(session: Session, *, commune_id: int | None) -> list[Agency]:
    """The commune's agencies, by name (for choosing one, and for administration)."""
    statement = select(Agency).where(Agency.commune_id == commune_id).order_by(Agency.name)
    return list(session.exec(statement).all())
