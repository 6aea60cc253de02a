"""workflow instances: deadlines, timers and escalations point at an instance of a
workflow definition, not at a case; every existing case gets its instance (data migration)

Revision ID: c05adaa33c2b
Revises: 3fe7570ef33a
Create Date: 2026-12-04 17:44:45.941337
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "c05adaa33c2b"
down_revision: str | None = "3fe7570ef33a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RUNNING_CASE_CLOCK = "status = 'running' AND task_id IS NULL"

# Each case becomes an instance of the definition it runs under; its state stays on the
# case row (the instance's ``state`` is NULL for a case), closed cases' instances closed.
CASE_INSTANCES = """
INSERT INTO workflow_instance (definition, definition_version, state, version, commune_id,
    subject_kind, subject_id, subject_key, created_at, closed_at)
SELECT workflow_name, workflow_version, NULL, 1, commune_id, 'case', id, '', opened_at,
    closed_at
FROM protection_case ORDER BY id
"""
CASE_POINTERS = """
UPDATE protection_case SET instance_id = (
    SELECT w.id FROM workflow_instance w
    WHERE w.subject_kind = 'case' AND w.subject_id = protection_case.id
        AND w.definition = protection_case.workflow_name AND w.subject_key = '')
"""
POINTERS = """
UPDATE {table} SET instance_id = (
    SELECT p.instance_id FROM protection_case p WHERE p.id = {table}.case_id)
"""


def upgrade() -> None:
    op.create_table(
        "workflow_instance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("definition", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("definition_version", sa.Integer(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("subject_kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("subject_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["commune.id"], name=op.f("fk_workflow_instance_commune_id_commune")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_instance")),
    )
    with op.batch_alter_table("workflow_instance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workflow_instance_commune_id"), ["commune_id"], unique=False
        )
        batch_op.create_index(
            "uq_workflow_instance_subject",
            ["definition", "subject_kind", "subject_id", "subject_key"],
            unique=True,
        )
    for table in ("protection_case", "case_deadline", "escalation"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("instance_id", sa.Integer(), nullable=True))

    op.execute(CASE_INSTANCES)
    op.execute(CASE_POINTERS)
    op.execute(POINTERS.format(table="case_deadline"))
    op.execute(POINTERS.format(table="escalation"))

    with op.batch_alter_table("protection_case", schema=None) as batch_op:
        batch_op.alter_column("instance_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_protection_case_instance_id"), ["instance_id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_protection_case_instance_id_workflow_instance"),
            "workflow_instance",
            ["instance_id"],
            ["id"],
        )
    with op.batch_alter_table("case_deadline", schema=None) as batch_op:
        batch_op.alter_column("instance_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("case_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.drop_index("uq_case_deadline_one_running_per_case")
        batch_op.create_index(
            batch_op.f("ix_case_deadline_instance_id"), ["instance_id"], unique=False
        )
        batch_op.create_index(
            "uq_case_deadline_one_running_per_instance",
            ["instance_id", "kind"],
            unique=True,
            sqlite_where=sa.text(RUNNING_CASE_CLOCK),
            postgresql_where=sa.text(RUNNING_CASE_CLOCK),
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_case_deadline_instance_id_workflow_instance"),
            "workflow_instance",
            ["instance_id"],
            ["id"],
        )
    with op.batch_alter_table("escalation", schema=None) as batch_op:
        batch_op.alter_column("instance_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("case_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_index(
            batch_op.f("ix_escalation_instance_id"), ["instance_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_escalation_instance_id_workflow_instance"),
            "workflow_instance",
            ["instance_id"],
            ["id"],
        )


def downgrade() -> None:
    # Only cases' rows can go back: a deadline or escalation of another process is dropped.
    op.execute(
        "DELETE FROM deadline_timer WHERE deadline_id IN"
        " (SELECT id FROM case_deadline WHERE case_id IS NULL)"
    )
    op.execute("DELETE FROM escalation WHERE case_id IS NULL")
    op.execute("DELETE FROM case_deadline WHERE case_id IS NULL")
    with op.batch_alter_table("escalation", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_escalation_instance_id_workflow_instance"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_escalation_instance_id"))
        batch_op.alter_column("case_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column("instance_id")
    with op.batch_alter_table("case_deadline", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_case_deadline_instance_id_workflow_instance"), type_="foreignkey"
        )
        batch_op.drop_index("uq_case_deadline_one_running_per_instance")
        batch_op.drop_index(batch_op.f("ix_case_deadline_instance_id"))
        batch_op.create_index(
            "uq_case_deadline_one_running_per_case",
            ["case_id", "kind"],
            unique=True,
            sqlite_where=sa.text(RUNNING_CASE_CLOCK),
            postgresql_where=sa.text(RUNNING_CASE_CLOCK),
        )
        batch_op.alter_column("case_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column("instance_id")
    with op.batch_alter_table("protection_case", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_protection_case_instance_id_workflow_instance"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_protection_case_instance_id"), type_="unique")
        batch_op.drop_column("instance_id")
    with op.batch_alter_table("workflow_instance", schema=None) as batch_op:
        batch_op.drop_index("uq_workflow_instance_subject")
        batch_op.drop_index(batch_op.f("ix_workflow_instance_commune_id"))
    op.drop_table("workflow_instance")
