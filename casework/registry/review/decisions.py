"""The caseworker's side of the village review: the submitted reviews, applying or
rejecting each answer that would change the register, closing the review; and the
quarter's close with its counts, which the supervisor reads.

Applying never overwrites: a child who moved away (or whose circumstance ended, or who
turned 16…) keeps each membership row, ended with its date, reason and who decided
(``ChildCircumstance.ended_reason``, ``ended_by_id``). A proposed new child is registered
through the children service and their group becomes a ``RegistryProposal`` (source
"review"): adding a child to a group is a legal classification someone decides apart.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from casework import text
from casework.actors import Actor
from casework.children import service as child_service
from casework.children.models import Child, ChildCircumstance, CircumstanceGroup, MembershipEnd
from casework.children.schemas import ChildCreate
from casework.communes.models import Village
from casework.errors import Conflict, FieldError, InvalidInput
from casework.registry.models import RegistryProposal
from casework.registry.review import service as review_service
from casework.registry.review.models import (
    Answer,
    Decision,
    ReviewItem,
    ReviewQuarter,
    VillageReview,
)
from casework.registry.review.service import ReviewNotFound

NEEDS_DECISION = frozenset({Answer.changed, Answer.moved, Answer.not_found, Answer.new})
COUNTED = ("reviewed", "changed", "new", "moved", "not_found")


class ItemDecided(Conflict):
    code = "review_item_decided"


class ReviewUndecided(Conflict):
    """Answers still wait for the caseworker's decision: the review cannot close."""

    code = "review_undecided"


class ReviewNotSubmitted(Conflict):
    code = "review_not_submitted"


class QuarterClosed(Conflict):
    code = "quarter_closed"


class QuarterWaiting(Conflict):
    """A review of the quarter waits for the caseworker: close it first."""

    code = "quarter_waiting"


def get_in_commune(session: Session, actor: Actor, *, review_id: int) -> VillageReview:
    review = session.get(VillageReview, review_id)
    if review is None or review.commune_id != actor.commune_id:
        raise ReviewNotFound(review_id=review_id)
    return review


@dataclass(frozen=True)
class ReviewRow:
    id: int
    village: str
    month: date
    submitted_at: datetime | None
    closed_at: datetime | None
    waiting: int  # answers waiting for a decision


def commune_reviews(session: Session, *, commune_id: int, month: date | None) -> list[ReviewRow]:
    """The commune's reviews (of one month, or all), newest month first, by village."""
    statement = (
        select(VillageReview, Village.name)
        .join(Village, Village.id == VillageReview.village_id)
        .where(VillageReview.commune_id == commune_id)
        .order_by(VillageReview.month.desc(), Village.name)
    )
    if month is not None:
        statement = statement.where(VillageReview.month == month)
    rows = session.exec(statement).all()
    waiting = Counter(
        session.exec(
            select(ReviewItem.review_id).where(
                ReviewItem.review_id.in_([r.id for r, _ in rows]),
                ReviewItem.answer.in_(list(NEEDS_DECISION)),
                ReviewItem.decision.is_(None),
            )
        ).all()
    )
    return [
        ReviewRow(r.id, name, r.month, r.submitted_at, r.closed_at, waiting[r.id])
        for r, name in rows
    ]


@dataclass(frozen=True)
class OfficeItem:
    """One answer as the caseworker sees it: the child (listed or proposed) and the
    decision."""

    id: int
    child_id: int | None
    full_name: str
    birth_year: int
    groups: tuple[tuple[CircumstanceGroup, bool], ...]
    answer: Answer | None
    note: str | None
    proposed_group: CircumstanceGroup | None
    decision: Decision | None
    decision_note: str | None

    @property
    def waiting(self) -> bool:
        return self.answer in NEEDS_DECISION and self.decision is None


