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
from casework.accounts.models import User
from casework.agencies.models import Agency, AgencyKind
from casework.agencies.setup import LIVE_TASKS
from casework.cases.models import Task
from casework.children.models import Child
from casework.children.service import without_kind
from casework.communes.models import Village, VillageFormerName
from casework.errors import Conflict, FieldError, InvalidInput, NotFound
from casework.registry.quality_models import ChildQuality, DataQualitySnapshot
from casework.registry.review.models import VillageReview


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
        .where(Village.commune_id == commune_id, Village.live())
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
    same = next((v for v in existing if v.id != other_than and clash(v.name_key, key)), None)
    if same is not None:
        params = {"existing": same.name}
        raise InvalidInput([FieldError(("village",), "village_exists", params)])
    return key


def clash(have: str, new: str) -> bool:
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
    """The commune's village (a merged one is not there to change any more)."""
    village = session.get(Village, village_id)
    if village is None or village.commune_id != commune_id or village.merged_into_id:
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


class VillageMergeRefused(Conflict):
    """A merge that cannot be done now; ``code`` says why."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(**params)
        self.code = code


@dataclass(frozen=True)
class Merged:
    children: int
    reviews_moved: int
    reviews_kept: int
    people: int


def merge_village(
    session: Session, *, commune_id: int, village_id: int, into_id: int, now: datetime,
    by: int | None,
) -> Merged:  # fmt: skip
    """Merge a village into another of the commune (as many were in 2025). Its children
    and their quality figures, its reviews and daily figures, its board's people move to
    the village it joins; its name becomes one of that village's former names, so lists
    and reports naming it still find the village. The merged village is kept, marked,
    for its history (a month both villages reviewed stays with the review that was done;
    a day both counted adds up); its board is retired. Refused while its board has live
    tasks or its review of the month is open. Flushes, never commits."""
    village = village_in(session, commune_id=commune_id, village_id=village_id)
    into = village_in(session, commune_id=commune_id, village_id=into_id)
    if village.id == into.id:
        raise InvalidInput([FieldError(("into",), "village_merge_self", {})])
    boards = session.exec(select(Agency).where(Agency.village_id == village.id)).all()
    into_board = session.exec(
        select(Agency).where(Agency.village_id == into.id, Agency.kind == AgencyKind.village)
    ).first()
    live = session.execute(
        sa.select(sa.func.count()).where(
            Task.agency_id.in_([b.id for b in boards]), Task.status.in_(LIVE_TASKS)
        )
    ).scalar_one()
    if live:
        raise VillageMergeRefused("village_merge_live_tasks", count=live, village=village.name)
    reviews = session.exec(select(VillageReview).where(VillageReview.village_id == village.id))
    reviews = list(reviews)
    if any(review.closed_at is None for review in reviews):
        raise VillageMergeRefused("village_merge_open_review", village=village.name)
    months = set(
        session.exec(select(VillageReview.month).where(VillageReview.village_id == into.id)).all()
    )
    moved = [review for review in reviews if review.month not in months]
    for review in moved:
        review.village_id = into.id
        session.add(review)
    children = session.execute(
        sa.update(Child).where(Child.village_id == village.id).values(village_id=into.id)
    ).rowcount
    session.execute(
        sa.update(ChildQuality)
        .where(ChildQuality.village_id == village.id)
        .values(village_id=into.id)
    )
    _add_up_snapshots(session, village.id, into.id)
    people = 0
    for board in boards:
        if into_board is not None:
            people += session.execute(
                sa.update(User).where(User.agency_id == board.id).values(agency_id=into_board.id)
            ).rowcount
        board.is_active = False
        session.add(board)
    # Its names, now and before, are the names the village it joined was known by.
    session.execute(
        sa.update(VillageFormerName)
        .where(VillageFormerName.village_id == village.id)
        .values(village_id=into.id)
    )
    session.add(VillageFormerName(village_id=into.id, name=village.name, until=now,
                                  changed_by_id=by))  # fmt: skip
    village.merged_into_id, village.merged_at = into.id, now
    session.add(village)
    session.flush()
    return Merged(children, len(moved), len(reviews) - len(moved), people)


def _add_up_snapshots(session: Session, village_id: int, into_id: int) -> None:
    """A day both villages were counted adds up into the village they became; the
    merged village's other days move to it."""
    S = DataQualitySnapshot  # noqa: N806
    theirs = {s.day: s for s in session.exec(select(S).where(S.village_id == into_id))}
    for snapshot in session.exec(select(S).where(S.village_id == village_id)).all():
        same_day = theirs.get(snapshot.day)
        if same_day is None:
            snapshot.village_id = into_id
            session.add(snapshot)
            continue
        same_day.total += snapshot.total
        same_day.clean += snapshot.clean
        session.add(same_day)
        session.delete(snapshot)
