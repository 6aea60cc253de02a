"""The daily figure of clean records (Đề án 06): one row per village and day."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class DataQualitySnapshot(SQLModel, table=True):
    """How many of a village's children had a clean record on a day (the commune's local
    date). Written once per commune and day by the housekeeping tick; several processes
    may try at once, the unique indexes keep one row (``village_id`` empty: children whose
    village is not known, one such row per commune and day)."""

    __tablename__ = "data_quality_snapshot"
    __table_args__ = (
        sa.UniqueConstraint("commune_id", "day", "village_id"),
        sa.Index(
            "uq_data_quality_snapshot_no_village",
            "commune_id",
            "day",
            unique=True,
            sqlite_where=sa.text("village_id IS NULL"),
            postgresql_where=sa.text("village_id IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    village_id: int | None = Field(default=None, foreign_key="village.id")
    day: date
    total: int
    clean: int
    taken_at: datetime
