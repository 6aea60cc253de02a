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
