"""logging out ends the session on the server: ended_session holds the sessions logged out
before their cookie expired, so a copied cookie no longer works

Cookies signed before this release carry no session id and are no longer accepted:
everyone logs in once more.

Revision ID: 5b7e2d91c0a4
Revises: b7e2d4a91c3f
Create Date: 2026-12-10 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "5b7e2d91c0a4"
down_revision: str | None = "b7e2d4a91c3f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ended_session",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("ended_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_ended_session_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ended_session")),
    )
    with op.batch_alter_table("ended_session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ended_session_expires_at"), ["expires_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_ended_session_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ended_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ended_session_user_id"))
        batch_op.drop_index(batch_op.f("ix_ended_session_expires_at"))
    op.drop_table("ended_session")
