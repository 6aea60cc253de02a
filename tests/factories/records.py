"""Children's records as the data-quality list and the exports see them: straight rows,
so a test can store what intake would refuse (a malformed id, an empty ethnicity)."""

from __future__ import annotations

import itertools
from datetime import date, datetime

from sqlmodel import Session, select

from casework import text
from casework.children.models import Caregiver, Child
from casework.communes.models import Commune, Village

AUTO = "auto"  # a Lạng Sơn number that agrees with a girl born in 2016, a new serial each
_SERIALS = itertools.count(500_001)


def village_of(session: Session, commune: Commune, name: str) -> Village:
    return session.exec(
        select(Village).where(Village.commune_id == commune.id, Village.name == name)
    ).one()


def add_child(
    session: Session,
    commune: Commune,
    *,
    now: datetime,
    full_name: str = "Lò Thị Hoa",
    personal_id: str | None = AUTO,
    date_of_birth: date | None = date(2016, 5, 14),
    birth_year: int = 2016,
    sex: str = "female",
    ethnicity: str = "Tày",
    village: str | None = "Thôn Đồng Tâm",
    caregiver: str | None = "Lò Thị Mai",
    merged_into_id: int | None = None,
) -> Child:
    """A child whose record is clean unless a field says otherwise."""
    if personal_id == AUTO:
        personal_id = f"020316{next(_SERIALS):06d}"
    child = Child(
        commune_id=commune.id,
        full_name=full_name,
        name_key=text.fold(full_name),
        sort_key=text.sort_key(full_name),
        personal_id=personal_id,
        date_of_birth=date_of_birth,
        birth_year=birth_year,
        sex=sex,
        ethnicity=ethnicity,
        village_id=village_of(session, commune, village).id if village else None,
        merged_into_id=merged_into_id,
        created_at=now,
        updated_at=now,
    )
    session.add(child)
    session.flush()
    if caregiver:
        session.add(Caregiver(child_id=child.id, full_name=caregiver, relation="mẹ"))
        session.flush()
    return child
