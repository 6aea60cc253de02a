"""The reviewer's side of the monthly village review: opening the month's reviews, what a
reviewer may see, and her answers.

Who reviews a village: the people whose account belongs to the village's board
(``Agency`` of kind ``village`` with that ``village_id``): its head (trưởng thôn) and the
village's collaborator (cộng tác viên), whose account an administrator puts in that board.
They see only what the review needs (name, birth year, groups) and only their village's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from casework.accounts.models import Role
from casework.actors import Actor
from casework.agencies.models import Agency, AgencyKind
from casework.children.models import Child, ChildCircumstance, CircumstanceGroup, Sex
from casework.communes.models import Village
from casework.errors import Conflict, FieldError, InvalidInput, NotFound
from casework.registry.review.models import Answer, ReviewItem, VillageReview
from workflows.calendar import WorkingCalendar

REVIEWER_ROLES = frozenset({Role.collaborator, Role.agency_officer, Role.agency_head})
LISTED_ANSWERS = (Answer.still, Answer.changed, Answer.moved, Answer.not_found)


class ReviewNotFound(NotFound):
    code = "review_not_found"


class ReviewNotOpen(Conflict):
    """The review was already submitted (or closed): the reviewer's answers are in."""

    code = "review_not_open"


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def first_working_day(calendar: WorkingCalendar, month: date) -> date:
    """The month's first working day on the commune's calendar (after Tết, a festival…)."""
    day = month_start(month)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def reviewer_village(session: Session, actor: Actor) -> int | None:
    """The village whose review ``actor`` does: her account's village board, if any."""
    if actor.role not in REVIEWER_ROLES or actor.agency_id is None:
        return None
    return session.exec(
        select(Agency.village_id).where(
            Agency.id == actor.agency_id,
            Agency.kind == AgencyKind.village,
            Agency.commune_id == actor.commune_id,
            Agency.is_active,
        )
    ).first()


def listed_children(session: Session, *, village_id: int) -> list[Child]:
    """The village's children on the register now: a current membership of a group, or a
    current at-risk row; in the Vietnamese list order."""
    current = sa.exists().where(
        ChildCircumstance.child_id == Child.id, ChildCircumstance.until.is_(None)
    )
    return list(
        session.exec(
            select(Child)
            .where(Child.village_id == village_id, Child.merged_into_id.is_(None), current)
            .order_by(Child.sort_key, Child.id)
        ).all()
    )


def open_month(
    session: Session, *, commune_id: int, month: date, now: datetime
) -> list[VillageReview]:
    """Open the month's review of every village of the commune that has none yet, each
    listing the village's children on the register; the reviews opened now.

    Idempotent: a village has one review per month (a unique constraint backs this), so
    a second call, or a second process, opens nothing more.
    """
    month = month_start(month)
    have = select(VillageReview.village_id).where(
        VillageReview.commune_id == commune_id, VillageReview.month == month
    )
    villages = session.exec(
        select(Village.id)
        .where(Village.commune_id == commune_id, Village.live(), Village.id.not_in(have))
        .order_by(Village.id)
    ).all()
    opened = []
    for village_id in villages:
        review = VillageReview(
            commune_id=commune_id, village_id=village_id, month=month, opened_at=now
        )
        session.add(review)
        session.flush()
        for child in listed_children(session, village_id=village_id):
            session.add(ReviewItem(review_id=review.id, child_id=child.id))
        opened.append(review)
    session.flush()
    return opened


@dataclass(frozen=True)
class ListedChild:
    """What a reviewer sees of a child: need-to-know, nothing more."""

    item_id: int
    child_id: int  # for the audit entry; never shown
    full_name: str
    birth_year: int
    groups: tuple[tuple[CircumstanceGroup, bool], ...]  # (group, at risk)
    answer: Answer | None
    change_note: str | None


@dataclass(frozen=True)
class ProposedChild:
    item_id: int
    full_name: str
    birth_year: int
    sex: Sex
    group: CircumstanceGroup | None
    note: str | None


@dataclass(frozen=True)
class ReviewSheet:
    """The review as its reviewer sees it."""

    id: int
    village: str
    month: date
    submitted_at: datetime | None
    closed_at: datetime | None
    listed: list[ListedChild]
    proposed: list[ProposedChild]

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None


def current_groups(
    session: Session, child_ids: Sequence[int]
) -> dict[int, list[tuple[CircumstanceGroup, bool]]]:
    """Each child's current groups and at-risk rows, in the law's order."""
    found: dict[int, list[tuple[CircumstanceGroup, bool]]] = {}
    if not child_ids:
        return found
    rows = session.exec(
        select(ChildCircumstance.child_id, ChildCircumstance.group, ChildCircumstance.at_risk)
        .where(ChildCircumstance.child_id.in_(child_ids), ChildCircumstance.until.is_(None))
        .order_by(ChildCircumstance.child_id, ChildCircumstance.at_risk, ChildCircumstance.id)
    ).all()
    order = list(CircumstanceGroup)
    for child_id, group, at_risk in rows:
        found.setdefault(child_id, []).append((CircumstanceGroup(group), at_risk))
    for groups in found.values():
        groups.sort(key=lambda entry: (entry[1], order.index(entry[0])))
    return found


