"""The chairperson decides on a plan she can see (Mẫu 05): the activities with their
agencies, dates and costs, the Mẫu 03 findings and the conference minutes above the
decision; "Phê duyệt" and "Trả lại" side by side; the approval sets the first monitoring
visit and the review, so the case has a next date."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from casework.agencies.models import AgencyKind
from casework.cases.models import ProtectionCase
from tests.casework.cases.pages import Browser
from tests.casework.cases.test_event_pages import agency, plan_row, status, to_planning


@pytest.fixture
def web(client, world, browser_for):
    return Browser(client, world, browser_for)


def submit_plan(web, session, world) -> str:
    """A case at "awaiting approval" with two activities, the Mẫu 03 findings and the
    conference minutes, all sent through the caseworker's form."""
    code = world.own.case.code
    to_planning(web, session, code)
    commune = world.own.commune.id
    health = agency(session, AgencyKind.health_station, commune)
    police = agency(session, AgencyKind.police, commune)
    fields = (
        plan_row(0, health, cost_vnd="1.500.000")
        | plan_row(
            1,
            police,
            title="Làm việc với người bố, cam kết không tái phạm",
            cost_vnd="",
            **{"starts_at.day": "4", "due_at.day": "20"},
        )
        | {
            "assessment.physical_mental": "Vết bầm ở lưng, trẻ hay giật mình",
            "assessment.caregiver_views": "Mẹ muốn trẻ ở với bà ngoại",
            "conference_minutes": "Họp liên ngành 02/03: công an, trạm y tế, thôn thống nhất",
        }
    )
    answer = web.post("caseworker", f"/ho-so/{code}/su-kien/submit_plan", fields)
    assert answer.status_code == 303, answer.text
    assert status(session, code) == "awaiting_approval"
    return code


def test_the_chairperson_sees_the_plan_above_her_decision(web, world, session):
    code = submit_plan(web, session, world)
    page = web.get("supervisor", f"/ho-so/{code}/su-kien/approve_plan")
    assert page.status_code == 200
    text = page.text
    plan, decision = text.split('id="quyet-dinh"')
    for words in (
        "Khám sức khỏe định kỳ cho trẻ",
        "Làm việc với người bố, cam kết không tái phạm",
        "03/03/2026",  # start
        "10/03/2026",  # expected end
        "04/03/2026",
        "20/03/2026",
        "1.500.000 đồng",
        "Không ghi",  # no cost given for the police's activity
        "Tổng kinh phí",
        "a) Tình trạng thể chất, tinh thần của trẻ",
        "Vết bầm ở lưng, trẻ hay giật mình",
        "Mẹ muốn trẻ ở với bà ngoại",
        "Họp liên ngành 02/03: công an, trạm y tế, thôn thống nhất",
    ):
        assert words in plan, words
    assert re.search(r'data-label="Cơ quan thực hiện">health_station</td>', plan)
    assert re.search(r'data-label="Cơ quan thực hiện">police</td>', plan)
    assert re.search(r"<strong>1\.500\.000 đồng</strong>", plan)  # the total
    # The decision: both buttons in one form, "Trả lại" posting to its own event.
    assert f'action="/ho-so/{code}/su-kien/approve_plan"' in decision
    buttons = re.findall(r"<button[^>]*>\s*([^<]+?)\s*</button>", decision)
    assert buttons == ["Phê duyệt kế hoạch", "Trả lại kế hoạch"]
    assert f'formaction="/ho-so/{code}/su-kien/reject_plan"' in decision
    assert 'name="reason"' in decision
    # The first visit and the review are proposed (14 and 90 days), with their bounds.
    assert 'name="first_visit_on.day" type="text" value="16"' in decision
    assert 'name="review_on.month" type="text" value="5"' in decision
    assert "Chọn một ngày từ 02/03/2026 đến 01/04/2026" in decision
    # The same page whichever of the two the case page's link named.
    again = web.get("supervisor", f"/ho-so/{code}/su-kien/reject_plan")
    assert "Làm việc với người bố, cam kết không tái phạm" in again.text
    assert 'name="first_visit_on.day" type="text" value="16"' in again.text


