from __future__ import annotations

import pytest

from tests.factories.communes import create_commune
from tests.factories.intakes import intake_payload


@pytest.fixture
def commune(session, now, act_as):
    commune = create_commune(session, now=now)
    session.commit()
    act_as("td.caseworker")
    return commune


def test_intake_opens_a_case_with_the_commune_code(client, commune):
    response = client.post("/api/v1/intakes", json=intake_payload())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["case_code"] == "TD-2026-00001"
    assert body["case_opened"] is True
    assert response.headers["location"] == "/api/v1/cases/TD-2026-00001"


def test_intake_answers_with_child_report_and_no_duplicates_for_a_new_child(client, commune):
    body = client.post("/api/v1/intakes", json=intake_payload()).json()
    assert isinstance(body["child_id"], int)
    assert isinstance(body["report_id"], int)
    assert body["possible_duplicates"] == []
    assert body["is_emergency"] is False


def test_case_shows_child_report_and_history(client, commune):
    code = client.post("/api/v1/intakes", json=intake_payload()).json()["case_code"]
    case = client.get(f"/api/v1/cases/{code}").json()
    assert case["status"] == "received"
    assert case["status_label"] == "Tiếp nhận"
    assert case["workflow"] == {"name": "child_protection", "version": 1}
    assert case["child"]["full_name"] == "Nguyễn Thị Hoa"
    assert case["child"]["village"] == "Thôn Đồng Tâm"
    assert case["child"]["caregivers"] == [
        {"full_name": "Nguyễn Văn Bình", "relation": "bố", "phone": None}
    ]
    [report] = case["reports"]
    assert report["harm_forms"] == ["violence"]
    assert report["reporter"]["phone"] == "+84912345678"
    assert report["first_received_at"] == "2026-03-02T08:15:00+07:00"
    assert [e["event"] for e in case["events"]] == ["receive"]
    legal = {d["kind"]: d for d in case["deadlines"] if d["task_id"] is None}
    assert legal["initial_assessment"]["due_at"] == "2026-03-02T20:15:00+07:00"
    assert legal["plan_draft"]["due_at"] == "2026-03-09T23:59:59+07:00"
    assert legal["plan_draft"]["clock"] == "working_days"
    assert {o["event"] for o in case["allowed_events"]} == {"start_assessment", "transfer"}
    assert case["opened_at"].endswith("+07:00")


def test_a_clock_past_its_due_time_reads_overdue(client, commune, clock, now):
    from datetime import timedelta

    code = client.post("/api/v1/intakes", json=intake_payload()).json()["case_code"]
    clock.set(now + timedelta(hours=12))  # 21:00: the assessment was due at 20:15
    deadlines = client.get(f"/api/v1/cases/{code}").json()["deadlines"]
    legal = {d["kind"]: d for d in deadlines if d["task_id"] is None}
    assert (legal["initial_assessment"]["status"], legal["initial_assessment"]["status_label"]) == (
        "overdue",
        "Quá hạn",
    )
    assert legal["plan_draft"]["status"] == "running"
    statuses = [d["status"] for d in deadlines]  # the overdue first, then the running ones
    assert statuses == sorted(statuses, key=["overdue", "running"].index)


def test_case_codes_count_up_within_the_commune_and_year(client, commune):
    codes = [
        client.post(
            "/api/v1/intakes", json=intake_payload(**{"child.full_name": f"Trẻ số {n}"})
        ).json()["case_code"]
        for n in range(3)
    ]
    assert codes == ["TD-2026-00001", "TD-2026-00002", "TD-2026-00003"]


def test_case_code_year_is_the_local_year(client, commune, clock):
    from datetime import UTC, datetime

    clock.set(datetime(2026, 12, 31, 17, 30, tzinfo=UTC))  # 00:30 on 1 January 2027 in Hà Nội
    body = client.post(
        "/api/v1/intakes", json=intake_payload(first_received_at="2027-01-01T00:10:00+07:00")
    ).json()
    assert body["case_code"] == "TD-2027-00001"


