"""The figures statistics need that cases do not hold: how many children live in the
commune, per village, sex and age group, each year (the denominators of every share and of
every rate per 100,000 children)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from casework.base import choice_field
from casework.children.models import Sex


class ChildPopulation(SQLModel, table=True):
    """Children of a commune in one year, one sex and one age group (``age_group``: a key
    of ``casework.reports.indicators.AGE_GROUPS``), in one village or, ``village_id``
    empty, in the commune where it keeps no figure per village. The commune's total is
    the sum of its rows; a village's, the sum of that village's."""

    __tablename__ = "child_population"
    __table_args__ = (
        sa.Index(
            "uq_child_population_village_cell",
            "village_id",
            "year",
            "sex",
            "age_group",
            unique=True,
            sqlite_where=sa.text("village_id IS NOT NULL"),
            postgresql_where=sa.text("village_id IS NOT NULL"),
        ),
        sa.Index(
            "uq_child_population_commune_cell",
            "commune_id",
            "year",
            "sex",
            "age_group",
            unique=True,
            sqlite_where=sa.text("village_id IS NULL"),
            postgresql_where=sa.text("village_id IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    village_id: int | None = Field(default=None, foreign_key="village.id")
    year: int = Field(ge=2000, le=2100)
    sex: Sex = choice_field(Sex)
    age_group: str = Field(max_length=16)
    children: int = Field(ge=0, description="How many children")
    recorded_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    recorded_at: datetime
