"""the audit log is append-only in the database too: UPDATE, DELETE (and on PostgreSQL
TRUNCATE) of audit_entry are refused by triggers

The hash chain (``casework audit verify``) detects an edited or deleted entry after the
fact; these triggers stop the application's own database user from doing it at all, by a
bug or by someone who got hold of its connection. A database owner can still drop them:
that is what the chain is for.

SQLite: a later migration that rebuilds audit_entry in batch mode (copy and move) drops
these triggers with the old table and must create them again;
tests/test_migrations.py fails if the head revision leaves the log writable.

Revision ID: 3f1a9c2b7d40
Revises: 688651522ba6
Create Date: 2026-12-01 05:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "3f1a9c2b7d40"
down_revision: str | None = "688651522ba6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "audit_entry is append-only"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION audit_entry_append_only() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
            END
            $$
            """
        )
        op.execute(
            "CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON audit_entry "
            "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()"
        )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_entry_no_{verb.lower()} BEFORE {verb} ON audit_entry "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_entry_no_truncate ON audit_entry")
        op.execute("DROP TRIGGER audit_entry_no_change ON audit_entry")
        op.execute("DROP FUNCTION audit_entry_append_only()")
        return
    for verb in ("update", "delete"):
        op.execute(f"DROP TRIGGER audit_entry_no_{verb}")
