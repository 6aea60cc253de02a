"""The audit log: reads and writes recorded, the chain verified, concurrent appends linear."""

from __future__ import annotations

import csv
import io
import threading

import sqlalchemy as sa
from sqlmodel import select

from casework.actors import Actor
from casework.audit import service as audit_service
from casework.audit.models import AuditAction, AuditEntry
from casework.audit.service import Origin, Record
from casework.db import run_in_transaction
from tests.factories.communes import create_commune
from tests.factories.intakes import intake_payload
from tests.factories.owner import audit_log_unlocked


def entries(session, **where):
    statement = select(AuditEntry).order_by(AuditEntry.seq)
    for name, value in where.items():
        statement = statement.where(getattr(AuditEntry, name) == value)
    return session.exec(statement).all()


def test_reads_and_writes_of_a_case_are_recorded(client, world, headers_for, session):
    caseworker = world.own.people["caseworker"]
    headers = headers_for(caseworker.username) | {"User-Agent": "trinh-duyet-thu"}
    code = world.own.case.code
    client.get(f"/api/v1/cases/{code}", headers=headers)
    client.post(f"/api/v1/cases/{code}/events/start_assessment", json={}, headers=headers)
    client.get("/api/v1/cases", params={"q": "Nguyễn Thị Hoa"}, headers=headers)
    created = client.post(
        "/api/v1/intakes", json=intake_payload(**{"child.full_name": "Bé Mới"}), headers=headers
    ).json()
    [view] = entries(session, action="view", subject_id=code)
    assert (view.actor_id, view.username, view.role) == (
        caseworker.id,
        "td.caseworker",
        "caseworker",
    )
    assert view.ip == "testclient"
    assert view.user_agent == "trinh-duyet-thu"
    assert view.token_id is not None
    [event] = entries(session, action="event", subject_id=code)
    assert event.detail == {"event": "start_assessment"}
    [listing] = entries(session, action="view", subject_type="case_list")
    assert listing.detail == {"cases": [code], "searched": True}
    assert "Nguyễn" not in str(listing.detail)  # the search words are not kept
    [create] = entries(session, action="create", subject_id=created["case_code"])
    assert create.detail["report"] == created["report_id"]
    police = headers_for(world.own.people["police.officer"].username)
    client.post(f"/api/v1/tasks/{world.own.tasks['police'].id}/accept", headers=police)
    [answer] = entries(session, action="update", subject_type="task")
    assert answer.detail == {"case": code, "action": "accept"}
    assert audit_service.verify(session).ok


def test_verify_detects_an_edited_or_deleted_entry(session, now):
    actor = Actor(user_id=1, role=None, commune_id=1, username="x")
    for n in range(5):
        audit_service.append(
            session,
            actor,
            Record(AuditAction.view, "case", f"CS-{n}"),
            origin=Origin(ip="10.0.0.1"),
            now=now,
        )
    session.commit()
    assert audit_service.verify(session).ok
    table = AuditEntry.__table__
    with audit_log_unlocked(session.connection()):
        session.execute(sa.update(table).where(table.c.seq == 3).values(subject_id="CS-99"))
        result = audit_service.verify(session)
        assert result.problems == ["entry 3 was altered after it was written"]
        session.execute(sa.update(table).where(table.c.seq == 3).values(subject_id="CS-2"))
        assert audit_service.verify(session).ok
        session.execute(sa.delete(table).where(table.c.seq == 2))
        assert audit_service.verify(session).problems == [
            "entries 2–2 are missing",
            "entry 3 does not link to the entry before it",
        ]


def test_verify_detects_entries_cut_off_the_end(session, now):
    for n in range(3):
        audit_service.append(
            session, None, Record(AuditAction.login, username=f"u{n}"), origin=Origin(), now=now
        )
    table = AuditEntry.__table__
    with audit_log_unlocked(session.connection()):
        session.execute(sa.delete(table).where(table.c.seq == 3))
    [problem] = audit_service.verify(session).problems
    assert "entries at the end were deleted" in problem


def test_concurrent_appends_keep_one_linear_chain(live_factory):
    """Several writers at once (threads with their own connections): every entry gets the
    next number and links to the one before, whatever the interleaving."""
    from datetime import UTC, datetime

    now = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(15):
                run_in_transaction(
                    live_factory,
                    lambda s, i=i: audit_service.append(
                        s,
                        None,
                        Record(AuditAction.view, "case", f"W{n}-{i}"),
                        origin=Origin(),
                        now=now,
                    ),
                )
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with live_factory() as session:
        result = audit_service.verify(session)
        assert result.ok, result.problems
        assert result.checked == 90


def test_auditors_read_filter_and_export_the_log(client, world, headers_for, session):
    caseworker = headers_for(world.own.people["caseworker"].username)
    client.get(f"/api/v1/cases/{world.own.case.code}", headers=caseworker)
    client.get(f"/api/v1/cases/{world.other.case.code}", headers=caseworker)
    auditor = headers_for(world.own.people["auditor"].username)
    page = client.get(
        "/api/v1/audit", params={"action": "view", "subject_type": "case"}, headers=auditor
    ).json()
    assert [item["subject_id"] for item in page["items"]] == [world.own.case.code]
    denied = client.get(
        "/api/v1/audit", params={"action": "permission_denied"}, headers=auditor
    ).json()
    assert world.other.case.code in {item["subject_id"] for item in denied["items"]}
    export = client.get("/api/v1/audit/export", params={"action": "view"}, headers=auditor)
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert rows
    assert {"seq", "at", "username", "action", "subject_id", "hash"} <= set(rows[0])
    # the codes for machines, and the same entry in words for a person
    read = next(row for row in rows if row["subject_id"] == world.own.case.code)
    assert (read["action"], read["subject_type"]) == ("view", "case")
    assert read["description"] == (
        f"caseworker (Người làm công tác bảo vệ trẻ em): Xem toàn bộ hồ sơ {world.own.case.code}"
    )
    assert entries(session, action="export")
    other_auditor = headers_for(world.other.people["auditor"].username)
    theirs = client.get(
        "/api/v1/audit", params={"subject_id": world.own.case.code}, headers=other_auditor
    ).json()
    assert theirs["total"] == 0  # another commune's auditor sees none of ours
    assert audit_service.verify(session).ok


def test_an_empty_commune_starts_an_intact_chain(session, now):
    create_commune(session, now=now)
    assert audit_service.verify(session).ok
