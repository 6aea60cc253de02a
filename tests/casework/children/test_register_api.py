"""The children register through the API: a child registered without a report, with the
rules of intake and a duplicate check that ignores diacritics; a record corrected against
the version seen, never half-saved; every change in the audit log."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from casework import text
from casework.audit.models import AuditEntry
from casework.children.models import Caregiver, Child
from casework.intake.models import Report

# A girl born in 2017 whose birth was registered in Thái Nguyên (019): century-and-sex
# digit 3 (a girl born 2000–2099), year digits 17.
GIRL_2017 = "019317004321"


def child(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "full_name": "Lò Thị Thu",
        "date_of_birth": "2017-09-03",
        "sex": "female",
        "ethnicity": "Dao",
        "village": "Thôn Bản Chắt",
        "address": "Nhà số 4",
        "school_name": "Trường Tiểu học Thanh Định",
        "grade": "3A",
        "disability_level": "mild",
        "poverty_status": "poor",
        "caregivers": [
            {"full_name": "Lò Thị Nga", "relation": "bà nội", "phone": "0987 654 321"},
            {"full_name": "Lò Văn Páo", "relation": "bố"},
        ],
    }
    body.update(overrides)
    return body


@pytest.fixture
def caseworker(world, headers_for):
    return headers_for(world.own.people["caseworker"].username)


@pytest.fixture
def supervisor(world, headers_for):
    return headers_for(world.own.people["supervisor"].username)


def register(client, headers, **overrides):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/children", json=child(**overrides), headers=headers)


def messages(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {item["field"]: item["msg"] for item in response.json()["detail"]}


def test_a_caseworker_registers_a_child_without_a_report(client, caseworker, session, world):
    response = register(client, caseworker)
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["Location"] == f"/api/v1/children/{body['id']}"
    assert (body["full_name"], body["village"], body["version"]) == (
        "Lò Thị Thu",
        "Thôn Bản Chắt",
        1,
    )
    assert [c["phone"] for c in body["caregivers"]] == ["+84987654321", None]
    stored = session.get(Child, body["id"])
    assert stored.commune_id == world.own.commune.id
    assert (stored.name_key, stored.sort_key) == ("lo thi thu", text.sort_key("Lò Thị Thu"))
    assert stored.birth_year == 2017
    assert session.exec(select(Report).where(Report.child_id == stored.id)).all() == []
    entry = session.exec(
        select(AuditEntry).where(AuditEntry.subject_type == "child", AuditEntry.action == "create")
    ).one()
    assert entry.subject_id == str(stored.id)
    assert "Lò" not in str(entry.detail)  # the log names fields, never a child's data


def test_the_supervisor_registers_a_child_with_an_estimated_birth_year(client, supervisor, session):
    response = register(client, supervisor, date_of_birth=None, birth_year_estimate=2019)
    assert response.status_code == 201, response.text
    assert response.json()["birth_date_is_estimated"] is True
    assert session.get(Child, response.json()["id"]).birth_year == 2019


def test_names_are_cleaned_before_they_are_stored(client, caseworker, session):
    """Decomposed letters (as some phone keyboards send them) and stray spaces."""
    response = register(client, caseworker, full_name="  Lo\u0300   Thi\u0323 Thu ")
    assert response.status_code == 201, response.text
    assert response.json()["full_name"] == "Lò Thị Thu"
    stored = session.get(Child, response.json()["id"])
    assert (stored.name_key, stored.sort_key) == ("lo thi thu", text.sort_key("Lò Thị Thu"))


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"date_of_birth": "2026-05-01"},
            "date_of_birth",
            "Ngày sinh phải là ngày trong quá khứ",
        ),
        (
            {"date_of_birth": "2007-01-15"},
            "date_of_birth",
            "Trẻ đã 19 tuổi: sổ trẻ em chỉ ghi trẻ dưới 18 tuổi; kiểm tra lại ngày sinh",
        ),
        ({"date_of_birth": None}, "date_of_birth", "Nhập ngày sinh hoặc năm sinh ước tính của trẻ"),
        (
            {"personal_id": "01931700432"},
            "personal_id",
            "Số định danh cá nhân phải có đúng 12 chữ số",
        ),
        (
            {"personal_id": "019217004321"},
            "personal_id",
            "Số định danh cá nhân ghi giới tính nam, nhưng hồ sơ ghi nữ",
        ),
        (
            {"personal_id": "019316004321"},
            "personal_id",
            "Số định danh cá nhân ghi năm sinh 2016, nhưng hồ sơ ghi 2017",
        ),
        (
            {"personal_id": "999317004321"},
            "personal_id",
            "Số định danh cá nhân bắt đầu bằng 999: không phải mã tỉnh, thành phố nơi đăng ký "
            "khai sinh nào (3 chữ số đầu, ví dụ 020 là Lạng Sơn)",
        ),
        ({"village": "Thôn Không Có"}, "village", "Thôn Không Có"),
    ],
)
def test_registering_keeps_the_rules_of_intake(
    client, caseworker, session, overrides, field, message
):
    response = register(client, caseworker, **overrides)
    assert response.status_code == 422, response.text
    assert message in messages(response)[field]
    assert session.exec(select(Child).where(Child.name_key == "lo thi thu")).all() == []


def test_a_personal_id_of_another_child_is_refused_and_that_child_named(
    client, caseworker, session, world
):
    hoa = session.get(Child, world.own.case.child_id)
    hoa.personal_id = GIRL_2017
    session.commit()
    response = register(client, caseworker, personal_id=GIRL_2017)
    assert response.status_code == 422
    assert messages(response)["personal_id"].startswith(
        f"Số định danh cá nhân này đã được ghi cho trẻ số {hoa.id} trong sổ trẻ em của xã"
    )
    elsewhere = session.get(Child, world.other.case.child_id)
    hoa.personal_id, elsewhere.personal_id = None, GIRL_2017
    session.commit()
    response = register(client, caseworker, personal_id=GIRL_2017)
    assert messages(response)["personal_id"] == (
        "Số định danh cá nhân này đã được ghi cho một trẻ ở xã khác; kiểm tra lại số"
    )
    assert str(elsewhere.id) not in response.text


def test_a_possible_duplicate_is_shown_until_the_person_confirms_another_child(
    client, caseworker, session, world
):
    """Nguyễn Thị Hoa (2016, Thôn Đồng Tâm) is in the register; typed without diacritics
    and a year later, in another village, she may still be the same girl."""
    again = {"full_name": "NGUYEN THI HOA", "date_of_birth": "2017-01-02", "village": None}
    first = register(client, caseworker, **again)
    assert first.status_code == 409, first.text
    body = first.json()
    assert body["detail"][0]["type"] == "possible_duplicate"
    assert "Đây là trẻ khác, vẫn đăng ký" in body["detail"][0]["msg"]
    assert [c["id"] for c in body["candidates"]] == [world.own.case.child_id]
    assert body["candidates"][0]["open_case_code"] == world.own.case.code
    assert session.exec(select(Child).where(Child.full_name == "NGUYEN THI HOA")).all() == []
    shown = session.exec(select(AuditEntry).where(AuditEntry.subject_type == "child_list")).one()
    assert shown.detail["children"] == [world.own.case.child_id]

    confirmed = register(client, caseworker, **again, confirm_not_duplicate=True)
    assert confirmed.status_code == 201, confirmed.text
    created = session.exec(
        select(AuditEntry).where(AuditEntry.subject_type == "child", AuditEntry.action == "create")
    ).one()
    assert created.detail["not_duplicate_of"] == [world.own.case.child_id]


def test_the_other_communes_children_are_no_duplicates(client, caseworker):
    response = register(
        client, caseworker, full_name="Nguyễn Thị Hoa", date_of_birth="2010-05-14", village=None
    )
    assert response.status_code == 201, response.text


def record(client, headers, child_id):  # type: ignore[no-untyped-def]
    response = client.get(f"/api/v1/children/{child_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def edit(client, headers, child_id, **changes):  # type: ignore[no-untyped-def]
    return client.patch(f"/api/v1/children/{child_id}", json=changes, headers=headers)


def test_correcting_the_birth_date_and_adding_a_personal_id(client, caseworker, session, world):
    child_id = world.own.case.child_id
    seen = record(client, caseworker, child_id)
    assert (seen["date_of_birth"], seen["version"]) == ("2016-05-14", 1)
    response = edit(client, caseworker, child_id, version=1, date_of_birth="2017-09-03")
    assert response.status_code == 200, response.text
    assert (response.json()["date_of_birth"], response.json()["version"]) == ("2017-09-03", 2)
    response = edit(client, caseworker, child_id, version=2, personal_id="019 317 004 321")
    assert response.status_code == 200, response.text
    stored = session.get(Child, child_id)
    session.refresh(stored)
    assert (stored.personal_id, stored.birth_year, stored.version) == (GIRL_2017, 2017, 3)
    assert [
        c.full_name
        for c in session.exec(select(Caregiver).where(Caregiver.child_id == child_id)).all()
    ] == ["Nguyễn Văn Bình"]  # untouched
    updates = session.exec(
        select(AuditEntry)
        .where(AuditEntry.subject_type == "child", AuditEntry.action == "update")
        .order_by(AuditEntry.seq)
    ).all()
    assert [e.detail["fields"] for e in updates] == [
        ["date_of_birth"],
        ["personal_id"],
    ]


@pytest.mark.parametrize(
    ("digits", "message"),
    [
        ("019216004321", "Số định danh cá nhân ghi giới tính nam, nhưng hồ sơ ghi nữ"),
        ("019315004321", "Số định danh cá nhân ghi năm sinh 2015, nhưng hồ sơ ghi 2016"),
        ("999316004321", "Số định danh cá nhân bắt đầu bằng 999: không phải mã tỉnh"),
    ],
)
def test_a_personal_id_that_disagrees_with_the_record_is_refused(
    client, caseworker, session, world, digits, message
):
    child_id = world.own.case.child_id
    response = edit(client, caseworker, child_id, version=1, personal_id=digits)
    assert response.status_code == 422
    assert messages(response)["personal_id"].startswith(message)
    stored = session.get(Child, child_id)
    session.refresh(stored)
    assert (stored.personal_id, stored.version) == (None, 1)


def test_a_personal_id_already_someone_elses_is_refused_on_correction(
    client, caseworker, session, world
):
    other = register(client, caseworker).json()
    assert other["full_name"] == "Lò Thị Thu"
    session.get(Child, other["id"]).personal_id = "019316004321"
    session.commit()
    response = edit(
        client, caseworker, world.own.case.child_id, version=1, personal_id="019316004321"
    )
    assert response.status_code == 422
    assert f"trẻ số {other['id']}" in messages(response)["personal_id"]


def test_a_rename_updates_the_search_and_sort_keys(client, caseworker, session, world):
    child_id = world.own.case.child_id
    response = edit(client, caseworker, child_id, version=1, full_name="Nguyễn Thị  Ánh")
    assert response.status_code == 200, response.text
    stored = session.get(Child, child_id)
    session.refresh(stored)
    assert stored.full_name == "Nguyễn Thị Ánh"
    assert stored.name_key == "nguyen thi anh"
    assert stored.sort_key == text.sort_key("Nguyễn Thị Ánh")
    found = client.get("/api/v1/children", params={"q": "thi anh"}, headers=caseworker).json()
    assert [c["id"] for c in found["items"]] == [child_id]


def test_an_edit_on_an_old_version_is_refused_with_who_changed_what_and_when(
    client, caseworker, supervisor, session, world
):
    child_id = world.own.case.child_id
    assert edit(client, supervisor, child_id, version=1, grade="4B").status_code == 200
    late = edit(client, caseworker, child_id, version=1, caregivers=[], school_name="Trường B")
    assert late.status_code == 409
    body = late.json()
    assert body["current_version"] == 2
    assert body["changed_by"] == "supervisor"
    assert body["changed_fields"] == ["grade"]
    assert body["detail"][0]["msg"] == (
        "Hồ sơ đã được supervisor sửa lúc 09:00 02/03/2026 (lớp); hãy xem lại. Chưa có gì được lưu"
    )
    stored = session.get(Child, child_id)
    session.refresh(stored)
    assert (stored.grade, stored.school_name, stored.version) == ("4B", None, 2)
    carers = session.exec(select(Caregiver).where(Caregiver.child_id == child_id)).all()
    assert [c.full_name for c in carers] == ["Nguyễn Văn Bình"]  # nothing half-saved


def test_caregivers_are_replaced_as_a_whole_with_the_child(client, caseworker, session, world):
    child_id = world.own.case.child_id
    carers = [{"full_name": "Nguyễn Thị Lan", "relation": "mẹ", "phone": "0912345678"}]
    response = edit(client, caseworker, child_id, version=1, caregivers=carers)
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2
    assert [c["full_name"] for c in response.json()["caregivers"]] == ["Nguyễn Thị Lan"]
    refused = edit(
        client,
        caseworker,
        child_id,
        version=2,
        caregivers=[{"full_name": "Ai Đó", "relation": "dì"}],
        date_of_birth="2030-01-01",
    )
    assert refused.status_code == 422
    stored = session.exec(select(Caregiver).where(Caregiver.child_id == child_id)).all()
    assert [c.full_name for c in stored] == ["Nguyễn Thị Lan"]


def test_clearing_a_required_field_names_it(client, caseworker, world):
    response = edit(client, caseworker, world.own.case.child_id, version=1, full_name=None)
    assert response.status_code == 422
    assert messages(response)["full_name"] == "Nhập họ và tên"


@pytest.mark.parametrize("who", ["collaborator", "police.officer", "police.head", "auditor"])
def test_only_the_communes_caseworkers_and_supervisor_register_and_correct(
    client, world, headers_for, who
):
    headers = headers_for(world.own.people[who].username)
    assert register(client, headers).status_code in (403, 404)
    child_id = world.own.case.child_id
    assert edit(client, headers, child_id, version=1, grade="1").status_code == 404


def test_a_child_of_another_commune_cannot_be_read_or_corrected(client, caseworker, world):
    child_id = world.other.case.child_id
    assert client.get(f"/api/v1/children/{child_id}", headers=caseworker).status_code == 404
    assert edit(client, caseworker, child_id, version=1, grade="1").status_code == 404
