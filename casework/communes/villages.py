"""A commune's villages (thôn, bản, xóm, tổ dân phố), set up by its administrator.

A village is added with its head's board (an agency of kind ``village``), so the monthly
review has someone to route to and reports can name the village at once. A name that
reads as one the commune already has is refused: diacritics and case do not count
("thon na pan" is Thôn Nà Pàn), nor does a missing kind word ("Nà Pàn" beside Thôn Nà
Pàn). Two kinds with one name ("Thôn 1", "Tổ dân phố 1") may both exist, as in communes
merged in 2025: intake then asks which one a bare "1" means.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from casework import text
from casework.agencies.models import Agency, AgencyKind
from casework.children.models import Child
from casework.children.service import without_kind
from casework.communes.models import Village, VillageFormerName
from casework.errors import FieldError, InvalidInput, NotFound


@dataclass(frozen=True)
class VillageRow:
    id: int
    name: str
    board: str | None
    children: int
    former: tuple[str, ...] = ()


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
    former: dict[int, list[str]] = {}
    for village_id, name in session.execute(
        sa.select(VillageFormerName.village_id, VillageFormerName.name)
        .join(Village, Village.id == VillageFormerName.village_id)
        .where(Village.commune_id == commune_id)
        .order_by(VillageFormerName.until)
    ):
        former.setdefault(village_id, []).append(name)
    return [VillageRow(*row, former=tuple(former.get(row[0], ()))) for row in rows]


def _refuse_a_name_taken(
    session: Session, *, commune_id: int, name: str, other_than: int | None = None
) -> str:
    """The name's folded key, unless another village of the commune reads the same."""
    key = text.fold(name)
    existing = session.exec(select(Village).where(Village.commune_id == commune_id)).all()
    same = next((v for v in existing if v.id != other_than and _clash(v.name_key, key)), None)
    if same is not None:
        params = {"existing": same.name}
        raise InvalidInput([FieldError(("village",), "village_exists", params)])
    return key


def _clash(have: str, new: str) -> bool:
    """Two folded names that read as one village: the same, or the same once the kind word
    goes when one of them has none ("Nà Pàn" beside "Thôn Nà Pàn"). "Tổ dân phố 1" beside
    "Thôn 1" is no clash: merged communes have both, and intake asks which is meant."""
    if have == new:
        return True
    bare = without_kind(new)
    return without_kind(have) == bare and (have == without_kind(have) or new == bare)


def add_village(session: Session, *, commune_id: int, name: str) -> Village:
    """The village and its head's board. Flushes, never commits."""
    key = _refuse_a_name_taken(session, commune_id=commune_id, name=name)
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


def village_in(session: Session, *, commune_id: int, village_id: int) -> Village:
    village = session.get(Village, village_id)
    if village is None or village.commune_id != commune_id:
        raise NotFound()
    return village


def rename_village(
    session: Session,
    *,
    commune_id: int,
    village_id: int,
    name: str,
    now: datetime,
    by: int | None,
) -> Village:
    """A new name for the village; the old one is kept with the day it changed, and the
    head's board takes the new name. Children, reviews and reports keep pointing at the
    same village. Flushes, never commits."""
    village = village_in(session, commune_id=commune_id, village_id=village_id)
    key = _refuse_a_name_taken(session, commune_id=commune_id, name=name, other_than=village.id)
    if name == village.name:
        return village
    session.add(VillageFormerName(village_id=village.id, name=village.name, until=now,
                                  changed_by_id=by))  # fmt: skip
    for board in session.exec(
        select(Agency).where(Agency.village_id == village.id, Agency.kind == AgencyKind.village)
    ):
        if board.name == f"Ban điều hành {village.name}":
            board.name = f"Ban điều hành {name}"
            session.add(board)
    village.name, village.name_key = name, key
    session.add(village)
    session.flush()
    return village
