"""Bad input: 422, one message per field in Vietnamese and English, nothing saved."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from casework.models import Child, ProtectionCase, Report
from tests.factories.communes import create_commune
from tests.factories.intakes import DELETE, intake_payload


@pytest.fixture
def commune(session, now, act_as):
    commune = create_commune(session, now=now)
    session.commit()
    act_as("td.caseworker")
    return commune


def errors_of(response):
    assert response.status_code == 422, response.text
    return {error["field"]: error for error in response.json()["detail"]}


def assert_nothing_saved(session):
    for table in (Child, Report, ProtectionCase):
        assert session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one() == 0


def test_birth_date_in_the_future_is_refused(client, commune, session):
    errors = errors_of(
        client.post("/api/v1/intakes", json=intake_payload(**{"child.date_of_birth": "2026-03-03"}))
    )
    error = errors["child.date_of_birth"]
    assert error["type"] == "date_in_future"
    assert error["msg"] == "Ngày sinh phải là ngày trong quá khứ"
    assert error["msg_en"] == "Date of birth must be in the past"
    assert error["loc"] == ["body", "child", "date_of_birth"]
    assert_nothing_saved(session)


def test_unknown_harm_form_is_refused_with_the_choices(client, commune, session):
    errors = errors_of(
        client.post("/api/v1/intakes", json=intake_payload(harm_forms=["violence", "bullying"]))
    )
    error = errors["harm_forms.1"]
    assert error["type"] == "enum"
    assert error["msg"].startswith("Chọn hình thức xâm hại trong danh sách: ")
    assert "sexual_abuse" in error["msg"]
    assert_nothing_saved(session)


def test_no_harm_form_is_refused(client, commune):
    errors = errors_of(client.post("/api/v1/intakes", json=intake_payload(harm_forms=[])))
    assert errors["harm_forms"]["msg"] == "Chọn ít nhất một hình thức xâm hại"


@pytest.mark.parametrize("phone", ["0123", "0112345678", "số nhà", "+84 12"])
def test_malformed_vietnamese_phone_is_refused(client, commune, session, phone):
    errors = errors_of(
        client.post("/api/v1/intakes", json=intake_payload(**{"reporter.phone": phone}))
    )
    error = errors["reporter.phone"]
    assert error["type"] == "phone_invalid"
    assert error["msg"].startswith("Số điện thoại người báo tin phải là số điện thoại Việt Nam")
    assert_nothing_saved(session)


@pytest.mark.parametrize("phone", ["0912345678", "0912.345.678", "+84 912 345 678", "84912345678"])
def test_phone_in_any_common_format_is_stored_as_e164(client, commune, phone):
    response = client.post("/api/v1/intakes", json=intake_payload(**{"reporter.phone": phone}))
    case = client.get(f"/api/v1/cases/{response.json()['case_code']}").json()
    assert case["reports"][0]["reporter"]["phone"] == "+84912345678"


def test_child_aged_18_is_refused(client, commune, session):
    errors = errors_of(
        client.post("/api/v1/intakes", json=intake_payload(**{"child.date_of_birth": "2008-03-01"}))
    )
    error = errors["child.date_of_birth"]
    assert error["type"] == "child_too_old"
    assert error["msg"] == "Trẻ đã 18 tuổi khi tiếp nhận: hệ thống chỉ nhận trẻ dưới 18 tuổi"
    assert_nothing_saved(session)


def test_child_turning_18_tomorrow_is_still_a_child(client, commune):
    response = client.post(
        "/api/v1/intakes", json=intake_payload(**{"child.date_of_birth": "2008-03-03"})
    )
    assert response.status_code == 201, response.text


def test_estimated_birth_year_certainly_18_or_more_is_refused(client, commune):
    payload = intake_payload(**{"child.date_of_birth": None, "child.birth_year_estimate": 2007})
    errors = errors_of(client.post("/api/v1/intakes", json=payload))
    assert errors["child.birth_year_estimate"]["type"] == "child_too_old"


def test_missing_receipt_time_is_refused(client, commune, session):
    errors = errors_of(
        client.post("/api/v1/intakes", json=intake_payload(first_received_at=DELETE))
    )
    error = errors["first_received_at"]
    assert error["type"] == "missing"
    assert error["msg"] == "Nhập thời điểm tiếp nhận đầu tiên"
    assert error["msg_en"] == "Enter first receipt time"
    assert_nothing_saved(session)


def test_receipt_time_without_offset_is_refused(client, commune):
    errors = errors_of(
        client.post("/api/v1/intakes", json=intake_payload(first_received_at="2026-03-02T08:15:00"))
    )
    assert errors["first_received_at"]["type"] == "timezone_aware"
    assert "+07:00" in errors["first_received_at"]["msg"]


def test_receipt_time_in_the_future_is_refused(client, commune):
    errors = errors_of(
        client.post(
            "/api/v1/intakes", json=intake_payload(first_received_at="2026-03-02T10:00:00+07:00")
        )
    )
    assert errors["first_received_at"]["type"] == "time_in_future"


def test_personal_id_sex_digit_must_agree_with_the_record(client, commune):
    # 019 2 16 ...: century/sex digit 2 = male born 2000–2099; the record says female.
    payload = intake_payload(**{"child.personal_id": "019216123456"})
    errors = errors_of(client.post("/api/v1/intakes", json=payload))
    error = errors["child.personal_id"]
    assert error["type"] == "personal_id_sex_mismatch"
    assert error["msg"] == "Số định danh cá nhân ghi giới tính nam, nhưng hồ sơ ghi nữ"


def test_personal_id_year_digits_must_agree_with_the_record(client, commune):
    payload = intake_payload(**{"child.personal_id": "019315123456"})
    errors = errors_of(client.post("/api/v1/intakes", json=payload))
    error = errors["child.personal_id"]
    assert error["type"] == "personal_id_year_mismatch"
    assert error["msg"] == "Số định danh cá nhân ghi năm sinh 2015, nhưng hồ sơ ghi 2016"


def test_personal_id_of_someone_born_last_century_is_not_a_child(client, commune):
    payload = intake_payload(**{"child.personal_id": "019116123456"})
    errors = errors_of(client.post("/api/v1/intakes", json=payload))
    assert errors["child.personal_id"]["type"] == "personal_id_year_mismatch"
    assert "1916" in errors["child.personal_id"]["msg"]


@pytest.mark.parametrize("raw", ["12345", "01931612345a", "0193161234567"])
def test_personal_id_must_be_12_digits(client, commune, raw):
    errors = errors_of(
        client.post("/api/v1/intakes", json=intake_payload(**{"child.personal_id": raw}))
    )
    assert errors["child.personal_id"]["msg"] == "Số định danh cá nhân phải có đúng 12 chữ số"


def test_child_needs_a_birth_date_or_an_estimated_year(client, commune):
    errors = errors_of(
        client.post("/api/v1/intakes", json=intake_payload(**{"child.date_of_birth": DELETE}))
    )
    assert errors["child.date_of_birth"]["type"] == "birth_required"


def test_child_cannot_have_both_a_birth_date_and_an_estimate(client, commune):
    payload = intake_payload(**{"child.birth_year_estimate": 2016})
    errors = errors_of(client.post("/api/v1/intakes", json=payload))
    assert errors["child.birth_year_estimate"]["type"] == "birth_both"


def test_impossible_date_is_refused(client, commune):
    errors = errors_of(
        client.post("/api/v1/intakes", json=intake_payload(**{"child.date_of_birth": "2016-02-30"}))
    )
    assert errors["child.date_of_birth"]["msg"].startswith("Ngày sinh phải là ngày")


def test_report_needs_a_child(client, commune):
    errors = errors_of(client.post("/api/v1/intakes", json=intake_payload(child=DELETE)))
    assert errors["child"]["type"] == "child_required"


def test_unknown_child_id_is_refused(client, commune):
    errors = errors_of(
        client.post("/api/v1/intakes", json=intake_payload(child=DELETE, child_id=424242))
    )
    assert errors["child_id"]["msg"] == "Không tìm thấy trẻ có mã 424242 ở xã này"


def test_unknown_commune_is_refused(client, commune):
    errors = errors_of(client.post("/api/v1/intakes", json=intake_payload(commune_code="XX")))
    assert errors["commune_code"]["msg"] == "Không có xã/phường mã “XX”"


def test_unknown_village_lists_the_communes_villages(client, commune):
    errors = errors_of(
        client.post("/api/v1/intakes", json=intake_payload(**{"child.village": "Thôn Mới"}))
    )
    msg = errors["child.village"]["msg"]
    assert msg.startswith("Xã không có thôn “Thôn Mới”. Chọn một trong: ")
    assert "Thôn Bản Chắt" in msg


@pytest.mark.parametrize(
    ("typed", "village"),
    [
        ("Nà Pàn", "Xóm Nà Pàn"),  # without its "Xóm"
        ("na pan", "Xóm Nà Pàn"),  # and without diacritics
        ("Thôn Nà Pàn", "Xóm Nà Pàn"),  # called a thôn by the reporter
        ("dong tam", "Thôn Đồng Tâm"),
        ("Bản Chắt", "Thôn Bản Chắt"),  # "Bản" here is part of the name
        ("THÔN BẢN CHẮT", "Thôn Bản Chắt"),
    ],
)
def test_a_village_is_found_without_its_thon_or_xom(client, commune, typed, village):
    response = client.post("/api/v1/intakes", json=intake_payload(**{"child.village": typed}))
    assert response.status_code == 201, response.text
    case = client.get(f"/api/v1/cases/{response.json()['case_code']}").json()
    assert case["child"]["village"] == village


def test_a_village_name_two_villages_share_is_refused_with_both(client, session, now, act_as):
    create_commune(session, now=now, villages=("Thôn 1", "Tổ dân phố 1", "Thôn 2"))
    session.commit()
    act_as("td.caseworker")
    errors = errors_of(
        client.post("/api/v1/intakes", json=intake_payload(**{"child.village": "1"}))
    )
    error = errors["child.village"]
    assert error["type"] == "village_ambiguous"
    assert error["msg"] == (
        "Xã có nhiều thôn tên “1”: Thôn 1, Tổ dân phố 1. Ghi đủ tên thôn, ví dụ “Thôn 1”"
    )
    exact = client.post("/api/v1/intakes", json=intake_payload(**{"child.village": "to dan pho 1"}))
    case = client.get(f"/api/v1/cases/{exact.json()['case_code']}").json()
    assert case["child"]["village"] == "Tổ dân phố 1"


def test_named_reporter_needs_a_name_or_phone(client, commune):
    errors = errors_of(
        client.post("/api/v1/intakes", json=intake_payload(reporter={"relation": "hàng xóm"}))
    )
    assert errors["reporter.name"]["type"] == "reporter_required"


def test_anonymous_reporter_cannot_carry_a_name(client, commune):
    errors = errors_of(
        client.post(
            "/api/v1/intakes", json=intake_payload(reporter={"anonymous": True, "name": "Lan"})
        )
    )
    assert errors["reporter.name"]["type"] == "reporter_anonymous_with_identity"


def test_misspelt_field_is_named_in_the_error(client, commune):
    errors = errors_of(client.post("/api/v1/intakes", json=intake_payload(harm_form=["violence"])))
    assert errors["harm_form"]["type"] == "extra_forbidden"
    assert "“harm_form”" in errors["harm_form"]["msg"]


def test_every_problem_is_reported_at_once(client, commune):
    payload = intake_payload(
        first_received_at="2026-03-05T08:00:00+07:00",
        reporter={"relation": "hàng xóm"},
        **{"child.date_of_birth": "2030-01-01"},
    )
    errors = errors_of(client.post("/api/v1/intakes", json=payload))
    assert set(errors) == {"first_received_at", "reporter.name", "child.date_of_birth"}


def test_body_that_is_not_json_gets_a_clear_message(client, commune):
    response = client.post(
        "/api/v1/intakes", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"
    assert response.json()["detail"][0]["msg"] == "Nội dung gửi lên không phải JSON đúng cú pháp"


def test_english_is_chosen_by_accept_language(client, commune):
    response = client.post(
        "/api/v1/intakes",
        json=intake_payload(first_received_at=DELETE),
        headers={"Accept-Language": "en-GB,en;q=0.9"},
    )
    [error] = response.json()["detail"]
    assert error["msg"] == "Enter first receipt time"
    assert response.headers["content-language"] == "en"


def test_too_long_name_says_the_limit(client, commune):
    errors = errors_of(
        client.post("/api/v1/intakes", json=intake_payload(**{"child.full_name": "A" * 121}))
    )
    assert errors["child.full_name"]["msg"] == "Họ và tên của trẻ phải có tối đa 120 ký tự"


def test_reporter_calling_from_abroad_keeps_an_international_number(client, commune):
    # Many families have a parent working abroad; a valid foreign number is not malformed.
    response = client.post(
        "/api/v1/intakes", json=intake_payload(**{"reporter.phone": "+82 10-1234-5678"})
    )
    assert response.status_code == 201, response.text


def test_personal_id_from_no_province_is_refused_at_intake_naming_the_field(
    client, commune, session
):
    """999 is no province's birth-registration code (Thông tư 07/2016/TT-BCA): the rest of
    the number agrees with the record, and still no case is opened."""
    payload = intake_payload(**{"child.personal_id": "999316123456"})
    response = client.post("/api/v1/intakes", json=payload)
    assert response.status_code == 422
    error = errors_of(response)["child.personal_id"]
    assert error["type"] == "personal_id_province"
    assert error["msg"] == (
        "Số định danh cá nhân bắt đầu bằng 999: không phải mã tỉnh, thành phố nơi đăng ký "
        "khai sinh nào (3 chữ số đầu, ví dụ 020 là Lạng Sơn)"
    )
    assert session.execute(sa.select(ProtectionCase.id)).all() == []
