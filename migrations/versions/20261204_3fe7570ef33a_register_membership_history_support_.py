"""the register: membership history (end reason, evidence, who decided, at risk), the
support a child receives, the proposals cases make to the register, merged child records
and the Vietnamese list order (given name first)

Revision ID: 3fe7570ef33a
Revises: 5b7e2d91c0a4
Create Date: 2026-12-04 17:37:28.053471
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "3fe7570ef33a"
down_revision: str | None = "5b7e2d91c0a4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "child_support",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=17), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("provider", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("amount_vnd", sa.Integer(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_child_support_child_id_child")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["app_user.id"],
            name=op.f("fk_child_support_recorded_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_child_support")),
    )
    with op.batch_alter_table("child_support", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_child_support_child_id"), ["child_id"], unique=False)
        batch_op.create_index("ix_child_support_period", ["child_id", "since"], unique=False)

    op.create_table(
        "registry_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("group", sa.String(length=16), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("membership_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["protection_case.id"],
            name=op.f("fk_registry_proposal_case_id_protection_case"),
        ),
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_registry_proposal_child_id_child")
        ),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["commune.id"], name=op.f("fk_registry_proposal_commune_id_commune")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["app_user.id"],
            name=op.f("fk_registry_proposal_decided_by_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["child_circumstance.id"],
            name=op.f("fk_registry_proposal_membership_id_child_circumstance"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_proposal")),
    )
    with op.batch_alter_table("registry_proposal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_registry_proposal_child_id"), ["child_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_registry_proposal_commune_id"), ["commune_id"], unique=False
        )
        batch_op.create_index(
            "uq_registry_proposal_one_open",
            ["child_id", "group"],
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )

    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "sort_key",
                sqlmodel.sql.sqltypes.AutoString(length=200),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_child_merged_into_id"), ["merged_into_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_child_merged_into_id_child"), "child", ["merged_into_id"], ["id"]
        )

    with op.batch_alter_table("child_circumstance", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("at_risk", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("evidence", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True)
        )
        batch_op.add_column(sa.Column("decided_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("source_case_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("ended_reason", sa.String(length=18), nullable=True))
        batch_op.add_column(
            sa.Column("end_evidence", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True)
        )
        batch_op.add_column(sa.Column("ended_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.create_index(
            "uq_child_circumstance_one_current",
            ["child_id", "group", "at_risk"],
            unique=True,
            sqlite_where=sa.text("until IS NULL"),
            postgresql_where=sa.text("until IS NULL"),
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_child_circumstance_source_case_id_protection_case"),
            "protection_case",
            ["source_case_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_child_circumstance_ended_by_id_app_user"),
            "app_user",
            ["ended_by_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_child_circumstance_decided_by_id_app_user"),
            "app_user",
            ["decided_by_id"],
            ["id"],
        )

    # The defaults only fill the rows already there; the application always sets both.
    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.alter_column("sort_key", server_default=None)
        batch_op.create_index("ix_child_register_order", ["commune_id", "sort_key"], unique=False)
    with op.batch_alter_table("child_circumstance", schema=None) as batch_op:
        batch_op.alter_column("at_risk", server_default=None)
    _fill_sort_keys()


def _fill_sort_keys() -> None:
    """Existing children get the Vietnamese list order computed from their names."""
    from casework.text import sort_key

    bind = op.get_bind()
    child = sa.table(
        "child",
        sa.column("id", sa.Integer),
        sa.column("full_name", sa.String),
        sa.column("sort_key", sa.String),
    )
    rows = bind.execute(sa.select(child.c.id, child.c.full_name)).all()
    if rows:
        bind.execute(
            child.update().where(child.c.id == sa.bindparam("child_id")),
            [{"child_id": row.id, "sort_key": sort_key(row.full_name)} for row in rows],
        )


def downgrade() -> None:
    with op.batch_alter_table("child_circumstance", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_child_circumstance_decided_by_id_app_user"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_child_circumstance_ended_by_id_app_user"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_child_circumstance_source_case_id_protection_case"), type_="foreignkey"
        )
        batch_op.drop_index(
            "uq_child_circumstance_one_current",
            sqlite_where=sa.text("until IS NULL"),
            postgresql_where=sa.text("until IS NULL"),
        )
        batch_op.drop_column("recorded_at")
        batch_op.drop_column("ended_by_id")
        batch_op.drop_column("end_evidence")
        batch_op.drop_column("ended_reason")
        batch_op.drop_column("source_case_id")
        batch_op.drop_column("decided_by_id")
        batch_op.drop_column("evidence")
        batch_op.drop_column("at_risk")

    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.drop_index("ix_child_register_order")
        batch_op.drop_constraint(batch_op.f("fk_child_merged_into_id_child"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_child_merged_into_id"))
        batch_op.drop_column("merged_into_id")
        batch_op.drop_column("sort_key")

    with op.batch_alter_table("registry_proposal", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_registry_proposal_one_open",
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )
        batch_op.drop_index(batch_op.f("ix_registry_proposal_commune_id"))
        batch_op.drop_index(batch_op.f("ix_registry_proposal_child_id"))

    op.drop_table("registry_proposal")
    with op.batch_alter_table("child_support", schema=None) as batch_op:
        batch_op.drop_index("ix_child_support_period")
        batch_op.drop_index(batch_op.f("ix_child_support_child_id"))

    op.drop_table("child_support")