def test_unknown_case_code_is_404_in_vietnamese(client, commune):
    response = client.get("/api/v1/cases/TD-2026-09999")
    assert response.status_code == 404
    [error] = response.json()["detail"]
    assert error["msg"] == "Không tìm thấy hồ sơ TD-2026-09999"
    assert error["msg_en"] == "Case TD-2026-09999 not found"


def test_parent_perpetrator_makes_case_emergency(client, commune):
    body = client.post("/api/v1/intakes", json=intake_payload(perpetrator_relation="parent")).json()
    assert body["is_emergency"] is True


@pytest.mark.parametrize("relation", ["step_parent", "caregiver"])
def test_step_parent_or_caregiver_perpetrator_makes_case_emergency(client, commune, relation):
    body = client.post("/api/v1/intakes", json=intake_payload(perpetrator_relation=relation)).json()
    assert body["is_emergency"] is True


def test_immediate_danger_makes_case_emergency(client, commune):
    body = client.post("/api/v1/intakes", json=intake_payload(immediate_danger=True)).json()
    assert body["is_emergency"] is True


def test_teacher_perpetrator_without_danger_is_not_an_emergency(client, commune):
    body = client.post(
        "/api/v1/intakes", json=intake_payload(perpetrator_relation="teacher")
    ).json()
    assert body["is_emergency"] is False


def test_second_report_about_the_same_child_joins_the_open_case(client, commune):
    first = client.post("/api/v1/intakes", json=intake_payload()).json()
    second = client.post(
        "/api/v1/intakes",
        json=intake_payload(
            child=None,
            child_id=first["child_id"],
            channel="school",
            reporter={"name": "Cô giáo Hà", "relation": "giáo viên chủ nhiệm"},
            perpetrator_relation="parent",
        ),
    )
    assert second.status_code == 201, second.text
    body = second.json()
    assert body["case_code"] == first["case_code"]
    assert body["case_opened"] is False
    assert body["is_emergency"] is True
    case = client.get(f"/api/v1/cases/{first['case_code']}").json()
    assert len(case["reports"]) == 2
    assert [e["event"] for e in case["events"]] == ["receive", "attach_report"]
    assert case["events"][1]["payload"]["became_emergency"] is True
    assert case["version"] == 2


def test_same_name_birth_date_and_village_is_the_same_child(client, commune):
    first = client.post("/api/v1/intakes", json=intake_payload()).json()
    again = client.post(
        "/api/v1/intakes", json=intake_payload(**{"child.full_name": "nguyen thi  hoa"})
    ).json()
    assert again["child_id"] == first["child_id"]
    assert again["case_code"] == first["case_code"]


def test_personal_id_finds_the_recorded_child(client, commune):
    first = client.post(
        "/api/v1/intakes", json=intake_payload(**{"child.personal_id": "019316123456"})
    ).json()
    again = client.post(
        "/api/v1/intakes",
        json=intake_payload(
            **{"child.personal_id": "019 316 123 456", "child.village": None},
        ),
    ).json()
    assert again["child_id"] == first["child_id"]


