"""Children written straight into the register (no report), with groups and support."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, select

from casework import text
from casework.children.models import Child, ChildCircumstance, CircumstanceGroup, Sex
from casework.communes.models import Commune, Village
from casework.registry.models import ChildSupport, SupportKind


def village_of(session: Session, commune: Commune, name: str) -> Village:
    return session.exec(
        select(Village).where(Village.commune_id == commune.id, Village.name == name)
    ).one()


def add_child(
    session: Session,
    commune: Commune,
    full_name: str,
    *,
    now: datetime,
    born: date | None = date(2016, 5, 14),
    birth_year: int | None = None,
    village: str | None = "Thôn Đồng Tâm",
    personal_id: str | None = None,
    sex: Sex = Sex.female,
) -> Child:
    child = Child(
        commune_id=commune.id,
        full_name=full_name,
        name_key=text.fold(full_name),
        sort_key=text.sort_key(full_name),
        personal_id=personal_id,
        date_of_birth=born,
        birth_year=born.year if born else birth_year,
        sex=sex,
        ethnicity="Tày",
        village_id=village_of(session, commune, village).id if village else None,
        created_at=now,
        updated_at=now,
    )
    session.add(child)
    session.flush()
    return child


def add_group(
    session: Session,
    child: Child,
    group: CircumstanceGroup,
    *,
    since: date = date(2025, 1, 1),
    until: date | None = None,
    at_risk: bool = False,
) -> ChildCircumstance:
    row = ChildCircumstance(
        child_id=child.id, group=group, since=since, until=until, at_risk=at_risk
    )
    session.add(row)
    session.flush()
    return row


def add_support(
    session: Session,
    child: Child,
    kind: SupportKind,
    *,
    by: int,
    now: datetime,
    since: date = date(2025, 9, 1),
    until: date | None = None,
) -> ChildSupport:
    row = ChildSupport(
        child_id=child.id,
        kind=kind,
        since=since,
        until=until,
        recorded_by_id=by,
        recorded_at=now,
    )
    session.add(row)
    session.flush()
    return row
