"""NĐ56 Đ33: narratives encrypted at rest, keys that rotate, no personal data in logs."""

from __future__ import annotations

import logging
import os
import stat
from urllib.parse import unquote_plus

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

import casework.models  # noqa: F401
from casework import crypto
from casework.audit.models import AuditEntry
from casework.base import sensitive_columns
from casework.config import Settings
from casework.keys import Keys, MissingKeys, load_keys, parse_data_keys
from tests.conftest import TEST_KEYS, make_test_settings
from tests.factories.intakes import intake_payload


def raw(session, sql):
    return session.execute(sa.text(sql)).scalars().all()


def test_narratives_are_encrypted_at_rest_and_read_back_in_clear(
    client, world, headers_for, session
):
    headers = headers_for(world.own.people["caseworker"].username)
    code = world.own.case.code
    client.post(
        f"/api/v1/cases/{code}/events/start_assessment",
        json={"note": "Trẻ kể bị bố đánh bằng roi"},
        headers=headers,
    )
    [description] = raw(
        session, f"SELECT description FROM report WHERE case_id = {world.own.case.id}"
    )
    assert description.startswith("enc1:t2:")
    assert "bầm" not in description
    notes = raw(session, "SELECT payload FROM case_event WHERE event = 'start_assessment'")
    assert "roi" not in str(notes)
    assert "enc1:t2:" in str(notes)
    case = client.get(f"/api/v1/cases/{code}", headers=headers).json()
    assert case["reports"][0]["description"].startswith("Hàng xóm nghe tiếng trẻ khóc")
    assert case["events"][-1]["payload"]["note"] == "Trẻ kể bị bố đánh bằng roi"
    names = client.get("/api/v1/cases", params={"q": "hoa"}, headers=headers).json()
    assert names["total"] == 1  # search on the (unencrypted) name still works


def test_a_value_moved_to_another_column_or_edited_does_not_decrypt():
    ring = crypto.Keyring(parse_data_keys(TEST_KEYS["data_keys"]))
    sealed = ring.encrypt("bí mật", purpose="report.description")
    assert ring.decrypt(sealed, purpose="report.description") == "bí mật"
    with pytest.raises(crypto.UndecryptableValue):
        ring.decrypt(sealed, purpose="task.outcome_note")
    edited = sealed[:-6] + ("AAAA==" if not sealed.endswith("AAAA==") else "BBBB==")
    with pytest.raises(crypto.UndecryptableValue):
        ring.decrypt(edited, purpose="report.description")


def test_keys_rotate_old_values_stay_readable_then_are_rewritten(client, world, session):
    old_first = ",".join(reversed(TEST_KEYS["data_keys"].split(",")))  # t1 encrypts
    crypto.install(Keys(TEST_KEYS["secret_key"], parse_data_keys(old_first)))
    try:
        session.execute(sa.update(casework.models.Report).values(child_state="Trẻ sợ về nhà"))
        session.commit()
    finally:
        crypto.install(load_keys(make_test_settings()))  # t2 first again: the rotation
    states = raw(session, "SELECT child_state FROM report")
    assert states
    assert all(value.startswith("enc1:t1:") for value in states)
    [report] = session.execute(sa.select(casework.models.Report).limit(1)).scalars()
    session.refresh(report)
    assert report.child_state == "Trẻ sợ về nhà"
    rewritten = crypto.reencrypt(session.connection(), SQLModel.metadata)
    assert rewritten >= len(states)
    assert all(v.startswith("enc1:t2:") for v in raw(session, "SELECT child_state FROM report"))
    assert crypto.reencrypt(session.connection(), SQLModel.metadata) == 0
    crypto.install(
        Keys(TEST_KEYS["secret_key"], parse_data_keys(TEST_KEYS["data_keys"].split(",")[0]))
    )
    try:
        session.expire_all()
        report = session.get(casework.models.Report, report.id)
        assert report.child_state == "Trẻ sợ về nhà"  # readable without the retired key
    finally:
        crypto.install(load_keys(make_test_settings()))


def test_production_refuses_to_start_without_keys(tmp_path):
    settings = Settings(_env_file=None, env="production", secrets_file=tmp_path / "s.json")
    with pytest.raises(MissingKeys, match="CASEWORK_SECRET_KEY and CASEWORK_DATA_KEYS"):
        load_keys(settings)
    assert not (tmp_path / "s.json").exists()


def test_development_generates_its_keys_once_readable_by_the_owner_only(tmp_path):
    settings = Settings(_env_file=None, secrets_file=tmp_path / "var" / "secrets.json")
    first, second = load_keys(settings), load_keys(settings)
    assert first == second
    mode = stat.S_IMODE(os.stat(settings.secrets_file).st_mode)
    assert mode == 0o600


def test_sensitive_fields_are_marked_in_the_models():
    marked = {f"{c.table.name}.{c.name}" for c in sensitive_columns(SQLModel.metadata)}
    assert {
        "child.full_name",
        "child.personal_id",
        "child.date_of_birth",
        "child.address",
        "child.school_name",
        "child.disability_level",
        "caregiver.phone",
        "child_circumstance.group",
        "report.reporter_name",
        "report.reporter_phone",
        "report.description",
        "report.child_state",
        "task.outcome_note",
        "case_event.payload",
        "escalation.note",
    } <= marked


