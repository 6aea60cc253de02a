"""The case list: the cases a person may see, filtered and searched, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session

from casework import text
from casework.accounts.models import User
from casework.base import label
from casework.cases.models import CaseStatus, ProtectionCase, RiskLevel
from casework.cases.schemas import CaseSummary
from casework.children.models import Child
from casework.communes.models import Village, commune_id_of
from casework.pagination import Page, PageParams, count, pages
from casework.timefmt import to_local


@dataclass(frozen=True)
class Owner:
    """A filter on who owns a case: ``user_id``'s cases, or (None) those nobody has yet."""

    user_id: int | None

    @classmethod
    def of(cls, word: str | None, *, me: int | None) -> Owner | None:
        """``me``: the person's own cases; ``none``: nobody's yet; anything else: no filter."""
        if word == "me":
            return cls(me)
        return cls(None) if word == "none" else None

    def condition(self) -> sa.ColumnElement[bool]:
        if self.user_id is None:
            return ProtectionCase.assigned_caseworker_id.is_(None)
        return ProtectionCase.assigned_caseworker_id == self.user_id


def search(
    session: Session,
    *,
    scope: sa.ColumnElement[bool],
    masked: bool,
    commune_code: str | None,
    status: CaseStatus | None,
    risk: RiskLevel | None,
    village: str | None,
    q: str | None,
    params: PageParams,
    tz: ZoneInfo,
    emergency: bool | None = None,
    owner: Owner | None = None,
) -> Page[CaseSummary]:
    """Cases within ``scope`` (the policy's visible cases), filtered by status, risk,
    village (name), emergency, owner and a code or child-name search. ``masked``: an
    agency's list, without the risk level, the child's id or the owner."""
    statement = (
        sa.select(ProtectionCase, Child.full_name, Village.name, User.full_name)
        .join(Child, Child.id == ProtectionCase.child_id)
        .outerjoin(Village, Village.id == Child.village_id)
        .outerjoin(User, User.id == ProtectionCase.assigned_caseworker_id)
        .where(scope)
    )
    if owner is not None:
        statement = statement.where(owner.condition())
    if commune_code is not None:
        statement = statement.where(ProtectionCase.commune_id == commune_id_of(commune_code))
    if status is not None:
        statement = statement.where(ProtectionCase.status == status)
    if risk is not None:
        statement = statement.where(ProtectionCase.risk_level == risk)
    if emergency is not None:
        statement = statement.where(ProtectionCase.is_emergency == emergency)
    if village:
        statement = statement.where(Village.name_key == text.fold(village))
    if q and q.strip():
        key = text.fold(q)
        statement = statement.where(
            sa.or_(
                ProtectionCase.code == q.strip().upper(),
                Child.name_key.contains(key, autoescape=True),
            )
        )
    total = count(session, statement)
    rows = session.execute(
        statement.order_by(ProtectionCase.opened_at.desc(), ProtectionCase.id.desc())
        .offset(params.offset)
        .limit(params.page_size)
    ).all()
    items = [
        CaseSummary(
            code=case.code,
            status=case.status,
            status_label=label(CaseStatus(case.status)),
            risk_level=None if masked else case.risk_level,
            is_emergency=case.is_emergency,
            child_id=None if masked else case.child_id,
            child_name=child_name,
            village=village_name,
            opened_at=to_local(case.opened_at, tz),
            updated_at=to_local(case.updated_at, tz),
            assigned_caseworker_id=None if masked else case.assigned_caseworker_id,
            assigned_caseworker_name=None if masked else owner_name,
        )
        for case, child_name, village_name, owner_name in rows
    ]
    return Page[CaseSummary](
        items=items,
        total=total,
        page=params.page,
        page_size=params.page_size,
        pages=pages(total, params.page_size),
    )