def office_items(session: Session, *, review: VillageReview) -> list[OfficeItem]:
    """The review's answers, listed children first in the Vietnamese order, then proposed."""
    rows = review_service.items(session, review_id=review.id)
    groups = review_service.current_groups(session, [c.id for _, c in rows if c is not None])
    found = []
    for item, child in rows:
        listed = child is not None and item.answer != Answer.new
        found.append(
            OfficeItem(
                id=item.id,
                child_id=item.child_id,
                full_name=child.full_name if listed else item.proposed_name or "",
                birth_year=child.birth_year if listed else item.proposed_birth_year or 0,
                groups=tuple(groups.get(child.id, ())) if listed else (),
                answer=Answer(item.answer) if item.answer else None,
                note=item.proposed_note if item.answer == Answer.new else item.change_note,
                proposed_group=CircumstanceGroup(item.proposed_group)
                if item.proposed_group
                else None,
                decision=Decision(item.decision) if item.decision else None,
                decision_note=item.decision_note,
            )
        )
    return found


def _end_memberships(
    session: Session, actor: Actor, *, child_id: int, reason: MembershipEnd, day: date, why: str
) -> int:
    current = session.exec(
        select(ChildCircumstance).where(
            ChildCircumstance.child_id == child_id, ChildCircumstance.until.is_(None)
        )
    ).all()
    for membership in current:
        membership.until = max(day, membership.since)
        membership.ended_reason = reason
        membership.ended_by_id = actor.user_id
        membership.end_evidence = why
        session.add(membership)
    return len(current)


def _register(
    session: Session, *, review: VillageReview, item: ReviewItem, ethnicity: str, now: datetime
) -> Child:
    """The proposed child: the village's child of that name and birth year if there is
    one (diacritics ignored), else a new record through the children service."""
    same = session.exec(
        select(Child).where(
            Child.commune_id == review.commune_id,
            Child.village_id == review.village_id,
            Child.name_key == text.fold(item.proposed_name or ""),
            Child.birth_year == item.proposed_birth_year,
            Child.merged_into_id.is_(None),
        )
    ).first()
    if same is not None:
        return same
    data = ChildCreate(
        full_name=item.proposed_name,
        birth_year_estimate=item.proposed_birth_year,
        sex=item.proposed_sex,
        ethnicity=ethnicity,
    )
    return child_service.create_child(
        session, commune_id=review.commune_id, data=data, village_id=review.village_id, now=now
    )


def decide(
    session: Session,
    actor: Actor,
    *,
    review: VillageReview,
    item_id: int,
    decision: Decision,
    end_reason: MembershipEnd | None,
    ethnicity: str | None,
    note: str | None,
    now: datetime,
    today: date,
) -> ReviewItem:
    """Apply or reject one answer. Applying "moved" ends the child's memberships (moved
    away); "changed" or "not found" end them with the reason the caseworker gives, or,
    without one, are noted for her to correct the record; a new child is registered and
    their group proposed. Rejecting changes nothing but is kept, with its note."""
    if review.submitted_at is None:
        raise ReviewNotSubmitted(review_id=review.id)
    item = session.get(ReviewItem, item_id)
    if item is None or item.review_id != review.id or item.answer not in NEEDS_DECISION:
        raise ReviewNotFound(review_id=review.id)
    if item.decision is not None:
        raise ItemDecided(review_id=review.id)
    why = f"Rà soát thôn tháng {review.month:%m/%Y}"
    if decision == Decision.applied:
        if item.answer == Answer.moved:
            end_reason = MembershipEnd.moved_away
        if item.answer == Answer.new:
            if not (ethnicity or "").strip():
                raise InvalidInput([FieldError(("ethnicity",), "missing")])
            child = _register(session, review=review, item=item, ethnicity=ethnicity, now=now)
            item.child_id = child.id
            if item.proposed_group is not None:
                proposal = RegistryProposal(
                    commune_id=review.commune_id,
                    child_id=child.id,
                    group=item.proposed_group,
                    source="review",
                    created_at=now,
                )
                session.add(proposal)
                session.flush()
                item.proposal_id = proposal.id
        elif end_reason is not None and item.child_id is not None:
            _end_memberships(
                session, actor, child_id=item.child_id, reason=end_reason, day=today, why=why
            )
    item.decision, item.decision_note = decision, (note or "").strip() or None
    item.decided_by_id, item.decided_at = actor.user_id, now
    session.add(item)
    session.flush()
    return item