def test_a_caseworker_sees_the_plan_but_no_decision(web, world, session):
    code = submit_plan(web, session, world)
    page = web.get("caseworker", f"/ho-so/{code}/su-kien/approve_plan")
    assert "Chỉ lãnh đạo UBND xã được thực hiện thao tác này" in page.text
    assert "formaction" not in page.text


def test_sending_the_plan_back_needs_a_reason_and_loses_nothing_typed(web, world, session):
    code = submit_plan(web, session, world)
    typed = {
        "first_visit_on.day": "20",
        "first_visit_on.month": "3",
        "first_visit_on.year": "2026",
        "note": "Cần thêm hoạt động của nhà trường",
        "reason": "",
    }
    refused = web.post("supervisor", f"/ho-so/{code}/su-kien/reject_plan", typed)
    assert refused.status_code == 422
    assert '<a href="#reason">Nhập lý do</a>' in refused.text
    assert "Cần thêm hoạt động của nhà trường" in refused.text
    assert 'name="first_visit_on.day" type="text" value="20"' in refused.text
    assert "Khám sức khỏe định kỳ cho trẻ" in refused.text  # the plan is still shown
    assert status(session, code) == "awaiting_approval"
    typed["reason"] = "Bổ sung hoạt động hỗ trợ việc học"
    answer = web.post("supervisor", f"/ho-so/{code}/su-kien/reject_plan", typed)
    assert answer.status_code == 303, answer.text
    assert status(session, code) == "planning"
    history = web.get("caseworker", f"/ho-so/{code}").text
    assert "Bổ sung hoạt động hỗ trợ việc học" in history


def test_approval_starts_the_visit_and_review_clocks_on_the_case_page(web, world, session):
    code = submit_plan(web, session, world)
    dates = {
        "first_visit_on.day": "20",
        "first_visit_on.month": "3",
        "first_visit_on.year": "2026",
        "review_on.day": "15",
        "review_on.month": "6",
        "review_on.year": "2026",
        "reason": "",  # the other button's field, left empty
    }
    answer = web.post("supervisor", f"/ho-so/{code}/su-kien/approve_plan", dates)
    assert answer.status_code == 303, answer.text
    assert status(session, code) == "intervention"
    page = web.get("caseworker", f"/ho-so/{code}").text
    running = page.split('id="thoi-han"')[1].split('id="nhiem-vu"')[0]
    assert "Không có thời hạn nào đang chạy" not in running
    assert re.search(r"Thăm theo dõi định kỳ.*?20/03/2026 23:59", running, re.S)
    assert re.search(r"Rà soát kết quả can thiệp \(Mẫu 06\).*?15/06/2026 23:59", running, re.S)
    assert "Ngày thăm theo dõi đầu tiên" in page  # in the history, with its date
    assert "20/03/2026" in page.split('id="dien-bien"')[1]


def test_dates_outside_the_definitions_bounds_are_refused_on_their_fields(web, world, session):
    code = submit_plan(web, session, world)
    late = {
        "first_visit_on.day": "15",
        "first_visit_on.month": "4",  # 44 days: the first visit comes within 30
        "first_visit_on.year": "2026",
    }
    refused = web.post("supervisor", f"/ho-so/{code}/su-kien/approve_plan", late)
    assert refused.status_code == 422
    assert (
        '<a href="#first_visit_on-day">Ngày thăm theo dõi đầu tiên phải từ 02/03/2026 đến '
        "01/04/2026</a>"
    ) in refused.text
    assert 'name="first_visit_on.month" type="text" value="4"' in refused.text
    before = late | {"first_visit_on.month": "3", "review_on.day": "10"}
    before |= {"review_on.month": "3", "review_on.year": "2026"}
    refused = web.post("supervisor", f"/ho-so/{code}/su-kien/approve_plan", before)
    assert refused.status_code == 422
    assert "Ngày rà soát phải từ ngày thăm theo dõi đầu tiên trở đi" in refused.text
    session.expire_all()
    case = session.exec(select(ProtectionCase).where(ProtectionCase.code == code)).one()
    assert case.status == "awaiting_approval"
