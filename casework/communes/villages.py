"""A commune's villages (thôn, bản, xóm, tổ dân phố), set up by its administrator.

A village is added with its head's board (an agency of kind ``village``), so the monthly
review has someone to route to and reports can name the village at once. A name that
reads as one the commune already has is refused: diacritics and case do not count
("thon na pan" is Thôn Nà Pàn), nor does the kind word ("Bản Nà Pàn" beside Thôn Nà Pàn),
since intake would then have two villages to choose from.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from casework import text
from casework.agencies.models import Agency, AgencyKind
from casework.children.models import Child
from casework.children.service import without_kind
from casework.communes.models import Village
from casework.errors import FieldError, InvalidInput


@dataclass(frozen=True)
class VillageRow:
    id: int
    name: str
    board: str | None
    children: int


def villages_of(session: Session, *, commune_id: int) -> list[VillageRow]:
    """The commune's villages by name, each with its board and how many children live there."""
    children = (
        sa.select(sa.func.count())
        .where(Child.village_id == Village.id, Child.merged_into_id.is_(None))
        .correlate(Village)
        .scalar_subquery()
    )
    board = (
        sa.select(Agency.name)
        .where(Agency.village_id == Village.id, Agency.kind == AgencyKind.village)
        .order_by(Agency.id)
        .limit(1)
        .correlate(Village)
        .scalar_subquery()
    )
    rows = session.execute(
        sa.select(Village.id, Village.name, board, children)
        .where(Village.commune_id == commune_id)
        .order_by(Village.name_key)
    ).all()
    return [VillageRow(*row) for row in rows]


def add_village(session: Session, *, commune_id: int, name: str) -> Village:
    """The village and its head's board. Flushes, never commits."""
    key = text.fold(name)
    bare = without_kind(key)
    existing = session.exec(select(Village).where(Village.commune_id == commune_id)).all()
    same = next((v for v in existing if without_kind(v.name_key) == bare), None)
    if same is not None:
        params = {"existing": same.name}
        raise InvalidInput([FieldError(("village",), "village_exists", params)])
    village = Village(commune_id=commune_id, name=name, name_key=key)
    session.add(village)
    session.flush()
    board = Agency(
        commune_id=commune_id,
        kind=AgencyKind.village,
        name=f"Ban điều hành {name}",
        village_id=village.id,
    )
    session.add(board)
    session.flush()
    return village
