"""Quản trị: the administrator manages the commune's people and agencies from the browser,
with the command line's services and audit entries, and never sees a case."""

from __future__ import annotations

from sqlmodel import select

from casework.accounts import passwords
from casework.accounts.models import User
from casework.agencies.models import Agency, AgencyKind
from casework.audit.models import AuditEntry
from tests.factories.browsing import browser

NEW = {
    "username": "CanBo.Moi",
    "full_name": "Nguyễn Văn Mới",
    "role": "agency_officer",
    "email": "canbo.moi@example.org",
}


def admin_of(client, world, browser_for):
    return browser(client, browser_for, world.own.people["admin"])


def test_the_administrator_lists_only_their_communes_people(client, world, browser_for):
    page = admin_of(client, world, browser_for).get("/quan-tri/nguoi-dung")
    assert page.status_code == 200
    assert "td.caseworker" in page.text
    assert "kh.caseworker" not in page.text
    assert world.own.case.code not in page.text


def test_create_an_agency_officer(client, world, browser_for, session, databases):
    police = world.own.tasks[AgencyKind.police].agency_id
    admin = admin_of(client, world, browser_for)
    answer = admin.post("/quan-tri/nguoi-dung/moi", {**NEW, "agency_id": str(police)})
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/quan-tri/nguoi-dung?done=created"
    user = session.exec(select(User).where(User.username == "canbo.moi")).one()
    assert (user.role, user.agency_id, user.commune_id) == (
        "agency_officer",
        police,
        world.own.commune.id,
    )
    assert user.password_hash is None  # its person sets it from the activation link
    [entry] = session.exec(select(AuditEntry).where(AuditEntry.subject_id == str(user.id))).all()
    assert entry.username == "td.admin"
    assert entry.detail == {"change": "user_created", "role": "agency_officer"}


def test_a_refused_account_says_why_and_keeps_what_was_typed(client, world, browser_for):
    admin = admin_of(client, world, browser_for)
    no_agency = admin.post("/quan-tri/nguoi-dung/moi", NEW)
    assert no_agency.status_code == 422
    assert '<a href="#agency_id">Chọn cơ quan của cán bộ đầu mối' in no_agency.text
    assert 'value="CanBo.Moi"' in no_agency.text
    assert 'value="canbo.moi@example.org"' in no_agency.text
    no_role = admin.post("/quan-tri/nguoi-dung/moi", {**NEW, "role": ""})
    assert '<a href="#role">Chọn vai trò' in no_role.text
    taken = admin.post(
        "/quan-tri/nguoi-dung/moi", {**NEW, "role": "caseworker", "username": "td.caseworker"}
    )
    assert taken.status_code == 409
    assert '<a href="#username">Tên đăng nhập “td.caseworker” đã có người dùng' in taken.text


def test_disable_and_reset_a_password(client, world, browser_for, session, databases):
    target = world.own.people["caseworker"]
    admin = admin_of(client, world, browser_for)
    short = admin.post(
        f"/quan-tri/nguoi-dung/{target.id}/mat-khau",
        {"new_password": "ngan", "confirm_password": "ngan"},
    )
    assert short.status_code == 422
    assert "Mật khẩu cần ít nhất 10 ký tự" in short.text
    reset = admin.post(
        f"/quan-tri/nguoi-dung/{target.id}/mat-khau",
        {"new_password": "mua-xuan-tren-nui", "confirm_password": "mua-xuan-tren-nui"},
    )
    assert reset.status_code == 303
    locked = admin.post(f"/quan-tri/nguoi-dung/{target.id}/khoa")
    assert locked.status_code == 303
    session.expire_all()
    user = session.get(User, target.id)
    assert not user.is_active
    assert passwords.verify(databases.settings, "mua-xuan-tren-nui", user.password_hash)[0]
    changes = session.exec(
        select(AuditEntry.detail).where(AuditEntry.subject_id == str(target.id))
    ).all()
    assert [c["change"] for c in changes if "change" in c] == ["password_reset", "user_disabled"]
    # the disabled account's browser is logged out at its next request
    assert browser(client, browser_for, target).get("/trang-cua-toi").status_code == 303


def test_an_administrator_cannot_lock_themselves_out(client, world, browser_for):
    me = world.own.people["admin"]
    answer = admin_of(client, world, browser_for).post(f"/quan-tri/nguoi-dung/{me.id}/khoa")
    assert answer.status_code == 409
    assert "Bạn không thể tự khóa tài khoản của mình" in answer.text


def test_change_an_agencys_contacts(client, world, browser_for, session):
    agency_id = world.own.tasks[AgencyKind.police].agency_id
    admin = admin_of(client, world, browser_for)
    wrong = admin.post(f"/quan-tri/co-quan/{agency_id}", {"email": "khong-phai-thu", "phone": "12"})
    assert wrong.status_code == 422
    assert '<a href="#email">Nhập địa chỉ thư điện tử' in wrong.text
    assert '<a href="#phone">Số điện thoại phải là số điện thoại Việt Nam' in wrong.text
    assert 'value="khong-phai-thu"' in wrong.text
    saved = admin.post(
        f"/quan-tri/co-quan/{agency_id}", {"email": "congan@example.org", "phone": "0912 345 678"}
    )
    assert saved.status_code == 303
    session.expire_all()
    agency = session.get(Agency, agency_id)
    assert (agency.email, agency.phone) == ("congan@example.org", "+84912345678")
    assert "congan@example.org" in admin.get("/quan-tri/co-quan").text


def test_another_communes_people_and_agencies_are_not_there(client, world, browser_for):
    admin = admin_of(client, world, browser_for)
    other = world.other.people["caseworker"]
    assert admin.get(f"/quan-tri/nguoi-dung/{other.id}").status_code == 404
    assert admin.post(f"/quan-tri/nguoi-dung/{other.id}/khoa").status_code == 404
    agency = world.other.tasks[AgencyKind.police].agency_id
    assert admin.get(f"/quan-tri/co-quan/{agency}").status_code == 404
    caseworker = browser(client, browser_for, world.own.people["caseworker"])
    assert caseworker.get("/quan-tri").status_code == 404
