"""child population: the commune's children per village, sex and age group each year, the
denominators of the statistics' shares and rates

Revision ID: 3c7e9a1d5b48
Revises: 8b2e4d6f1a35
Create Date: 2026-12-05 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "3c7e9a1d5b48"
down_revision: str | None = "8b2e4d6f1a35"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "child_population",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sex", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("age_group", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("children", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["commune.id"], name=op.f("fk_child_population_commune_id_commune")
        ),
        sa.ForeignKeyConstraint(
            ["village_id"], ["village.id"], name=op.f("fk_child_population_village_id_village")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["app_user.id"],
            name=op.f("fk_child_population_recorded_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_child_population")),
    )
    op.create_index(
        op.f("ix_child_population_commune_id"), "child_population", ["commune_id"], unique=False
    )
    op.create_index(
        "uq_child_population_village_cell",
        "child_population",
        ["village_id", "year", "sex", "age_group"],
        unique=True,
        sqlite_where=sa.text("village_id IS NOT NULL"),
        postgresql_where=sa.text("village_id IS NOT NULL"),
    )
    op.create_index(
        "uq_child_population_commune_cell",
        "child_population",
        ["commune_id", "year", "sex", "age_group"],
        unique=True,
        sqlite_where=sa.text("village_id IS NULL"),
        postgresql_where=sa.text("village_id IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_child_population_commune_cell", table_name="child_population")
    op.drop_index("uq_child_population_village_cell", table_name="child_population")
    op.drop_index(op.f("ix_child_population_commune_id"), table_name="child_population")
    op.drop_table("child_population")
