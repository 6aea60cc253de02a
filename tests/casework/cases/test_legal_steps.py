"""The legal steps of the first 12 hours cannot be recorded empty: the emergency measures
are a checklist of what the law names, each with who and when; Mẫu 02 asks its own
questions and its conclusion must agree with them. Errors per field, nothing typed lost;
the history and the printed plan show what was recorded."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa

from tests.casework.cases.pages import Browser
from tests.casework.cases.test_event_pages import MAU_02, measure, status


@pytest.fixture
def web(client, world, browser_for):
    return Browser(client, world, browser_for)


def to_emergency(web, session, code: str) -> None:
    assert web.fire("caseworker", code, "start_assessment").status_code == 303
    answer = web.fire("caseworker", code, "complete_assessment", **MAU_02)
    assert answer.status_code == 303, answer.text
    assert status(session, code) == "emergency"


def test_the_measures_are_a_checklist_of_the_laws_measures_with_who_and_when(web, world, session):
    code = world.own.case.code
    to_emergency(web, session, code)
    form = web.get("caseworker", f"/ho-so/{code}/su-kien/record_emergency_measures").text
    for value, words in (
        ("safe_place", "Đưa trẻ đến nơi ở an toàn"),
        ("medical_care", "Chăm sóc y tế, sơ cứu cho trẻ"),
        ("away_from_harm", "Cách ly trẻ khỏi người gây hại"),
        ("police_report", "Báo công an để ngăn chặn, xử lý hành vi"),
        ("other", "Biện pháp khác"),
    ):
        assert re.search(
            rf'id="measures-{value}" name="measures\.{value}\.kind" type="checkbox" '
            rf'value="{value}"',
            form,
        ), value
        assert words in form
        assert f'name="measures.{value}.by"' in form
        assert f'name="measures.{value}.at.time"' in form
        assert f'name="measures.{value}.at.day" type="text" value="2"' in form  # today
    answer = web.fire("caseworker", code, "record_emergency_measures", note="Đã gọi cho mẹ")
    assert answer.status_code == 422
    assert (
        '<a href="#measures-safe_place">Chọn ít nhất một biện pháp khẩn cấp đã thực hiện</a>'
        in answer.text
    )
    assert "Đã gọi cho mẹ" in answer.text
    assert status(session, code) == "emergency"


def test_each_measure_ticked_says_who_and_when_and_another_says_what(web, world, session):
    code = world.own.case.code
    to_emergency(web, session, code)
    typed = (
        measure("medical_care", "", time="")
        | measure("other", "Trưởng thôn Đồng Tâm")
        | {"measures.police_report.by": "Công an xã"}  # typed, then the box left unticked
    )
    answer = web.post("caseworker", f"/ho-so/{code}/su-kien/record_emergency_measures", typed)
    assert answer.status_code == 422
    summary = answer.text.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary) == [
        ("measures-medical_care-at-time", "Chăm sóc y tế, sơ cứu cho trẻ: nhập giờ của thời "
         "điểm thực hiện, ví dụ 14:05"),
        ("measures-medical_care-by", "Chăm sóc y tế, sơ cứu cho trẻ: nhập người hoặc cơ "
         "quan thực hiện"),
        ("measures-other-description", "Biện pháp khác: mô tả biện pháp khác đã thực hiện"),
    ]  # fmt: skip
    assert 'id="measures-medical_care-by-error"' in answer.text
    assert re.search(r'id="measures-medical_care"[^>]*checked', answer.text)
    assert 'value="Trưởng thôn Đồng Tâm"' in answer.text
    assert 'value="Công an xã"' in answer.text  # kept, though not ticked
    late = measure("safe_place", "Phòng Văn hóa - Xã hội", time="23:30")
    answer = web.post("caseworker", f"/ho-so/{code}/su-kien/record_emergency_measures", late)
    assert answer.status_code == 422
    assert (
        '<a href="#measures-safe_place-at-day">Đưa trẻ đến nơi ở an toàn: thời điểm thực hiện '
        "không được muộn hơn thời điểm hiện tại</a>"
    ) in answer.text
    assert status(session, code) == "emergency"


def test_what_was_recorded_is_in_the_history_and_the_printed_plan(web, world, session):
    code = world.own.case.code
    to_emergency(web, session, code)
    typed = measure("safe_place", "Phòng Văn hóa - Xã hội", description="Nhà bà ngoại") | measure(
        "police_report", "Công an xã", time="08:50"
    )
    answer = web.post("caseworker", f"/ho-so/{code}/su-kien/record_emergency_measures", typed)
    assert answer.status_code == 303, answer.text
    assert status(session, code) == "planning"
    history = web.get("caseworker", f"/ho-so/{code}").text.split('id="dien-bien"')[1]
    assert (
        "Đưa trẻ đến nơi ở an toàn (Nhà bà ngoại): Phòng Văn hóa - Xã hội, 02/03/2026 08:40"
    ) in history
    assert "Báo công an để ngăn chặn, xử lý hành vi: Công an xã, 02/03/2026 08:50" in history
    assert "<dt>Hiện tại trẻ an toàn</dt><dd>Không</dd>" in history
    assert "Bố đánh trẻ bằng roi tre tối 01/03" in history
    printed = web.get("caseworker", f"/ho-so/{code}/in/ke-hoach").text
    assert "Đánh giá nguy cơ ban đầu" in printed
    assert "<dt>Thương tích, sức khỏe</dt><dd>Vết bầm ở tay và lưng</dd>" in printed
    assert "Báo công an để ngăn chặn, xử lý hành vi: Công an xã, 02/03/2026 08:50" in printed
    # The people's words are sealed at rest, like every note.
    raw = session.execute(
        sa.text("SELECT payload FROM case_event WHERE event = 'record_emergency_measures'")
    ).scalar_one()
    stored = raw if isinstance(raw, dict) else json.loads(raw)
    assert "Nhà bà ngoại" not in str(stored["measures"])


def test_mau_02_asks_its_questions_and_its_conclusion_must_agree(web, world, session):
    code = world.own.case.code
    assert web.fire("caseworker", code, "start_assessment").status_code == 303
    form = web.get("caseworker", f"/ho-so/{code}/su-kien/complete_assessment").text
    for words in (
        "Hành vi xâm hại, tổn hại đã xảy ra hoặc có nguy cơ xảy ra",
        "Hiện tại trẻ có an toàn không?",
        "Người gây tổn hại còn tiếp cận được trẻ không?",
        "Thương tích, tình trạng sức khỏe của trẻ",
        "Cha mẹ, người chăm sóc có khả năng bảo vệ trẻ không?",
        "Chưa rõ",
    ):
        assert words in form, words
    unanswered = {"risk_level": "high", "emergency": "true", "substantiated": "true"}
    answer = web.fire("caseworker", code, "complete_assessment", **unanswered)
    assert answer.status_code == 422
    for link, words in (
        ("harm_found", "Nhập hành vi xâm hại, tổn hại đã xảy ra hoặc có nguy cơ xảy ra"),
        ("child_safe_now", "Chọn câu trả lời cho “Hiện tại trẻ có an toàn không?”"),
        ("injuries", "Nhập thương tích, tình trạng sức khỏe của trẻ"),
    ):
        assert f'<a href="#{link}">{words}</a>' in answer.text, link
    disagrees = MAU_02 | {"emergency": "false"}  # the child is not safe now
    answer = web.fire("caseworker", code, "complete_assessment", **disagrees)
    assert answer.status_code == 422
    assert (
        '<a href="#emergency">Trẻ hiện chưa an toàn: chọn “Có”, trẻ cần can thiệp khẩn cấp</a>'
        in answer.text
    )
    low = MAU_02 | {"risk_level": "low"}
    answer = web.fire("caseworker", code, "complete_assessment", **low)
    assert (
        '<a href="#risk_level">Trẻ cần can thiệp khẩn cấp thì mức độ nguy cơ không thể là thấp'
        in answer.text
    )
    assert "Bố đánh trẻ bằng roi tre tối 01/03" in answer.text  # nothing typed lost
    assert status(session, code) == "assessing"