def test_no_sensitive_value_reaches_an_application_log(client, world, headers_for, session, caplog):
    """Every value of every column marked sensitive, after a busy morning (reads, searches
    by name, events, a refused request, a failed login, a server error), is absent from
    everything every logger wrote."""
    caplog.set_level(logging.DEBUG)
    caseworker = headers_for(world.own.people["caseworker"].username)
    police = headers_for(world.own.people["police.officer"].username)
    code = world.own.case.code
    client.post(
        "/api/v1/intakes",
        json=intake_payload(
            **{"child.full_name": "Vi Thị Dung", "description": "Cô giáo thấy vết thương ở lưng"}
        ),
        headers=caseworker,
    )
    client.get(f"/api/v1/cases/{code}", headers=caseworker)
    client.get("/api/v1/children", params={"q": "Nguyễn Thị Hoa"}, headers=caseworker)
    client.get("/api/v1/cases", params={"q": "Vi Thị Dung"}, headers=caseworker)
    client.post(
        f"/api/v1/cases/{code}/events/start_assessment",
        json={"note": "Mẹ trẻ kể lại sự việc"},
        headers=caseworker,
    )
    client.post(
        f"/api/v1/tasks/{world.own.tasks['police'].id}/decline",
        json={"reason": "Đang xác minh vụ khác ở Thôn Đồng Tâm"},
        headers=police,
    )
    client.get(f"/api/v1/cases/{world.other.case.code}", headers=caseworker)
    client.post("/dang-nhap", data={"username": "Nguyễn Thị Hoa", "password": "x"})
    factory = client.app.state.session_factory

    name = world.own.people["caseworker"].full_name and "Nguyễn Thị Hoa"

    def broken():
        raise ValueError(f"child {name}")  # as a library might: data in the message

    client.app.state.session_factory = broken
    client.get("/api/v1/cases", headers=caseworker)
    client.app.state.session_factory = factory
    values = set()
    for column in sensitive_columns(SQLModel.metadata):
        model = next(
            m for m in SQLModel.__subclasses__() if getattr(m, "__table__", None) is column.table
        )
        for value in session.execute(sa.select(getattr(model, column.name))).scalars():
            if isinstance(value, dict):
                values.update(str(v) for v in value.values() if isinstance(v, str))
            elif isinstance(value, str) and len(value) >= 4:
                values.add(value)
    assert "Cô giáo thấy vết thương ở lưng" in values
    # Everything the application and its libraries logged (the test's own HTTP client
    # logs the URLs it requested: not the server's log), also URL-decoded.
    records = [r for r in caplog.records if not r.name.startswith("httpx")]
    logged = "\n".join(f"{r.getMessage()} {r.args} {r.exc_text or ''}" for r in records)
    logged += "\n" + unquote_plus(logged)
    assert "unhandled ValueError" in logged  # the failure itself is logged, without its data
    leaks = sorted(value for value in values if value in logged)
    assert leaks == []


def test_an_agency_s_view_decrypts_only_what_its_tasks_need_and_the_read_is_audited(
    client, world, browser_for, session, monkeypatch
):
    """The police's tasks need what happened; the health station's the child's state, not
    the account of what happened: a narrative not shown is never even decrypted."""
    session.execute(
        sa.update(casework.models.Report)
        .where(casework.models.Report.case_id == world.own.case.id)
        .values(child_state="Trẻ sợ hãi, có vết bầm ở cánh tay trái.")
    )
    session.commit()
    opened: list[str] = []
    real = crypto.Keyring.decrypt

    def spy(self, stored, *, purpose):  # type: ignore[no-untyped-def]
        opened.append(purpose)
        return real(self, stored, purpose=purpose)

    monkeypatch.setattr(crypto.Keyring, "decrypt", spy)
    code = world.own.case.code
    reads = {}
    for who in ("health_station.officer", "police.officer"):
        opened.clear()
        page = client.get(f"/ho-so/{code}", headers=browser_for(world.own.people[who]))
        client.cookies.clear()
        assert page.status_code == 200
        reads[who] = (set(opened), page.text)
    health, police = reads["health_station.officer"], reads["police.officer"]
    assert "report.child_state" in health[0]
    assert "report.description" not in health[0]
    assert "Trẻ sợ hãi" in health[1]
    assert "Hàng xóm nghe tiếng trẻ khóc" not in health[1]
    assert "report.description" in police[0]
    assert "report.child_state" not in police[0]
    assert "Hàng xóm nghe tiếng trẻ khóc" in police[1]
    entries = session.execute(
        sa.select(AuditEntry.actor_id, AuditEntry.detail)
        .where(AuditEntry.subject_id == code, AuditEntry.action == "view")
        .order_by(AuditEntry.seq)
    ).all()
    facts = {actor: detail["facts"] for actor, detail in entries}
    assert "child_state" in facts[world.own.people["health_station.officer"].id]
    assert "incident_summary" not in facts[world.own.people["health_station.officer"].id]
    assert "incident_summary" in facts[world.own.people["police.officer"].id]
