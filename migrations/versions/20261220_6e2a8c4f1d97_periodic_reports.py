"""periodic reports: the reports owed by agencies and the commune (each a workflow instance
with its clock and ladder), ad-hoc reports, and a commune's own reporting dates

Revision ID: 6e2a8c4f1d97
Revises: 3c7e9a1d5b48
Create Date: 2026-12-05 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "6e2a8c4f1d97"
down_revision: str | None = "3c7e9a1d5b48"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("obligation", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("due_month", sa.Integer(), nullable=False),
        sa.Column("due_day", sa.Integer(), nullable=False),
        sa.Column("lead_days", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["commune.id"], name=op.f("fk_report_schedule_commune_id_commune")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["app_user.id"],
            name=op.f("fk_report_schedule_updated_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_schedule")),
        sa.UniqueConstraint(
            "commune_id", "obligation", name=op.f("uq_report_schedule_commune_id_obligation")
        ),
    )
    with op.batch_alter_table("report_schedule", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_schedule_commune_id"), ["commune_id"], unique=False
        )

    op.create_table(
        "periodic_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("obligation", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("period_first", sa.Date(), nullable=False),
        sa.Column("period_last", sa.Date(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("cause", sa.String(length=16), nullable=True),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("recipient", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("opened_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("attachment_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("attachment_type", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("attachment", sa.LargeBinary(), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("returned_reason", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("accepted_by_id", sa.Integer(), nullable=True),
        sa.Column("accepted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("sent_note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["accepted_by_id"],
            ["app_user.id"],
            name=op.f("fk_periodic_report_accepted_by_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_periodic_report_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"],
            ["app_user.id"],
            name=op.f("fk_periodic_report_approved_by_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["protection_case.id"],
            name=op.f("fk_periodic_report_case_id_protection_case"),
        ),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["commune.id"], name=op.f("fk_periodic_report_commune_id_commune")
        ),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["workflow_instance.id"],
            name=op.f("fk_periodic_report_instance_id_workflow_instance"),
        ),
        sa.ForeignKeyConstraint(
            ["sent_by_id"], ["app_user.id"], name=op.f("fk_periodic_report_sent_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["app_user.id"],
            name=op.f("fk_periodic_report_submitted_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_periodic_report")),
        sa.UniqueConstraint("instance_id", name=op.f("uq_periodic_report_instance_id")),
    )
    with op.batch_alter_table("periodic_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_periodic_report_agency_id"), ["agency_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_periodic_report_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_periodic_report_commune_id"), ["commune_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("periodic_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_periodic_report_commune_id"))
        batch_op.drop_index(batch_op.f("ix_periodic_report_case_id"))
        batch_op.drop_index(batch_op.f("ix_periodic_report_agency_id"))

    op.drop_table("periodic_report")
    with op.batch_alter_table("report_schedule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_schedule_commune_id"))

    op.drop_table("report_schedule")
