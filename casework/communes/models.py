"""The tenant (xã/phường) and its villages (thôn, xóm, bản, tổ dân phố)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from casework import base  # noqa: F401  (naming convention first)


class Commune(SQLModel, table=True):
    """A commune or ward; every record belongs to exactly one."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True, description="Mã đơn vị hành chính (NSO)")
    name: str = Field(max_length=120)
    province: str = Field(max_length=120)
    case_prefix: str = Field(
        max_length=8, unique=True, description="Prefix of case codes, e.g. CS in CS-2026-00042"
    )
    created_at: datetime


class Village(SQLModel, table=True):
    """A thôn/xóm/bản/tổ dân phố: not a coded administrative unit, the commune keeps the list."""

    __table_args__ = (sa.UniqueConstraint("commune_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    name: str = Field(max_length=120)
    name_key: str = Field(max_length=120, description="Folded name for matching input")
    merged_into_id: int | None = Field(
        default=None,
        foreign_key="village.id",
        description="The village it was merged into (2025): kept for its history, not listed",
    )
    merged_at: datetime | None = None

    @classmethod
    def live(cls) -> sa.ColumnElement[bool]:
        """SQL: a village not merged into another (the ones lists offer)."""
        return cls.merged_into_id.is_(None)  # type: ignore[union-attr]


class VillageFormerName(SQLModel, table=True):
    """A name a village had until it was renamed (many were in 2025): kept, never lost."""

    __tablename__ = "village_former_name"

    id: int | None = Field(default=None, primary_key=True)
    village_id: int = Field(foreign_key="village.id", index=True)
    name: str = Field(max_length=120)
    until: datetime = Field(description="When the new name replaced it")
    changed_by_id: int | None = Field(default=None, foreign_key="app_user.id")


class CommuneDayOff(SQLModel, table=True):
    """A day the commune's calendar differs from the national one (the supervisor's page
    ``/lich-lam-viec``): an extra day off (a local festival, a day off given in exchange),
    which working-day deadlines skip, or with ``make_up`` a day it works though it is a
    weekend day or a holiday (ngày làm bù), which they count."""

    __tablename__ = "commune_day_off"

    commune_id: int = Field(foreign_key="commune.id", primary_key=True)
    day: date = Field(primary_key=True)
    reason: str = Field(max_length=200)
    make_up: bool = Field(default=False, description="A working day (ngày làm bù), not a day off")


def commune_id_of(code: str) -> sa.ScalarSelect[int]:
    """A subquery for the id of the commune with ``code`` (for filters by commune code)."""
    return sa.select(Commune.id).where(Commune.code == code).scalar_subquery()
