"""The intake page (Mẫu 01) as a browser without JavaScript uses it: plain form posts."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import select

from casework.audit.models import AuditEntry
from casework.cases.models import ProtectionCase
from casework.children.models import Child
from casework.deadlines.models import CaseDeadline, DeadlineStatus
from casework.intake.models import Report
from casework.web import sessions

NEW_CHILD = "Đặng Ngọc Ánh"


def report_form(**changes: Any) -> dict[str, Any]:
    """What a caseworker types for a child hurt by a parent; ``None`` leaves a field empty."""
    fields: dict[str, Any] = {
        "submission_id": "lan-gui-1",
        "commune_code": "TD-TEST",
        "channel": "hotline_111",
        "first_received_at.day": "2",
        "first_received_at.month": "3",
        "first_received_at.year": "2026",
        "first_received_at.time": "08:30",
        "reporter.anonymous": "false",
        "reporter.name": "Lò Văn Tính",
        "reporter.phone": "0912 345 678",
        "reporter.relation": "hàng xóm",
        "child.full_name": NEW_CHILD,
        "child.date_of_birth.day": "14",
        "child.date_of_birth.month": "5",
        "child.date_of_birth.year": "2016",
        "child.sex": "female",
        "child.ethnicity": "Tày",
        "child.village": "Thôn Đồng Tâm",
        "harm_forms": ["violence", "abandonment_neglect"],
        "setting": "family",
        "perpetrator_relation": "parent",
        "immediate_danger": "false",
        "location": "Nhà riêng, Thôn Đồng Tâm",
        "description": "Hàng xóm thấy vết bầm trên tay trẻ, trẻ sợ không dám về nhà.",
        "action": "send",
    }
    fields.update(changes)
    return {name: value for name, value in fields.items() if value is not None}


@pytest.fixture
def caseworker(world, browser_for):
    return browser_for(world.own.people["caseworker"])


def send(client, headers, **changes: Any):
    return client.post(
        "/bao-cao/moi", data=report_form(**changes), headers=headers, follow_redirects=False
    )


def errors_of(page: str) -> list[tuple[str, str]]:
    """The error summary: (link target, words) in the order shown."""
    summary = page.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return [
        (target, " ".join(words.split()))
        for target, words in re.findall(r'<a href="#([^"]+)">(.*?)</a>', summary, re.S)
    ]


def suggested(page: str) -> list[int]:
    """The children offered as "already known" (the radios of the suggestions)."""
    return [int(v) for v in re.findall(r'name="child_id" type="radio" value="(\d+)"', page)]


def cases_of(session, name: str) -> list[ProtectionCase]:
    return session.exec(
        select(ProtectionCase)
        .join(Child, Child.id == ProtectionCase.child_id)
        .where(Child.full_name == name)
    ).all()


def test_the_form_starts_received_now_with_the_hotlines_and_a_submission_id(client, caseworker):
    page = client.get("/bao-cao/moi", headers=caseworker).text
    assert "Báo cáo tiếp nhận thông tin trẻ em" in page
    assert "Trẻ đang gặp nguy hiểm? Gọi" in page
    assert 'href="tel:113"' in page
    # 09:00 on Monday 2 March 2026 in Hà Nội, each part in its own field
    for part, value in (("day", "2"), ("month", "3"), ("year", "2026"), ("time", "09:00")):
        assert f'name="first_received_at.{part}" type="text" value="{value}"' in page
    assert re.search(r'name="submission_id" value="[0-9a-f]{32}"', page)
    assert 'name="commune_code" value="TD-TEST"' in page
    assert '<form method="post" action="/bao-cao/moi" novalidate' in page
    assert "Thôn Đồng Tâm" in page  # the commune's villages to choose from
    assert 'name="late_report_confirmed" type="checkbox" value="true"' in page
    assert "Chọn nếu thông tin đến nơi đầu tiên hơn 30 ngày trước" in page
    assert "(không bắt buộc)" in page
    assert "*" not in page.split("<main", 1)[1]


def test_a_report_of_a_child_hurt_by_a_parent_opens_an_emergency_case_and_shows_it(
    client, caseworker, session
):
    response = send(client, caseworker)
    assert response.status_code == 303
    [case] = cases_of(session, NEW_CHILD)
    assert response.headers["location"] == f"/ho-so/{case.code}"
    assert case.is_emergency
    running = session.exec(
        select(CaseDeadline).where(
            CaseDeadline.case_id == case.id, CaseDeadline.status == DeadlineStatus.running
        )
    ).all()
    clocks = {d.kind: d.due_at.astimezone(UTC) for d in running}
    # twelve hours from the first receipt (08:30 in Hà Nội, 01:30 UTC)
    assert clocks["emergency_measures"] == datetime(2026, 3, 2, 13, 30, tzinfo=UTC)
    [report] = session.exec(select(Report).where(Report.case_id == case.id)).all()
    assert (report.reporter_name, report.reporter_phone) == ("Lò Văn Tính", "+84912345678")
    entry = session.exec(
        select(AuditEntry).where(AuditEntry.action == "create", AuditEntry.subject_id == case.code)
    ).one()
    assert entry.username == "td.caseworker"
    assert entry.detail == {"report": report.id, "replayed": False}


def test_sending_the_same_form_twice_opens_one_case(client, caseworker, session):
    first = send(client, caseworker)
    again = send(client, caseworker)
    assert again.status_code == 303
    assert again.headers["location"] == first.headers["location"]
    assert len(cases_of(session, NEW_CHILD)) == 1
    assert (
        len(session.exec(select(Report).join(Child).where(Child.full_name == NEW_CHILD)).all()) == 1
    )


def test_the_same_form_changed_after_it_was_sent_is_explained_and_kept(client, caseworker, session):
    send(client, caseworker)
    response = send(client, caseworker, description="Bổ sung: trẻ đã về nhà bà ngoại.")
    assert response.status_code == 409
    assert "Mẫu này đã được gửi một lần với nội dung khác" in response.text
    assert "Bổ sung: trẻ đã về nhà bà ngoại." in response.text
    assert 'name="submission_id" value="lan-gui-1"' not in response.text  # a new one to resend
    assert len(cases_of(session, NEW_CHILD)) == 1


def test_empty_answers_come_back_in_page_order_with_the_same_words_and_everything_kept(
    client, caseworker, session
):
    response = send(
        client,
        caseworker,
        channel=None,
        setting=None,
        harm_forms=None,
        immediate_danger=None,
        description=None,
        **{"child.full_name": None, "child.sex": None, "first_received_at.month": ""},
    )
    assert response.status_code == 422
    page = response.text
    assert "<title>Lỗi: Báo cáo mới" in page
    assert errors_of(page) == [
        ("channel", "Chọn kênh tiếp nhận"),
        ("first_received_at-month", "Thời điểm tiếp nhận đầu tiên phải có tháng"),
        ("child-full_name", "Nhập họ và tên của trẻ"),
        ("child-sex", "Chọn giới tính"),
        ("harm_forms", "Chọn ít nhất một hình thức xâm hại"),
        ("setting", "Chọn môi trường xảy ra"),
        ("immediate_danger", "Chọn “Có” nếu trẻ đang gặp nguy hiểm ngay lúc này"),
        ("description", "Nhập nội dung sự việc"),
    ]
    # the same words next to each field, and what was typed is still there
    for _, words in errors_of(page):
        assert page.count(words) == 2, words
    assert 'value="Lò Văn Tính"' in page
    assert 'value="Nhà riêng, Thôn Đồng Tâm"' in page
    assert 'value="14"' in page
    assert 'value="Tày"' in page
    assert (
        "govuk-input--error" in page.split('id="first_received_at-month"')[0].rsplit("<input", 1)[1]
    )
    assert cases_of(session, NEW_CHILD) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"child.date_of_birth.month": "13"},
            ("child-date_of_birth-month", "Ngày sinh phải là ngày có thật"),
        ),
        (
            {"child.date_of_birth.year": "16"},
            ("child-date_of_birth-year", "Năm của ngày sinh phải có 4 chữ số, ví dụ 2026"),
        ),
        (
            {"child.date_of_birth.year": "2027", "child.date_of_birth.day": "1"},
            ("child-date_of_birth-day", "Ngày sinh phải là ngày trong quá khứ"),
        ),
        (
            {"first_received_at.time": "25:10"},
            (
                "first_received_at-time",
                "Giờ của thời điểm tiếp nhận đầu tiên phải là giờ có thật, ví dụ 14:05",
            ),
        ),
        (
            {"first_received_at.day": "3"},
            (
                "first_received_at-day",
                "Thời điểm tiếp nhận đầu tiên không được muộn hơn thời điểm hiện tại",
            ),
        ),
        (
            {"reporter.anonymous": None},
            (
                "reporter-anonymous",
                "Chọn người báo tin có cho biết họ tên hoặc số điện thoại không",
            ),
        ),
        (
            {"reporter.name": None, "reporter.phone": None},
            (
                "reporter-name",
                "Nhập họ tên hoặc số điện thoại người báo tin, hoặc chọn báo tin ẩn danh",
            ),
        ),
        (
            {"reporter.phone": "12345"},
            (
                "reporter-phone",
                "Số điện thoại người báo tin phải là số điện thoại Việt Nam, ví dụ số di động "
                "10 chữ số bắt đầu bằng 0",
            ),
        ),
    ],
)
def test_a_wrong_answer_is_described_and_linked_to_the_input_to_correct(
    client, caseworker, changes, expected
):
    response = send(client, caseworker, **changes)
    assert response.status_code == 422
    assert errors_of(response.text) == [expected]


def test_a_wrong_receipt_time_comes_back_with_the_empty_answers_not_after_them(client, caseworker):
    response = send(client, caseworker, description=None, **{"first_received_at.day": "3"})
    assert response.status_code == 422
    assert errors_of(response.text) == [
        (
            "first_received_at-day",
            "Thời điểm tiếp nhận đầu tiên không được muộn hơn thời điểm hiện tại",
        ),
        ("description", "Nhập nội dung sự việc"),
    ]


@pytest.mark.parametrize("year", ["0001", "1900"])
def test_a_receipt_before_2000_is_refused_on_its_year(client, caseworker, session, year):
    response = send(client, caseworker, **{"first_received_at.year": year})
    assert response.status_code == 422
    assert errors_of(response.text) == [
        ("first_received_at-year", "Thời điểm tiếp nhận đầu tiên phải từ ngày 01/01/2000 trở đi")
    ]
    assert cases_of(session, NEW_CHILD) == []


def test_a_receipt_weeks_ago_is_sent_once_confirmed_as_passed_on_late(client, caseworker, session):
    weeks_ago = {"first_received_at.day": "15", "first_received_at.month": "1"}
    refused = send(client, caseworker, **weeks_ago)
    assert refused.status_code == 422
    message = (
        "Thời điểm tiếp nhận đầu tiên đã cách đây 46 ngày (quá 30 ngày). Kiểm tra lại; nếu "
        "đúng, chọn “Báo cáo được chuyển muộn”"
    )
    assert errors_of(refused.text) == [("late_report_confirmed", message)]
    assert 'id="late_report_confirmed"' in refused.text  # the summary's link lands on it
    sent = send(client, caseworker, late_report_confirmed="true", **weeks_ago)
    assert sent.status_code == 303
    page = " ".join(client.get(sent.headers["location"], headers=caseworker).text.split())
    # on the report (Mẫu 01) and in the case's history
    assert "Có: ghi vào hệ thống 46 ngày sau lần tiếp nhận đầu tiên, lúc 02/03/2026 09:00" in page
    assert (
        "<dt>Báo cáo được chuyển muộn</dt><dd>ghi vào hệ thống 46 ngày sau lần tiếp nhận đầu "
        "tiên</dd>"
    ) in page


def test_a_year_alone_is_recorded_as_the_estimated_birth_year(client, caseworker, session):
    send(
        client,
        caseworker,
        **{
            "child.date_of_birth.day": "",
            "child.date_of_birth.month": "",
            "child.date_of_birth.year": "2015",
        },
    )
    child = session.exec(select(Child).where(Child.full_name == NEW_CHILD)).one()
    assert (child.date_of_birth, child.birth_year) == (None, 2015)


def test_an_anonymous_report_keeps_no_name_typed_before_choosing_anonymous(
    client, caseworker, session
):
    assert send(client, caseworker, **{"reporter.anonymous": "true"}).status_code == 303
    report = session.exec(select(Report).join(Child).where(Child.full_name == NEW_CHILD)).one()
    assert report.reporter_anonymous
    assert (report.reporter_name, report.reporter_phone, report.reporter_relation) == (None,) * 3


def test_typing_a_name_without_diacritics_suggests_the_communes_children_only(
    client, caseworker, world, session
):
    form = report_form(action="search", **{"child.full_name": "nguyen thi hoa"})
    response = client.post("/bao-cao/moi", data=form, headers=caseworker)
    assert response.status_code == 200
    matches = response.text.split('id="cw-child-matches"', 1)[1].split("</fieldset>", 1)[0]
    own_child = world.own.case.child_id
    assert f'value="{own_child}"' in matches
    assert "Nguyễn Thị Hoa" in matches
    assert world.own.case.code in matches
    assert suggested(response.text) == [own_child]
    assert 'value="Lò Văn Tính"' in response.text  # the rest of the form is kept
    entry = session.exec(select(AuditEntry).where(AuditEntry.subject_type == "child_list")).one()
    assert entry.detail == {"children": [own_child], "searched": True}


def test_choosing_a_suggested_child_adds_the_report_to_that_childs_open_case(
    client, caseworker, world, session
):
    response = send(
        client,
        caseworker,
        child_id=str(world.own.case.child_id),
        **{"child.full_name": "Nguyễn Thị Hoa", "child.sex": None},
    )
    assert response.headers["location"] == f"/ho-so/{world.own.case.code}"
    own = [c for c in cases_of(session, "Nguyễn Thị Hoa") if c.commune_id == world.own.commune.id]
    assert [c.id for c in own] == [world.own.case.id]  # no second case was opened
    assert len(session.exec(select(Report).where(Report.case_id == world.own.case.id)).all()) == 2


def test_a_child_of_another_commune_cannot_be_chosen(client, caseworker, world):
    response = send(client, caseworker, child_id=str(world.other.case.child_id))
    assert response.status_code == 422
    assert errors_of(response.text) == [
        ("child_id", f"Không tìm thấy trẻ có mã {world.other.case.child_id} ở xã này")
    ]


@pytest.mark.parametrize("person", ["collaborator", "police.officer"])
def test_a_reporter_who_may_not_read_cases_gets_a_receipt_and_no_suggestions(
    client, world, browser_for, session, person
):
    headers = browser_for(world.own.people[person])
    page = client.get("/bao-cao/moi", headers=headers).text
    assert "Tìm trẻ đã có" not in page
    assert "hx-post" not in page
    searched = client.post(
        "/bao-cao/moi",
        data=report_form(action="search", **{"child.full_name": "Nguyễn Thị Hoa"}),
        headers=headers,
    )
    assert world.own.case.code not in searched.text
    assert suggested(searched.text) == []
    response = send(client, headers)
    assert response.status_code == 303
    assert response.headers["location"] == "/bao-cao/da-nhan"
    [case] = cases_of(session, NEW_CHILD)
    # the browser keeps the session cookie the answer set
    cookie = f"{sessions.COOKIE}={response.cookies[sessions.COOKIE]}"
    receipt = client.get("/bao-cao/da-nhan", headers={**headers, "Cookie": cookie})
    report = session.exec(select(Report).where(Report.case_id == case.id)).one()
    assert "Đã nhận báo cáo" in receipt.text
    assert f"<strong>{report.id}</strong>" in receipt.text
    for secret in (case.code, NEW_CHILD, "Lò Văn Tính"):
        assert secret not in receipt.text
    assert "12 giờ" in receipt.text  # what happens next


def test_a_tampered_commune_is_refused_as_an_unknown_one(client, caseworker, session):
    response = send(client, caseworker, commune_code="OTHER")
    assert response.status_code == 422
    assert cases_of(session, NEW_CHILD) == []


def test_the_page_is_in_english_when_chosen(client, caseworker):
    english = {**caseworker, "Cookie": caseworker["Cookie"] + "; lang=en"}
    response = send(client, english, channel=None)
    assert errors_of(response.text) == [("channel", "Choose the intake channel")]
    assert "Send the report" in response.text
