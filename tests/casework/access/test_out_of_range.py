"""Numbers and dates no record can have: a page, an id or an amount beyond PostgreSQL's
integer, a date in year 1 or an offset that pushes it past year 9999. Each answers 404 (an
id in the address: no such record) or 422 naming the field, on both databases; none
reaches the database as a server error."""

from __future__ import annotations

import pytest

from casework.agencies.models import AgencyKind
from tests.factories.browsing import browser
from tests.factories.intakes import intake_payload

BIG = 2**31  # one more than PostgreSQL's integer holds
HUGE = 2**63  # one more than any database integer holds


def fields(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {error["field"] for error in response.json()["detail"]}


@pytest.mark.parametrize(
    ("who", "path", "field"),
    [
        ("caseworker", f"/api/v1/cases?page={BIG}", "page"),
        ("caseworker", f"/api/v1/cases?page={HUGE}", "page"),
        ("caseworker", f"/api/v1/children?page={BIG}", "page"),
        ("auditor", f"/api/v1/audit?page={HUGE}", "page"),
        ("auditor", f"/api/v1/audit?actor_id={BIG}", "actor_id"),
        ("auditor", "/api/v1/audit?since=0001-01-01T00:00:00%2B14:00", "since"),
        ("auditor", "/api/v1/audit?until=9999-12-31T23:59:59-14:00", "until"),
    ],
)
def test_a_list_refuses_a_number_or_date_beyond_range_on_its_field(
    client, world, headers_for, who, path, field
):
    response = client.get(path, headers=headers_for(f"td.{who}"))
    assert response.status_code == 422
    assert fields(response) == {field}
    [error] = response.json()["detail"]
    assert error["msg_vi"]
    assert error["msg_en"]


@pytest.mark.parametrize("task_id", [BIG, HUGE])
@pytest.mark.parametrize(
    ("verb", "body"),
    [("accept", {}), ("decline", {"reason": "Không đủ người"}), ("complete", {"outcome": "Xong"})],
)
def test_a_task_id_no_task_can_have_finds_nothing(client, world, headers_for, task_id, verb, body):
    response = client.post(
        f"/api/v1/tasks/{task_id}/{verb}",
        json=body,
        headers=headers_for("td.police.officer"),
    )
    assert response.status_code == 404
    assert fields(response) == {"task_id"}


@pytest.mark.parametrize(
    ("verb", "body"),
    [
        ("acknowledge", {}),
        ("reassign", {"agency_id": 1, "reason": "Công an xã đang quá tải"}),
        ("extend", {"due_at": "2026-03-09T17:00:00+07:00", "reason": "Chờ kết quả giám định"}),
        ("resend", {}),
        ("settle", {"reason": "Đã gọi điện"}),
    ],
)
def test_an_escalation_id_no_escalation_can_have_finds_nothing(
    client, world, headers_for, verb, body
):
    response = client.post(
        f"/api/v1/escalations/{BIG}/{verb}",
        json=body,
        headers=headers_for("td.supervisor"),
    )
    assert response.status_code == 404
    assert fields(response) == {"escalation_id"}


def test_reassigning_to_an_agency_id_beyond_range_is_refused_on_its_field(
    client, world, headers_for
):
    response = client.post(
        f"/api/v1/escalations/{world.own.escalation.id}/reassign",
        json={"agency_id": BIG, "reason": "Công an xã đang quá tải"},
        headers=headers_for("td.supervisor"),
    )
    assert response.status_code == 422
    assert fields(response) == {"agency_id"}


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("police.officer", f"/nhiem-vu/{BIG}"),
        ("supervisor", f"/leo-thang/{BIG}"),
        ("supervisor", f"/tre-em/{BIG}"),
        ("admin", f"/quan-tri/nguoi-dung/{BIG}"),
        ("admin", f"/quan-tri/co-quan/{BIG}"),
    ],
)
def test_a_page_for_an_id_no_record_can_have_is_not_found(client, world, browser_for, who, path):
    page = browser(client, browser_for, world.own.people[who]).get(path)
    assert page.status_code == 404
    assert "Không tìm thấy" in page.text


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("supervisor", f"/leo-thang?page={BIG}"),
        ("supervisor", f"/leo-thang?agency={BIG}"),
        ("police.officer", f"/nhiem-vu?page={BIG}"),
        ("caseworker", f"/trang-cua-toi?page={BIG}"),
    ],
)
def test_a_list_page_refuses_a_number_beyond_range(client, world, browser_for, who, path):
    page = browser(client, browser_for, world.own.people[who]).get(path)
    assert page.status_code == 422
    assert "Không tìm thấy" not in page.text


@pytest.mark.parametrize(("field", "year"), [("since", "0001"), ("until", "9999")])
def test_the_audit_page_refuses_a_day_no_log_can_hold(client, world, browser_for, field, year):
    auditor = browser(client, browser_for, world.own.people["auditor"])
    page = auditor.get(
        "/nhat-ky", **{f"{field}.day": "31", f"{field}.month": "12", f"{field}.year": year}
    )
    assert page.status_code == 422
    assert "phải trong khoảng năm 1900 đến 2100" in page.text


def test_a_receipt_in_year_one_is_refused_on_its_field(client, world, headers_for):
    response = client.post(
        "/api/v1/intakes",
        json=intake_payload(first_received_at="0001-01-01T00:00:00+07:00"),
        headers=headers_for("td.caseworker"),
    )
    assert response.status_code == 422
    assert "first_received_at" in fields(response)
    [error] = [e for e in response.json()["detail"] if e["field"] == "first_received_at"]
    assert error["msg_vi"] == "Thời điểm tiếp nhận đầu tiên phải từ ngày 01/01/2000 trở đi"


def test_a_receipt_in_year_9999_is_refused_on_its_field(client, world, headers_for):
    response = client.post(
        "/api/v1/intakes",
        json=intake_payload(
            first_received_at="9999-12-31T23:59:59-12:00", late_report_confirmed=True
        ),
        headers=headers_for("td.caseworker"),
    )
    assert response.status_code == 422
    [error] = [e for e in response.json()["detail"] if e["field"] == "first_received_at"]
    assert error["msg_vi"] == "Thời điểm tiếp nhận đầu tiên phải trong khoảng năm 1900 đến 2100"


def test_an_existing_child_id_beyond_range_is_refused_on_its_field(client, world, headers_for):
    payload = intake_payload(child_id=BIG)
    payload.pop("child")
    response = client.post("/api/v1/intakes", json=payload, headers=headers_for("td.caseworker"))
    assert response.status_code == 422
    assert fields(response) == {"child_id"}


def test_a_plan_cost_beyond_range_is_refused_on_its_field(client, world, headers_for):
    agency = world.own.tasks[AgencyKind.police].agency_id
    response = client.post(
        f"/api/v1/cases/{world.own.case.code}/events/submit_plan",
        json={
            "tasks": [
                {
                    "agency_id": agency,
                    "title": "Thăm gia đình",
                    "starts_at": "2026-03-03T08:00:00+07:00",
                    "due_at": "2026-03-10T17:00:00+07:00",
                    "cost_vnd": BIG,
                }
            ]
        },
        headers=headers_for("td.caseworker"),
    )
    assert response.status_code == 422
    assert fields(response) == {"tasks.0.cost_vnd"}
