"""The forms of the workflow's steps, posted as a web without JavaScript posts them."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from sqlmodel import select

from casework.agencies.models import Agency, AgencyKind
from casework.audit.models import AuditEntry
from casework.cases.models import PLAN_ACTIVITY, ProtectionCase, Task
from tests.casework.cases.pages import Browser


@pytest.fixture
def web(client, world, browser_for):
    return Browser(client, world, browser_for)


def version(session, code: str) -> str:
    session.expire_all()
    case = session.exec(select(ProtectionCase).where(ProtectionCase.code == code)).one()
    return str(case.version)


def status(session, code: str) -> str:
    session.expire_all()
    return session.exec(select(ProtectionCase.status).where(ProtectionCase.code == code)).one()


MAU_02 = {
    "harm_found": "Bố đánh trẻ bằng roi tre tối 01/03",
    "child_safe_now": "no",
    "perpetrator_has_access": "yes",
    "injuries": "Vết bầm ở tay và lưng",
    "caregiver_can_protect": "no",
    "risk_level": "high",
    "emergency": "true",
    "substantiated": "true",
}


def measure(kind: str, by: str, time: str = "08:40", **more: str) -> dict[str, str]:
    """One box of the emergency measures ticked, with who and when (today, 2 March)."""
    typed = {"kind": kind, "by": by, "at.day": "2", "at.month": "3", "at.year": "2026"}
    return {f"measures.{kind}.{k}": v for k, v in (typed | {"at.time": time} | more).items()}


def to_planning(web, session, code: str) -> None:
    """Received → assessing → emergency → planning, through the forms."""
    assert web.fire("caseworker", code, "start_assessment").status_code == 303
    answer = web.fire("caseworker", code, "complete_assessment", **MAU_02)
    assert answer.status_code == 303, answer.text
    answer = web.fire(
        "caseworker",
        code,
        "record_emergency_measures",
        **measure("safe_place", "Phòng Văn hóa - Xã hội", description="Nhà bà ngoại"),
    )
    assert answer.status_code == 303, answer.text
    assert status(session, code) == "planning"


def test_a_step_is_recorded_and_the_case_page_says_so(web, world, session):
    code = world.own.case.code
    form = web.get("caseworker", f"/ho-so/{code}/su-kien/start_assessment")
    assert form.status_code == 200
    assert f'name="expected_version" value="{version(session, code)}"' in form.text
    answer = web.fire("caseworker", code, "start_assessment", note="Gọi điện cho mẹ trẻ")
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/ho-so/{code}?xong=start_assessment"
    assert status(session, code) == "assessing"
    page = web.get("caseworker", answer.headers["location"])
    assert "Đã lưu: Bắt đầu đánh giá nguy cơ ban đầu" in page.text
    assert "Gọi điện cho mẹ trẻ" in page.text  # in the history
    written = session.exec(
        select(AuditEntry).where(AuditEntry.subject_id == code, AuditEntry.action == "event")
    ).all()
    assert [entry.detail["event"] for entry in written] == ["start_assessment"]


def test_a_refused_assessment_keeps_what_was_typed_and_says_what_to_fix(web, world, session):
    code = world.own.case.code
    web.fire("caseworker", code, "start_assessment")
    form = web.get("caseworker", f"/ho-so/{code}/su-kien/complete_assessment")
    assert "Mẫu 02" in form.text
    assert 'name="risk_level"' in form.text
    assert 'name="emergency"' in form.text
    typed = MAU_02 | {"risk_level": "", "substantiated": "", "note": "Trẻ sợ về nhà"}
    answer = web.fire("caseworker", code, "complete_assessment", **typed)
    assert answer.status_code == 422
    text = answer.text
    assert "<title>Lỗi: Đánh giá nguy cơ ban đầu" in text
    assert '<a href="#risk_level">Chọn mức độ nguy cơ</a>' in text
    assert 'href="#substantiated">Chọn “Có” nếu thông tin đã được xác minh là đúng' in text
    assert re.search(
        r'id="risk_level-error"[^>]*>\s*<span[^>]*>Lỗi:</span> Chọn mức độ nguy cơ', text
    )
    assert re.search(r'value="true" checked', text)  # emergency: yes, kept
    assert "Trẻ sợ về nhà" in text
    assert status(session, code) == "assessing"


def test_someone_elses_change_is_explained_and_nothing_typed_is_lost(web, world, session):
    code = world.own.case.code
    seen = version(session, code)
    web.fire("supervisor", code, "start_assessment")  # the supervisor got there first
    answer = web.fire(
        "caseworker", code, "start_assessment", expected_version=seen, note="Đã gọi cho mẹ trẻ"
    )
    assert answer.status_code == 409
    assert "Hồ sơ vừa được người khác thay đổi" in answer.text
    assert "Đã gọi cho mẹ trẻ" in answer.text
    assert f'href="/ho-so/{code}" target="_blank"' in answer.text
    assert f'name="expected_version" value="{version(session, code)}"' in answer.text


def test_a_step_the_workflow_refuses_comes_back_with_its_reason(web, world):
    code = world.own.case.code
    answer = web.fire("caseworker", code, "complete_assessment", **MAU_02)
    assert answer.status_code == 409
    assert "Hồ sơ đang ở bước “Tiếp nhận”" in answer.text


def test_the_supervisors_steps_are_not_offered_to_a_caseworker(web, world, session):
    code = world.own.case.code
    to_planning(web, session, code)
    page = web.get("caseworker", f"/ho-so/{code}/su-kien/record_separation")
    assert "Chỉ lãnh đạo UBND xã được thực hiện thao tác này" in page.text
    assert '<form method="post" action="/ho-so' not in page.text
    assert "Mẫu 07" in web.get("supervisor", f"/ho-so/{code}/su-kien/record_separation").text


def test_an_agency_may_not_open_a_steps_form(web, world):
    code = world.own.case.code
    assert web.get("police.officer", f"/ho-so/{code}/su-kien/start_assessment").status_code == 403
    assert web.get("caseworker", f"/ho-so/{code}/su-kien/no_such_step").status_code == 404


def plan_row(number: int, agency_id: int, **overrides: str) -> dict[str, str]:
    row = {
        "agency_id": str(agency_id),
        "title": "Khám sức khỏe định kỳ cho trẻ",
        "starts_at.day": "3",
        "starts_at.month": "3",
        "starts_at.year": "2026",
        "due_at.day": "10",
        "due_at.month": "3",
        "due_at.year": "2026",
        "cost_vnd": "200.000",
    } | overrides
    return {f"tasks.{number}.{key}": value for key, value in row.items()}


def agency(session, kind: AgencyKind, commune_id: int) -> int:
    return session.exec(
        select(Agency.id).where(Agency.kind == kind, Agency.commune_id == commune_id)
    ).first()


def test_the_plan_form_adds_rows_without_javascript_and_skips_empty_ones(web, world, session):
    code = world.own.case.code
    to_planning(web, session, code)
    health = agency(session, AgencyKind.health_station, world.own.commune.id)
    form = web.get("caseworker", f"/ho-so/{code}/su-kien/submit_plan")
    assert "Mẫu 04" in form.text
    assert "Mẫu 03" in form.text
    assert form.text.count('name="tasks.2.title"') == 1
    assert 'name="tasks.3.title"' not in form.text
    typed = {"_rows.tasks": "3", "_action": "add_row"} | plan_row(1, health)
    more = web.post("caseworker", f"/ho-so/{code}/su-kien/submit_plan", typed)
    assert more.status_code == 200
    assert 'name="tasks.3.title"' in more.text  # one row more
    assert 'name="tasks.0.title" type="text" value="Khám sức khỏe định kỳ cho trẻ"' in more.text
    fields = plan_row(2, health) | {
        "assessment.needs": "Khám sức khỏe, hỗ trợ tâm lý",
        "conference_minutes": "Họp liên ngành sáng 02/03",
    }
    answer = web.post("caseworker", f"/ho-so/{code}/su-kien/submit_plan", fields)
    assert answer.status_code == 303, answer.text
    planned = session.exec(select(Task).where(Task.kind == PLAN_ACTIVITY)).all()
    assert [(t.title, t.cost_vnd) for t in planned] == [("Khám sức khỏe định kỳ cho trẻ", 200_000)]
    assert status(session, code) == "awaiting_approval"
    page = web.get("caseworker", f"/ho-so/{code}")
    assert "Khám sức khỏe, hỗ trợ tâm lý" in page.text  # Mẫu 03, in the history


def test_a_half_typed_date_is_named_and_linked_to_its_missing_part(web, world, session):
    code = world.own.case.code
    to_planning(web, session, code)
    health = agency(session, AgencyKind.health_station, world.own.commune.id)
    fields = plan_row(0, health, **{"due_at.month": ""})
    answer = web.post("caseworker", f"/ho-so/{code}/su-kien/submit_plan", fields)
    assert answer.status_code == 422
    assert (
        '<a href="#tasks-0-due_at-month">Dòng 1: ngày kết thúc dự kiến phải có tháng</a>'
        in answer.text
    )
    ends_first = plan_row(0, health, **{"due_at.day": "1"})
    answer = web.post("caseworker", f"/ho-so/{code}/su-kien/submit_plan", ends_first)
    assert '<a href="#tasks-0-due_at-day">Dòng 1: ngày kết thúc phải sau ngày bắt đầu</a>' in (
        answer.text
    )
    empty = web.post("caseworker", f"/ho-so/{code}/su-kien/submit_plan", {})
    assert empty.status_code == 409
    assert "Kế hoạch cần ít nhất một hoạt động" in empty.text


def test_a_problem_in_a_plan_row_says_which_row_in_the_summary_and_by_the_field(
    web, world, session
):
    code = world.own.case.code
    to_planning(web, session, code)
    health = agency(session, AgencyKind.health_station, world.own.commune.id)
    no_start = {"starts_at.day": "", "starts_at.month": "", "starts_at.year": ""}
    fields = plan_row(0, health) | plan_row(1, health, **no_start)

    answer = web.post("caseworker", f"/ho-so/{code}/su-kien/submit_plan", fields)

    assert answer.status_code == 422
    assert '<a href="#tasks-1-starts_at-day">Dòng 2: nhập ngày bắt đầu</a>' in answer.text
    assert re.search(
        r'id="tasks-1-starts_at-error"[^>]*>\s*<span[^>]*>Lỗi:</span> Dòng 2: nhập ngày bắt đầu',
        answer.text,
    )
    assert "Dòng 1:" not in answer.text


def test_a_long_text_counts_its_characters_and_is_a_plain_text_area_without_javascript(
    web, world, session
):
    code = world.own.case.code
    form = web.get("caseworker", f"/ho-so/{code}/su-kien/start_assessment")
    counted = re.search(
        r'<div class="govuk-form-group govuk-character-count" data-module="govuk-character-count"'
        r' data-maxlength="5000"[^>]*data-i18n\.characters-under-limit\.other="Bạn còn %\{count\}'
        r' ký tự"',
        form.text,
    )
    assert counted, form.text
    assert re.search(
        r'<textarea class="govuk-textarea govuk-js-character-count" id="note"', form.text
    )
    assert 'id="note-info"' in form.text  # said without JavaScript too
    assert "Bạn có thể nhập tối đa 5.000 ký tự" in form.text
    too_long = "Gọi điện cho mẹ trẻ. " * 250  # 5,250 characters
    answer = web.fire("caseworker", code, "start_assessment", note=too_long)
    assert answer.status_code == 422
    assert "Ghi chú phải có tối đa 5000 ký tự" in answer.text
    assert too_long.strip() in answer.text
    assert status(session, code) == "received"


def test_an_approved_plan_prints_like_the_official_forms(web, world, session):
    code = world.own.case.code
    to_planning(web, session, code)
    health = agency(session, AgencyKind.health_station, world.own.commune.id)
    web.post("caseworker", f"/ho-so/{code}/su-kien/submit_plan", plan_row(0, health))
    draft = web.get("caseworker", f"/ho-so/{code}/in/quyet-dinh")
    assert "DỰ THẢO" in draft.text
    assert web.fire("supervisor", code, "approve_plan").status_code == 303
    plan = web.get("caseworker", f"/ho-so/{code}/in/ke-hoach")
    assert plan.status_code == 200
    for words in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "XÃ THANH ĐỊNH",
        "Mẫu số 04",
        "Khám sức khỏe định kỳ cho trẻ",
        "03/03/2026",
        "10/03/2026",
        "200.000 đồng",
    ):
        assert words in plan.text, words
    decision = web.get("caseworker", f"/ho-so/{code}/in/quyet-dinh")
    assert "Mẫu số 05" in decision.text
    assert "DỰ THẢO" not in decision.text
    assert world.own.people["supervisor"].full_name in decision.text
    assert web.get("police.officer", f"/ho-so/{code}/in/ke-hoach").status_code == 303
    rows = session.execute(sa.select(Task.status).where(Task.kind == PLAN_ACTIVITY)).scalars()
    assert list(rows) == ["open"]


def printed_words(html: str) -> str:
    """The printed form's text as a reader sees it: tags gone, spaces collapsed."""
    form = html.split('<article class="cw-print">', 1)[1].split("</article>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", form).split()).replace(" .", "¶.")


