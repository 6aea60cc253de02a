"""Quản trị › Cơ quan: the administrator adds the commune's schools by name and retires an
agency (no new tasks, its history kept) once it has no task left to do, or brings it back."""

from __future__ import annotations

from sqlmodel import select

from casework.agencies.models import Agency, AgencyKind
from casework.cases.models import Task, TaskStatus
from tests.factories.browsing import browser


def admin_of(client, world, browser_for):  # type: ignore[no-untyped-def]
    return browser(client, browser_for, world.own.people["admin"])


def test_a_school_is_added_and_a_name_the_commune_has_is_refused(
    client, world, browser_for, session
):
    admin = admin_of(client, world, browser_for)
    added = admin.post("/quan-tri/co-quan/truong-hoc", {"school": "Trường Mầm non Hoa Sen"})
    assert added.status_code == 303, added.text
    assert "Đã thêm trường học" in admin.get(added.headers["location"]).text
    school = session.exec(select(Agency).where(Agency.name == "Trường Mầm non Hoa Sen")).one()
    assert (school.kind, school.commune_id) == (AgencyKind.school, world.own.commune.id)
    again = admin.post("/quan-tri/co-quan/truong-hoc", {"school": "truong mam non hoa sen"})
    assert again.status_code == 422
    assert "Xã đã có Trường Mầm non Hoa Sen: tên này trùng khi bỏ dấu" in again.text
    assert 'value="truong mam non hoa sen"' in again.text
    empty = admin.post("/quan-tri/co-quan/truong-hoc", {"school": ""})
    assert empty.status_code == 422
    assert "Nhập tên trường" in empty.text


def test_an_agency_with_tasks_to_do_is_not_retired_and_one_without_is(
    client, world, browser_for, session
):
    police = world.own.tasks[AgencyKind.police]
    admin = admin_of(client, world, browser_for)
    busy = admin.post(f"/quan-tri/co-quan/{police.agency_id}/ngung")
    assert busy.status_code == 409
    assert "nhiệm vụ chưa xong: giao lại các nhiệm vụ đó trước" in busy.text
    for task in session.exec(select(Task).where(Task.agency_id == police.agency_id)):
        task.status = TaskStatus.done
        session.add(task)
    session.commit()
    retired = admin.post(f"/quan-tri/co-quan/{police.agency_id}/ngung")
    assert retired.status_code == 303
    session.expire_all()
    assert session.get_one(Agency, police.agency_id).is_active is False
    assert session.get(Task, police.id) is not None  # the history stays
    assert "không còn hoạt động" in admin.get("/quan-tri/co-quan").text
    back = admin.post(f"/quan-tri/co-quan/{police.agency_id}/hoat-dong")
    assert back.status_code == 303
    session.expire_all()
    assert session.get_one(Agency, police.agency_id).is_active is True


def test_another_communes_agency_is_not_there(client, world, browser_for):
    other = world.other.tasks[AgencyKind.police].agency_id
    admin = admin_of(client, world, browser_for)
    assert admin.post(f"/quan-tri/co-quan/{other}/ngung").status_code == 404


def test_the_communes_only_culture_and_social_office_is_not_retired(
    client, world, browser_for, session
):
    office = session.exec(
        select(Agency).where(
            Agency.commune_id == world.own.commune.id,
            Agency.kind == AgencyKind.culture_social,
        )
    ).one()
    for task in session.exec(select(Task).where(Task.agency_id == office.id)):
        task.status = TaskStatus.done
        session.add(task)
    session.commit()
    refused = admin_of(client, world, browser_for).post(f"/quan-tri/co-quan/{office.id}/ngung")
    assert refused.status_code == 409
    assert "Phòng Văn hóa - Xã hội dẫn dắt mọi hồ sơ" in refused.text
    session.expire_all()
    assert session.get_one(Agency, office.id).is_active is True
