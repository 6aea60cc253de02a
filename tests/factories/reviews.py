"""Villages with their boards, reviewers and children on the register, for the review's
tests: in the world's own commune, Thôn Đồng Tâm (the collaborator's, with its head) and
Thôn Bản Chắt (another village's head)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from casework import text
from casework.accounts.models import Role, User
from casework.agencies.models import Agency, AgencyKind
from casework.children.models import Child, ChildCircumstance, CircumstanceGroup, Sex
from casework.communes.models import Village


@dataclass
class Villages:
    own: Village  # Thôn Đồng Tâm
    other: Village  # Thôn Bản Chắt
    collaborator: User  # of Thôn Đồng Tâm
    head: User  # of Thôn Đồng Tâm
    other_head: User  # of Thôn Bản Chắt
    children: dict[str, Child]


def add_child(
    session: Session,
    *,
    village: Village,
    name: str,
    year: int,
    now: datetime,
    groups: tuple[CircumstanceGroup, ...] = (CircumstanceGroup.a,),
    at_risk: bool = False,
    address: str = "Số 7, ngõ 3",
) -> Child:
    child = Child(
        commune_id=village.commune_id,
        full_name=name,
        name_key=text.fold(name),
        sort_key=text.sort_key(name),
        birth_year=year,
        sex=Sex.female,
        ethnicity="Tày",
        village_id=village.id,
        address=address,
        created_at=now,
        updated_at=now,
    )
    session.add(child)
    session.flush()
    for group in groups:
        session.add(
            ChildCircumstance(
                child_id=child.id, group=group, at_risk=at_risk, since=date(2025, 1, 1)
            )
        )
    session.flush()
    return child


def _board(session: Session, village: Village) -> Agency:
    agency = Agency(
        commune_id=village.commune_id,
        kind=AgencyKind.village,
        name=f"Ban điều hành {village.name}",
        village_id=village.id,
        phone="+84912000124",
    )
    session.add(agency)
    session.flush()
    return agency


def _person(session: Session, agency: Agency, username: str, role: Role, now: datetime) -> User:
    user = User(
        commune_id=agency.commune_id,
        agency_id=agency.id,
        username=username,
        full_name=username,
        role=role,
        phone="+84912000125",
        email=f"{username}@example.org",
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user


def villages(session: Session, *, commune_id: int, collaborator: User, now: datetime) -> Villages:
    """The boards of two villages; ``collaborator`` joins the first one's."""
    found = {
        v.name: v for v in session.exec(select(Village).where(Village.commune_id == commune_id))
    }
    own, other = found["Thôn Đồng Tâm"], found["Thôn Bản Chắt"]
    board = _board(session, own)
    collaborator.agency_id = board.id
    session.add(collaborator)
    head = _person(session, board, f"dongtam.head.{commune_id}", Role.agency_head, now)
    other_head = _person(
        session, _board(session, other), f"banchat.head.{commune_id}", Role.agency_head, now
    )
    children = {
        "lan": add_child(session, village=own, name="Lò Thị Lan", year=2014, now=now),
        "binh": add_child(
            session,
            village=own,
            name="Hà Văn Bình",
            year=2012,
            now=now,
            groups=(CircumstanceGroup.d, CircumstanceGroup.n),
        ),
        "an": add_child(session, village=own, name="Nông Văn An", year=2016, now=now, at_risk=True),
        "tuan": add_child(session, village=other, name="Vi Văn Tuấn", year=2013, now=now),
    }
    return Villages(own, other, collaborator, head, other_head, children)
