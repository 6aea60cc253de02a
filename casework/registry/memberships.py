"""Group memberships of the register (Luật Trẻ em Đ10, NĐ56 Đ3–16): add, end, read, count.

History is never overwritten. An end writes the end date, reason, evidence and who ended
it on the current row, once (a conditional UPDATE: two people ending the same row at the
same time get one success and one conflict); a new period is a new row. The partial
unique index keeps one current row per child, group and at-risk mark.

At-risk rows ("có nguy cơ rơi vào hoàn cảnh đặc biệt", seed 000) are listed and reviewed
with the rest but never counted in the 14 groups (``counts_by_group``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from casework.accounts.models import User
from casework.actors import Actor
from casework.cases.models import ProtectionCase
from casework.children.models import Child, ChildCircumstance, CircumstanceGroup, MembershipEnd
from casework.errors import Conflict, FieldError, InvalidInput, NotFound
from casework.registry import groups
from casework.registry.schemas import (
    MembershipCreate,
    MembershipEndIn,
    MembershipRead,
    ProposedEnd,
)

# How far ahead a coming 16th or 18th birthday is shown to the reviewer: a month, the
# register's review cycle.
MILESTONE_NOTICE = timedelta(days=31)


class MembershipNotFound(NotFound):
    code = "membership_not_found"


class AlreadyMember(Conflict):
    code = "membership_current"


class AlreadyEnded(Conflict):
    code = "membership_already_ended"


_CC = ChildCircumstance


def birth_floor(child: Child) -> date:
    """The earliest day a membership may start: the birth date, or 1 January of the
    birth year when only the year is known."""
    return child.date_of_birth or date(child.birth_year, 1, 1)


def check_start(child: Child, *, since: date, today: date, loc: tuple[str, ...]) -> None:
    """A start date neither before the child's birth nor in the future (422 naming it)."""
    floor = birth_floor(child)
    if since < floor:
        params = {"birth": floor.strftime("%d/%m/%Y")}
        raise InvalidInput([FieldError(loc, "membership_before_birth", params)])
    if since > today:
        raise InvalidInput([FieldError(loc, "date_in_future")])


def check_end(*, since: date, until: date, today: date) -> None:
    """An end date neither before the start (the same day is allowed) nor in the future."""
    if until < since:
        params = {"since": since.strftime("%d/%m/%Y")}
        raise InvalidInput([FieldError(("until",), "membership_end_before_start", params)])
    if until > today:
        raise InvalidInput([FieldError(("until",), "date_in_future")])


def current(
    session: Session, *, child_id: int, group: CircumstanceGroup, at_risk: bool
) -> _CC | None:
    return session.exec(
        select(_CC).where(
            _CC.child_id == child_id,
            _CC.group == group,
            _CC.at_risk == at_risk,
            _CC.until.is_(None),
        )
    ).first()


def add(
    session: Session,
    actor: Actor,
    *,
    child: Child,
    data: MembershipCreate,
    now: datetime,
    today: date,
    source_case_id: int | None = None,
) -> ChildCircumstance:
    """Record that ``child`` is in a group (or at risk of it) from ``data.since``, decided
    by ``actor``; a group the child is already in now is a conflict."""
    check_start(child, since=data.since, today=today, loc=("since",))
    if current(session, child_id=child.id, group=data.group, at_risk=data.at_risk) is not None:
        raise AlreadyMember(group=data.group.value)
    row = ChildCircumstance(
        child_id=child.id,
        group=data.group,
        subgroup=data.subgroup,
        at_risk=data.at_risk,
        since=data.since,
        evidence=data.evidence,
        decided_by_id=actor.user_id,
        source_case_id=source_case_id,
        recorded_at=now,
    )
    session.add(row)
    session.flush()
    return row


_END = (
    _CC.__table__.update()
    .where(
        _CC.__table__.c.id == sa.bindparam("b_id"),
        _CC.__table__.c.until.is_(None),
    )
    .values(
        until=sa.bindparam("v_until"),
        ended_reason=sa.bindparam("v_reason"),
        end_evidence=sa.bindparam("v_evidence"),
        ended_by_id=sa.bindparam("v_by"),
    )
)