def items(session: Session, *, review_id: int) -> list[tuple[ReviewItem, Child | None]]:
    """The review's items with their listed child (None for a proposed one)."""
    return list(
        session.exec(
            select(ReviewItem, Child)
            .join(Child, Child.id == ReviewItem.child_id, isouter=True)
            .where(ReviewItem.review_id == review_id)
            .order_by(ReviewItem.child_id.is_(None), Child.sort_key, ReviewItem.id)
        ).all()
    )


def sheet(session: Session, *, review: VillageReview) -> ReviewSheet:
    """The review with only what the reviewer needs of each child."""
    rows = items(session, review_id=review.id)
    groups = current_groups(session, [child.id for _, child in rows if child is not None])
    listed, proposed = [], []
    for item, child in rows:
        if child is not None:
            listed.append(
                ListedChild(
                    item.id,
                    child.id,
                    child.full_name,
                    child.birth_year,
                    tuple(groups.get(child.id, ())),
                    Answer(item.answer) if item.answer else None,
                    item.change_note,
                )
            )
        else:
            proposed.append(
                ProposedChild(
                    item.id,
                    item.proposed_name or "",
                    item.proposed_birth_year or 0,
                    Sex(item.proposed_sex),
                    CircumstanceGroup(item.proposed_group) if item.proposed_group else None,
                    item.proposed_note,
                )
            )
    village = session.get_one(Village, review.village_id).name
    return ReviewSheet(
        review.id, village, review.month, review.submitted_at, review.closed_at, listed, proposed
    )


def get_for_reviewer(session: Session, actor: Actor, *, review_id: int) -> VillageReview:
    """A review of the actor's own village; any other answers as if it did not exist."""
    village_id = reviewer_village(session, actor)
    review = session.get(VillageReview, review_id)
    if review is None or village_id is None or review.village_id != village_id:
        raise ReviewNotFound(review_id=review_id)
    return review


def reviews_of_village(session: Session, actor: Actor) -> list[VillageReview]:
    """The actor's village's reviews, newest month first."""
    village_id = reviewer_village(session, actor)
    if village_id is None:
        return []
    return list(
        session.exec(
            select(VillageReview)
            .where(VillageReview.village_id == village_id)
            .order_by(VillageReview.month.desc())
        ).all()
    )


@dataclass(frozen=True)
class NewChild:
    full_name: str
    birth_year: int
    sex: Sex
    group: CircumstanceGroup | None
    note: str | None


@dataclass(frozen=True)
class Answers:
    """The reviewer's sheet as sent: an answer for every listed item, new children."""

    listed: dict[int, tuple[Answer, str | None]]
    new: tuple[NewChild, ...] = ()


def record_answers(
    session: Session, actor: Actor, *, review: VillageReview, answers: Answers, now: datetime
) -> VillageReview:
    """Record the reviewer's answers and proposals and mark the review submitted; the
    caller fires the workflow's ``submit`` on it. Every listed child needs an answer, and
    a change needs what changed; nothing is saved when any is missing."""
    if review.submitted_at is not None:
        raise ReviewNotOpen(review_id=review.id)
    rows = items(session, review_id=review.id)
    listed = {item.id: item for item, child in rows if child}
    names = {item.id: child.full_name for item, child in rows if child}
    problems = []
    for item_id in listed:
        answer, note = answers.listed.get(item_id, (None, None))
        named = {"child": names[item_id]}
        if answer is None:
            loc = ("item", f"c{item_id}", "answer")
            problems.append(FieldError(loc, "review_answer_missing", named))
        elif answer == Answer.changed and not (note or "").strip():
            loc = ("item", f"c{item_id}", "note")
            problems.append(FieldError(loc, "review_change_missing", named))
    if problems:
        raise InvalidInput(problems)
    for item_id, item in listed.items():
        answer, note = answers.listed[item_id]
        item.answer = answer
        item.change_note = (note or "").strip() or None if answer != Answer.still else None
        session.add(item)
    for new in answers.new:
        session.add(
            ReviewItem(
                review_id=review.id,
                answer=Answer.new,
                proposed_name=new.full_name,
                proposed_birth_year=new.birth_year,
                proposed_sex=new.sex,
                proposed_group=new.group,
                proposed_note=new.note,
            )
        )
    review.submitted_at, review.submitted_by_id = now, actor.user_id
    session.add(review)
    session.flush()
    return review
