"""Nhật ký truy cập: the auditor reads the commune's log, filters it by person, action,
subject and days, pages through it, and exports it through the API's own CSV export."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from sqlmodel import select

from casework.agencies.models import AgencyKind
from casework.audit.models import AuditEntry
from tests.factories.browsing import browser


def test_the_auditor_reads_the_log_and_the_reading_is_logged(client, world, browser_for, session):
    browser(client, browser_for, world.own.people["caseworker"]).get(
        f"/api/v1/cases/{world.own.case.code}"
    )
    auditor = browser(client, browser_for, world.own.people["auditor"])
    page = auditor.get("/nhat-ky")
    assert page.status_code == 200
    assert "td.caseworker" in page.text
    assert world.own.case.code in page.text
    assert "kh.caseworker" not in page.text  # another commune's people
    [read] = session.exec(
        select(AuditEntry).where(
            AuditEntry.subject_type == "audit_log", AuditEntry.username == "td.auditor"
        )
    ).all()
    assert read.action == "view"


def test_filters_narrow_the_log_and_the_export_keeps_them(client, world, browser_for):
    caseworker = browser(client, browser_for, world.own.people["caseworker"])
    caseworker.get(f"/api/v1/cases/{world.own.case.code}")
    browser(client, browser_for, world.own.people["supervisor"]).get("/leo-thang")
    auditor = browser(client, browser_for, world.own.people["auditor"])
    page = auditor.get(
        "/nhat-ky",
        username="td.caseworker",
        action="view",
        subject_type="case",
        **{"since.day": "2", "since.month": "3", "since.year": "2026"},
        **{"until.day": "2", "until.month": "3", "until.year": "2026"},
    )
    assert page.status_code == 200
    assert "td.caseworker" in page.text
    assert "td.supervisor" not in page.text
    assert "1 mục" in page.text
    link = page.text.split('href="/api/v1/audit/export?', 1)[1].split('"', 1)[0]
    query = parse_qs(urlparse("?" + link.replace("&amp;", "&")).query)
    assert query["username"] == ["td.caseworker"]
    assert query["since"] == ["2026-03-02T00:00:00+07:00"]
    assert query["until"] == ["2026-03-03T00:00:00+07:00"]
    exported = auditor.get("/api/v1/audit/export?" + link.replace("&amp;", "&"))
    assert exported.status_code == 200
    lines = exported.text.strip().splitlines()
    assert len(lines) == 2  # the header and the one entry
    assert "td.caseworker" in lines[1]


def test_a_wrong_date_is_explained_and_nothing_is_listed(client, world, browser_for):
    auditor = browser(client, browser_for, world.own.people["auditor"])
    page = auditor.get("/nhat-ky", **{"since.day": "31", "since.month": "2", "since.year": "2026"})
    assert page.status_code == 422
    assert "<title>Lỗi: " in page.text
    assert '<a href="#since">' in page.text
    assert "phải là ngày có thật" in page.text
    backwards = auditor.get(
        "/nhat-ky",
        **{"since.day": "3", "since.month": "3", "since.year": "2026"},
        **{"until.day": "1", "until.month": "3", "until.year": "2026"},
    )
    assert backwards.status_code == 422
    assert "Ngày kết thúc phải sau ngày bắt đầu" in backwards.text


def test_only_the_auditor_reads_the_log(client, world, browser_for):
    for who in ("caseworker", "supervisor", "admin", "police.head"):
        assert (
            browser(client, browser_for, world.own.people[who]).get("/nhat-ky").status_code == 404
        )


def test_an_inspector_reads_each_entry_as_a_sentence(client, world, browser_for, session):
    """Who by name and role, what to which record in words, the outcome and reason in
    words; none of the codes the log stores ("hidden", "case.read", "searched: True")."""
    hoa = world.own.people["caseworker"]
    hoa.full_name = "Hoàng Thị Hoa"
    session.add(hoa)
    session.commit()
    code, child_id = world.own.case.code, world.own.case.child_id
    caseworker = browser(client, browser_for, hoa)
    caseworker.get(f"/ho-so/{code}")
    caseworker.get("/ho-so", q="hoa")
    caseworker.get(f"/tre-em/{child_id}")
    police = browser(client, browser_for, world.own.people["police.officer"])
    police.get(f"/ho-so/{world.other.case.code}")  # another commune's case: refused
    browser(client, browser_for, world.own.people["admin"]).get(f"/quan-tri/nguoi-dung/{hoa.id}")

    page = browser(client, browser_for, world.own.people["auditor"]).get("/nhat-ky").text
    assert "Hoàng Thị Hoa" in page
    assert "Người làm công tác bảo vệ trẻ em" in page
    assert f"Xem toàn bộ hồ sơ {code}" in page
    assert f"Tìm hồ sơ (từ tìm kiếm không được ghi lại): 1 hồ sơ {code}" in page
    assert f"Xem trẻ em số {child_id} trong sổ trẻ em, các hồ sơ {code}" in page
    assert f"Thử xem hồ sơ {world.other.case.code}" in page
    assert "Bị từ chối; trả lời như thể không có: không thuộc phạm vi người này được xem" in page
    assert "Xem tài khoản Hoàng Thị Hoa (td.caseworker)" in page
    entries = re.sub(r"<[^>]+>", " ", page.split("<tbody", 1)[1].split("</tbody>", 1)[0])
    for code_word in ("hidden", "case.read", "searched", "not_found", "Người dùng ", "{"):
        assert code_word not in entries, code_word


def test_the_sentences_speak_english_when_chosen(client, world, browser_for):
    code = world.own.case.code
    browser(client, browser_for, world.own.people["caseworker"]).get(f"/ho-so/{code}")
    auditor = browser(client, browser_for, world.own.people["auditor"])
    auditor.headers["Cookie"] += "; lang=en"
    page = auditor.get("/nhat-ky").text
    assert f"Viewed the whole case {code}" in page
    assert "Child-protection caseworker" in page


def test_changes_and_logins_read_as_sentences(client, world, headers_for, browser_for):
    code = world.own.case.code
    caseworker = headers_for(world.own.people["caseworker"].username)
    client.post(f"/api/v1/cases/{code}/events/start_assessment", json={}, headers=caseworker)
    task = world.own.tasks[AgencyKind.police]
    police = headers_for(world.own.people["police.officer"].username)
    client.post(f"/api/v1/tasks/{task.id}/accept", headers=police)
    supervisor = headers_for(world.own.people["supervisor"].username)
    escalation = world.own.escalation.id
    client.post(f"/api/v1/escalations/{escalation}/acknowledge", headers=supervisor)
    form = client.get("/dang-nhap").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    client.post("/dang-nhap", data={"username": "ai.do", "password": "sai", "csrf_token": token})
    client.cookies.clear()

    page = browser(client, browser_for, world.own.people["auditor"]).get("/nhat-ky").text
    assert f"Thực hiện bước “Bắt đầu đánh giá nguy cơ ban đầu” của hồ sơ {code}" in page
    assert f"Nhận nhiệm vụ số {task.id} của hồ sơ {code}" in page
    assert f"Nhận xử lý việc số {escalation} cần lãnh đạo xử lý của hồ sơ {code}" in page
    assert "testclient · qua token API" in page
    assert "Ai đó đăng nhập bằng tên “ai.do”" in page
    assert "Không thành công: sai tên đăng nhập hoặc mật khẩu" in page