def end(
    session: Session, actor: Actor, *, child_id: int, data: MembershipEndIn, today: date
) -> ChildCircumstance:
    """End the child's current membership ``data.membership_id`` (history kept)."""
    row = session.get(_CC, data.membership_id)
    if row is None or row.child_id != child_id:
        raise MembershipNotFound(membership_id=data.membership_id)
    if row.until is not None:
        raise AlreadyEnded(until=row.until.strftime("%d/%m/%Y"))
    check_end(since=row.since, until=data.until, today=today)
    written = session.connection().execute(
        _END,
        {
            "b_id": row.id,
            "v_until": data.until,
            "v_reason": data.reason.value,
            "v_evidence": data.end_evidence,
            "v_by": actor.user_id,
        },
    )
    if written.rowcount != 1:
        raise AlreadyEnded(until="")
    session.refresh(row)
    return row


def names_of(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(select(User.id, User.full_name).where(User.id.in_(wanted))).all()
    return {uid: name for uid, name in rows}


def case_codes(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(
        select(ProtectionCase.id, ProtectionCase.code).where(ProtectionCase.id.in_(wanted))
    ).all()
    return {cid: code for cid, code in rows}


def reads(session: Session, rows: list[ChildCircumstance]) -> list[MembershipRead]:
    """The rows as the pages and the API show them (people and cases named)."""
    names = names_of(session, [x for r in rows for x in (r.decided_by_id, r.ended_by_id)])
    codes = case_codes(session, [r.source_case_id for r in rows])
    shown = []
    for r in rows:
        sub = groups.subgroup(r.subgroup)
        shown.append(
            MembershipRead(
                id=r.id,
                group=r.group,
                subgroup=r.subgroup,
                subgroup_vi=sub.vi if sub else r.subgroup,
                subgroup_en=sub.en if sub else r.subgroup,
                at_risk=r.at_risk,
                since=r.since,
                until=r.until,
                evidence=r.evidence,
                decided_by=names.get(r.decided_by_id) if r.decided_by_id else None,
                source_case=codes.get(r.source_case_id) if r.source_case_id else None,
                ended_reason=r.ended_reason,
                end_evidence=r.end_evidence,
                ended_by=names.get(r.ended_by_id) if r.ended_by_id else None,
                recorded_at=r.recorded_at,
            )
        )
    return shown


def of_child(session: Session, *, child_id: int) -> list[ChildCircumstance]:
    """Every membership row of the child, current first, then by group and start."""
    return list(
        session.exec(
            select(_CC)
            .where(_CC.child_id == child_id)
            .order_by(_CC.until.is_not(None), _CC.group, _CC.since.desc(), _CC.id.desc())
        ).all()
    )


def _birthday(child: Child, age: int) -> tuple[date, bool]:
    """The day the child turns ``age``; mid-year when only the birth year is known."""
    born = child.date_of_birth
    if born is None:
        return date(child.birth_year + age, 7, 1), True
    try:
        return born.replace(year=born.year + age), False
    except ValueError:  # born on 29 February: the birthday is 1 March in other years
        return date(born.year + age, 3, 1), False


def proposed_ends(child: Child, rows: list[ChildCircumstance], today: date) -> list[ProposedEnd]:
    """For each current membership, the end a coming (or past) 16th or 18th birthday
    suggests: a child is a person under 16 (Luật Trẻ em Đ1); some support continues to 18.
    Shown to the reviewer to confirm; nothing ends by itself."""
    found = []
    sixteen, estimated = _birthday(child, 16)
    eighteen, _ = _birthday(child, 18)
    for row in rows:
        if row.until is not None:
            continue
        if eighteen <= today + MILESTONE_NOTICE:
            when, reason = eighteen, MembershipEnd.turned_18
        elif sixteen <= today + MILESTONE_NOTICE:
            when, reason = sixteen, MembershipEnd.turned_16
        else:
            continue
        found.append(
            ProposedEnd(
                membership_id=row.id,
                group=row.group,
                until=max(when, row.since),
                reason=reason,
                estimated=estimated,
            )
        )
    return found


def counts_by_group(session: Session, commune_id: int, on: date) -> dict[CircumstanceGroup, int]:
    """How many children of the commune are in each of the 14 groups on day ``on``
    (start and end days included). At-risk rows and records merged into another are not
    counted; a child in two groups counts once in each."""
    rows = session.execute(
        sa.select(_CC.group, sa.func.count(sa.distinct(_CC.child_id)))
        .join(Child, Child.id == _CC.child_id)
        .where(
            Child.commune_id == commune_id,
            Child.merged_into_id.is_(None),
            _CC.at_risk.is_(False),
            _CC.since <= on,
            sa.or_(_CC.until.is_(None), _CC.until >= on),
        )
        .group_by(_CC.group)
    ).all()
    counted = {CircumstanceGroup(group): n for group, n in rows}
    return {group: counted.get(group, 0) for group in CircumstanceGroup}
