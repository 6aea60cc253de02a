"""The children register's forms in the browser: register a child without a report, the
possible duplicate confirmed, caregiver rows added and removed, a record corrected, and a
correction made on an older version explained with everything typed kept."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlmodel import select

from casework.audit.models import AuditEntry
from casework.children.models import Caregiver, Child
from tests.factories.browsing import browser


def form(**overrides: str) -> dict[str, str]:
    values = {
        "full_name": "Lò Thị Thu",
        "date_of_birth.day": "3",
        "date_of_birth.month": "9",
        "date_of_birth.year": "2017",
        "sex": "female",
        "ethnicity": "Dao",
        "village": "Thôn Bản Chắt",
        "disability_level": "none",
        "poverty_status": "poor",
        "caregiver_rows": "2",
        "caregivers.0.full_name": "Lò Thị Nga",
        "caregivers.0.relation": "bà nội",
        "caregivers.0.phone": "0987 654 321",
        "caregivers.1.full_name": "",
        "caregivers.1.relation": "",
        "caregivers.1.phone": "",
        "action": "save",
    }
    values.update(overrides)
    return values


@pytest.fixture
def caseworker(client, world, browser_for):
    return browser(client, browser_for, world.own.people["caseworker"])


@pytest.fixture
def supervisor(client, world, browser_for):
    return browser(client, browser_for, world.own.people["supervisor"])


def value_of(page: str, name: str) -> str | None:
    found = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', page)
    return found[1] if found else None


def test_the_list_offers_to_register_a_child(caseworker):
    page = caseworker.get("/tre-em").text
    assert 'href="/tre-em/moi"' in page
    assert "Đăng ký trẻ" in caseworker.get("/tre-em/moi").text


def test_a_caseworker_registers_a_child_without_a_report(caseworker, session, world):
    response = caseworker.post("/tre-em/moi", form())
    assert response.status_code == 303, response.text
    child = session.exec(select(Child).where(Child.name_key == "lo thi thu")).one()
    assert response.headers["location"] == f"/tre-em/{child.id}?xong=dang-ky"
    assert (child.birth_year, child.ethnicity, child.commune_id) == (
        2017,
        "Dao",
        world.own.commune.id,
    )
    carers = session.exec(select(Caregiver).where(Caregiver.child_id == child.id)).all()
    assert [(c.full_name, c.phone) for c in carers] == [("Lò Thị Nga", "+84987654321")]
    page = caseworker.get(response.headers["location"]).text
    assert "Đã đăng ký trẻ vào sổ trẻ em của xã" in page
    assert f'href="/tre-em/{child.id}/sua"' in page


def test_only_the_year_of_birth_is_an_estimate(supervisor, session):
    response = supervisor.post(
        "/tre-em/moi", form(**{"date_of_birth.day": "", "date_of_birth.month": ""})
    )
    assert response.status_code == 303, response.text
    child = session.exec(select(Child).where(Child.name_key == "lo thi thu")).one()
    assert (child.date_of_birth, child.birth_year) == (None, 2017)


def test_a_refused_form_comes_back_with_every_problem_and_everything_typed(caseworker, session):
    response = caseworker.post(
        "/tre-em/moi",
        form(full_name="", sex="", personal_id="019217004321", **{"caregivers.0.relation": ""}),
    )
    assert response.status_code == 422
    page = response.text
    assert "<title>Lỗi:" in page
    assert '<a href="#full_name">Nhập họ và tên</a>' in page
    assert '<a href="#sex">Chọn giới tính</a>' in page
    assert '<a href="#caregivers-0-relation">Dòng 1: Nhập quan hệ với trẻ</a>' in page
    assert value_of(page, "personal_id") == "019217004321"
    assert value_of(page, "caregivers.0.full_name") == "Lò Thị Nga"
    assert session.exec(select(Child).where(Child.name_key == "lo thi thu")).all() == []


def test_a_personal_id_that_disagrees_with_the_record_is_named_on_the_form(caseworker):
    page = caseworker.post("/tre-em/moi", form(personal_id="019217004321")).text
    assert (
        '<a href="#personal_id">Số định danh cá nhân ghi giới tính nam, nhưng hồ sơ ghi nữ' in page
    )
    page = caseworker.post("/tre-em/moi", form(personal_id="999317004321")).text
    assert "Số định danh cá nhân bắt đầu bằng 999" in page


def test_a_possible_duplicate_is_shown_with_links_until_confirmed(caseworker, session, world):
    hoa = world.own.case.child_id
    typed = form(
        full_name="nguyen thi hoa",
        **{"date_of_birth.day": "1", "date_of_birth.month": "1", "date_of_birth.year": "2016"},
    )
    response = caseworker.post("/tre-em/moi", typed)
    assert response.status_code == 409
    page = response.text
    assert "Trẻ này có thể đã có trong sổ trẻ em của xã" in page
    assert f'href="/tre-em/{hoa}"' in page
    assert world.own.case.code in page
    assert "Đây là trẻ khác, vẫn đăng ký" in page
    assert value_of(page, "full_name") == "nguyen thi hoa"
    assert session.exec(select(Child).where(Child.full_name == "nguyen thi hoa")).all() == []
    shown = session.exec(select(AuditEntry).where(AuditEntry.subject_type == "child_list")).one()
    assert shown.detail["children"] == [hoa]

    response = caseworker.post("/tre-em/moi", {**typed, "confirm_not_duplicate": "true"})
    assert response.status_code == 303, response.text
    assert len(session.exec(select(Child).where(Child.name_key == "nguyen thi hoa")).all()) == 3


def test_caregiver_rows_are_added_and_removed_without_javascript(caseworker):
    added = caseworker.post("/tre-em/moi", form(action="add_caregiver"))
    assert added.status_code == 200
    assert "Người chăm sóc 3" in added.text
    assert value_of(added.text, "caregiver_rows") == "3"
    two = form(**{"caregivers.1.full_name": "Lò Văn Páo", "caregivers.1.relation": "bố"})
    removed = caseworker.post("/tre-em/moi", {**two, "action": "remove_caregiver.0"})
    assert value_of(removed.text, "caregivers.0.full_name") == "Lò Văn Páo"
    assert value_of(removed.text, "caregiver_rows") == "1"
    assert "Lò Thị Nga" not in removed.text


def edit_form(browser_, child_id: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    page = browser_.get(f"/tre-em/{child_id}/sua").text
    names = set(re.findall(r'<(?:input|select)[^>]*name="([^"]+)"', page)) - {"csrf_token"}
    values = {name: value_of(page, name) or "" for name in names}
    values["sex"] = "female"
    values["village"] = "Thôn Đồng Tâm"
    values["disability_level"] = "none"
    values["poverty_status"] = "none"
    values["action"] = "save"
    return values


def test_the_edit_form_shows_the_record_and_opening_it_is_audited(caseworker, session, world):
    child_id = world.own.case.child_id
    page = caseworker.get(f"/tre-em/{child_id}/sua").text
    assert value_of(page, "full_name") == "Nguyễn Thị Hoa"
    assert value_of(page, "date_of_birth.day") == "14"
    assert value_of(page, "date_of_birth.year") == "2016"
    assert value_of(page, "version") == "1"
    assert value_of(page, "caregivers.0.full_name") == "Nguyễn Văn Bình"
    entry = session.exec(select(AuditEntry).where(AuditEntry.subject_type == "child")).one()
    assert (entry.action, entry.detail) == ("view", {"view": "form"})


def test_a_caseworker_corrects_the_birth_date_and_adds_a_personal_id(caseworker, session, world):
    child_id = world.own.case.child_id
    typed = edit_form(caseworker, child_id)
    typed |= {"date_of_birth.day": "3", "date_of_birth.month": "9", "date_of_birth.year": "2017"}
    typed["personal_id"] = "019317004321"
    response = caseworker.post(f"/tre-em/{child_id}/sua", typed)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/tre-em/{child_id}?xong=sua"
    child = session.get(Child, child_id)
    session.refresh(child)
    assert (str(child.date_of_birth), child.personal_id, child.version) == (
        "2017-09-03",
        "019317004321",
        2,
    )
    assert "Đã lưu thông tin của trẻ" in caseworker.get(response.headers["location"]).text


def test_a_correction_on_an_older_version_is_explained_and_keeps_what_was_typed(
    caseworker, supervisor, session, world
):
    child_id = world.own.case.child_id
    mine = edit_form(caseworker, child_id)
    theirs = edit_form(supervisor, child_id)
    assert supervisor.post(f"/tre-em/{child_id}/sua", theirs | {"grade": "4B"}).status_code == 303

    response = caseworker.post(f"/tre-em/{child_id}/sua", mine | {"school_name": "Trường Nà Pàn"})
    assert response.status_code == 409
    page = response.text
    assert (
        "Hồ sơ đã được supervisor sửa lúc 09:00 02/03/2026 (lớp); hãy xem lại. Chưa có gì được lưu"
    ) in page
    assert value_of(page, "school_name") == "Trường Nà Pàn"
    assert value_of(page, "version") == "2"
    child = session.get(Child, child_id)
    session.refresh(child)
    assert (child.school_name, child.grade) == (None, "4B")

    again = caseworker.post(
        f"/tre-em/{child_id}/sua", mine | {"school_name": "Trường Nà Pàn", "version": "2"}
    )
    assert again.status_code == 303, again.text
    session.refresh(child)
    assert (child.school_name, child.version) == ("Trường Nà Pàn", 3)


@pytest.mark.parametrize("who", ["collaborator", "police.officer", "auditor"])
def test_others_cannot_register_or_correct(client, browser_for, world, who):
    person = browser(client, browser_for, world.own.people[who])
    assert person.get("/tre-em/moi").status_code == 404
    assert person.post("/tre-em/moi", form()).status_code == 404
    child_id = world.own.case.child_id
    assert person.get(f"/tre-em/{child_id}/sua").status_code == 404
    assert person.post(f"/tre-em/{child_id}/sua", form(version="1")).status_code == 404


def test_a_child_of_another_commune_cannot_be_corrected(caseworker, world):
    child_id = world.other.case.child_id
    assert caseworker.get(f"/tre-em/{child_id}/sua").status_code == 404
    assert caseworker.post(f"/tre-em/{child_id}/sua", form(version="1")).status_code == 404
