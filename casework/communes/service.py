"""Communes as the home page lists them."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from casework.cases.models import CaseStatus, ProtectionCase
from casework.communes.models import Commune


@dataclass(frozen=True)
class CommuneOverview:
    code: str
    name: str
    province: str
    open_cases: int


def overview(session: Session) -> list[CommuneOverview]:
    """Each commune with its number of open cases (counts only, no personal data)."""
    open_cases = (
        sa.select(sa.func.count())
        .where(ProtectionCase.commune_id == Commune.id, ProtectionCase.status != CaseStatus.closed)
        .scalar_subquery()
    )
    rows = session.execute(
        sa.select(Commune.code, Commune.name, Commune.province, open_cases).order_by(Commune.name)
    ).all()
    return [CommuneOverview(*row) for row in rows]


@dataclass(frozen=True)
class CommuneCounts:
    code: str
    name: str
    province: str
    by_status: dict[str, int]


def counts(session: Session, *, communes: sa.ColumnElement[bool]) -> list[CommuneCounts]:
    """Cases per status for each commune matching ``communes``: numbers only, no record."""
    rows = session.execute(
        sa.select(
            Commune.code,
            Commune.name,
            Commune.province,
            ProtectionCase.status,
            sa.func.count(ProtectionCase.id),
        )
        .select_from(Commune)
        .outerjoin(ProtectionCase, ProtectionCase.commune_id == Commune.id)
        .where(communes)
        .group_by(Commune.code, Commune.name, Commune.province, ProtectionCase.status)
        .order_by(Commune.name)
    ).all()
    found: dict[str, CommuneCounts] = {}
    for code, name, province, status, n in rows:
        entry = found.setdefault(code, CommuneCounts(code, name, province, {}))
        if status is not None:
            entry.by_status[status] = n
    return list(found.values())
