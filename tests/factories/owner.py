"""What only an owner of the database can do to the audit log (the application's own user
cannot): lift its append-only triggers for a moment, to wipe test data or to play the
tamperer whom ``casework audit verify`` must catch."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa


@contextmanager
def audit_log_unlocked(conn: sa.Connection) -> Iterator[None]:
    """The audit log writable inside the block, append-only again after it."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ALTER TABLE audit_entry DISABLE TRIGGER USER")
        yield
        conn.exec_driver_sql("ALTER TABLE audit_entry ENABLE TRIGGER USER")
        return
    triggers = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_entry'"
    ).all()
    for name, _ in triggers:
        conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    yield
    for _, sql in triggers:
        conn.exec_driver_sql(sql)
