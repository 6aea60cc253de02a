"""the data-cleaning loop of Đề án 06: one row per child's record going through the
household visit, the police verification and the update (one open loop per child)

Revision ID: d342fa3ce942
Revises: aba48a9cd16f
Create Date: 2026-12-04 17:45:39.544866
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "d342fa3ce942"
down_revision: str | None = "aba48a9cd16f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cleaning_loop",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=True),
        sa.Column("workflow_name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("workflow_version", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("village_agency_id", sa.Integer(), nullable=False),
        sa.Column("police_agency_id", sa.Integer(), nullable=False),
        sa.Column("started_by_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("visited_by_id", sa.Integer(), nullable=True),
        sa.Column("visited_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("visit_personal_id", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column(
            "visit_birth_certificate", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True
        ),
        sa.Column("visit_date_of_birth", sa.Date(), nullable=True),
        sa.Column("visit_father", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("visit_mother", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("visit_note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("verified_by_id", sa.Integer(), nullable=True),
        sa.Column("verified_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column(
            "verified_personal_id", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True
        ),
        sa.Column("verified_date_of_birth", sa.Date(), nullable=True),
        sa.Column("verified_sex", sa.String(length=16), nullable=True),
        sa.Column("verify_note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_cleaning_loop_child_id_child")
        ),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["commune.id"], name=op.f("fk_cleaning_loop_commune_id_commune")
        ),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["workflow_instance.id"],
            name=op.f("fk_cleaning_loop_instance_id_workflow_instance"),
        ),
        sa.ForeignKeyConstraint(
            ["police_agency_id"],
            ["agency.id"],
            name=op.f("fk_cleaning_loop_police_agency_id_agency"),
        ),
        sa.ForeignKeyConstraint(
            ["started_by_id"], ["app_user.id"], name=op.f("fk_cleaning_loop_started_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["app_user.id"], name=op.f("fk_cleaning_loop_updated_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["verified_by_id"],
            ["app_user.id"],
            name=op.f("fk_cleaning_loop_verified_by_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["village_agency_id"],
            ["agency.id"],
            name=op.f("fk_cleaning_loop_village_agency_id_agency"),
        ),
        sa.ForeignKeyConstraint(
            ["visited_by_id"], ["app_user.id"], name=op.f("fk_cleaning_loop_visited_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cleaning_loop")),
    )
    with op.batch_alter_table("cleaning_loop", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cleaning_loop_child_id"), ["child_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_cleaning_loop_instance_id"), ["instance_id"], unique=False
        )
        batch_op.create_index(
            "ix_cleaning_loop_commune_state", ["commune_id", "state"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_cleaning_loop_police_agency_id"), ["police_agency_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_cleaning_loop_village_agency_id"), ["village_agency_id"], unique=False
        )
        batch_op.create_index(
            "uq_cleaning_loop_one_open_per_child",
            ["child_id"],
            unique=True,
            sqlite_where=sa.text("state != 'closed'"),
            postgresql_where=sa.text("state != 'closed'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("cleaning_loop", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_cleaning_loop_one_open_per_child",
            sqlite_where=sa.text("state != 'closed'"),
            postgresql_where=sa.text("state != 'closed'"),
        )
        batch_op.drop_index(batch_op.f("ix_cleaning_loop_village_agency_id"))
        batch_op.drop_index(batch_op.f("ix_cleaning_loop_police_agency_id"))
        batch_op.drop_index("ix_cleaning_loop_commune_state")
        batch_op.drop_index(batch_op.f("ix_cleaning_loop_instance_id"))
        batch_op.drop_index(batch_op.f("ix_cleaning_loop_child_id"))

    op.drop_table("cleaning_loop")
