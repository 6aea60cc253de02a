"""Through the API the legal steps say what was found and what was done: a client sending
the old minimal payload (three answers for Mẫu 02, nothing for the emergency measures)
gets a 422 naming each field, in Vietnamese and English."""

from __future__ import annotations

from tests.factories.events import emergency_measures, mau_02


def refused(story, code: str, event: str, payload: dict) -> dict[str, dict]:
    response = story.client.post(
        f"/api/v1/cases/{code}/events/{event}", json=payload, headers=story.auth("caseworker")
    )
    assert response.status_code == 422, response.text
    return {error["field"]: error for error in response.json()["detail"]}


def test_the_old_three_answer_assessment_is_refused_field_by_field(story):
    code = story.intake(perpetrator_relation="parent")
    story.fire(code, "start_assessment")
    old = {"risk_level": "high", "emergency": True, "substantiated": True}
    errors = refused(story, code, "complete_assessment", old)
    assert set(errors) == {
        "harm_found",
        "child_safe_now",
        "perpetrator_has_access",
        "injuries",
        "caregiver_can_protect",
    }
    assert errors["child_safe_now"]["msg"] == (
        "Nhập câu trả lời cho “Hiện tại trẻ có an toàn không?”"
    )
    assert errors["injuries"]["msg_en"] == "Enter the child's injuries and health"
    wrong = mau_02(risk_level="low", emergency=True) | {"child_safe_now": "maybe"}
    errors = refused(story, code, "complete_assessment", wrong)
    assert set(errors) == {"child_safe_now", "risk_level"}
    assert story.case(code)["status"] == "assessing"
    case = story.fire(code, "complete_assessment", **mau_02(risk_level="high", emergency=True))
    assert case["status"] == "emergency"
    [assessed] = [e for e in case["events"] if e["event"] == "complete_assessment"]
    assert assessed["payload"]["perpetrator_has_access"] == "yes"


def test_emergency_measures_need_at_least_one_with_who_and_when(story):
    code = story.intake(perpetrator_relation="parent")
    story.fire(code, "start_assessment")
    story.fire(code, "complete_assessment", **mau_02(risk_level="high", emergency=True))
    errors = refused(story, code, "record_emergency_measures", {"note": "Đã xử lý"})
    assert errors["measures"]["msg"] == "Nhập biện pháp khẩn cấp đã thực hiện"
    errors = refused(story, code, "record_emergency_measures", {"measures": []})
    assert errors["measures"]["msg"] == "Chọn ít nhất một biện pháp khẩn cấp đã thực hiện"
    at = "2026-03-02T08:45:00+07:00"
    incomplete = [
        {"kind": "other", "by": "Trưởng thôn", "at": at},
        {"kind": "medical_care", "at": at},
        {"kind": "police_report", "by": "Công an xã", "at": "2026-03-02T08:45:00"},
    ]
    errors = refused(story, code, "record_emergency_measures", {"measures": incomplete})
    assert errors["measures.0.description"]["msg"] == "Mô tả biện pháp khác đã thực hiện"
    assert errors["measures.1.by"]["msg"] == "Nhập người hoặc cơ quan thực hiện"
    assert errors["measures.2.at"]["type"] == "timezone_aware"
    twice = [{"kind": "police_report", "by": "Công an xã", "at": at}] * 2
    errors = refused(story, code, "record_emergency_measures", {"measures": twice})
    assert errors["measures"]["type"] == "duplicate_items"
    later = [{"kind": "safe_place", "by": "Phòng Văn hóa - Xã hội", "at": "2026-03-02T11:00+07:00"}]
    errors = refused(story, code, "record_emergency_measures", {"measures": later})
    assert errors["measures.0.at"]["msg"] == (
        "Thời điểm thực hiện không được muộn hơn thời điểm hiện tại"
    )
    assert story.case(code)["status"] == "emergency"
    case = story.fire(code, "record_emergency_measures", **emergency_measures())
    assert case["status"] == "planning"
    recorded = case["events"][-1]["payload"]["measures"]
    assert [(m["kind"], m["by"]) for m in recorded] == [
        ("safe_place", "Phòng Văn hóa - Xã hội"),
        ("police_report", "Công an xã"),
    ]
