"""Quản trị cấp tỉnh: a province administrator adds their province's communes from the
official list (one, or all the rest at once), never another province's, and works in one
commune at a time: the administration pages then act on that commune."""

from __future__ import annotations

from sqlmodel import select

from casework.accounts.models import Role, User
from casework.agencies.models import Agency
from casework.audit.models import AuditEntry
from casework.communes import official
from casework.communes.models import Commune
from casework.web import sessions
from tests.factories.browsing import Browser, browser

ĐỨC_XUÂN = "01840"  # Phường Đức Xuân, Thái Nguyên (19): the world's province
THẤT_KHÊ = "06040"  # Xã Thất Khê, Lạng Sơn (20)


def province_admin(client, world, browser_for) -> Browser:
    return browser(client, browser_for, world.own.people["province_admin"])


def working_in(admin: Browser, commune_id: int) -> Browser:
    """The same person after choosing the commune: the session cookie the answer set."""
    answer = admin.client.post(
        f"/tinh/xa/{commune_id}/lam-viec", headers=admin.headers, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/quan-tri"
    cookie = answer.cookies[sessions.COOKIE]
    admin.client.cookies.clear()
    return Browser(admin.client, admin.headers | {"Cookie": f"{sessions.COOKIE}={cookie}"})


def test_a_commune_is_added_from_the_official_list_with_its_agencies(
    client, world, browser_for, session
):
    admin = province_admin(client, world, browser_for)
    home = admin.get("/trang-cua-toi")
    assert home.status_code == 200, home.text
    assert 'href="/tinh"' in home.text
    page = admin.get("/tinh").text
    assert "Các xã, phường của tỉnh Thái Nguyên" in page
    assert f"Phường Đức Xuân ({ĐỨC_XUÂN})" in page  # to pick, never typed
    assert "Xã Thanh Định" in page  # the world's communes are in Thái Nguyên
    answer = admin.post("/tinh/xa", {"code": ĐỨC_XUÂN, "case_prefix": ""})
    assert answer.status_code == 303, answer.text
    assert "Đã thêm xã, phường" in admin.get(answer.headers["location"]).text
    added = session.exec(select(Commune).where(Commune.code == ĐỨC_XUÂN)).one()
    assert (added.name, added.province, added.case_prefix) == (
        "Phường Đức Xuân", "Thái Nguyên", "DX"
    )  # fmt: skip
    agencies = session.exec(select(Agency).where(Agency.commune_id == added.id)).all()
    assert len(agencies) == 12
    audited = session.exec(select(AuditEntry).where(AuditEntry.subject_type == "commune")).all()
    assert [(e.subject_id, e.action) for e in audited] == [(str(added.id), "create")]


def test_a_commune_added_twice_or_of_another_province_is_refused_in_vietnamese(
    client, world, browser_for, session
):
    admin = province_admin(client, world, browser_for)
    assert admin.post("/tinh/xa", {"code": ĐỨC_XUÂN}).status_code == 303
    twice = admin.post("/tinh/xa", {"code": ĐỨC_XUÂN})
    assert twice.status_code == 422
    assert "Phường Đức Xuân (mã 01840) đã có trong hệ thống" in twice.text
    elsewhere = admin.post("/tinh/xa", {"code": THẤT_KHÊ})
    assert elsewhere.status_code == 422
    assert "Xã Thất Khê (mã 06040) thuộc tỉnh Lạng Sơn, không thuộc tỉnh bạn quản trị" in (
        elsewhere.text
    )
    unknown = admin.post("/tinh/xa", {"code": "99999"})
    assert unknown.status_code == 422
    assert "Mã 99999 không có trong danh mục" in unknown.text
    nothing = admin.post("/tinh/xa", {"code": ""})
    assert nothing.status_code == 422
    assert "Chọn" in nothing.text
    session.expire_all()
    codes = set(session.exec(select(Commune.code)).all())
    assert ĐỨC_XUÂN in codes
    assert THẤT_KHÊ not in codes


def test_all_the_provinces_remaining_communes_are_added_at_once(
    client, world, browser_for, session
):
    admin = province_admin(client, world, browser_for)
    answer = admin.post("/tinh/tat-ca")
    assert answer.status_code == 303, answer.text
    page = admin.get(answer.headers["location"]).text
    assert "Mọi xã, phường của tỉnh đã có trong hệ thống." in page
    session.expire_all()
    theirs = session.exec(select(Commune).where(Commune.province == "Thái Nguyên")).all()
    assert {c.code for c in theirs} >= {u.code for u in official.units_of("19")}
    assert len({c.case_prefix for c in theirs}) == len(theirs)  # every case code unique
    assert not session.exec(select(Commune).where(Commune.province == "Lạng Sơn")).all()


def test_the_province_administrator_works_in_the_commune_they_chose(
    client, world, browser_for, session
):
    admin = province_admin(client, world, browser_for)
    assert admin.get("/quan-tri").status_code == 404  # no commune chosen yet
    commune = world.own.commune
    inside = working_in(admin, commune.id)
    overview = inside.get("/quan-tri").text
    assert f"Bạn đang làm việc với {commune.name}." in overview
    answer = inside.post(
        "/quan-tri/nguoi-dung/moi",
        {"username": "canbo.moi", "full_name": "Hà Thị Mới", "role": "caseworker",
         "email": "moi@thanhdinh.example"},
    )  # fmt: skip
    assert answer.status_code == 303, answer.text
    made = session.exec(select(User).where(User.username == "canbo.moi")).one()
    assert (made.commune_id, made.role, made.password_hash) == (commune.id, "caseworker", None)
    assert "Quản trị cấp tỉnh" not in inside.get("/quan-tri/nguoi-dung/moi").text  # no such role
    other = working_in(admin, world.other.commune.id)  # the same province: chosen in turn
    people = other.get("/quan-tri/nguoi-dung").text
    assert "canbo.moi" not in people


def test_another_provinces_commune_is_not_there_for_them(client, world, browser_for, session):
    elsewhere = Commune(
        code=THẤT_KHÊ, name="Xã Thất Khê", province="Lạng Sơn", case_prefix="TK",
        created_at=world.own.commune.created_at,
    )  # fmt: skip
    session.add(elsewhere)
    session.commit()
    admin = province_admin(client, world, browser_for)
    assert "Xã Thất Khê" not in admin.get("/tinh").text
    assert admin.post(f"/tinh/xa/{elsewhere.id}/lam-viec").status_code == 404
    assert admin.get("/quan-tri").status_code == 404


def test_a_communes_people_are_not_made_province_administrators(
    client, world, browser_for, session
):
    admin = browser(client, browser_for, world.own.people["admin"])
    answer = admin.post(
        "/quan-tri/nguoi-dung/moi",
        {"username": "tinh.gia", "full_name": "Giả Tỉnh", "role": Role.province_admin.value,
         "email": "gia@example.org"},
    )  # fmt: skip
    assert answer.status_code == 422
    assert "Quản trị cấp tỉnh không thuộc một xã" in answer.text
    assert admin.get("/tinh").status_code == 404


def test_an_administrator_moved_to_another_province_no_longer_works_in_its_commune(
    client, world, browser_for, session
):
    admin = province_admin(client, world, browser_for)
    inside = working_in(admin, world.own.commune.id)
    assert inside.get("/quan-tri").status_code == 200
    person = world.own.people["province_admin"]
    person.province_code = "20"  # now Lạng Sơn's
    session.add(person)
    session.commit()
    assert inside.get("/quan-tri").status_code == 404
    assert inside.get("/quan-tri/nguoi-dung").status_code == 404


def test_a_province_administrators_import_is_audited_in_the_commune_it_fed(
    client, world, browser_for, session, session_factory, clock, databases
):
    from datetime import timedelta

    from casework.audit.models import AuditEntry
    from casework.registry.imports.tasks import run_one
    from tests.factories.spreadsheets import xlsx

    inside = working_in(province_admin(client, world, browser_for), world.own.commune.id)
    data = xlsx([[1, "Thôn Mới Lập"]], headings=["STT", "Tên thôn"])
    answer = inside.client.post("/quan-tri/thon/nhap", headers=inside.headers,
                                files={"file": ("thon.xlsx", data, "application/xlsx")},
                                follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303, answer.text
    job = answer.headers["location"]

    def work() -> None:
        while run_one(session_factory, clock=clock, settings=databases.settings, worker="t",
                      lease=timedelta(minutes=5)):  # fmt: skip
            pass

    work()
    assert inside.post(f"{job}/nhap", {"mode": "all_or_nothing"}).status_code == 303
    work()
    session.expire_all()
    entries = session.exec(
        select(AuditEntry).where(AuditEntry.subject_type == "import_job")
    ).all()  # fmt: skip
    done = [e for e in entries if (e.detail or {}).get("created") == 1]
    assert [(e.commune_id, e.username) for e in done] == [
        (world.own.commune.id, world.own.people["province_admin"].username)
    ]
    assert "Thôn Mới Lập" in inside.get("/quan-tri/thon").text
