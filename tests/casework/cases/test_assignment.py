"""Người phụ trách: the supervisor assigns or reassigns a case to a caseworker of the commune,
a caseworker takes a case nobody has; the change is in the history and the audit log, the
new owner is told (the case code only), and "the caseworker" of every later message is
the owner."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from casework.accounts.models import Role, User
from casework.agencies.models import AgencyKind
from casework.audit.models import AuditEntry
from casework.cases.models import CaseEvent, ProtectionCase
from casework.deadlines.models import CaseDeadline
from casework.deadlines.tasks import run_due
from notifications.models import OutboxMessage
from tests.factories.browsing import browser


def _version(session, case) -> int:
    session.expire_all()
    return session.get(ProtectionCase, case.id).version


@pytest.fixture
def second_caseworker(world, session, now):
    """Another caseworker of the commune (the world has one)."""
    user = User(
        commune_id=world.own.commune.id,
        agency_id=world.own.people["caseworker"].agency_id,
        username="td.caseworker2",
        full_name="Lộc Văn Tuấn",
        role=Role.caseworker,
        email="tuan@example.org",
        created_at=now,
    )
    session.add(user)
    session.commit()
    return user


def _assign(client, headers_for, world, session, user_id, **extra):  # type: ignore[no-untyped-def]
    case = world.own.case
    body = {"caseworker_id": user_id, "expected_version": _version(session, case), **extra}
    return client.post(
        f"/api/v1/cases/{case.code}/assign", json=body, headers=headers_for("td.supervisor")
    )


def test_the_supervisor_assigns_a_caseworker_who_is_told_with_the_case_code_only(
    client, world, session, headers_for, second_caseworker
):
    answer = _assign(
        client, headers_for, world, session, second_caseworker.id, reason="Gần nhà trẻ."
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["assigned_caseworker_id"] == second_caseworker.id
    assert answer.json()["assigned_caseworker_name"] == "Lộc Văn Tuấn"
    [entry] = session.exec(
        select(CaseEvent).where(
            CaseEvent.case_id == world.own.case.id, CaseEvent.event == "case_assigned"
        )
    ).all()
    assert entry.actor_id == world.own.people["supervisor"].id
    assert entry.payload == {
        "from_user_id": None,
        "to_user_id": second_caseworker.id,
        "reason": "Gần nhà trẻ.",
    }
    told = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "case.assigned")).all()
    assert {m.recipient for m in told} == {f"user:{second_caseworker.id}"}
    for message in told:
        assert set(message.context) == {"case_code", "is_emergency"}
    [audit] = session.exec(
        select(AuditEntry).where(
            AuditEntry.subject_id == world.own.case.code, AuditEntry.action == "update"
        )
    ).all()
    assert audit.detail == {"action": "assign", "to_user_id": second_caseworker.id}


def test_a_reassignment_says_from_whom_and_a_stale_version_is_refused(
    client, world, session, headers_for, second_caseworker
):
    caseworker = world.own.people["caseworker"]
    assert _assign(client, headers_for, world, session, caseworker.id).status_code == 200
    case = world.own.case
    stale = client.post(
        f"/api/v1/cases/{case.code}/assign",
        json={"caseworker_id": second_caseworker.id, "expected_version": 1},
        headers=headers_for("td.supervisor"),
    )
    assert stale.status_code == 409
    assert stale.json()["detail"][0]["type"] == "concurrent_change"
    again = _assign(client, headers_for, world, session, second_caseworker.id)
    assert again.status_code == 200
    events = session.exec(
        select(CaseEvent)
        .where(CaseEvent.case_id == case.id, CaseEvent.event == "case_assigned")
        .order_by(CaseEvent.id)
    ).all()
    assert [(e.payload["from_user_id"], e.payload["to_user_id"]) for e in events] == [
        (None, caseworker.id),
        (caseworker.id, second_caseworker.id),
    ]


@pytest.mark.parametrize("who", ["police.officer", "other caseworker", "nobody", "auditor"])
def test_only_a_caseworker_or_supervisor_of_the_commune_may_own_a_case(
    client, world, session, headers_for, who
):
    user_id = {
        "police.officer": world.own.people["police.officer"].id,
        "other caseworker": world.other.people["caseworker"].id,
        "nobody": 999_999,
        "auditor": world.own.people["auditor"].id,
    }[who]
    answer = _assign(client, headers_for, world, session, user_id)
    assert answer.status_code == 422
    [problem] = answer.json()["detail"]
    assert problem["field"] == "caseworker_id"
    assert problem["msg_vi"].startswith("Chọn một người làm công tác bảo vệ trẻ em")
    assert session.get(ProtectionCase, world.own.case.id).assigned_caseworker_id is None


def test_an_assignment_without_a_version_or_with_an_impossible_id_is_refused_per_field(
    client, world, headers_for
):
    answer = client.post(
        f"/api/v1/cases/{world.own.case.code}/assign",
        json={"caseworker_id": 2**40},
        headers=headers_for("td.supervisor"),
    )
    assert answer.status_code == 422
    assert {e["field"] for e in answer.json()["detail"]} == {"caseworker_id", "expected_version"}


def test_a_caseworker_takes_an_unassigned_case_and_nobody_takes_it_twice(
    client, world, session, headers_for, second_caseworker
):
    code = world.own.case.code
    refused = _assign(client, headers_for, world, session, second_caseworker.id)
    assert refused.status_code == 200  # the supervisor may; now a caseworker may not
    client.post(f"/api/v1/cases/{code}/assign", json={}, headers=headers_for("td.caseworker"))
    mine = client.post(
        f"/api/v1/cases/{code}/assign",
        json={"caseworker_id": world.own.people["caseworker"].id, "expected_version": 9},
        headers=headers_for("td.caseworker"),
    )
    assert mine.status_code == 403
    taken = client.post(f"/api/v1/cases/{code}/take", json={}, headers=headers_for("td.caseworker"))
    assert taken.status_code == 409
    assert taken.json()["detail"][0]["msg_vi"] == (
        "Hồ sơ đã có người phụ trách: Lộc Văn Tuấn. Muốn đổi người, nhờ lãnh đạo UBND xã giao lại"
    )


def test_taking_a_case_records_it_without_telling_the_taker(client, world, session, headers_for):
    code, caseworker = world.own.case.code, world.own.people["caseworker"]
    stale = client.post(
        f"/api/v1/cases/{code}/take",
        json={"expected_version": 99},
        headers=headers_for("td.caseworker"),
    )
    assert stale.status_code == 409
    taken = client.post(f"/api/v1/cases/{code}/take", json={}, headers=headers_for("td.caseworker"))
    assert taken.status_code == 200, taken.text
    assert taken.json()["assigned_caseworker_id"] == caseworker.id
    [entry] = session.exec(select(CaseEvent).where(CaseEvent.event == "case_taken")).all()
    assert entry.actor_id == caseworker.id
    assert entry.payload == {"from_user_id": None, "to_user_id": caseworker.id}
    assert not session.exec(
        select(OutboxMessage).where(OutboxMessage.kind == "case.assigned")
    ).all()


def test_an_agency_may_not_take_a_case_and_another_commune_cannot_find_it(
    client, world, headers_for
):
    code = world.own.case.code
    police = client.post(
        f"/api/v1/cases/{code}/take", json={}, headers=headers_for("td.police.officer")
    )
    assert police.status_code == 403
    stranger = client.post(
        f"/api/v1/cases/{code}/take", json={}, headers=headers_for("kh.caseworker")
    )
    assert stranger.status_code == 404


def _declined_to(client, world, session, headers_for) -> set[str]:
    """Whom the police's decline of their task is told to (the case's caseworker)."""
    task = world.own.tasks[AgencyKind.police]
    answer = client.post(
        f"/api/v1/tasks/{task.id}/decline",
        json={"reason": "Không đủ người trực."},
        headers=headers_for("td.police.officer"),
    )
    assert answer.status_code in (200, 204), answer.text
    rows = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "task.declined")).all()
    return {row.recipient for row in rows}


def test_while_nobody_owns_the_case_every_caseworker_hears_of_a_decline(
    client, world, session, headers_for, second_caseworker
):
    assert _declined_to(client, world, session, headers_for) == {
        f"user:{world.own.people['caseworker'].id}",
        f"user:{second_caseworker.id}",
    }


@pytest.mark.parametrize("owner", ["second caseworker", "supervisor"])
def test_once_owned_only_the_owner_hears_of_a_decline(
    client, world, session, headers_for, second_caseworker, owner
):
    owner_id = (
        second_caseworker.id if owner == "second caseworker" else world.own.people["supervisor"].id
    )
    assert _assign(client, headers_for, world, session, owner_id).status_code == 200
    assert _declined_to(client, world, session, headers_for) == {f"user:{owner_id}"}


def test_the_case_page_offers_taking_to_a_caseworker_and_assigning_to_the_supervisor(
    client, world, browser_for, session, second_caseworker
):
    code = world.own.case.code
    caseworker = browser(client, browser_for, world.own.people["caseworker"])
    page = caseworker.get(f"/ho-so/{code}").text
    assert "Phụ trách: <strong>chưa phân công</strong>" in page
    assert f'action="/ho-so/{code}/nhan"' in page
    assert f'href="/ho-so/{code}/phan-cong"' not in page
    took = caseworker.post(f"/ho-so/{code}/nhan")
    assert took.status_code == 303
    assert took.headers["location"] == f"/ho-so/{code}?xong=case_taken"
    after = caseworker.get(took.headers["location"]).text
    assert "Bạn đã nhận phụ trách hồ sơ này" in after
    assert "Phụ trách: <strong>caseworker</strong>" in after
    assert f'action="/ho-so/{code}/nhan"' not in after
    assert "Nhận phụ trách hồ sơ" in after  # the history

    boss = browser(client, browser_for, world.own.people["supervisor"])
    page = boss.get(f"/ho-so/{code}").text
    assert f'href="/ho-so/{code}/phan-cong"' in page
    assert "Đổi người phụ trách" in page
    form = boss.get(f"/ho-so/{code}/phan-cong").text
    assert "Lộc Văn Tuấn (Người làm công tác bảo vệ trẻ em)" in form
    assert "police" not in form
    refused = boss.post(
        f"/ho-so/{code}/phan-cong", {"reason": "Nghỉ phép.", "expected_version": "1"}
    )
    assert refused.status_code == 422
    assert '<a href="#caseworker_id">Chọn người phụ trách</a>' in refused.text
    assert "Nghỉ phép." in refused.text
    version = str(_version(session, world.own.case))
    fields = {
        "caseworker_id": str(second_caseworker.id),
        "reason": "Nghỉ phép.",
        "expected_version": version,
    }
    done = boss.post(f"/ho-so/{code}/phan-cong", fields)
    assert done.status_code == 303, done.text
    shown = boss.get(done.headers["location"]).text
    assert "Đã giao người phụ trách hồ sơ" in shown
    assert "Phụ trách: <strong>Lộc Văn Tuấn</strong>" in shown
    history = shown[shown.index('id="dien-bien"') :]
    assert "Giao người phụ trách hồ sơ" in history
    assert "Nghỉ phép." in history
    assert "Lộc Văn Tuấn" in history


def test_an_assignment_from_a_page_someone_changed_meanwhile_is_refused_keeping_the_reason(
    client, world, browser_for, session, headers_for, second_caseworker
):
    code = world.own.case.code
    seen = str(_version(session, world.own.case))
    taken = client.post(f"/api/v1/cases/{code}/take", json={}, headers=headers_for("td.caseworker"))
    assert taken.status_code == 200
    boss = browser(client, browser_for, world.own.people["supervisor"])
    fields = {
        "caseworker_id": str(second_caseworker.id),
        "reason": "Lý do của tôi.",
        "expected_version": seen,
    }
    late = boss.post(f"/ho-so/{code}/phan-cong", fields)
    assert late.status_code == 409
    assert "Hồ sơ vừa được người khác thay đổi" in late.text
    assert "Lý do của tôi." in late.text
    assert "Người phụ trách hiện nay: <strong>caseworker</strong>" in late.text
    assert f'name="expected_version" value="{_version(session, world.own.case)}"' in late.text


def test_a_caseworker_who_was_second_to_take_the_case_is_told_who_has_it(
    client, world, browser_for, second_caseworker
):
    code = world.own.case.code
    assert (
        browser(client, browser_for, second_caseworker).post(f"/ho-so/{code}/nhan").status_code
        == 303
    )
    late = browser(client, browser_for, world.own.people["caseworker"]).post(f"/ho-so/{code}/nhan")
    assert late.status_code == 409
    assert "Hồ sơ đã có người phụ trách: Lộc Văn Tuấn" in late.text
    assert '<a href="#nhan-ho-so">' in late.text


def test_the_case_list_shows_the_owner_and_filters_my_cases_and_nobodys(
    client, world, browser_for, headers_for
):
    code = world.own.case.code
    caseworker = browser(client, browser_for, world.own.people["caseworker"])
    listed = caseworker.get("/ho-so").text
    row = listed.split(f'href="/ho-so/{code}"', 1)[1].split("</tr>", 1)[0]
    assert "chưa phân công" in row
    assert code not in caseworker.get("/ho-so", owner="me").text
    assert code in caseworker.get("/ho-so", owner="none").text
    api = client.get(
        "/api/v1/cases", params={"owner": "none"}, headers=headers_for("td.caseworker")
    )
    assert [item["code"] for item in api.json()["items"]] == [code]
    assert client.post(
        f"/api/v1/cases/{code}/take", json={}, headers=headers_for("td.caseworker")
    ).is_success
    mine = caseworker.get("/ho-so", owner="me").text
    row = mine.split(f'href="/ho-so/{code}"', 1)[1].split("</tr>", 1)[0]
    assert "caseworker" in row
    assert 'value="me" selected' in mine
    assert code not in caseworker.get("/ho-so", owner="none").text
    api = client.get("/api/v1/cases", params={"owner": "me"}, headers=headers_for("td.caseworker"))
    [item] = api.json()["items"]
    assert (item["assigned_caseworker_id"], item["assigned_caseworker_name"]) == (
        world.own.people["caseworker"].id,
        "caseworker",
    )
    police = client.get("/api/v1/cases", headers=headers_for("td.police.officer")).json()
    assert [item["assigned_caseworker_id"] for item in police["items"]] == [None]


def test_the_lead_offices_own_task_reminds_the_cases_owner_only(
    client, world, session, session_factory, clock, headers_for, second_caseworker, databases
):
    assert _assign(client, headers_for, world, session, second_caseworker.id).status_code == 200
    lead_task = world.own.tasks[AgencyKind.culture_social]
    to_accept = session.exec(
        select(CaseDeadline).where(
            CaseDeadline.task_id == lead_task.id, CaseDeadline.kind == "task_ack"
        )
    ).one()
    halfway = to_accept.starts_at + (to_accept.due_at - to_accept.starts_at) / 2
    clock.set(halfway + timedelta(minutes=1))  # past half its time to accept: reminded
    run_due(
        session_factory,
        clock=clock,
        tz=databases.settings.tz,
        worker="test",
        lease=timedelta(seconds=60),
        batch=50,
    )
    session.expire_all()
    told = {
        m.recipient
        for m in session.exec(select(OutboxMessage)).all()
        if m.kind.startswith("deadline.") and m.context.get("task_id") == lead_task.id
    }
    assert f"user:{second_caseworker.id}" in told
    assert f"user:{world.own.people['caseworker'].id}" not in told
