"""Sổ theo dõi trẻ em có hoàn cảnh đặc biệt: the commune's children, filtered and in the
order Vietnamese lists are kept (given name, then middle and family name).

A page is three statements whatever its size: how many children match, the page's
children (walking ``ix_child_register_order``: commune, ``sort_key``), and the groups
going on today of just those children. Records merged into another are not listed: they
are pointers to the record kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session

from casework import text
from casework.children.models import Child, ChildCircumstance
from casework.communes.models import Village
from casework.pagination import Page, PageParams, count, page_of
from casework.registry.models import ChildSupport
from casework.registry.register_schemas import (
    AT_RISK,
    GroupTag,
    RegisterFilter,
    RegisterRow,
    ReviewFilter,
    SupportFilter,
)
from casework.registry.review.models import Answer, ReviewItem, VillageReview


def years_ago(today: date, years: int) -> date:
    """The same day ``years`` years before ``today`` (29 February: the 28th)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def age_on(today: date, *, date_of_birth: date | None, birth_year: int) -> int:
    """Full years on ``today``; with only a birth year, the years since that year."""
    if date_of_birth is None:
        return today.year - birth_year
    before_birthday = (today.month, today.day) < (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - before_birthday


def _age_at_least(years: int, today: date) -> sa.ColumnElement[bool]:
    return sa.or_(
        Child.date_of_birth <= years_ago(today, years),
        sa.and_(Child.date_of_birth.is_(None), Child.birth_year <= today.year - years),
    )


def _age_at_most(years: int, today: date) -> sa.ColumnElement[bool]:
    return sa.or_(
        Child.date_of_birth > years_ago(today, years + 1),
        sa.and_(Child.date_of_birth.is_(None), Child.birth_year >= today.year - years),
    )


def _current_support(today: date) -> sa.Select[tuple[int]]:
    return sa.select(ChildSupport.id).where(
        ChildSupport.child_id == Child.id,
        ChildSupport.since <= today,
        sa.or_(ChildSupport.until.is_(None), ChildSupport.until >= today),
    )


_CHANGES = (Answer.changed, Answer.moved, Answer.not_found)


def _review_state(state: ReviewFilter, today: date) -> sa.ColumnElement[bool]:
    """Answered in this month's review of the village, not (while in a group or at risk),
    or reported changed and waiting for the caseworker's decision (any month)."""
    item = sa.select(ReviewItem.id).where(ReviewItem.child_id == Child.id)
    if state == ReviewFilter.awaiting:
        waiting = item.where(ReviewItem.answer.in_(_CHANGES), ReviewItem.decision.is_(None))
        return waiting.exists()
    answered = (
        item.join(VillageReview, VillageReview.id == ReviewItem.review_id)
        .where(VillageReview.month == today.replace(day=1), ReviewItem.answer.is_not(None))
        .exists()
    )
    if state == ReviewFilter.reviewed:
        return answered
    listed = sa.select(ChildCircumstance.id).where(
        ChildCircumstance.child_id == Child.id, ChildCircumstance.until.is_(None)
    )
    return sa.and_(listed.exists(), ~answered)


def conditions(chosen: RegisterFilter, *, today: date) -> list[sa.ColumnElement[bool]]:
    """The filters as conditions on ``Child``."""
    found: list[sa.ColumnElement[bool]] = [Child.merged_into_id.is_(None)]
    if chosen.village is not None:
        found.append(Child.village_id == chosen.village)
    if chosen.group is not None:
        membership = sa.select(ChildCircumstance.id).where(
            ChildCircumstance.child_id == Child.id, ChildCircumstance.until.is_(None)
        )
        if chosen.group == AT_RISK:
            membership = membership.where(ChildCircumstance.at_risk.is_(True))
        else:
            membership = membership.where(
                ChildCircumstance.group == chosen.group, ChildCircumstance.at_risk.is_(False)
            )
        found.append(membership.exists())
    if chosen.age_min is not None:
        found.append(_age_at_least(chosen.age_min, today))
    if chosen.age_max is not None:
        found.append(_age_at_most(chosen.age_max, today))
    if chosen.support == SupportFilter.none:
        found.append(~_current_support(today).exists())
    elif chosen.support == SupportFilter.any:
        found.append(_current_support(today).exists())
    elif chosen.support is not None:
        found.append(_current_support(today).where(ChildSupport.kind == chosen.support).exists())
    if chosen.review is not None:
        found.append(_review_state(chosen.review, today))
    key = text.fold(chosen.q or "")
    if key:
        found.append(
            sa.or_(
                Child.name_key.contains(key, autoescape=True),
                Child.personal_id == (chosen.q or "").strip(),
            )
        )
    return found


def _groups_of(session: Session, child_ids: Sequence[int]) -> dict[int, list[GroupTag]]:
    """The memberships going on of the listed children, in one statement."""
    found: dict[int, list[GroupTag]] = {child_id: [] for child_id in child_ids}
    if not child_ids:
        return found
    rows = session.execute(
        sa.select(
            ChildCircumstance.child_id,
            ChildCircumstance.group,
            ChildCircumstance.subgroup,
            ChildCircumstance.at_risk,
            ChildCircumstance.since,
        )
        .where(ChildCircumstance.child_id.in_(child_ids), ChildCircumstance.until.is_(None))
        .order_by(ChildCircumstance.group, ChildCircumstance.at_risk)
    ).all()
    for child_id, group, subgroup, at_risk, since in rows:
        found[child_id].append(
            GroupTag(group=group, subgroup=subgroup, at_risk=at_risk, since=since)
        )
    return found


def register(
    session: Session,
    *,
    scope: sa.ColumnElement[bool],
    chosen: RegisterFilter,
    params: PageParams,
    today: date,
) -> Page[RegisterRow]:
    """The children within ``scope`` (the policy's condition) that ``chosen`` lets through,
    in Vietnamese list order, one page of them with their groups going on ``today``."""
    where = [scope, *conditions(chosen, today=today)]
    total = count(session, sa.select(Child.id).where(*where))  # no join: only how many
    rows = session.execute(
        sa.select(
            Child.id,
            Child.full_name,
            Child.birth_year,
            Child.date_of_birth,
            Child.sex,
            Village.name,
        )
        .select_from(Child)
        .outerjoin(Village, Village.id == Child.village_id)
        .where(*where)
        .order_by(Child.sort_key, Child.id)
        .offset(params.offset)
        .limit(params.page_size)
    ).all()
    groups = _groups_of(session, [row.id for row in rows])
    items = [
        RegisterRow(
            id=row.id,
            full_name=row.full_name,
            birth_year=row.birth_year,
            date_of_birth=row.date_of_birth,
            age=age_on(today, date_of_birth=row.date_of_birth, birth_year=row.birth_year),
            sex=row.sex,
            village=row.name,
            groups=[tag for tag in groups[row.id] if not tag.at_risk],
            at_risk=[tag for tag in groups[row.id] if tag.at_risk],
        )
        for row in rows
    ]
    return page_of(items, total=total, params=params)


def villages(session: Session, *, commune_id: int) -> list[tuple[int, str]]:
    """The commune's villages (id, name) for the village filter, by name."""
    rows = session.execute(
        sa.select(Village.id, Village.name)
        .where(Village.commune_id == commune_id, Village.live())
        .order_by(Village.name_key)
    ).all()
    return [(row.id, row.name) for row in rows]
