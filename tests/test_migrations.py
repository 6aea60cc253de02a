"""The migrations are the schema: from empty they build exactly what the models declare."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import casework.models  # noqa: F401


def test_migrations_from_empty_match_the_models(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={"compare_type": True, "compare_server_default": True, "render_as_batch": True},
        )
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_partial_unique_index_allows_one_open_case_per_child(engine):
    indexes = {ix["name"]: ix for ix in sa.inspect(engine).get_indexes("protection_case")}
    assert indexes["uq_protection_case_one_open_per_child"]["unique"]


def test_upgrade_encrypts_narratives_already_recorded_and_downgrade_restores_them(
    databases, backend
):
    from alembic import command

    from casework.migrate import alembic_config

    url = databases.url_for(backend, name="upgrade-data")
    config = alembic_config(url=url)
    command.upgrade(config, "614859ab5351")  # the schema before accounts and encryption
    engine = sa.create_engine(url)
    now = "2026-03-02 02:00:00"
    rows = [
        "INSERT INTO commune (id, code, name, province, case_prefix, created_at) "
        f"VALUES (1, 'X', 'Xã X', 'Tỉnh', 'XX', '{now}')",
        "INSERT INTO child (id, commune_id, full_name, name_key, birth_year, sex, ethnicity, "
        "disability_level, poverty_status, created_at, updated_at, version) VALUES (1, 1, "
        f"'Bé A', 'be a', 2016, 'female', 'Kinh', 'none', 'none', '{now}', '{now}', 1)",
        "INSERT INTO protection_case (id, commune_id, code, year, seq, child_id, status, "
        "is_emergency, workflow_name, workflow_version, opened_at, updated_at, version) "
        f"VALUES (1, 1, 'XX-2026-00001', 2026, 1, 1, 'received', false, 'child_protection', "
        f"1, '{now}', '{now}', 1)",
        "INSERT INTO report (id, commune_id, case_id, child_id, channel, first_received_at, "
        "recorded_at, reporter_anonymous, description, setting, perpetrator_relation, "
        f"immediate_danger) VALUES (1, 1, 1, 1, 'phone', '{now}', '{now}', false, "
        "'Trẻ bị đánh ở nhà', 'family', 'parent', false)",
        "INSERT INTO app_user (id, commune_id, username, full_name, role, is_active, "
        f"created_at) VALUES (1, 1, 'canbo.a', 'Cán bộ A', 'caseworker', true, '{now}')",
        "INSERT INTO case_event (id, case_id, at, actor_id, event, payload) VALUES "
        f"(1, 1, '{now}', 1, 'note', '{{\"note\": \"Mẹ kể lại\", \"deadline_id\": 7}}')",
    ]
    try:
        with engine.begin() as conn:
            for statement in rows:
                conn.exec_driver_sql(statement)
        command.upgrade(config, "head")
        with engine.connect() as conn:
            description = conn.exec_driver_sql("SELECT description FROM report").scalar_one()
            payload = conn.exec_driver_sql("SELECT payload FROM case_event").scalar_one()
        assert description.startswith("enc1:t2:")
        assert "Mẹ kể lại" not in str(payload)
        assert '"deadline_id": 7' in str(payload) or "'deadline_id': 7" in str(payload)
        from sqlmodel import Session

        from casework.models import CaseEvent, Report

        with Session(engine) as session:
            assert session.get(Report, 1).description == "Trẻ bị đánh ở nhà"
            assert session.get(CaseEvent, 1).payload == {"note": "Mẹ kể lại", "deadline_id": 7}
        command.downgrade(config, "614859ab5351")
        with engine.connect() as conn:
            restored = conn.exec_driver_sql("SELECT description FROM report").scalar_one()
        assert restored == "Trẻ bị đánh ở nhà"
    finally:
        engine.dispose()


def test_the_audit_log_refuses_edits_and_deletes_in_the_database(session, now, backend):
    """Append-only below the application too: its own database user cannot change or
    remove an entry (a database owner can drop the triggers; the hash chain catches that)."""
    import pytest

    from casework.audit import service as audit_service
    from casework.audit.models import AuditAction, AuditEntry
    from casework.audit.service import Origin, Record

    [entry] = audit_service.append(
        session, None, Record(AuditAction.login, username="canbo.a"), origin=Origin(), now=now
    )
    statements = [
        sa.update(AuditEntry).where(AuditEntry.seq == entry.seq).values(username="someone-else"),
        sa.delete(AuditEntry).where(AuditEntry.seq == entry.seq),
    ]
    if backend == "postgresql":
        statements.append(sa.text("TRUNCATE audit_entry"))
    for statement in statements:
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), session.begin_nested():
            session.execute(statement)
    assert session.get(AuditEntry, entry.seq).username == "canbo.a"


def test_upgrade_gives_every_case_its_workflow_instance_and_points_its_clocks_there(
    databases, backend
):
    from alembic import command

    from casework.migrate import alembic_config

    before = "3fe7570ef33a"  # the schema before workflow instances
    url = databases.url_for(backend, name="upgrade-instances")
    config = alembic_config(url=url)
    command.upgrade(config, before)
    engine = sa.create_engine(url)
    now = "2026-03-02 02:00:00"
    case = (
        "INSERT INTO protection_case (id, commune_id, code, year, seq, child_id, status, "
        "is_emergency, workflow_name, workflow_version, opened_at, updated_at, closed_at, "
        "version) VALUES ({id}, 1, 'XX-2026-0000{id}', 2026, {id}, {id}, '{status}', false, "
        "'child_protection', 1, '{now}', '{now}', {closed}, 1)"
    )
    rows = [
        "INSERT INTO commune (id, code, name, province, case_prefix, created_at) "
        f"VALUES (1, 'X', 'Xã X', 'Tỉnh', 'XX', '{now}')",
        *(
            "INSERT INTO child (id, commune_id, full_name, name_key, sort_key, birth_year, sex, "
            "ethnicity, disability_level, poverty_status, created_at, updated_at, version) "
            f"VALUES ({n}, 1, 'Bé {n}', 'be {n}', 'be {n}', 2016, 'female', 'Kinh', 'none', "
            f"'none', '{now}', '{now}', 1)"
            for n in (1, 2)
        ),
        case.format(id=1, status="assessing", now=now, closed="NULL"),
        case.format(id=2, status="closed", now=now, closed=f"'{now}'"),
        "INSERT INTO case_deadline (id, case_id, kind, clock, ladder, starts_at, due_at, "
        f"status) VALUES (7, 1, 'initial_assessment', 'hours', 'emergency', '{now}', '{now}', "
        "'running')",
        "INSERT INTO deadline_timer (id, deadline_id, step, fires_at, status, attempts) "
        f"VALUES (1, 7, 'escalate', '{now}', 'fired', 1)",
        "INSERT INTO escalation (id, case_id, deadline_id, reason, status, created_at) "
        f"VALUES (1, 1, 7, 'deadline_overdue', 'open', '{now}')",
    ]
    try:
        with engine.begin() as conn:
            for statement in rows:
                conn.exec_driver_sql(statement)
        command.upgrade(config, "head")
        with engine.connect() as conn:
            instances = conn.exec_driver_sql(
                "SELECT p.id, w.definition, w.subject_kind, w.subject_id, w.state,"
                " w.closed_at IS NOT NULL FROM protection_case p"
                " JOIN workflow_instance w ON w.id = p.instance_id ORDER BY p.id"
            ).all()
            clock = conn.exec_driver_sql(
                "SELECT d.case_id, p.id FROM case_deadline d"
                " JOIN protection_case p ON p.instance_id = d.instance_id"
            ).one()
            escalation = conn.exec_driver_sql(
                "SELECT e.case_id, p.id FROM escalation e"
                " JOIN protection_case p ON p.instance_id = e.instance_id"
            ).one()
        assert [tuple(r) for r in instances] == [
            (1, "child_protection", "case", 1, None, False),
            (2, "child_protection", "case", 2, None, True),
        ]
        assert tuple(clock) == (1, 1)
        assert tuple(escalation) == (1, 1)
        command.downgrade(config, before)
        with engine.connect() as conn:
            kept = conn.exec_driver_sql("SELECT case_id FROM escalation").scalar_one()
        assert kept == 1
    finally:
        engine.dispose()
