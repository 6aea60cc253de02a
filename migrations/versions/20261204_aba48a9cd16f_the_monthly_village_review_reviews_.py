"""The monthly village review: one review per village and month (a unique constraint:
opening twice opens nothing more), its items (the reviewer's answers and proposed children,
the caseworker's decisions) and the quarter's close with its counts

Revision ID: aba48a9cd16f
Revises: c05adaa33c2b
Create Date: 2026-12-04 17:51:46.919003
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "aba48a9cd16f"
down_revision: str | None = "c05adaa33c2b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review_quarter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=False),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["app_user.id"], name=op.f("fk_review_quarter_closed_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["commune.id"], name=op.f("fk_review_quarter_commune_id_commune")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_quarter")),
        sa.UniqueConstraint(
            "commune_id", "year", "quarter", name=op.f("uq_review_quarter_commune_id_year_quarter")
        ),
    )
    with op.batch_alter_table("review_quarter", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_quarter_commune_id"), ["commune_id"], unique=False
        )

    op.create_table(
        "village_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("submitted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["app_user.id"], name=op.f("fk_village_review_closed_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["commune.id"], name=op.f("fk_village_review_commune_id_commune")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["app_user.id"],
            name=op.f("fk_village_review_submitted_by_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["village_id"], ["village.id"], name=op.f("fk_village_review_village_id_village")
        ),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["workflow_instance.id"],
            name=op.f("fk_village_review_instance_id_workflow_instance"),
        ),
        sa.UniqueConstraint("instance_id", name=op.f("uq_village_review_instance_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_village_review")),
        sa.UniqueConstraint("village_id", "month", name=op.f("uq_village_review_village_id_month")),
    )
    with op.batch_alter_table("village_review", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_village_review_commune_id"), ["commune_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_village_review_village_id"), ["village_id"], unique=False
        )

    op.create_table(
        "review_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=True),
        sa.Column("answer", sa.String(length=16), nullable=True),
        sa.Column("change_note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("proposed_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("proposed_birth_year", sa.Integer(), nullable=True),
        sa.Column("proposed_sex", sa.String(length=16), nullable=True),
        sa.Column("proposed_group", sa.String(length=16), nullable=True),
        sa.Column("proposed_note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("decision", sa.String(length=16), nullable=True),
        sa.Column("decision_note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_review_item_child_id_child")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["app_user.id"], name=op.f("fk_review_item_decided_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["registry_proposal.id"],
            name=op.f("fk_review_item_proposal_id_registry_proposal"),
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["village_review.id"],
            name=op.f("fk_review_item_review_id_village_review"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_item")),
    )
    with op.batch_alter_table("review_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_item_child_id"), ["child_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_item_review_id"), ["review_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("review_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_item_review_id"))
        batch_op.drop_index(batch_op.f("ix_review_item_child_id"))

    op.drop_table("review_item")
    with op.batch_alter_table("village_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_village_review_village_id"))
        batch_op.drop_index(batch_op.f("ix_village_review_commune_id"))

    op.drop_table("village_review")
    with op.batch_alter_table("review_quarter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_quarter_commune_id"))

    op.drop_table("review_quarter")
