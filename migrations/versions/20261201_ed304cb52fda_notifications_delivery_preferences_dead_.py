"""notifications: delivery state on the outbox, people's channel choice, dead messages

Revision ID: ed304cb52fda
Revises: c29e6e07da00
Create Date: 2026-12-01 01:06:55.521295
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "ed304cb52fda"
down_revision: str | None = "c29e6e07da00"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE … ADD COLUMN: a batch copy of app_user would trip SQLite's foreign
    # keys once other rows refer to its people.
    with op.batch_alter_table("app_user", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("notify_via", sa.String(length=16), server_default="both", nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "language",
                sqlmodel.sql.sqltypes.AutoString(length=8),
                server_default="vi",
                nullable=False,
            )
        )

    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "language",
                sqlmodel.sql.sqltypes.AutoString(length=8),
                server_default="vi",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column("urgent", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("template_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True)
        )
        batch_op.add_column(sa.Column("body", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("claimed_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column("lease_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("last_attempt_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "provider_status", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True
            )
        )

    # Messages queued before delivery existed had no channel: they go by e-mail to the
    # address their recipient has now (none: the relay marks them dead and says so).
    op.execute(
        "UPDATE outbox_message SET channel = 'email', address = (SELECT app_user.email"
        " FROM app_user WHERE 'user:' || app_user.id = outbox_message.recipient)"
        " WHERE channel IS NULL"
    )

    # SQLite: the table is rebuilt with AUTOINCREMENT, so an outbox id (the providers'
    # idempotency key) is never reused even after the newest rows are deleted.
    with op.batch_alter_table(
        "outbox_message", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.alter_column("channel", existing_type=sa.VARCHAR(length=16), nullable=False)
        batch_op.alter_column(
            "language",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=8),
            server_default=None,
        )
        batch_op.alter_column("urgent", existing_type=sa.Boolean(), server_default=None)
        batch_op.create_index(
            "ix_outbox_message_due",
            ["channel", "next_attempt_at"],
            unique=False,
            sqlite_where=sa.text("state IN ('pending', 'failed')"),
            postgresql_where=sa.text("state IN ('pending', 'failed')"),
        )
        batch_op.create_index(
            "ix_outbox_message_leased",
            ["lease_until"],
            unique=False,
            sqlite_where=sa.text("state = 'sending'"),
            postgresql_where=sa.text("state = 'sending'"),
        )
        batch_op.create_index(
            batch_op.f("ix_outbox_message_subject_ref"), ["subject_ref"], unique=False
        )

    with op.batch_alter_table("escalation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            "uq_escalation_one_open_message_failure",
            ["case_id"],
            unique=True,
            sqlite_where=sa.text("status != 'resolved' AND reason = 'message_failed'"),
            postgresql_where=sa.text("status != 'resolved' AND reason = 'message_failed'"),
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_escalation_message_id_outbox_message"),
            "outbox_message",
            ["message_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("escalation", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_escalation_message_id_outbox_message"), type_="foreignkey"
        )
        batch_op.drop_index(
            "uq_escalation_one_open_message_failure",
            sqlite_where=sa.text("status != 'resolved' AND reason = 'message_failed'"),
            postgresql_where=sa.text("status != 'resolved' AND reason = 'message_failed'"),
        )
        batch_op.drop_column("message_id")

    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_message_subject_ref"))
        batch_op.drop_index(
            "ix_outbox_message_leased",
            sqlite_where=sa.text("state = 'sending'"),
            postgresql_where=sa.text("state = 'sending'"),
        )
        batch_op.drop_index(
            "ix_outbox_message_due",
            sqlite_where=sa.text("state IN ('pending', 'failed')"),
            postgresql_where=sa.text("state IN ('pending', 'failed')"),
        )
        batch_op.alter_column("channel", existing_type=sa.VARCHAR(length=16), nullable=True)
        for column in (
            "provider_status",
            "last_attempt_at",
            "lease_until",
            "claimed_by",
            "body",
            "subject",
            "template_id",
            "urgent",
            "language",
            "address",
        ):
            batch_op.drop_column(column)

    for column in ("language", "notify_via"):
        op.drop_column("app_user", column)  # plain DROP COLUMN (SQLite 3.35+), as for add