def test_personal_id_of_another_child_is_refused_without_naming_that_child(client, commune):
    client.post("/api/v1/intakes", json=intake_payload(**{"child.personal_id": "019316123456"}))
    response = client.post(
        "/api/v1/intakes",
        json=intake_payload(**{"child.personal_id": "019316123456", "child.full_name": "Lê Mai"}),
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["field"] == "child.personal_id"
    assert error["type"] == "personal_id_other_child"
    assert "Hoa" not in error["msg"]


def test_same_name_and_year_without_birth_date_is_offered_as_possible_duplicate(client, commune):
    first = client.post("/api/v1/intakes", json=intake_payload()).json()
    body = client.post(
        "/api/v1/intakes",
        json=intake_payload(
            **{
                "child.full_name": "NGUYỄN THỊ HOA",
                "child.date_of_birth": None,
                "child.birth_year_estimate": 2016,
            }
        ),
    ).json()
    assert body["child_id"] != first["child_id"]
    assert body["case_opened"] is True
    [duplicate] = body["possible_duplicates"]
    assert duplicate["id"] == first["child_id"]
    assert duplicate["open_case_code"] == first["case_code"]
    assert duplicate["village"] == "Thôn Đồng Tâm"


def test_child_in_another_village_is_not_a_duplicate(client, commune):
    client.post("/api/v1/intakes", json=intake_payload())
    body = client.post(
        "/api/v1/intakes",
        json=intake_payload(**{"child.village": "Xóm Nà Pàn", "child.date_of_birth": "2016-06-01"}),
    ).json()
    assert body["possible_duplicates"] == []


def test_village_matches_without_diacritics(client, commune):
    body = client.post(
        "/api/v1/intakes", json=intake_payload(**{"child.village": "thon dong tam"})
    ).json()
    case = client.get(f"/api/v1/cases/{body['case_code']}").json()
    assert case["child"]["village"] == "Thôn Đồng Tâm"


def test_anonymous_report_is_accepted(client, commune):
    response = client.post("/api/v1/intakes", json=intake_payload(reporter={"anonymous": True}))
    assert response.status_code == 201, response.text
    case = client.get(f"/api/v1/cases/{response.json()['case_code']}").json()
    assert case["reports"][0]["reporter"] == {
        "anonymous": True,
        "name": None,
        "phone": None,
        "relation": None,
    }


def test_text_is_stored_in_nfc_with_spaces_collapsed(client, commune):
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "  Đặng   Ngọc Ánh ")
    body = client.post("/api/v1/intakes", json=intake_payload(**{"child.full_name": decomposed}))
    case = client.get(f"/api/v1/cases/{body.json()['case_code']}").json()
    assert case["child"]["full_name"] == unicodedata.normalize("NFC", "Đặng Ngọc Ánh")


def test_same_idempotency_key_and_body_return_the_same_case_once(client, commune):
    headers = {"Idempotency-Key": "111-call-20260302-0815-0042"}
    first = client.post("/api/v1/intakes", json=intake_payload(), headers=headers)
    again = client.post("/api/v1/intakes", json=intake_payload(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    case = client.get(f"/api/v1/cases/{first.json()['case_code']}").json()
    assert len(case["reports"]) == 1


def test_same_idempotency_key_with_another_body_is_refused(client, commune):
    headers = {"Idempotency-Key": "k-1"}
    client.post("/api/v1/intakes", json=intake_payload(), headers=headers)
    response = client.post(
        "/api/v1/intakes", json=intake_payload(description="Nội dung khác"), headers=headers
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "idempotency_key_reused"
    listing = client.get("/api/v1/cases").json()
    assert listing["total"] == 1


def test_a_refused_intake_does_not_use_up_its_idempotency_key(client, commune):
    headers = {"Idempotency-Key": "k-2"}
    bad = client.post("/api/v1/intakes", json=intake_payload(harm_forms=[]), headers=headers)
    assert bad.status_code == 422
    good = client.post("/api/v1/intakes", json=intake_payload(), headers=headers)
    assert good.status_code == 201


def test_without_a_key_a_resent_report_is_a_second_report_on_the_same_case(client, commune):
    first = client.post("/api/v1/intakes", json=intake_payload()).json()
    second = client.post("/api/v1/intakes", json=intake_payload()).json()
    assert second["case_code"] == first["case_code"]
    assert second["report_id"] != first["report_id"]


def test_too_long_idempotency_key_is_refused(client, commune):
    response = client.post(
        "/api/v1/intakes", json=intake_payload(), headers={"Idempotency-Key": "k" * 256}
    )
    assert response.status_code == 422