def close(session: Session, actor: Actor, *, review: VillageReview, now: datetime) -> None:
    """Close a submitted review once every answer that would change the register is
    decided; the caller fires the workflow's ``close``."""
    if review.submitted_at is None:
        raise ReviewNotSubmitted(review_id=review.id)
    waiting = session.exec(
        select(ReviewItem.id).where(
            ReviewItem.review_id == review.id,
            ReviewItem.answer.in_(list(NEEDS_DECISION)),
            ReviewItem.decision.is_(None),
        )
    ).first()
    if waiting is not None:
        raise ReviewUndecided(review_id=review.id)
    review.closed_at, review.closed_by_id = now, actor.user_id
    session.add(review)
    session.flush()


def quarter_months(year: int, quarter: int) -> list[date]:
    return [date(year, 3 * (quarter - 1) + n, 1) for n in (1, 2, 3)]


def _reviewed_in(commune_id: int, year: int, quarter: int) -> sa.Select[tuple[int]]:
    """The villages with a review in the quarter (a village merged since keeps its own)."""
    return sa.select(VillageReview.village_id).where(
        VillageReview.commune_id == commune_id,
        VillageReview.month.in_(quarter_months(year, quarter)),
    )


def quarter_counts(
    session: Session, *, commune_id: int, year: int, quarter: int
) -> dict[str, dict[str, int]]:
    """Per village: children reviewed, changes, new children, moved, not found, over the
    quarter's reviews (as the reviewers answered; rejected answers not counted)."""
    villages = session.exec(
        select(Village.name)
        .where(Village.commune_id == commune_id)
        .where(Village.live() | Village.id.in_(_reviewed_in(commune_id, year, quarter)))
        .order_by(Village.name)
    ).all()
    counts = {name: dict.fromkeys(COUNTED, 0) for name in villages}  # merged ones: history
    rows = session.exec(
        select(Village.name, ReviewItem.answer, ReviewItem.decision)
        .join(VillageReview, VillageReview.id == ReviewItem.review_id)
        .join(Village, Village.id == VillageReview.village_id)
        .where(
            VillageReview.commune_id == commune_id,
            VillageReview.month.in_(quarter_months(year, quarter)),
            VillageReview.submitted_at.is_not(None),
        )
    ).all()
    for village, answer, decision in rows:
        if answer != Answer.new:
            counts[village]["reviewed"] += 1
        if answer != Answer.still and decision != Decision.rejected:
            counts[village][str(answer)] += 1
    return counts


def close_quarter(
    session: Session, actor: Actor, *, year: int, quarter: int, note: str | None, now: datetime
) -> ReviewQuarter:
    """Close the quarter with its counts as they stand and the caseworker's note; once."""
    commune_id = actor.commune_id
    assert commune_id is not None
    if session.exec(
        select(ReviewQuarter.id).where(
            ReviewQuarter.commune_id == commune_id,
            ReviewQuarter.year == year,
            ReviewQuarter.quarter == quarter,
        )
    ).first():
        raise QuarterClosed(year=year, quarter=quarter)
    waiting = session.exec(
        select(VillageReview.id).where(
            VillageReview.commune_id == commune_id,
            VillageReview.month.in_(quarter_months(year, quarter)),
            VillageReview.submitted_at.is_not(None),
            VillageReview.closed_at.is_(None),
        )
    ).first()
    if waiting is not None:
        raise QuarterWaiting(year=year, quarter=quarter)
    closed = ReviewQuarter(
        commune_id=commune_id,
        year=year,
        quarter=quarter,
        counts=quarter_counts(session, commune_id=commune_id, year=year, quarter=quarter),
        note=(note or "").strip() or None,
        closed_by_id=actor.user_id,
        closed_at=now,
    )
    session.add(closed)
    session.flush()
    return closed


def quarters(session: Session, *, commune_id: int) -> list[ReviewQuarter]:
    """The commune's closed quarters, newest first."""
    return list(
        session.exec(
            select(ReviewQuarter)
            .where(ReviewQuarter.commune_id == commune_id)
            .order_by(ReviewQuarter.year.desc(), ReviewQuarter.quarter.desc())
        ).all()
    )
