from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from casework import text
from casework.accounts.models import Role, User
from casework.agencies.models import Agency, AgencyKind
from casework.communes.models import Commune, Village

COMMUNE_AGENCIES = (
    AgencyKind.culture_social,
    AgencyKind.police,
    AgencyKind.health_station,
    AgencyKind.justice,
    AgencyKind.womens_union,
    AgencyKind.economic_office,
)
SCHOOL = "Trường Tiểu học Thanh Định"


def create_commune(
    session: Session,
    *,
    now: datetime,
    code: str = "TD-TEST",
    name: str = "Xã Thanh Định",
    prefix: str = "TD",
    villages: tuple[str, ...] = ("Thôn Đồng Tâm", "Thôn Bản Chắt", "Xóm Nà Pàn"),
    with_agencies: bool = True,
) -> Commune:
    """A commune with villages and, by default, its agencies and one person per role:
    each agency has an officer and a head; the commune a caseworker and a supervisor."""
    commune = Commune(
        code=code, name=name, province="Thái Nguyên", case_prefix=prefix, created_at=now
    )
    session.add(commune)
    session.flush()
    for village in villages:
        session.add(Village(commune_id=commune.id, name=village, name_key=text.fold(village)))
    session.flush()
    if with_agencies:
        _agencies_and_people(session, commune, now)
    return commune


def _agencies_and_people(session: Session, commune: Commune, now: datetime) -> None:
    def person(username: str, role: Role, agency: Agency | None = None) -> None:
        session.add(
            User(
                commune_id=commune.id,
                agency_id=agency.id if agency else None,
                username=f"{commune.case_prefix.lower()}.{username}",
                full_name=username,
                role=role,
                email=f"{username}@example.org",
                created_at=now,
            )
        )

    kinds = [(kind, kind.value) for kind in COMMUNE_AGENCIES] + [(AgencyKind.school, SCHOOL)]
    for kind, name in kinds:
        agency = Agency(commune_id=commune.id, kind=kind, name=name, email=f"{kind}@example.org")
        session.add(agency)
        session.flush()
        if kind == AgencyKind.culture_social:
            person("caseworker", Role.caseworker, agency)
        person(f"{kind.value}.officer", Role.agency_officer, agency)
        person(f"{kind.value}.head", Role.agency_head, agency)
    person("supervisor", Role.supervisor)
    session.flush()
