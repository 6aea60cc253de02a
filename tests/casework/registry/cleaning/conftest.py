"""Two villages of the own commune with their boards, and children whose records need
cleaning: the world's Nguyễn Thị Hoa and Lò Văn Minh in Thôn Đồng Tâm (no personal id),
Hà Thị Lan in Thôn Bản Chắt (an id from no province)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlmodel import select

from casework import text
from casework.accounts.models import Role, User
from casework.agencies.models import Agency, AgencyKind
from casework.children.models import Caregiver, Child, Sex
from casework.communes.models import Village


@dataclass
class Villages:
    dong_tam: Village
    ban_chat: Village
    hoa: Child
    minh: Child
    lan: Child


def _child(session, now, commune_id, village, name, born, sex, pid=None) -> Child:
    child = Child(
        commune_id=commune_id,
        full_name=name,
        name_key=text.fold(name),
        sort_key=text.sort_key(name),
        personal_id=pid,
        date_of_birth=born,
        birth_year=born.year,
        sex=sex,
        ethnicity="Tày",
        village_id=village.id,
        created_at=now,
        updated_at=now,
    )
    session.add(child)
    session.flush()
    session.add(Caregiver(child_id=child.id, full_name="Lò Văn Páo", relation="bố"))
    return child


@pytest.fixture
def villages(world, session, now) -> Villages:
    commune = world.own.commune
    found = {
        v.name: v for v in session.exec(select(Village).where(Village.commune_id == commune.id))
    }
    dong_tam, ban_chat = found["Thôn Đồng Tâm"], found["Thôn Bản Chắt"]
    boards = {}
    for village in (dong_tam, ban_chat):
        board = Agency(
            commune_id=commune.id,
            kind=AgencyKind.village,
            name=f"Ban điều hành {village.name}",
            village_id=village.id,
        )
        session.add(board)
        session.flush()
        boards[village.name] = board
    world.own.people["collaborator"].agency_id = boards["Thôn Đồng Tâm"].id
    session.add(
        User(
            commune_id=commune.id,
            agency_id=boards["Thôn Bản Chắt"].id,
            username="td.banchat.head",
            full_name="Trưởng thôn Bản Chắt",
            role=Role.agency_head,
            created_at=now,
        )
    )
    hoa = session.get(Child, world.own.case.child_id)
    minh = _child(session, now, commune.id, dong_tam, "Lò Văn Minh", date(2018, 4, 2), Sex.male)
    lan = _child(
        session, now, commune.id, ban_chat, "Hà Thị Lan", date(2017, 9, 9), Sex.female,
        pid="999317000001",
    )  # fmt: skip
    session.commit()
    return Villages(dong_tam, ban_chat, hoa, minh, lan)
