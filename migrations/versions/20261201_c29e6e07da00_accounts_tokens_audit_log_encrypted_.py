"""Accounts (passwords, session epochs, API tokens, login throttling), the audit log with its
hash chain, consent to share a case outside the commune, and narrative fields encrypted at
rest.

Existing narrative values (report description and child state, task outcomes, escalation
notes, and the notes and reasons inside case history payloads) are encrypted here with the
current data key, so this migration needs the keys (``casework migrate`` loads them like
the server does).

Revision ID: c29e6e07da00
Revises: 614859ab5351
Create Date: 2026-12-01 01:08:02.165259
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "c29e6e07da00"
down_revision: str | None = "614859ab5351"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, primary key, column, purpose): the purpose is bound into each ciphertext.
NARRATIVES = (
    ("report", "id", "description", "report.description"),
    ("report", "id", "child_state", "report.child_state"),
    ("task", "id", "outcome_note", "task.outcome_note"),
    ("escalation", "id", "note", "escalation.note"),
)
PAYLOAD_KEYS = ("note", "reason", "conference_minutes", "tasks", "place", "arrangement")


def _keyring():  # type: ignore[no-untyped-def]
    from casework import crypto
    from casework.config import get_settings
    from casework.keys import load_keys

    try:
        return crypto.keyring()
    except crypto.KeyringMissing:
        return crypto.install(load_keys(get_settings()))


def _rewrite(transform: str) -> None:
    """Encrypt (or, going down, decrypt) every narrative value in place."""
    from casework.crypto import EncryptedFieldsJSON

    bind = op.get_bind()
    ring = None
    payload = EncryptedFieldsJSON("case_event.payload", PAYLOAD_KEYS)
    events = sa.table("case_event", sa.column("id", sa.Integer), sa.column("payload", sa.JSON))
    rows = bind.execute(sa.select(events.c.id, events.c.payload)).all()
    if rows:
        ring = _keyring()
    for key, value in rows:
        if not isinstance(value, dict) or not set(value) & set(PAYLOAD_KEYS):
            continue
        new = payload.seal(value) if transform == "encrypt" else payload.open(value)
        bind.execute(sa.update(events).where(events.c.id == key).values(payload=new))
    for table, pk, column, purpose in NARRATIVES:
        rows = bind.execute(
            sa.text(f"SELECT {pk}, {column} FROM {table} WHERE {column} IS NOT NULL")
        ).all()
        if rows and ring is None:
            ring = _keyring()
        for key, value in rows:
            new = (
                ring.encrypt(value, purpose=purpose)
                if transform == "encrypt"
                else ring.decrypt(value, purpose=purpose)
            )
            bind.execute(
                sa.text(f"UPDATE {table} SET {column} = :value WHERE {pk} = :key"),
                {"value": new, "key": key},
            )


def upgrade() -> None:
    op.create_table(
        "audit_entry",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("commune_id", sa.Integer(), nullable=True),
        sa.Column("token_id", sa.Integer(), nullable=True),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("subject_type", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("subject_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("ip", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("user_agent", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entry_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entry_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entry_commune_id"), ["commune_id"], unique=False)
        batch_op.create_index(
            "ix_audit_entry_subject", ["subject_type", "subject_id"], unique=False
        )

    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.bulk_insert(head, [{"id": 1, "last_seq": 0, "last_hash": "0" * 64}])
    op.create_table(
        "login_throttle",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("locked_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("prefix", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("scopes", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_api_token_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_token_user_id"), ["user_id"], unique=False)

    # Plain ALTER TABLE … ADD COLUMN, never a batch copy of app_user (see downgrade).
    with op.batch_alter_table("app_user", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True)
        )
        batch_op.add_column(
            sa.Column("password_changed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("session_epoch", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("protection_case", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("consent_guardian", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("consent_child", sa.Boolean(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "sharing_legal_ground", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True
            )
        )
    _rewrite("encrypt")


def downgrade() -> None:
    _rewrite("decrypt")
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy of these tables would
    # fail on SQLite's foreign keys as soon as other rows refer to them.
    for column in ("sharing_legal_ground", "consent_child", "consent_guardian"):
        op.drop_column("protection_case", column)
    for column in ("session_epoch", "password_changed_at", "password_hash"):
        op.drop_column("app_user", column)
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_user_id"))
    op.drop_table("api_token")
    op.drop_table("login_throttle")
    op.drop_table("audit_head")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entry_subject")
        batch_op.drop_index(batch_op.f("ix_audit_entry_commune_id"))
        batch_op.drop_index(batch_op.f("ix_audit_entry_at"))
        batch_op.drop_index(batch_op.f("ix_audit_entry_action"))
    op.drop_table("audit_entry")