def test_the_printed_plan_names_the_province_and_carries_the_mau_03_findings(web, world, session):
    code = world.own.case.code
    to_planning(web, session, code)
    session.execute(
        sa.update(ProtectionCase)
        .where(ProtectionCase.code == code)
        .values(protection_level="intervention")
    )
    session.commit()
    health = agency(session, AgencyKind.health_station, world.own.commune.id)
    findings = {
        "assessment.physical_mental": "Vết bầm ở tay, trẻ sợ hãi khi nhắc đến bố",
        "assessment.needs": "Khám sức khỏe, hỗ trợ tâm lý",
    }
    answer = web.post(
        "caseworker", f"/ho-so/{code}/su-kien/submit_plan", plan_row(0, health) | findings
    )
    assert answer.status_code == 303, answer.text

    plan = printed_words(web.get("caseworker", f"/ho-so/{code}/in/ke-hoach").text)

    assert plan.startswith(
        "UBND TỈNH THÁI NGUYÊN UBND XÃ THANH ĐỊNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        " Độc lập - Tự do - Hạnh phúc Thanh Định, ngày 02 tháng 03 năm 2026"
    )
    assert "Thôn Đồng Tâm, xã Thanh Định, tỉnh Thái Nguyên. II." in plan
    assert "Mức độ nguy cơ: cao. Trường hợp khẩn cấp. Cấp độ bảo vệ: can thiệp. " in plan
    assert (
        "Kết quả đánh giá nguy cơ cụ thể (Mẫu 03)"
        " a) Tình trạng thể chất, tinh thần của trẻ"
        " Vết bầm ở tay, trẻ sợ hãi khi nhắc đến bố"
        " e) Nhu cầu của trẻ: y tế, xã hội, giáo dục, pháp lý, tâm lý"
        " Khám sức khỏe, hỗ trợ tâm lý III."
    ) in plan
    assert "¶" not in plan  # no space before a full stop
    assert not re.search(r"[a-zà-ỹ][.:][A-ZÀ-Ỹ]", plan)  # nor a sentence glued to the next
    decision = printed_words(web.get("caseworker", f"/ho-so/{code}/in/quyet-dinh").text)
    assert decision.startswith("UBND TỈNH THÁI NGUYÊN UBND XÃ THANH ĐỊNH Số: ……/QĐ-UBND")
    assert "xã Thanh Định, tỉnh Thái Nguyên (hồ sơ số" in decision
