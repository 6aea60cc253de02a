"""Support a child received, per kind and period, and the share of children in special
circumstances supported in a period (seed 001: "trên 95% trẻ em có hoàn cảnh đặc biệt được
chăm sóc, nuôi dưỡng và trợ giúp"), from the rows rather than from hand counting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from casework.actors import Actor
from casework.children.models import Child, ChildCircumstance
from casework.errors import Conflict, FieldError, InvalidInput, NotFound
from casework.registry.memberships import check_end, check_start, names_of
from casework.registry.models import ChildSupport
from casework.registry.schemas import SupportCreate, SupportEndIn, SupportRead


class SupportNotFound(NotFound):
    code = "support_not_found"


class SupportAlreadyEnded(Conflict):
    code = "support_already_ended"


def add(
    session: Session, actor: Actor, *, child: Child, data: SupportCreate, now: datetime, today: date
) -> ChildSupport:
    """Record support ``child`` received from ``data.since`` (to ``data.until``, if over)."""
    check_start(child, since=data.since, today=today, loc=("since",))
    if data.until is not None and data.until > today:
        raise InvalidInput([FieldError(("until",), "date_in_future")])
    row = ChildSupport(
        child_id=child.id,
        kind=data.kind,
        since=data.since,
        until=data.until,
        provider=data.provider,
        amount_vnd=data.amount_vnd,
        note=data.note,
        recorded_by_id=actor.user_id,
        recorded_at=now,
    )
    session.add(row)
    session.flush()
    return row


_T = ChildSupport.__table__
_END = (
    _T.update()
    .where(_T.c.id == sa.bindparam("b_id"), _T.c.until.is_(None))
    .values(until=sa.bindparam("v_until"))
)


def end(session: Session, *, child_id: int, data: SupportEndIn, today: date) -> ChildSupport:
    """The ongoing support ``data.support_id`` stopped on ``data.until``."""
    row = session.get(ChildSupport, data.support_id)
    if row is None or row.child_id != child_id:
        raise SupportNotFound(support_id=data.support_id)
    if row.until is not None:
        raise SupportAlreadyEnded(until=row.until.strftime("%d/%m/%Y"))
    check_end(since=row.since, until=data.until, today=today)
    written = session.connection().execute(_END, {"b_id": row.id, "v_until": data.until})
    if written.rowcount != 1:
        raise SupportAlreadyEnded(until="")
    session.refresh(row)
    return row


def of_child(session: Session, *, child_id: int) -> list[SupportRead]:
    """The child's support, ongoing first, newest first."""
    rows = session.exec(
        select(ChildSupport)
        .where(ChildSupport.child_id == child_id)
        .order_by(ChildSupport.until.is_not(None), ChildSupport.since.desc(), ChildSupport.id)
    ).all()
    names = names_of(session, [r.recorded_by_id for r in rows])
    return [
        SupportRead(
            id=r.id,
            kind=r.kind,
            since=r.since,
            until=r.until,
            provider=r.provider,
            amount_vnd=r.amount_vnd,
            note=r.note,
            recorded_by=names.get(r.recorded_by_id),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class Share:
    """Of the children in special circumstances in a period, how many received support."""

    children: int
    supported: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.supported / self.children, 1) if self.children else None


def _overlaps(
    since: sa.ColumnElement[date], until: sa.ColumnElement[date | None], start: date, stop: date
) -> sa.ColumnElement[bool]:
    return sa.and_(since <= stop, sa.or_(until.is_(None), until >= start))


def supported_share(session: Session, *, commune_id: int, start: date, stop: date) -> Share:
    """Children of the commune in one of the 14 groups at some time between ``start`` and
    ``stop`` (at-risk rows and merged records left out), and how many of them received any
    support during that period."""
    cc = ChildCircumstance
    in_groups = (
        sa.select(cc.child_id)
        .join(Child, Child.id == cc.child_id)
        .where(
            Child.commune_id == commune_id,
            Child.merged_into_id.is_(None),
            cc.at_risk.is_(False),
            _overlaps(cc.since, cc.until, start, stop),
        )
        .distinct()
        .subquery()
    )
    supported = sa.exists().where(
        ChildSupport.child_id == in_groups.c.child_id,
        _overlaps(ChildSupport.since, ChildSupport.until, start, stop),
    )
    row = session.execute(
        sa.select(sa.func.count(), sa.func.count().filter(supported)).select_from(in_groups)
    ).one()
    return Share(children=row[0], supported=row[1])
